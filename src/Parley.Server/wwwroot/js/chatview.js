// The open chat: header (presence, typing), messages with day separators and ticks, the composer.
import { icons, ticks, paintAvatar, colourOf } from './icons.js';
import { clock, dayKey, dayLabel, lastSeen, duration } from './format.js';
import { bodyText } from './chatlist.js';
import * as api from './api.js';

const TYPING_REPEAT_MS = 4000;
const TYPING_PAUSE_MS = 3000;
const HISTORY_PAGE = 50;
export const ALLOWED_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/webm', 'video/quicktime'];

const $ = (id) => document.getElementById(id);

function newCid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Pages on plain http off localhost are not a secure context and have no randomUUID.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class ChatView {
  constructor(app) {
    this.app = app;
    this.conv = null;
    this.els = new Map();
    this.messagesEl = $('messages');
    this.input = $('input');
    this.typingSentAt = 0;
    this.pauseTimer = 0;

    $('btn-timer').innerHTML = icons.timer;
    $('btn-attach').innerHTML = icons.attach;
    $('btn-attach2').innerHTML = icons.attach;
    $('btn-send').innerHTML = icons.send;
    $('btn-timer').onclick = () => this.dialogs.timer(this.conv);
    $('chat-title').onclick = () => this.dialogs.info(this.conv);
    $('btn-attach').onclick = $('btn-attach2').onclick = () => $('file-input').click();
    $('file-input').onchange = () => {
      const file = $('file-input').files[0];
      $('file-input').value = '';
      if (file) this.pickFile(file);
    };
    $('btn-send').onclick = () => this.sendText();
    this.input.onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.sendText(); }
    };
    this.input.oninput = () => { this.autosize(); this.composing(); };
    this.messagesEl.onscroll = () => { if (this.messagesEl.scrollTop < 40) this.loadOlder(); };

    // Drop a photo or video anywhere on the chat.
    const chat = $('chat-main');
    let depth = 0;
    chat.addEventListener('dragenter', (e) => { if (this.canSend() && e.dataTransfer.types.includes('Files')) { depth++; $('drop-hint').hidden = false; } });
    chat.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) $('drop-hint').hidden = true; });
    chat.addEventListener('dragover', (e) => { if (e.dataTransfer.types.includes('Files')) e.preventDefault(); });
    chat.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      $('drop-hint').hidden = true;
      const file = e.dataTransfer.files[0];
      if (file && this.canSend()) this.pickFile(file);
    });
    document.addEventListener('click', (e) => { if (!e.target.closest('.menu-pop, .msg-menu')) this.closeMenu(); });
  }

  canSend() { return this.conv && !this.conv.left; }

  show(c) {
    if (this.conv !== c) {
      this.paused();
      this.els.clear();
      this.conv = c;
      this.input.value = '';
      this.autosize();
      this.stick = true;
    }
    $('chat-empty').hidden = true;
    $('chat-main').hidden = false;
    if (!c.historyLoaded) this.loadHistory(c);
    if (c.kind === 'group' && (c.needsInfo || !c.admins.length) && !c.left) this.loadGroupInfo(c);
    this.render();
    this.input.focus();
  }

  close() {
    this.paused();
    this.conv = null;
    $('chat-main').hidden = true;
    $('chat-empty').hidden = false;
  }

  async loadHistory(c) {
    if (c.loadingHistory || this.app.conn.state !== 'online') return;
    c.loadingHistory = true;
    try {
      const h = await this.app.conn.request('history', { conv: c.id, limit: HISTORY_PAGE });
      for (const m of h.messages) this.app.store.addMessage(m);
      c.historyLoaded = true;
      c.hasOlder = h.messages.length === HISTORY_PAGE;
      this.stick = true;
      await this.checkReceipts(c);
    } catch (err) {
      if (err.code === 'forbidden') c.left = true;
      else if (err.code !== 'disconnected' && err.code !== 'not_found') this.app.toast(`Could not load messages: ${err.message}`);
    } finally {
      c.loadingHistory = false;
      this.app.store.changed(c.id);
    }
  }

  async loadOlder() {
    const c = this.conv;
    if (!c || !c.hasOlder || c.loadingHistory) return;
    const first = this.app.store.sorted(c).find((m) => m.n != null);
    if (!first) return;
    c.loadingHistory = true;
    const before = this.messagesEl.scrollHeight;
    try {
      const h = await this.app.conn.request('history', { conv: c.id, before: first.n, limit: HISTORY_PAGE });
      for (const m of h.messages) this.app.store.addMessage(m);
      c.hasOlder = h.messages.length === HISTORY_PAGE;
      this.render();
      this.messagesEl.scrollTop += this.messagesEl.scrollHeight - before;
    } catch { /* tried again at the next scroll */ } finally {
      c.loadingHistory = false;
    }
  }

  /** Ticks of messages sent before this page was loaded: one `receipts` call for the last own message. */
  async checkReceipts(c) {
    const { store, conn, me } = this.app;
    const own = store.sorted(c).filter((m) => m.from === me && m.n != null).at(-1);
    if (!own || c.receiptsChecked) return;
    c.receiptsChecked = true;
    try {
      const r = await conn.request('receipts', { conv: c.id, n: own.n });
      const others = c.members.filter((u) => u !== me);
      const all = (list) => others.length > 0 && others.every((u) => list.includes(u));
      if (all(r.delivered) || (c.kind === 'group' && r.delivered.length > 0 && !others.length)) c.deliveredUpTo = Math.max(c.deliveredUpTo, own.n);
      if (all(r.read)) c.seenUpTo = Math.max(c.seenUpTo, own.n);
    } catch { c.receiptsChecked = false; }
  }

  async loadGroupInfo(c) {
    if (c.loadingInfo || this.app.conn.state !== 'online') return;
    c.loadingInfo = true;
    try {
      const info = await this.app.conn.request('group.info', { conv: c.id });
      c.name = info.name;
      c.members = info.members;
      c.admins = info.admins;
      c.retention = info.retention ?? null;
      c.needsInfo = false;
      c.left = !info.members.includes(this.app.me);
    } catch (err) {
      if (err.code === 'forbidden') { c.left = true; c.needsInfo = false; }
    } finally {
      c.loadingInfo = false;
      this.app.store.changed(c.id);
    }
  }

  // ---- Rendering ----

  render() {
    const c = this.conv;
    if (!c) return;
    const { store } = this.app;
    this.renderHeader(c);
    const box = this.messagesEl;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
    const nodes = [];
    let lastDay = null;
    let lastFrom = null;
    const notes = [...c.notes];
    const pushDay = (ts) => {
      const day = dayKey(ts);
      if (day === lastDay) return;
      nodes.push(this.simple('day', dayLabel(ts)));
      lastDay = day;
      lastFrom = null;
    };
    const pushNotes = (upToN) => {
      while (notes.length && notes[0].afterN <= upToN) {
        const note = notes.shift();
        pushDay(note.ts);
        nodes.push(this.simple('note', note.text));
        lastFrom = null;
      }
    };
    const seen = new Set();
    for (const m of store.sorted(c)) {
      pushNotes((m.n ?? Infinity) - 1);
      pushDay(m.ts);
      const el = this.messageEl(c, m, m.from !== lastFrom);
      lastFrom = m.from;
      seen.add(m.key);
      nodes.push(el);
    }
    pushNotes(Infinity);
    for (const key of this.els.keys()) if (!seen.has(key)) this.els.delete(key);
    box.replaceChildren(...nodes);
    if (atBottom || this.stick) { box.scrollTop = box.scrollHeight; this.stick = false; }

    $('composer').hidden = c.left;
    $('left-note').hidden = !c.left;
    $('btn-timer').classList.toggle('active', c.retention != null);
    $('btn-timer').title = c.retention != null ? 'Disappearing messages: on' : 'Disappearing messages: off';
    $('btn-attach').hidden = c.left;
    $('btn-timer').hidden = c.left;
  }

  renderHeader(c) {
    const { store, me } = this.app;
    $('chat-name').textContent = store.title(c);
    paintAvatar($('chat-avatar'), c.kind === 'group' ? (c.name || c.id) : store.peerOf(c), c.kind === 'group');
    const status = $('chat-status');
    const typing = [...c.typing.keys()];
    status.classList.toggle('typing', typing.length > 0);
    if (typing.length) {
      status.textContent = c.kind === 'group' ? `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…` : 'typing…';
    } else if (c.kind === 'group') {
      status.textContent = c.left ? 'You are no longer a member' : [...c.members].sort((a, b) => (a === me) - (b === me) || a.localeCompare(b)).map((u) => (u === me ? 'You' : u)).join(', ');
    } else {
      const peer = store.peerOf(c);
      const p = store.presence.get(peer);
      // Presence is only known while connected; a stale "online" would mislead.
      const live = this.app.conn.state === 'online';
      status.textContent = peer === me ? 'Message yourself' : !live ? '' : p?.online ? 'online' : p?.lastSeen ? lastSeen(p.lastSeen) : '';
    }
  }

  simple(cls, text) {
    const div = document.createElement('div');
    div.className = cls;
    const span = document.createElement('span');
    span.textContent = text;
    div.append(span);
    return div;
  }

  messageEl(c, m, first) {
    const { store, me } = this.app;
    const own = m.from === me;
    const status = own ? store.status(c, m) : '';
    const sig = [status, m.deleted, m.progress == null ? '' : Math.round(m.progress * 100), m.expiresAt, m.id].join('|');
    let el = this.els.get(m.key);
    if (!el || el.dataset.sig !== sig) {
      el = this.buildMessage(c, m, own, status);
      el.dataset.sig = sig;
      this.els.set(m.key, el);
    }
    el.classList.toggle('first', first);
    return el;
  }

  buildMessage(c, m, own, status) {
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
      s.style.color = colourOf(m.from);
      s.textContent = m.from;
      bubble.append(s);
    }
    const text = m.deleted ? (own ? 'You deleted this message' : 'This message was deleted') : bodyText(m.body);
    if (!m.deleted && m.media && (m.kind === 'image' || m.kind === 'video')) {
      bubble.append(this.mediaEl(m));
      if (!text) bubble.classList.add('media-only');
    }
    if (text || !bubble.classList.contains('media-only')) {
      const t = document.createElement('span');
      t.className = 'text';
      t.textContent = text;
      bubble.append(t);
    }
    const meta = document.createElement('span');
    meta.className = 'meta';
    if (m.expiresAt != null) meta.insertAdjacentHTML('beforeend', `<span class="timer-icon" title="Disappearing message">${icons.timer}</span>`);
    meta.append(document.createTextNode(clock(m.ts)));
    if (own && !m.deleted) {
      const label = { pending: 'Sending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent' }[status];
      meta.insertAdjacentHTML('beforeend', `<span class="tick" data-status="${status}" role="img" aria-label="${label}" title="${label}">${ticks[status]}</span>`);
    }
    bubble.append(meta);

    const isAdmin = c.kind === 'group' && c.admins.includes(this.app.me);
    if (!m.deleted && m.n != null && (own || isAdmin) && !c.left) {
      const menu = document.createElement('button');
      menu.type = 'button';
      menu.className = 'msg-menu';
      menu.setAttribute('aria-label', 'Message options');
      menu.innerHTML = icons.chevron;
      menu.onclick = (e) => { e.stopPropagation(); this.openMenu(menu, m); };
      bubble.append(menu);
    }
    return row;
  }

  mediaEl(m) {
    const media = m.media;
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = `media ${m.kind}`;
    btn.setAttribute('aria-label', m.kind === 'video' ? 'Play video' : 'Open photo');
    const w = media.width || 240;
    const h = media.height || 240;
    const width = Math.min(330, w, Math.max(180, w));
    const height = Math.max(90, Math.min(380, Math.round((width * h) / w)));
    btn.style.width = `${Math.max(180, width)}px`;
    btn.style.height = `${height}px`;
    const img = document.createElement('img');
    img.alt = m.kind === 'video' ? 'Video' : 'Photo';
    if (m.localUrl && m.kind === 'image') img.src = m.localUrl;
    else if (media.thumbnail && media.id) {
      api.mediaUrl(this.app.token, media.id, true).then((url) => { img.src = url; }, () => btn.classList.add('no-thumb'));
    } else btn.classList.add('no-thumb');
    if (img.src || media.thumbnail) btn.append(img);
    if (m.kind === 'video' && media.durationMs) btn.insertAdjacentHTML('beforeend', `<span class="duration">${duration(media.durationMs)}</span>`);
    if (m.progress != null && m.pending) {
      const pct = Math.round(m.progress * 100);
      btn.insertAdjacentHTML('beforeend', `<span class="progress" role="progressbar" aria-valuenow="${pct}" aria-valuemin="0" aria-valuemax="100"><span class="progress-ring" style="--p:${pct}%"><span>${pct}%</span></span></span>`);
      btn.classList.remove('video');
    }
    btn.onclick = () => { if (!m.pending) this.dialogs.viewer(m); };
    return btn;
  }

  openMenu(anchor, m) {
    this.closeMenu();
    const pop = document.createElement('div');
    pop.className = 'menu-pop';
    pop.setAttribute('role', 'menu');
    const del = document.createElement('button');
    del.type = 'button';
    del.setAttribute('role', 'menuitem');
    del.textContent = 'Delete for everyone';
    del.onclick = async () => {
      this.closeMenu();
      if (!(await this.dialogs.confirm('Delete this message for everyone?', 'Delete for everyone'))) return;
      try {
        await this.app.conn.request('delete', { conv: this.conv.id, n: m.n });
        Object.assign(m, { deleted: true, body: null, media: null });
        this.app.store.changed(this.conv.id);
      } catch (err) { this.app.toast(`Could not delete: ${err.message}`); }
    };
    pop.append(del);
    pop.onkeydown = (e) => { if (e.key === 'Escape') { this.closeMenu(); anchor.focus(); } };
    const r = anchor.getBoundingClientRect();
    const host = $('chat-main').getBoundingClientRect();
    pop.style.top = `${r.bottom - host.top + 4}px`;
    pop.style.right = `${Math.max(8, host.right - r.right)}px`;
    $('chat-main').append(pop);
    this.menu = pop;
    del.focus();
  }

  closeMenu() { this.menu?.remove(); this.menu = null; }

  // ---- Composing and sending ----

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
    if (!text || !this.canSend()) return;
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
    const msg = existing ?? store.addPending(c.id, { cid, kind: fields.kind, body: fields.body });
    this.stick = true;
    store.changed(c.id);
    const frame = { cid, conv: c.id, kind: fields.kind, body: fields.body };
    if (fields.media) frame.media = { id: fields.media.id };
    conn.request('send', frame, { resend: true }).then((ok) => {
      store.stored(msg, ok);
      store.changed(ok.conv);
    }, (err) => {
      msg.failed = true;
      store.changed(c.id);
      this.app.toast(err.code === 'not_found' && c.kind === 'direct' ? `There is no user named ${store.peerOf(c)}.` : `Not sent: ${err.message}`);
    });
  }

  pickFile(file) {
    if (!ALLOWED_TYPES.includes(file.type)) {
      this.app.toast('Only photos (JPEG, PNG, GIF, WebP) and videos (MP4, WebM, MOV) can be sent.');
      return;
    }
    this.dialogs.media(file, (caption) => this.sendFile(file, caption));
  }

  async sendFile(file, caption) {
    const c = this.conv;
    const { store } = this.app;
    const kind = file.type.startsWith('video/') ? 'video' : 'image';
    const localUrl = URL.createObjectURL(file);
    const dims = kind === 'image' ? await imageSize(localUrl) : {};
    const msg = store.addPending(c.id, {
      cid: newCid(), kind, body: caption, localUrl, progress: 0, media: { mime: file.type, size: file.size, ...dims, thumbnail: false },
    });
    this.stick = true;
    store.changed(c.id);
    const upload = api.upload(this.app.token, file, (p) => { msg.progress = p; store.changed(c.id); });
    try {
      const media = await upload.promise;
      msg.progress = null;
      msg.media = { id: media.mediaId, mime: media.mime, size: media.size, width: media.width, height: media.height, durationMs: media.durationMs, thumbnail: media.thumbnail };
      this.send(c, { kind, body: caption, media: { id: media.mediaId } }, msg);
    } catch (err) {
      msg.failed = true;
      msg.progress = null;
      store.changed(c.id);
      this.app.toast(err.status === 413 ? 'That file is too large.' : err.status === 415 ? 'That type of file cannot be sent.' : `Upload failed: ${err.message}`);
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
