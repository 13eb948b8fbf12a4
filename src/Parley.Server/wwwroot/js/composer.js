// Writing and sending: the text box (Enter sends, typing is announced), replying to a message and editing one's own
// (a bar above the box says which; Escape or its × cancels), files (photos, videos, documents: uploaded with progress,
// then sent), and trying again when a send fails.
import * as api from './api.js';
import { kindOf } from './files.js';
import { bodyFileName, bodyText, documentBody, preview } from './messages.js';
import { RESUMABLE_FROM, uploadResumable } from './resumable.js';
import { icons, paintName } from './icons.js';

const TYPING_REPEAT_MS = 4000;
const TYPING_PAUSE_MS = 3000;
// Refusals that sending the same message again cannot fix.
const PERMANENT = new Set(['forbidden', 'too_large', 'bad_request']);

const $ = (id) => document.getElementById(id);

function newCid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Pages on plain http off localhost are not a secure context and have no randomUUID.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class Composer {
  constructor(app, view) {
    this.app = app;
    this.view = view;
    this.input = $('input');
    this.typingSentAt = 0;
    this.pauseTimer = 0;
    this.replyTo = null; // the message being replied to
    this.editing = null; // the message being edited
    this.draft = ''; // what the box held before an edit took it
    $('compose-cancel').innerHTML = icons.close;
    $('compose-cancel').onclick = () => { this.cancelBar(); this.input.focus(); };
    $('btn-send').onclick = () => this.sendText();
    this.input.onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.sendText(); }
      if (e.key === 'Escape' && (this.replyTo || this.editing)) { e.preventDefault(); e.stopPropagation(); this.cancelBar(); }
    };
    this.input.oninput = () => { this.autosize(); this.composing(); };
    $('file-input').onchange = () => {
      const file = $('file-input').files[0];
      $('file-input').value = '';
      if (file) this.pickFile(file);
    };
  }

  get conv() { return this.view.conv; }

  reset() {
    this.paused();
    this.replyTo = null;
    this.editing = null;
    this.showBar();
    this.input.value = '';
    this.autosize();
  }

  /** Replies to `m`: the bar above the box quotes it, and the next message sent carries `replyTo`. */
  startReply(m) {
    if (this.editing) this.cancelBar();
    this.replyTo = m;
    this.showBar();
    this.input.focus();
  }

  /** Edits one's own message: its text goes into the box (what was typed there comes back afterwards). */
  startEdit(m) {
    if (!this.editing) this.draft = this.input.value;
    this.replyTo = null;
    this.editing = m;
    this.input.value = bodyText(m.body);
    this.autosize();
    this.showBar();
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  cancelBar() {
    if (this.editing) {
      this.input.value = this.draft;
      this.draft = '';
      this.autosize();
    }
    this.replyTo = null;
    this.editing = null;
    this.showBar();
  }

  /** The bar above the box: "Replying to …" with the quoted line, or "Edit message" with the text as it was. */
  showBar() {
    const m = this.editing ?? this.replyTo;
    const bar = $('compose-bar');
    bar.hidden = !m;
    bar.classList.toggle('editing', !!this.editing);
    $('btn-send').innerHTML = this.editing ? icons.check : icons.send;
    $('btn-send').setAttribute('aria-label', this.editing ? 'Save the edit' : 'Send');
    if (!m) return;
    const { store, me } = this.app;
    const title = $('compose-title');
    paintName(bar, m.from);
    title.textContent = this.editing ? 'Edit message' : m.from === me ? 'Replying to yourself' : `Replying to ${store.nameOf(m.from)}`;
    const line = preview(me, m);
    const text = $('compose-text');
    text.replaceChildren();
    if (line.icon) text.insertAdjacentHTML('beforeend', `<span class="kind-icon">${icons[line.icon]}</span>`);
    text.append(document.createTextNode(line.text));
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(140, this.input.scrollHeight)}px`;
  }

  composing() {
    const c = this.conv;
    if (!c || c.left) return;
    const now = Date.now();
    if (this.input.value.trim() && now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.app.conn.notify('typing', { conv: c.id, state: 'composing' });
      this.typingSentAt = now;
    }
    clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.paused(), TYPING_PAUSE_MS);
  }

  paused() {
    clearTimeout(this.pauseTimer);
    if (!this.typingSentAt || !this.conv) return;
    this.app.conn.notify('typing', { conv: this.conv.id, state: 'paused' });
    this.typingSentAt = 0;
  }

  sendText() {
    if (this.editing) { this.saveEdit(); return; }
    const text = this.input.value.trim();
    if (!text || !this.view.canSend()) return;
    this.input.value = '';
    this.autosize();
    this.paused();
    const replyTo = this.takeReply();
    this.send(this.conv, { kind: 'text', body: text, replyTo });
    this.input.focus();
  }

  /** The `n` the message being written replies to (the bar closes), or null. */
  takeReply() {
    const n = this.replyTo?.n ?? null;
    this.replyTo = null;
    this.showBar();
    return n;
  }

  /**
   * Saves an edit: the new body replaces the old for everyone (the server says when). A refusal keeps the text in the
   * box, so nothing typed is lost.
   */
  async saveEdit() {
    const m = this.editing;
    const text = this.input.value.trim();
    if (!text && m.kind === 'text') return; // an empty message is deleted, not edited
    const body = m.kind === 'file' ? documentBody(bodyFileName(m.body), text) : text;
    if (JSON.stringify(body) === JSON.stringify(m.body)) { this.cancelBar(); return; }
    const { store, conn } = this.app;
    try {
      const ok = await conn.request('edit', { conv: m.conv, n: m.n, body });
      Object.assign(m, { body, editedAt: ok.editedAt });
      if (this.editing === m) {
        this.editing = null;
        this.input.value = this.draft;
        this.draft = '';
        this.autosize();
        this.showBar();
      }
      store.changed(m.conv);
    } catch (err) {
      this.app.toast(err.code === 'forbidden' ? 'This message can no longer be edited.'
        : err.code === 'not_found' ? 'This message was deleted.' : `Not saved: ${err.message}`);
    }
  }

  /** Shows the message at once (clock), then sends it; a lost connection re-sends it with the same cid. */
  send(c, fields, existing) {
    const { store, conn } = this.app;
    const cid = existing?.cid ?? newCid();
    const msg = existing ?? store.addPending(c.id, { cid, conv: c.id, kind: fields.kind, body: fields.body, media: fields.mediaInfo, replyTo: fields.replyTo ?? null });
    Object.assign(msg, { pending: true, failed: false, failure: null });
    this.view.stick = true;
    store.changed(c.id);
    const frame = { cid, conv: c.id, kind: fields.kind, body: fields.body };
    if (fields.media) frame.media = { id: fields.media.id };
    if (fields.replyTo != null) frame.replyTo = fields.replyTo;
    conn.request('send', frame, { resend: true }).then((ok) => {
      store.stored(msg, ok);
      store.changed(ok.conv);
    }, (err) => {
      // A refused send stores nothing and leaves its cid unused: after the wait the server names, it goes again.
      if (err.code === 'rate_limited') {
        setTimeout(() => this.send(c, fields, msg), Math.max(250, err.retryAfterMs ?? 1000));
        return;
      }
      const noUser = err.code === 'not_found' && c.kind === 'direct';
      msg.failed = true;
      msg.failure = {
        message: noUser ? `there is no user named ${store.peerOf(c)}.` : err.message,
        permanent: PERMANENT.has(err.code),
      };
      store.changed(c.id);
      this.app.toast(noUser ? `There is no user named ${store.peerOf(c)}.` : `Not sent: ${err.message}`);
    });
  }

  pickFile(file) {
    const refusal = this.app.mediaTypes.refusal(file);
    if (refusal) { this.app.toast(refusal); return; }
    this.view.dialogs.media(file, this.app.mediaTypes.typeOf(file), (caption) => this.sendFile(this.conv, file, caption));
  }

  async sendFile(c, file, caption) {
    const { store } = this.app;
    const replyTo = this.conv === c && !this.editing ? this.takeReply() : null;
    const mime = this.app.mediaTypes.typeOf(file);
    const kind = kindOf(mime);
    const localUrl = kind === 'file' ? null : URL.createObjectURL(file);
    const dims = kind === 'image' ? await imageSize(localUrl) : {};
    const body = kind === 'file' ? documentBody(file.name, caption) : caption;
    const msg = store.addPending(c.id, {
      cid: newCid(), conv: c.id, kind, body, localUrl, file, progress: 0, media: { mime, size: file.size, ...dims, thumbnail: false }, replyTo,
    });
    this.upload(c, msg);
  }

  /** Uploads a pending message's file, then sends the message. */
  async upload(c, msg) {
    const { store } = this.app;
    Object.assign(msg, { pending: true, failed: false, failure: null, progress: 0 });
    this.view.stick = true;
    store.changed(c.id);
    // A large file goes resumably: a dropped connection is resumed from what the server holds, not started again; so
    // is a Retry after it failed (its address is kept on the message).
    const resumable = msg.file.size >= RESUMABLE_FROM;
    const onProgress = (p) => { msg.progress = p; store.changed(c.id); };
    const upload = resumable
      ? uploadResumable(this.app.token, msg.file, msg.media.mime, onProgress, {
        resume: msg.uploadAt ?? null,
        onLocation: (url) => { msg.uploadAt = url; },
        onWaiting: (waiting) => { msg.waiting = waiting; store.changed(c.id); },
      })
      : api.upload(this.app.token, msg.file, msg.media.mime, onProgress);
    try {
      const media = await upload.promise;
      msg.progress = null;
      msg.uploadAt = null;
      // A resumable upload learns only the media's id: what the page measured itself (dimensions) stays.
      msg.media = resumable
        ? { ...msg.media, id: media.mediaId }
        : { id: media.mediaId, mime: media.mime, size: media.size, width: media.width, height: media.height, durationMs: media.durationMs, thumbnail: media.thumbnail };
      this.send(c, { kind: msg.kind, body: msg.body, media: { id: media.mediaId }, replyTo: msg.replyTo }, msg);
    } catch (err) {
      msg.failed = true;
      msg.progress = null;
      msg.waiting = false;
      if (err.status === 413 || err.status === 415) msg.uploadAt = null; // refused: nothing to go on with
      const refused = err.status === 413 || err.status === 415;
      msg.failure = {
        message: err.status === 413 ? 'the file is too large.' : err.status === 415 ? 'this type of file cannot be sent.' : 'the upload failed.',
        permanent: refused,
      };
      store.changed(c.id);
      this.app.toast(err.status === 413 ? 'That file is too large.' : err.status === 415 ? 'That type of file cannot be sent.' : err.message);
    }
  }

  /**
   * Tries a failed message again: an upload that failed is uploaded again; a send the server refused goes again with
   * its cid (nothing was stored); a message stored but never delivered is sent again as a new message.
   */
  retry(m) {
    const c = this.app.store.conv(m.conv);
    if (m.failure?.delivery) {
      const fields = { kind: m.kind, body: m.body, mediaInfo: m.media, replyTo: m.replyTo };
      if (m.media?.id) fields.media = { id: m.media.id };
      this.send(c, fields);
    } else if (m.file && !m.media?.id) {
      this.upload(c, m);
    } else {
      this.send(c, { kind: m.kind, body: m.body, media: m.media?.id ? { id: m.media.id } : undefined, replyTo: m.replyTo }, m);
    }
  }
}

function imageSize(url) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => resolve({});
    img.src = url;
  });
}
