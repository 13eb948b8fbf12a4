// Writing and sending: the text box (Enter sends, typing is announced), files (photos, videos, documents: uploaded
// with progress, then sent), and trying again when a send fails.
import * as api from './api.js';
import { kindOf } from './files.js';
import { documentBody } from './messages.js';
import { RESUMABLE_FROM, uploadResumable } from './resumable.js';

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
    $('btn-send').onclick = () => this.sendText();
    this.input.onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.sendText(); }
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
    this.input.value = '';
    this.autosize();
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
    const text = this.input.value.trim();
    if (!text || !this.view.canSend()) return;
    this.input.value = '';
    this.autosize();
    this.paused();
    this.send(this.conv, { kind: 'text', body: text });
    this.input.focus();
  }

  /** Shows the message at once (clock), then sends it; a lost connection re-sends it with the same cid. */
  send(c, fields, existing) {
    const { store, conn } = this.app;
    const cid = existing?.cid ?? newCid();
    const msg = existing ?? store.addPending(c.id, { cid, conv: c.id, kind: fields.kind, body: fields.body, media: fields.mediaInfo });
    Object.assign(msg, { pending: true, failed: false, failure: null });
    this.view.stick = true;
    store.changed(c.id);
    const frame = { cid, conv: c.id, kind: fields.kind, body: fields.body };
    if (fields.media) frame.media = { id: fields.media.id };
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
    const mime = this.app.mediaTypes.typeOf(file);
    const kind = kindOf(mime);
    const localUrl = kind === 'file' ? null : URL.createObjectURL(file);
    const dims = kind === 'image' ? await imageSize(localUrl) : {};
    const body = kind === 'file' ? documentBody(file.name, caption) : caption;
    const msg = store.addPending(c.id, {
      cid: newCid(), conv: c.id, kind, body, localUrl, file, progress: 0, media: { mime, size: file.size, ...dims, thumbnail: false },
    });
    this.upload(c, msg);
  }

  /** Uploads a pending message's file, then sends the message. */
  async upload(c, msg) {
    const { store } = this.app;
    Object.assign(msg, { pending: true, failed: false, failure: null, progress: 0 });
    this.view.stick = true;
    store.changed(c.id);
    // A large file goes resumably: a dropped connection is resumed from what the server holds, not started again.
    const resumable = msg.file.size >= RESUMABLE_FROM;
    const upload = (resumable ? uploadResumable : api.upload)(this.app.token, msg.file, msg.media.mime, (p) => { msg.progress = p; store.changed(c.id); });
    try {
      const media = await upload.promise;
      msg.progress = null;
      // A resumable upload learns only the media's id: what the page measured itself (dimensions) stays.
      msg.media = resumable
        ? { ...msg.media, id: media.mediaId }
        : { id: media.mediaId, mime: media.mime, size: media.size, width: media.width, height: media.height, durationMs: media.durationMs, thumbnail: media.thumbnail };
      this.send(c, { kind: msg.kind, body: msg.body, media: { id: media.mediaId } }, msg);
    } catch (err) {
      msg.failed = true;
      msg.progress = null;
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
      const fields = { kind: m.kind, body: m.body, mediaInfo: m.media };
      if (m.media?.id) fields.media = { id: m.media.id };
      this.send(c, fields);
    } else if (m.file && !m.media?.id) {
      this.upload(c, m);
    } else {
      this.send(c, { kind: m.kind, body: m.body, media: m.media?.id ? { id: m.media.id } : undefined }, m);
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
