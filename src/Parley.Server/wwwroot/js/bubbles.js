// One message as a row of the open chat: the bubble (sender, the message it replies to, photo/video/document, text
// with links, "Edited", time, ticks), its menu, the reactions under it, and, for a message that failed, what happened
// and a way to try again.
import { icons, ticks, paintName } from './icons.js';
import { clock, duration } from './format.js';
import { bodyText, bodyFileName, preview } from './messages.js';
import { appendRichText, appendMarked } from './richtext.js';
import { extensionOf, formatSize, labelOf, nameExtension, docColour } from './files.js';
import * as api from './api.js';

const TICK_LABELS = { pending: 'Sending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent' };

/**
 * Builds a message's row.
 * @param {object} ctx { store, me, token, query, canDelete, quote(n), onMenu(button, m), onQuote(m), onReactions(button, m),
 *   onOpen(m), onDownload(m), onRetry(m) }
 */
export function buildMessage(ctx, c, m, own, status) {
  const row = document.createElement('div');
  row.className = `msg${own ? ' own' : ''}${m.deleted ? ' deleted' : ''}`;
  if (m.n != null) row.dataset.n = m.n;
  row.dataset.key = m.key;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  row.append(bubble);

  if (c.kind === 'group' && !own) {
    const s = document.createElement('div');
    s.className = 'sender';
    paintName(s, m.from);
    s.textContent = ctx.store.nameOf(m.from);
    s.title = `@${m.from}`;
    bubble.append(s);
  }
  if (m.replyTo != null && !m.deleted) bubble.append(quoteEl(ctx, m));
  const text = m.deleted ? (own ? 'You deleted this message' : 'This message was deleted') : bodyText(m.body);
  if (!m.deleted && m.media && (m.kind === 'image' || m.kind === 'video')) {
    bubble.append(mediaEl(ctx, m));
    if (!text) bubble.classList.add('media-only');
  } else if (!m.deleted && m.media && m.kind === 'file') {
    bubble.append(documentEl(ctx, m));
    if (!text) bubble.classList.add('doc-only');
  }
  if (text || !bubble.matches('.media-only, .doc-only')) {
    const t = document.createElement('span');
    t.className = 'text';
    if (m.deleted) t.textContent = text;
    else appendRichText(t, text, ctx.query);
    bubble.append(t);
  }
  const meta = document.createElement('span');
  meta.className = 'meta';
  if (m.expiresAt != null) meta.insertAdjacentHTML('beforeend', `<span class="timer-icon" title="Disappearing message">${icons.timer}</span>`);
  if (m.editedAt != null && !m.deleted) {
    const edited = document.createElement('span');
    edited.className = 'edited';
    edited.textContent = 'Edited';
    meta.append(edited);
  }
  meta.append(document.createTextNode(clock(m.ts)));
  if (own && !m.deleted) {
    meta.insertAdjacentHTML('beforeend', `<span class="tick" data-status="${status}" role="img" aria-label="${TICK_LABELS[status]}" title="${TICK_LABELS[status]}">${ticks[status]}</span>`);
  }
  bubble.append(meta);

  // Every stored message has a menu (reply, react; edit and delete where one may); a right click or a long press opens it too.
  if (!m.deleted && m.n != null && !c.left) {
    const menu = document.createElement('button');
    menu.type = 'button';
    menu.className = 'msg-menu';
    menu.setAttribute('aria-label', 'Message options');
    menu.setAttribute('aria-haspopup', 'menu');
    menu.innerHTML = icons.chevron;
    menu.onclick = (e) => { e.stopPropagation(); ctx.onMenu(menu, m); };
    bubble.append(menu);
    bubble.oncontextmenu = (e) => {
      if (e.target.closest('a')) return; // a link keeps the browser's own menu
      e.preventDefault();
      ctx.onMenu(menu, m);
    };
  }
  if (!m.deleted && m.reactions?.length) row.append(reactionsEl(ctx, m));
  if (own && m.failed && !m.deleted) row.append(failedEl(ctx, c, m));
  return row;
}

