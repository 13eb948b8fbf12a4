// Pop-up menus (a message's, a chat's, a group member's): one open at a time, placed by the button that opened it,
// closed by a click elsewhere, Escape or a choice. Arrow keys move between items.

let open = null;

/**
 * Opens (or, from the button of the open one, closes) a menu under (or, near the bottom of the window, above) `anchor`.
 * @param {HTMLElement} anchor the button that opens it (gets aria-expanded)
 * @param {{ label: string, run: () => void, danger?: boolean }[]} items
 */
export function openMenu(anchor, items) {
  if (open?.anchor === anchor) { closeMenu(); return; } // the same button again closes it
  closeMenu();
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
  pop.onkeydown = (e) => {
    const buttons = [...pop.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeMenu(); anchor.focus(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); buttons[(i + 1) % buttons.length].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); buttons[(i - 1 + buttons.length) % buttons.length].focus(); }
    else if (e.key === 'Tab') closeMenu();
  };
  // Inside a modal dialog the menu must be in the dialog (the top layer), else it would show beneath it.
  (anchor.closest('dialog[open]') ?? document.body).append(pop);
  const r = anchor.getBoundingClientRect();
  pop.style.position = 'fixed';
  pop.style.right = `${Math.max(8, window.innerWidth - r.right)}px`;
  const below = r.bottom + 4;
  pop.style.top = `${below + pop.offsetHeight > window.innerHeight - 8 ? Math.max(8, r.top - 4 - pop.offsetHeight) : below}px`;
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
