// Pop-up menus (a message's, a chat's, a group member's) and other small pop-ups (the reaction picker, who reacted):
// one open at a time, placed by the button that opened it, closed by a click elsewhere, Escape or a choice. Arrow keys
// move between items.

let open = null;

/**
 * Opens (or, from the button of the open one, closes) a menu under (or, near the bottom of the window, above) `anchor`.
 * @param {HTMLElement} anchor the button that opens it (gets aria-expanded)
 * @param {{ label: string, run: () => void, danger?: boolean }[]} items
 */
export function openMenu(anchor, items) {
  const pop = document.createElement('div');
  pop.className = 'menu-pop';
  pop.setAttribute('role', 'menu');
  for (const item of items) {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'menuitem');
    b.textContent = item.label;
    if (item.danger) b.className = 'danger-item';
    b.onclick = (e) => { e.stopPropagation(); closeMenu(); item.run(); };
    pop.append(b);
  }
  openPopup(anchor, pop);
}

/**
 * Shows `pop` (a menu or another small pop-up) by `anchor`: under it (or, with `above`, over it), on the other side
 * when there is no room; its right edge at the anchor's (or, with `align: 'left'`, its left edge at the anchor's),
 * kept inside the window; keyboard as in a menu; the first button takes the focus. Opening it again from the same
 * anchor closes it.
 */
export function openPopup(anchor, pop, { arrows = 'vertical', align = 'right', above = false } = {}) {
  if (open?.anchor === anchor) { closeMenu(); return; } // the same button again closes it
  closeMenu();
  const [next, previous] = arrows === 'horizontal' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp'];
  pop.onkeydown = (e) => {
    const buttons = [...pop.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeMenu(); anchor.focus(); }
    else if (e.key === next && buttons.length) { e.preventDefault(); buttons[(i + 1) % buttons.length].focus(); }
    else if (e.key === previous && buttons.length) { e.preventDefault(); buttons[(i - 1 + buttons.length) % buttons.length].focus(); }
    else if (e.key === 'Tab') closeMenu();
  };
  // Inside a modal dialog the menu must be in the dialog (the top layer), else it would show beneath it.
  (anchor.closest('dialog[open]') ?? document.body).append(pop);
  const r = anchor.getBoundingClientRect();
  pop.style.position = 'fixed';
  const left = Math.min(align === 'left' ? r.left : r.right - pop.offsetWidth, window.innerWidth - 8 - pop.offsetWidth);
  pop.style.left = `${Math.max(8, left)}px`;
  const below = r.bottom + 4;
  const over = r.top - 4 - pop.offsetHeight;
  const fitsBelow = below + pop.offsetHeight <= window.innerHeight - 8;
  pop.style.top = `${(above && over >= 8) || !fitsBelow ? Math.max(8, over) : below}px`;
  anchor.setAttribute('aria-expanded', 'true');
  open = { pop, anchor };
  pop.querySelector('button')?.focus();
}

export function closeMenu() {
  if (!open) return;
  open.pop.remove();
  open.anchor.setAttribute('aria-expanded', 'false');
  open = null;
}

document.addEventListener('click', (e) => { if (open && !open.pop.contains(e.target) && !open.anchor.contains(e.target)) closeMenu(); }, true);
window.addEventListener('resize', closeMenu);