/**
 * The message a reply quotes, above its text: who wrote it and its first line. A click goes to it. While the page
 * does not have it the quote says so; a message the server no longer has for us (deleted, expired) says that.
 */
function quoteEl(ctx, m) {
  const q = ctx.quote(m.replyTo);
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = 'quote';
  btn.dataset.replyTo = String(m.replyTo);
  const from = document.createElement('span');
  from.className = 'quote-from';
  const text = document.createElement('span');
  text.className = 'quote-text';
  if (q == null) {
    btn.classList.add('unknown');
    text.textContent = q === null ? 'This message is not available' : 'Loading the message…';
  } else {
    paintName(btn, q.from);
    from.textContent = q.from === ctx.me ? 'You' : ctx.store.nameOf(q.from);
    if (q.deleted) {
      btn.classList.add('unknown');
      text.textContent = q.from === ctx.me ? 'You deleted this message' : 'This message was deleted';
    } else {
      const line = preview(ctx.me, q);
      if (line.icon) text.insertAdjacentHTML('beforeend', `<span class="kind-icon">${icons[line.icon]}</span>`);
      text.append(document.createTextNode(line.text));
    }
  }
  btn.append(from, text);
  btn.setAttribute('aria-label', `Go to the message replied to${from.textContent ? ` from ${from.textContent}` : ''}: ${text.textContent}`);
  btn.onclick = (e) => { e.stopPropagation(); ctx.onQuote(m); };
  return btn;
}

/**
 * The reactions under a bubble: one chip per emoji, in the order first made, with a count when more than one person
 * chose it; hovering names who (the title), a click lists them (and lets one take one's own back). One's own is marked.
 */
function reactionsEl(ctx, m) {
  const box = document.createElement('div');
  box.className = 'reactions';
  const byEmoji = new Map();
  for (const r of m.reactions) {
    if (!byEmoji.has(r.emoji)) byEmoji.set(r.emoji, []);
    byEmoji.get(r.emoji).push(r.by);
  }
  for (const [emoji, users] of byEmoji) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'reaction';
    chip.dataset.emoji = emoji;
    chip.classList.toggle('mine', users.includes(ctx.me));
    const names = users.map((u) => (u === ctx.me ? 'You' : ctx.store.nameOf(u))).join(', ');
    chip.title = names;
    chip.setAttribute('aria-label', `${emoji} ${users.length}: ${names}`);
    chip.setAttribute('aria-haspopup', 'dialog');
    const e = document.createElement('span');
    e.className = 'emoji';
    e.textContent = emoji;
    chip.append(e);
    if (users.length > 1) {
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = String(users.length);
      chip.append(count);
    }
    chip.onclick = (ev) => { ev.stopPropagation(); ctx.onReactions(chip, m); };
    box.append(chip);
  }
  return box;
}

/** Under a failed message: why, and "Retry" (or "Send again" once the server had stored it but could not deliver it). */
function failedEl(ctx, c, m) {
  const div = document.createElement('div');
  div.className = 'msg-failed';
  div.setAttribute('role', 'status');
  const f = m.failure ?? {};
  const reason = document.createElement('span');
  let retry = c.left ? null : 'Retry';
  if (f.delivery) {
    const to = ctx.store.nameOf(f.to);
    reason.textContent = f.reason === 'gone' ? `Not delivered: ${to} deleted their account.` : `Not delivered to ${to}.`;
    retry = f.reason === 'gone' || c.left ? null : 'Send again';
  } else {
    reason.textContent = f.message ? `Not sent: ${f.message}` : 'Not sent.';
    if (f.permanent) retry = null;
  }
  div.append(reason);
  if (retry) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'link-btn retry';
    b.textContent = retry;
    b.onclick = () => ctx.onRetry(m);
    div.append(b);
  }
  return div;
}

