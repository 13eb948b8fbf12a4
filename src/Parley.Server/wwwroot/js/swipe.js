// Swipe to reply on touch screens: a message dragged to the right by a finger follows it (a little), and let go past
// REPLY_AT pixels it is replied to. Vertical moves stay the browser's (scrolling): the rows are `touch-action: pan-y`.

const START_AT = 10; // a move shorter than this is neither a swipe nor a scroll yet
const REPLY_AT = 60;
const MAX_SHIFT = 80;

/** Listens on the messages box for touch swipes on its `.msg` rows; `onSwipe(row)` is called for each completed one. */
export function enableSwipeToReply(box, onSwipe) {
  let drag = null; // { row, bubble, id, x, y, dx, horizontal }

  const end = (reply) => {
    if (!drag) return;
    const { row, bubble, dx, horizontal } = drag;
    drag = null;
    bubble.style.transform = '';
    row.classList.remove('swiping', 'swipe-ready');
    if (reply && horizontal && dx >= REPLY_AT) onSwipe(row);
  };

  box.addEventListener('pointerdown', (e) => {
    if (e.pointerType !== 'touch' || !e.isPrimary) return;
    const row = e.target.closest('.msg');
    const bubble = row?.querySelector('.bubble');
    if (!row || !bubble || row.classList.contains('deleted') || !row.dataset.n) return;
    drag = { row, bubble, id: e.pointerId, x: e.clientX, y: e.clientY, dx: 0, horizontal: null };
  });
  box.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (drag.horizontal === null) {
      if (Math.abs(dx) < START_AT && Math.abs(dy) < START_AT) return;
      drag.horizontal = dx > 0 && Math.abs(dx) > Math.abs(dy);
      if (!drag.horizontal) { end(false); return; }
      drag.row.classList.add('swiping');
    }
    drag.dx = Math.max(0, dx);
    drag.bubble.style.transform = `translateX(${Math.min(MAX_SHIFT, drag.dx)}px)`;
    drag.row.classList.toggle('swipe-ready', drag.dx >= REPLY_AT);
  });
  box.addEventListener('pointerup', (e) => { if (drag && e.pointerId === drag.id) end(true); });
  box.addEventListener('pointercancel', (e) => { if (drag && e.pointerId === drag.id) end(false); });
}
