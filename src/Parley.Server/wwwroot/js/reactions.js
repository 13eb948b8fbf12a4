// Reactions (v1.1): the small picker a message's menu opens, and the list of who reacted that a reaction under a
// bubble opens. Each user has one reaction per message: choosing another replaces it, choosing one's own again (in
// the picker or in the list) takes it back.
import { openPopup, closeMenu } from './menu.js';

/** The emoji the picker offers, as WhatsApp's quick reactions. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/**
 * Opens the picker over `anchor` (the bubble), on the side the bubble is. `current` is the user's reaction to the
 * message (or null); `choose(emoji)` gets the new one, or null when the user picked their current one again.
 */
export function openReactionPicker(anchor, current, choose, { own = false } = {}) {
  const pop = document.createElement('div');
  pop.className = 'menu-pop reaction-picker';
  pop.setAttribute('role', 'menu');
  pop.setAttribute('aria-label', 'React');
  for (const emoji of QUICK_REACTIONS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'menuitemcheckbox');
    b.setAttribute('aria-checked', String(emoji === current));
    b.setAttribute('aria-label', emoji === current ? `Remove your ${emoji}` : `React with ${emoji}`);
    b.title = emoji === current ? 'Remove your reaction' : '';
    b.textContent = emoji;
    b.onclick = (e) => { e.stopPropagation(); closeMenu(); choose(emoji === current ? null : emoji); };
    pop.append(b);
  }
  openPopup(anchor, pop, { arrows: 'horizontal', above: true, align: own ? 'right' : 'left' });
}

/**
 * Opens, by a reaction under a bubble, who reacted to the message with what, in the order the reactions were made;
 * the user's own row is a button that takes it back.
 * @param {{ me: string, nameOf: (u: string) => string }} people
 */
export function openWhoReacted(anchor, reactions, people, takeBack, { own = false } = {}) {
  const pop = document.createElement('div');
  pop.className = 'menu-pop reacted-pop';
  pop.setAttribute('role', 'dialog');
  pop.setAttribute('aria-label', 'Reactions');
  const list = document.createElement('ul');
  // One's own first, as the row one can act on; then the others in the order they reacted.
  const ordered = [...reactions.filter((r) => r.by === people.me), ...reactions.filter((r) => r.by !== people.me)];
  for (const r of ordered) {
    const li = document.createElement('li');
    li.dataset.by = r.by;
    const row = document.createElement(r.by === people.me ? 'button' : 'span');
    row.className = 'reacted-row';
    const who = document.createElement('span');
    who.className = 'reacted-who';
    const name = document.createElement('strong');
    name.textContent = r.by === people.me ? 'You' : people.nameOf(r.by);
    who.append(name);
    if (r.by === people.me) {
      row.type = 'button';
      const hint = document.createElement('span');
      hint.className = 'muted small';
      hint.textContent = 'Click to remove';
      who.append(hint);
      row.onclick = (e) => { e.stopPropagation(); closeMenu(); takeBack(); };
    }
    const emoji = document.createElement('span');
    emoji.className = 'reacted-emoji';
    emoji.textContent = r.emoji;
    row.append(who, emoji);
    li.append(row);
    list.append(li);
  }
  pop.append(list);
  pop.tabIndex = -1;
  openPopup(anchor, pop, { align: own ? 'right' : 'left' });
  if (!pop.querySelector('button')) pop.focus();
}