function mediaEl(ctx, m) {
  const media = m.media;
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = `media ${m.kind}`;
  btn.setAttribute('aria-label', m.kind === 'video' ? 'Play video' : 'Open photo');
  // The box has the photo's shape at up to 330 px wide, and shrinks with the bubble on a narrow screen.
  const w = media.width || 240;
  const h = media.height || 240;
  const width = Math.max(180, Math.min(330, w));
  const height = Math.max(90, Math.min(380, Math.round((width * h) / w)));
  btn.style.width = `${width}px`;
  btn.style.aspectRatio = `${width} / ${height}`;
  const img = document.createElement('img');
  img.alt = m.kind === 'video' ? 'Video' : 'Photo';
  if (m.localUrl && m.kind === 'image') img.src = m.localUrl;
  else if (media.thumbnail && media.id) {
    api.mediaUrl(ctx.token, media.id, true).then((url) => { img.src = url; }, () => btn.classList.add('no-thumb'));
  } else btn.classList.add('no-thumb');
  if (img.src || media.thumbnail) btn.append(img);
  if (m.kind === 'video' && media.durationMs) btn.insertAdjacentHTML('beforeend', `<span class="duration">${duration(media.durationMs)}</span>`);
  if (m.progress != null && m.pending) {
    btn.append(progressEl(m.progress, m.waiting));
    btn.classList.remove('video');
  }
  btn.onclick = () => { if (!m.pending) ctx.onOpen(m); };
  return btn;
}

/** A document: its type, name and size, and a download button. It is never opened in the page. */
export function documentCard(name, mime, size, query = '') {
  const ext = nameExtension(name) || extensionOf(mime);
  const card = document.createElement('button');
  card.type = 'button';
  card.className = 'doc';
  const icon = document.createElement('span');
  icon.className = 'doc-icon';
  icon.style.setProperty('--doc', docColour(ext));
  icon.textContent = ext.slice(0, 4);
  const text = document.createElement('span');
  text.className = 'doc-text';
  const nameEl = document.createElement('span');
  nameEl.className = 'doc-name';
  appendMarked(nameEl, name, query);
  nameEl.title = name;
  const info = document.createElement('span');
  info.className = 'doc-info';
  info.textContent = [labelOf(mime), formatSize(size)].filter(Boolean).join(' · ');
  text.append(nameEl, info);
  const get = document.createElement('span');
  get.className = 'doc-get';
  get.innerHTML = icons.download;
  card.append(icon, text, get);
  card.setAttribute('aria-label', `Download ${name}`);
  return card;
}

function documentEl(ctx, m) {
  const name = bodyFileName(m.body) || `document.${extensionOf(m.media.mime)}`;
  const card = documentCard(name, m.media.mime, m.media.size, ctx.query);
  if (m.progress != null && m.pending) card.append(progressEl(m.progress, m.waiting));
  card.onclick = () => { if (!m.pending) ctx.onDownload(m); };
  return card;
}

/** The upload's ring: how much has gone; while offline it says it waits for the network (and goes on after). */
function progressEl(progress, waiting = false) {
  const pct = Math.round(progress * 100);
  const span = document.createElement('span');
  span.className = `progress${waiting ? ' waiting' : ''}`;
  span.setAttribute('role', 'progressbar');
  span.dataset.waiting = String(!!waiting);
  if (waiting) span.setAttribute('aria-valuetext', `${pct}%, waiting for the network`);
  span.title = waiting ? 'Waiting for the network: the upload goes on when you are back online' : '';
  span.setAttribute('aria-valuenow', String(pct));
  span.setAttribute('aria-valuemin', '0');
  span.setAttribute('aria-valuemax', '100');
  // The ring's fill is set through the CSSOM: a style attribute in markup is refused by the Content-Security-Policy.
  const ring = document.createElement('span');
  ring.className = 'progress-ring';
  ring.style.setProperty('--p', `${pct}%`);
  const label = document.createElement('span');
  label.textContent = `${pct}%`;
  ring.append(label);
  span.append(ring);
  if (waiting) {
    const note = document.createElement('span');
    note.className = 'progress-note';
    note.textContent = 'Waiting for network';
    span.append(note);
  }
  return span;
}
