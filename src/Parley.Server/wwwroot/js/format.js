// Dates and durations as the chat shows them.
const DAY = 86_400_000;
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: '2-digit', month: '2-digit', year: 'numeric' });
const longDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

const startOfDay = (ts) => { const d = new Date(ts); d.setHours(0, 0, 0, 0); return d.getTime(); };
const daysAgo = (ts) => Math.round((startOfDay(Date.now()) - startOfDay(ts)) / DAY);

export const clock = (ts) => time.format(ts);

/** The chat list's time column: 14:02, Yesterday, Tuesday, 03/11/2026. */
export function listTime(ts) {
  const d = daysAgo(ts);
  if (d <= 0) return clock(ts);
  if (d === 1) return 'Yesterday';
  if (d < 7) return weekday.format(ts);
  return shortDate.format(ts);
}

/** The separator between days in a chat. */
export function dayLabel(ts) {
  const d = daysAgo(ts);
  if (d <= 0) return 'Today';
  if (d === 1) return 'Yesterday';
  if (d < 7) return weekday.format(ts);
  return longDate.format(ts);
}

export const dayKey = (ts) => startOfDay(ts);

export function lastSeen(ts) {
  if (ts == null) return '';
  const d = daysAgo(ts);
  if (d <= 0) return `last seen today at ${clock(ts)}`;
  if (d === 1) return `last seen yesterday at ${clock(ts)}`;
  return `last seen ${shortDate.format(ts)} at ${clock(ts)}`;
}

/** A retention in seconds as the settings show it. */
export function retentionLabel(ttl) {
  if (ttl == null) return 'Off';
  const named = { 86400: '24 hours', 604800: '7 days', 7776000: '90 days' }[ttl];
  if (named) return named;
  if (ttl % 86400 === 0) return `${ttl / 86400} days`;
  if (ttl % 3600 === 0) return `${ttl / 3600} hours`;
  if (ttl % 60 === 0) return `${ttl / 60} minutes`;
  return `${ttl} seconds`;
}

export function duration(ms) {
  if (!ms) return '';
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
