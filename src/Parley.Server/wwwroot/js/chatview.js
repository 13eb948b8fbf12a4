// The open chat: header (presence, typing), messages with day separators and ticks, search, the composer; a message's
// menu (reply, react, edit, delete), going to the message a reply quotes.
import { icons, paintAvatar } from './icons.js';
import { dayKey, dayLabel, lastSeen } from './format.js';
import { buildMessage } from './bubbles.js';
import { Composer } from './composer.js';
import { MessageSearch } from './msgsearch.js';
import { openMenu, closeMenu } from './menu.js';
import { downloadMedia } from './download.js';
import { openReactionPicker, openWhoReacted } from './reactions.js';
import { enableSwipeToReply } from './swipe.js';

const HISTORY_PAGE = 50;
const HISTORY_MAX_PAGE = 200; // the most history gives at once
const DAY_FLOAT_MS = 1200;
const FLASH_MS = 2500;

const $ = (id) => document.getElementById(id);

export class ChatView {
  constructor(app) {
    this.app = app;
    this.conv = null;
    this.els = new Map();
    this.messagesEl = $('messages');
    this.composer = new Composer(app, this);
    this.search = new MessageSearch(this);
    this.flashKey = null; // the message just gone to from a quote, highlighted for a moment
    enableSwipeToReply(this.messagesEl, (row) => {
      const m = this.conv && this.app.store.byN(this.conv, Number(row.dataset.n));
      if (m && this.canSend()) this.composer.startReply(m);
    });

    $('btn-timer').innerHTML = icons.timer;
    $('btn-attach').innerHTML = icons.attach;
    $('btn-attach2').innerHTML = icons.attach;
    $('btn-send').innerHTML = icons.send;
    $('btn-chat-menu').innerHTML = icons.more;
    $('btn-chat-menu').onclick = () => this.chatMenu();
    $('btn-unblock').onclick = () => this.conv && this.app.blocking.unblock(this.app.store.peerOf(this.conv));
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

  canSend() { return this.conv && !this.conv.left && !this.blockedPeer(); }

  /** The other side of the open direct chat when this account blocks them, else null. */
  blockedPeer() {
    const c = this.conv;
    const peer = c && this.app.store.peerOf(c);
    return peer && peer !== this.app.me && this.app.store.blocked.has(peer) ? peer : null;
  }

  /** The chat header's menu: the info; in a direct chat, block or unblock the other side. */
  chatMenu() {
    const c = this.conv;
    if (!c) return;
    const { store, me, blocking } = this.app;
    const peer = store.peerOf(c);
    const items = [{ label: c.kind === 'group' ? 'Group info' : 'Contact info', run: () => this.dialogs.info(c) }];
    if (c.kind === 'direct' && peer !== me) {
      items.push(store.blocked.has(peer)
        ? { label: `Unblock ${store.nameOf(peer)}`, run: () => blocking.unblock(peer) }
        : { label: `Block ${store.nameOf(peer)}`, danger: true, run: () => blocking.block(peer) });
    }
    openMenu($('btn-chat-menu'), items);
  }

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
      for (const m of h.messages) this.app.store.addMessage(m, { full: true });
      this.app.store.addNotes(c, h.notes);
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

  /** Loads the page of history before the oldest message loaded; resolves to whether it did. */
  async loadOlder(limit = HISTORY_PAGE) {
    const c = this.conv;
    if (!c || !c.hasOlder || c.loadingHistory) return false;
    const first = this.app.store.sorted(c).find((m) => m.n != null);
    if (!first) return false;
    c.loadingHistory = true;
    const before = this.messagesEl.scrollHeight;
    try {
      const h = await this.app.conn.request('history', { conv: c.id, before: first.n, limit });
      for (const m of h.messages) this.app.store.addMessage(m, { full: true });
      this.app.store.addNotes(c, h.notes);
      c.hasOlder = h.messages.length === limit && !(c.clearedUpTo != null && h.messages[0].n <= c.clearedUpTo + 1);
      if (this.conv === c) {
        this.render();
        this.messagesEl.scrollTop += this.messagesEl.scrollHeight - before;
      }
      return true;
    } catch { return false; /* tried again at the next scroll */ } finally {
      c.loadingHistory = false;
    }
  }

  /**
   * A click on a reply's quote: goes to the message it quotes and highlights it, loading older history up to it when
   * it is not loaded yet; says so when the message cannot be shown (deleted, expired, before this chat was deleted
   * here, or the history cannot be loaded now).
   */
  async goToQuoted(m) {
    const c = this.conv;
    const { store } = this.app;
    const n = m.replyTo;
    // Each page starts below the oldest loaded message, so this ends: at most one page per HISTORY_MAX_PAGE messages.
    for (let pages = Math.ceil(n / HISTORY_MAX_PAGE) + 1; pages > 0 && !store.byN(c, n) && c.hasOlder; pages--) {
      const first = store.sorted(c).find((x) => x.n != null);
      if (!first || first.n <= n) break;
      if (!(await this.loadOlder(Math.min(HISTORY_MAX_PAGE, first.n - n + 5)))) break;
      if (this.conv !== c) return;
    }
    const target = store.byN(c, n);
    if (!target) {
      // Gone: the server said so, or the history around it is loaded and it is not there.
      const oldest = store.sorted(c).find((x) => x.n != null);
      const gone = c.quoted.get(n) === null || (c.quoted.get(n)?.deleted ?? false) || (c.clearedUpTo != null && n <= c.clearedUpTo)
        || !c.hasOlder || (oldest != null && oldest.n < n);
      this.app.toast(gone ? 'That message is no longer in this chat.' : 'That message is not loaded: it could not be fetched now.');
      return;
    }
    this.flashKey = target.key;
    this.render();
    this.els.get(target.key)?.scrollIntoView({ block: 'center' });
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      this.flashKey = null;
      this.els.get(target.key)?.classList.remove('flash');
    }, FLASH_MS);
  }

  /** Fetches, once, a message a reply quotes that is older than what is loaded (for the quote only). */
  async fetchQuoted(c, n) {
    c.quoteLoading ??= new Set();
    if (c.quoteLoading.has(n) || this.app.conn.state !== 'online') return;
    c.quoteLoading.add(n);
    try {
      const h = await this.app.conn.request('history', { conv: c.id, before: n + 1, limit: 1 });
      const found = h.messages.find((x) => x.n === n);
      if (!this.app.store.byN(c, n)) c.quoted.set(n, found ? { ...found, kind: found.kind || 'text', deleted: false } : null);
      this.app.store.changed(c.id);
    } catch { /* asked again when the quote is shown again */ } finally {
      c.quoteLoading.delete(n);
    }
  }

  async loadGroupInfo(c) {
    if (c.loadingInfo || this.app.conn.state !== 'online') return;
    c.loadingInfo = true;
    try {
      const info = await this.app.conn.request('group.info', { conv: c.id });
      c.name = info.name;
      c.description = info.description ?? '';
      c.members = info.members;
      c.admins = info.admins;
      c.retention = info.retention ?? null;
      c.needsInfo = false;
      c.left = !info.members.includes(this.app.me);
      this.app.store.snapshot(c);
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

    const blocked = this.blockedPeer();
    $('composer').hidden = c.left || !!blocked;
    $('compose-bar').hidden = c.left || !!blocked || !(this.composer.replyTo || this.composer.editing);
    $('left-note').hidden = !c.left;
    $('blocked-note').hidden = !blocked || c.left;
    if (blocked) $('blocked-text').textContent = `You blocked ${store.nameOf(blocked)}.`;
    $('btn-timer').classList.toggle('active', c.retention != null);
    $('btn-timer').title = c.retention != null ? 'Disappearing messages: on' : 'Disappearing messages: off';
    $('btn-attach').hidden = c.left || !!blocked;
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
    } else if (peer !== me && store.blocked.has(peer)) {
      status.textContent = 'Blocked';
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
    const q = m.replyTo == null ? undefined : store.quoteOf(c, m.replyTo);
    // Asked at every render while unknown, so that a fetch that failed offline is made again once online.
    if (m.replyTo != null && q === undefined) this.fetchQuoted(c, m.replyTo);
    const quote = m.replyTo == null ? '' : q === undefined ? 'loading' : q === null ? 'gone' : [q.from, store.nameOf(q.from), q.deleted, q.editedAt, q.body && JSON.stringify(q.body)].join('/');
    const sig = [status, m.deleted, m.progress == null ? '' : Math.round(m.progress * 100), m.waiting, m.expiresAt, m.id, hit,
      m.failure?.message, m.failure?.reason, store.nameOf(m.from), c.left, m.editedAt, quote,
      m.reactions?.map((r) => `${r.by}:${r.emoji}:${store.nameOf(r.by)}`).join(',')].join('|');
    let el = this.els.get(m.key);
    if (!el || el.dataset.sig !== sig) {
      el = buildMessage(this.context(c, hit), c, m, own, status);
      el.dataset.sig = sig;
      this.els.set(m.key, el);
    }
    el.classList.toggle('first', first);
    el.classList.toggle('flash', m.key === this.flashKey);
    return el;
  }

  context(c, query) {
    const { store, me, token } = this.app;
    return {
      store, me, token, query,
      canDelete: (m) => m.from === me || (c.kind === 'group' && c.admins.includes(me)),
      quote: (n) => store.quoteOf(c, n),
      onMenu: (button, m) => this.openMenu(button, m),
      onQuote: (m) => this.goToQuoted(m),
      onReactions: (button, m) => openWhoReacted(button, m.reactions, { me, nameOf: (u) => store.nameOf(u) }, () => this.react(m, null), { own: m.from === me }),
      onOpen: (m) => this.dialogs.viewer(m),
      onDownload: (m) => downloadMedia(token, m).catch((err) => this.app.toast(err.message)),
      onRetry: (m) => this.composer.retry(m),
    };
  }

  openMenu(anchor, m) {
    const { store, me } = this.app;
    const c = this.conv;
    const items = [];
    if (this.canSend()) items.push({ label: 'Reply', run: () => this.composer.startReply(m) });
    items.push({
      label: 'React',
      run: () => openReactionPicker(anchor.closest('.bubble') ?? anchor, m.reactions.find((r) => r.by === me)?.emoji ?? null, (emoji) => this.react(m, emoji), { own: m.from === me }),
    });
    if (store.canEdit(m)) items.push({ label: 'Edit', run: () => this.composer.startEdit(m) });
    if (m.from === me || (c.kind === 'group' && c.admins.includes(me))) items.push(this.deleteItem(m));
    openMenu(anchor, items);
  }

  /** Sets (or, with null, takes back) the user's reaction to a message; shown at once, as the server will tell. */
  async react(m, emoji) {
    const { store, conn, me } = this.app;
    const c = store.conv(m.conv);
    try {
      await conn.request('react', { conv: c.id, n: m.n, emoji });
      store.react(m, me, emoji);
      store.changed(c.id);
    } catch (err) {
      this.app.toast(emoji == null ? `Could not remove the reaction: ${err.message}` : `Could not react: ${err.message}`);
    }
  }

  deleteItem(m) {
    return {
      label: 'Delete for everyone',
      run: async () => {
        if (!(await this.dialogs.confirm('Delete this message for everyone?', 'Delete for everyone'))) return;
        try {
          await this.app.conn.request('delete', { conv: this.conv.id, n: m.n });
          Object.assign(m, { deleted: true, body: null, media: null });
          this.app.store.changed(this.conv.id);
        } catch (err) { this.app.toast(`Could not delete: ${err.message}`); }
      },
    };
  }
}
