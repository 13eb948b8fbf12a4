// The open chat: header (presence, typing), messages with day separators and ticks, search, the composer.
import { icons, paintAvatar } from './icons.js';
import { dayKey, dayLabel, lastSeen } from './format.js';
import { buildMessage } from './bubbles.js';
import { Composer } from './composer.js';
import { MessageSearch } from './msgsearch.js';
import { openMenu, closeMenu } from './menu.js';
import { downloadMedia } from './download.js';

const HISTORY_PAGE = 50;
const DAY_FLOAT_MS = 1200;

const $ = (id) => document.getElementById(id);

export class ChatView {
  constructor(app) {
    this.app = app;
    this.conv = null;
    this.els = new Map();
    this.messagesEl = $('messages');
    this.composer = new Composer(app, this);
    this.search = new MessageSearch(this);

    $('btn-timer').innerHTML = icons.timer;
    $('btn-attach').innerHTML = icons.attach;
    $('btn-attach2').innerHTML = icons.attach;
    $('btn-send').innerHTML = icons.send;
    $('btn-timer').onclick = () => this.dialogs.timer(this.conv);
    $('chat-title').onclick = () => this.dialogs.info(this.conv);
    $('btn-attach').onclick = $('btn-attach2').onclick = () => $('file-input').click();
    this.messagesEl.onscroll = () => {
      if (this.messagesEl.scrollTop < 40) this.loadOlder();
      // Measured once a frame, however many scroll events come.
      if (!this.floatQueued) {
        this.floatQueued = true;
        requestAnimationFrame(() => { this.floatQueued = false; this.floatDay(); });
      }
      closeMenu();
    };

    // Drop a file anywhere on the chat.
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
      if (file && this.canSend()) this.composer.pickFile(file);
    });
  }

  canSend() { return this.conv && !this.conv.left; }

  show(c) {
    if (this.conv !== c) {
      this.composer.reset();
      this.els.clear();
      this.search.close();
      this.conv = c;
      this.stick = true;
    }
    $('chat-empty').hidden = true;
    $('chat-main').hidden = false;
    if (!c.historyLoaded) this.loadHistory(c);
    if (c.kind === 'group' && (c.needsInfo || !c.admins.length) && !c.left) this.loadGroupInfo(c);
    this.render();
    this.composer.input.focus();
  }

  close() {
    this.composer.paused();
    this.search.close();
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
      c.hasOlder = h.messages.length === HISTORY_PAGE && !(c.clearedUpTo != null && h.messages[0].n <= c.clearedUpTo + 1);
      this.stick = true;
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
      c.hasOlder = h.messages.length === HISTORY_PAGE && !(c.clearedUpTo != null && h.messages[0].n <= c.clearedUpTo + 1);
      this.render();
      this.messagesEl.scrollTop += this.messagesEl.scrollHeight - before;
    } catch { /* tried again at the next scroll */ } finally {
      c.loadingHistory = false;
    }
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
    if (this.search.query) this.search.run(this.search.query);
    const box = this.messagesEl;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
    const nodes = [];
    let lastDay = null;
    let lastFrom = null;
    const notes = [...c.notes];
    const pushDay = (ts) => {
      const day = dayKey(ts);
      if (day === lastDay) return;
      const el = this.simple('day', dayLabel(ts));
      el.dataset.label = dayLabel(ts);
      nodes.push(el);
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
      el.dataset.day = dayLabel(m.ts);
      lastFrom = m.from;
      seen.add(m.key);
      nodes.push(el);
    }
    pushNotes(Infinity);
    for (const key of this.els.keys()) if (!seen.has(key)) this.els.delete(key);
    box.replaceChildren(...nodes);
    this.markCurrent();
    if (!this.search.active && (atBottom || this.stick)) { box.scrollTop = box.scrollHeight; this.stick = false; }

    $('composer').hidden = c.left;
    $('left-note').hidden = !c.left;
    $('btn-timer').classList.toggle('active', c.retention != null);
    $('btn-timer').title = c.retention != null ? 'Disappearing messages: on' : 'Disappearing messages: off';
    $('btn-attach').hidden = c.left;
    $('btn-timer').hidden = c.left;
  }

  /** Outlines the message the search is on. */
  markCurrent() {
    const key = this.search.currentKey();
    for (const [k, el] of this.els) el.classList.toggle('current', k === key);
  }

  renderHeader(c) {
    const { store, me } = this.app;
    $('chat-name').textContent = store.title(c);
    const peer = store.peerOf(c);
    paintAvatar($('chat-avatar'), c.kind === 'group' ? (c.name || c.id) : peer, c.kind === 'group', c.kind === 'group' ? '' : store.nameOf(peer));
    const status = $('chat-status');
    const typing = [...c.typing.keys()];
    status.classList.toggle('typing', typing.length > 0);
    if (typing.length) {
      status.textContent = c.kind === 'group' ? `${typing.map((u) => store.nameOf(u)).join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…` : 'typing…';
    } else if (c.kind === 'group') {
      status.textContent = c.left ? 'You are no longer a member' : [...c.members].sort((a, b) => (a === me) - (b === me) || a.localeCompare(b)).map((u) => (u === me ? 'You' : store.nameOf(u))).join(', ');
    } else {
      const p = store.presence.get(peer);
      // Presence is only known while connected; a stale "online" would mislead.
      const live = this.app.conn.state === 'online';
      status.textContent = peer === me ? 'Message yourself' : !live ? '' : p?.online ? 'online' : p?.lastSeen ? lastSeen(p.lastSeen) : '';
    }
  }

  /**
   * While the messages scroll, the day of the topmost one floats at the top; it fades out once scrolling stops, so
   * that it never stays over a message.
   */
  floatDay() {
    const float = $('day-float');
    const top = this.messagesEl.getBoundingClientRect().top;
    const first = [...this.messagesEl.querySelectorAll('.msg')].find((el) => el.getBoundingClientRect().bottom > top + 8);
    // The separator of that day in its place says it already: no floating copy over it.
    const days = [...this.messagesEl.querySelectorAll('.day')];
    const inPlace = days.some((d) => { const r = d.getBoundingClientRect(); return r.top >= top - 4 && r.top < top + 48; });
    if (!first || inPlace || this.messagesEl.scrollTop < 8) { float.classList.remove('shown'); return; }
    float.firstElementChild.textContent = first.dataset.day;
    float.classList.add('shown');
    clearTimeout(this.floatTimer);
    this.floatTimer = setTimeout(() => float.classList.remove('shown'), DAY_FLOAT_MS);
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
    const hit = this.search.query && this.search.hits.includes(m.key) ? this.search.query : '';
    const sig = [status, m.deleted, m.progress == null ? '' : Math.round(m.progress * 100), m.expiresAt, m.id, hit,
      m.failure?.message, m.failure?.reason, store.nameOf(m.from), c.left].join('|');
    let el = this.els.get(m.key);
    if (!el || el.dataset.sig !== sig) {
      el = buildMessage(this.context(c, hit), c, m, own, status);
      el.dataset.sig = sig;
      this.els.set(m.key, el);
    }
    el.classList.toggle('first', first);
    return el;
  }

  context(c, query) {
    const { store, me, token } = this.app;
    return {
      store, me, token, query,
      canDelete: (m) => m.from === me || (c.kind === 'group' && c.admins.includes(me)),
      onMenu: (button, m) => this.openMenu(button, m),
      onOpen: (m) => this.dialogs.viewer(m),
      onDownload: (m) => downloadMedia(token, m).catch((err) => this.app.toast(err.message)),
      onRetry: (m) => this.composer.retry(m),
    };
  }

  openMenu(anchor, m) {
    openMenu(anchor, [{
      label: 'Delete for everyone',
      run: async () => {
        if (!(await this.dialogs.confirm('Delete this message for everyone?', 'Delete for everyone'))) return;
        try {
          await this.app.conn.request('delete', { conv: this.conv.id, n: m.n });
          Object.assign(m, { deleted: true, body: null, media: null });
          this.app.store.changed(this.conv.id);
        } catch (err) { this.app.toast(`Could not delete: ${err.message}`); }
      },
    }]);
  }
}
