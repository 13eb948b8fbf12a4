// One message as a row of the open chat: the bubble (sender, photo/video/document, text with links, time, ticks),
// its menu, and, for a message that failed, what happened and a way to try again.
import { icons, ticks, paintName } from './icons.js';
import { clock, duration } from './format.js';
import { bodyText, bodyFileName } from './messages.js';
import { appendRichText, appendMarked } from './richtext.js';
import { extensionOf, formatSize, labelOf, nameExtension, docColour } from './files.js';
import * as api from './api.js';

const TICK_LABELS = { pending: 'Sending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent' };

/**
 * Builds a message's row.
 * @param {object} ctx { store, me, token, query, canDelete, onMenu(button, m), onOpen(m), onDownload(m), onRetry(m) }
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
  meta.append(document.createTextNode(clock(m.ts)));
  if (own && !m.deleted) {
    meta.insertAdjacentHTML('beforeend', `<span class="tick" data-status="${status}" role="img" aria-label="${TICK_LABELS[status]}" title="${TICK_LABELS[status]}">${ticks[status]}</span>`);
  }
  bubble.append(meta);

  if (!m.deleted && m.n != null && ctx.canDelete(m) && !c.left) {
    const menu = document.createElement('button');
    menu.type = 'button';
    menu.className = 'msg-menu';
    menu.setAttribute('aria-label', 'Message options');
    menu.setAttribute('aria-haspopup', 'menu');
    menu.innerHTML = icons.chevron;
    menu.onclick = (e) => { e.stopPropagation(); ctx.onMenu(menu, m); };
    bubble.append(menu);
  }
  if (own && m.failed && !m.deleted) row.append(failedEl(ctx, c, m));
  return row;
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
    btn.append(progressEl(m.progress));
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
  if (m.progress != null && m.pending) card.append(progressEl(m.progress));
  card.onclick = () => { if (!m.pending) ctx.onDownload(m); };
  return card;
}

function progressEl(progress) {
  const pct = Math.round(progress * 100);
  const span = document.createElement('span');
  span.className = 'progress';
  span.setAttribute('role', 'progressbar');
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
  return span;
}
