// Inline SVG icons, drawn for this client; `currentColor` lets CSS choose the colour.
const svg = (body, box = '0 0 24 24') => `<svg viewBox="${box}" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  newChat: svg('<path fill="currentColor" d="M19.005 3.175H4.674C3.642 3.175 3 3.789 3 4.821V21.02l3.544-3.514h12.461c1.033 0 2.064-1.06 2.064-2.093V4.821c-.001-1.032-1.032-1.646-2.064-1.646zm-4.989 9.869H7.041V11.1h6.975v1.944zm3-4H7.041V7.1h9.975v1.944z"/>'),
  group: svg('<path fill="currentColor" d="M16 11c1.66 0 2.99-1.34 2.99-3S17.66 5 16 5s-3 1.34-3 3 1.34 3 3 3zm-8 0c1.66 0 2.99-1.34 2.99-3S9.66 5 8 5 5 6.34 5 8s1.34 3 3 3zm0 2c-2.33 0-7 1.17-7 3.5V19h14v-2.5c0-2.33-4.67-3.5-7-3.5zm8 0c-.29 0-.62.02-.97.05 1.16.84 1.97 1.97 1.97 3.45V19h6v-2.5c0-2.33-4.67-3.5-7-3.5z"/>'),
  person: svg('<path fill="currentColor" d="M12 12c2.21 0 4-1.79 4-4s-1.79-4-4-4-4 1.79-4 4 1.79 4 4 4zm0 2c-2.67 0-8 1.34-8 4v2h16v-2c0-2.66-5.33-4-8-4z"/>'),
  logout: svg('<path fill="currentColor" d="M10.09 15.59 11.5 17l5-5-5-5-1.41 1.41L12.67 11H3v2h9.67l-2.58 2.59zM19 3H5a2 2 0 0 0-2 2v4h2V5h14v14H5v-4H3v4a2 2 0 0 0 2 2h14c1.1 0 2-.9 2-2V5c0-1.1-.9-2-2-2z"/>'),
  back: svg('<path fill="currentColor" d="M12 4l1.4 1.4L7.8 11H20v2H7.8l5.6 5.6L12 20l-8-8 8-8z"/>'),
  attach: svg('<path fill="currentColor" d="M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5a2.5 2.5 0 0 1 5 0v10.5c0 .55-.45 1-1 1s-1-.45-1-1V6H10v9.5a2.5 2.5 0 0 0 5 0V5c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6h-1.5z"/>'),
  send: svg('<path fill="currentColor" d="M1.101 21.757 23.8 12.028 1.101 2.3l.011 7.912 13.623 1.816-13.623 1.817-.011 7.912z"/>'),
  search: svg('<path fill="currentColor" d="M15.5 14h-.79l-.28-.27A6.47 6.47 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z"/>'),
  close: svg('<path fill="currentColor" d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/>'),
  chevron: svg('<path fill="currentColor" d="M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6z"/>'),
  timer: svg('<circle cx="12" cy="13" r="8" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M12 13V8.5M9.5 2.5h5" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" fill="none"/><path d="M12 5a8 8 0 0 1 8 8h-8z" fill="currentColor" opacity=".35"/>'),
  chat: svg('<path fill="white" d="M5 19.5l1.3-3.9A7.5 7.5 0 1 1 9.2 18.3z"/>'),
  welcome: svg('<circle cx="60" cy="60" r="60" fill="#d9fdd3"/><rect x="22" y="34" width="76" height="50" rx="5" fill="#fff" stroke="#00a884" stroke-width="3"/><path d="M14 88h92l-6 8H20z" fill="#00a884"/><path d="M44 52h32M44 62h22" stroke="#25d366" stroke-width="4" stroke-linecap="round"/><circle cx="88" cy="32" r="14" fill="#25d366"/><path d="M81 32l5 5 9-10" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>', '0 0 120 120'),
  lock: svg('<path fill="currentColor" d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 8V7a3 3 0 0 1 6 0v3H9z"/>'),
  camera: svg('<path fill="currentColor" d="M12 15.2A3.2 3.2 0 1 0 12 8.8a3.2 3.2 0 0 0 0 6.4zM9 2 7.17 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-3.17L15 2H9z"/>'),
  download: svg('<path fill="currentColor" d="M11 4h2v8.2l3.3-3.3 1.4 1.4L12 16l-5.7-5.7 1.4-1.4L11 12.2V4zM5 18h14v2H5z"/>'),
  up: svg('<path fill="currentColor" d="M7.41 15.41 12 10.83l4.59 4.58L18 14l-6-6-6 6z"/>'),
  down: svg('<path fill="currentColor" d="M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6z"/>'),
  more: svg('<path fill="currentColor" d="M12 7a2 2 0 1 0-.001-4.001A2 2 0 0 0 12 7zm0 2a2 2 0 1 0-.001 3.999A2 2 0 0 0 12 9zm0 6a2 2 0 1 0-.001 3.999A2 2 0 0 0 12 15z"/>'),
  bell: svg('<path fill="currentColor" d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5c0-3.07-1.64-5.64-4.5-6.32V4a1.5 1.5 0 0 0-3 0v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2z"/>'),
  check: svg('<path fill="currentColor" d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2z"/>'),
  reply: svg('<path fill="currentColor" d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z"/>'),
  block: svg('<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM4 12a8 8 0 0 1 12.9-6.3L5.7 16.9A7.9 7.9 0 0 1 4 12zm8 8a7.9 7.9 0 0 1-4.9-1.7L18.3 7.1A8 8 0 0 1 12 20z"/>'),
  link: svg('<path fill="currentColor" d="M3.9 12a3.1 3.1 0 0 1 3.1-3.1h4V7H7a5 5 0 0 0 0 10h4v-1.9H7A3.1 3.1 0 0 1 3.9 12zM8 13h8v-2H8v2zm9-6h-4v1.9h4a3.1 3.1 0 0 1 0 6.2h-4V17h4a5 5 0 0 0 0-10z"/>'),
  edit: svg('<path fill="currentColor" d="M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/>'),
  video: svg('<path fill="currentColor" d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4z"/>'),
};

/** Message ticks: a clock while sending, ✓ stored, ✓✓ delivered, blue ✓✓ read. */
export const ticks = {
  pending: svg('<circle cx="6" cy="6" r="4.8" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M6 3.4V6l1.8 1.2" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>', '0 0 12 12'),
  sent: svg('<path d="M1.6 5.9l3.1 3.1L11.4 1.6" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>', '0 0 16 11'),
  delivered: svg('<path d="M1 5.9l3.1 3.1L10.6 1.6M7.2 8.2l.8.8L14.6 1.6" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>', '0 0 16 11'),
  failed: svg('<circle cx="8" cy="5.5" r="5" fill="currentColor"/><path d="M8 2.8v3.3M8 7.6v.4" stroke="#fff" stroke-width="1.5" stroke-linecap="round"/>', '0 0 16 11'),
};
ticks.read = ticks.delivered;

/**
 * A person's colour, picked from the username so that it never changes: one for light surfaces (a sender's name on
 * a white bubble, white initials on an avatar) and one for dark ones, each at least 4.5:1 (WCAG AA) against the
 * bubble it is written on (#fff and #202c33).
 */
const palette = [
  ['#df2020', '#eb7070'], ['#b25919', '#e27b32'], ['#936915', '#df9f20'], ['#497f12', '#80df20'], ['#13842f', '#3fd86a'],
  ['#128166', '#20dfaf'], ['#157c91', '#20bfdf'], ['#1a76b7', '#3b9de3'], ['#3f68e4', '#7592eb'], ['#734ce6', '#a087ee'],
  ['#a936e2', '#c475eb'], ['#c91dba', '#e85edd'], ['#d61f7a', '#ea6aaa'],
];
export function coloursOf(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return palette[h % palette.length];
}

/** Sets a sender name's colours on an element (CSS picks the one for the scheme in use). */
export function paintName(el, username) {
  const [light, dark] = coloursOf(username);
  el.style.setProperty('--name', light);
  el.style.setProperty('--name-dark', dark);
}

/** Initials of a name: the first letters of its first two words ("Carol Jones" → CJ), or its first two letters. */
export function initials(label) {
  const words = (label || '').split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  if (words.length >= 2) return (words[0][0] + words[1][0]).toUpperCase();
  return (words[0] || '?').slice(0, 2).toUpperCase();
}

/** Fills an avatar element: initials for people (from their display name when given), a silhouette for groups. */
export function paintAvatar(el, name, isGroup, label = name) {
  el.style.background = coloursOf(name || '?')[0];
  if (isGroup) el.innerHTML = icons.group;
  else el.textContent = initials(label);
}
