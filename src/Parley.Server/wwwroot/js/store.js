import { retentionLabel } from './format.js';
import { sentenceList } from './users.js';

// What the client knows of its conversations, built from convs, history and inbox events.
// Messages are keyed so that nothing shows twice: own messages by cid (a pending send and its stored
// copy are one message), others' by id.

export const directId = (a, b) => `d:${[a, b].sort().join(':')}`;

export class Store {
  constructor(me, onChange) {
    this.me = me;
    this.onChange = onChange;
    this.convs = new Map();
    this.presence = new Map(); // user -> { online, lastSeen }
    this.skew = 0; // server clock minus ours, from welcome
    this.openId = null;
    /** The name shown for a user (the display name once known); app.js sets it. */
    this.nameOf = (u) => u;
    /** Called for each new message from someone else as it arrives (notifications); app.js sets it. */
    this.onIncoming = () => {};
    this.cleared = new ClearedChats(me);
  }

  changed(convId) { this.onChange(convId); }

  conv(id) {
    let c = this.convs.get(id);
    if (!c) {
      const direct = id.startsWith('d:');
      const members = direct ? [...new Set(id.slice(2).split(':'))] : [];
      c = {
        id, kind: direct ? 'direct' : 'group', name: null, members, admins: [], retention: null,
        messages: new Map(), lastN: 0, readUpTo: 0, unread: 0, deliveredUpTo: 0, seenUpTo: 0,
        notes: [], lastActivity: 0, historyLoaded: false, hasOlder: false, left: false, typing: new Map(),
        needsInfo: !direct, clearedUpTo: this.cleared.get(id),
      };
      this.convs.set(id, c);
    }
    return c;
  }

  peerOf(c) {
    if (c.kind !== 'direct') return null;
    return c.members.find((m) => m !== this.me) ?? this.me;
  }

  title(c) {
    if (c.kind === 'group') return c.name || 'Group';
    const peer = this.peerOf(c);
    return peer === this.me ? `${this.nameOf(peer)} (You)` : this.nameOf(peer);
  }

  /** Whether the chat list shows the conversation: it has something to show, and was not deleted since. */
  listed(c) {
    if (c.id === this.openId) return true;
    if (c.clearedUpTo != null) return c.lastN > c.clearedUpTo || c.notes.length > 0 || [...c.messages.values()].some((m) => m.n == null);
    return c.lastActivity > 0 || !!c.name;
  }

  keyOf(m) { return m.from === this.me && m.cid ? `c:${m.cid}` : `i:${m.id}`; }

  /** A message from convs/history/an event: added once, or merged into the pending send it confirms. */
  addMessage(m, { live = false } = {}) {
    const c = this.conv(m.conv);
    if (c.clearedUpTo != null && m.n <= c.clearedUpTo) return false; // deleted from this browser
    const key = this.keyOf(m);
    const known = c.messages.get(key);
    if (known && known.n != null && !known.pending) return false;
    if (m.expiresAt != null && m.expiresAt - this.skew <= Date.now()) return false;
    const msg = Object.assign(known ?? {}, {
      key, conv: m.conv, id: m.id, n: m.n, cid: m.cid, from: m.from, kind: m.kind || 'text', body: m.body, media: m.media ?? known?.media,
      ts: m.ts, expiresAt: m.expiresAt ?? null, pending: false, failed: false, failure: null, deleted: false,
    });
    c.messages.set(key, msg);
    if (m.n > c.lastN) {
      if (live && m.from !== this.me) c.unread += 1;
      c.lastN = m.n;
    }
    c.lastActivity = Math.max(c.lastActivity, m.ts);
    this.scheduleExpiry(c, msg);
    if (live && !known && m.from !== this.me) this.onIncoming(c, msg);
    return true;
  }

  /** A send the user just made, shown with a clock until the server stores it. */
  addPending(convId, fields) {
    const c = this.conv(convId);
    const msg = { key: `c:${fields.cid}`, from: this.me, ts: Date.now() + this.skew, pending: true, failed: false, failure: null, deleted: false, n: null, expiresAt: null, ...fields };
    c.messages.set(msg.key, msg);
    c.lastActivity = Math.max(c.lastActivity, msg.ts);
    return msg;
  }

  /** The send's ok: the single tick. */
  stored(msg, ok) {
    const c = this.conv(ok.conv);
    msg.pending = false;
    msg.failed = false;
    msg.failure = null;
    msg.id = ok.id;
    msg.n = ok.n;
    msg.ts = ok.ts;
    msg.expiresAt = ok.expiresAt ?? null;
    if (ok.n > c.lastN) c.lastN = ok.n;
    c.lastActivity = Math.max(c.lastActivity, ok.ts);
    this.scheduleExpiry(c, msg);
  }

  sorted(c) {
    return [...c.messages.values()].sort((a, b) => (a.n ?? Infinity) - (b.n ?? Infinity) || a.ts - b.ts);
  }

  last(c) {
    let last = null;
    for (const m of c.messages.values()) {
      if (!last || (m.n ?? Infinity) > (last.n ?? Infinity) || ((m.n ?? Infinity) === (last.n ?? Infinity) && m.ts > last.ts)) last = m;
    }
    return last;
  }

  byN(c, n) {
    for (const m of c.messages.values()) if (m.n === n) return m;
    return null;
  }

  /** ✓ stored, ✓✓ delivered, blue ✓✓ read; from the receipts of the conversation's markers. */
  status(c, m) {
    if (m.failed) return 'failed';
    if (m.pending || m.n == null) return 'pending';
    if (m.n <= c.seenUpTo) return 'read';
    if (m.n <= c.deliveredUpTo) return 'delivered';
    return 'sent';
  }

  /** A system note in the timeline. Its text is made when shown, so that names read as they are known by then. */
  note(c, text) {
    c.notes.push({ key: `note-${c.notes.length}`, afterN: c.lastN, ts: Date.now() + this.skew, get text() { return text(); } });
  }

  /** Removes a message at its expiresAt (the server has removed it from history by then). */
  scheduleExpiry(c, msg) {
    if (msg.expiresAt == null || msg.expiryTimer) return;
    const fire = () => {
      const left = msg.expiresAt - this.skew - Date.now();
      if (left > 0) { msg.expiryTimer = setTimeout(fire, Math.min(left, 2 ** 31 - 1)); return; }
      if (c.messages.get(msg.key) === msg) {
        c.messages.delete(msg.key);
        this.changed(c.id);
      }
    };
    msg.expiryTimer = setTimeout(fire, Math.min(Math.max(0, msg.expiresAt - this.skew - Date.now()), 2 ** 31 - 1));
  }

  /** A user in a sentence: "You" when it starts one, "you" inside it, else the user's name. */
  who(u, start = false) { return u === this.me ? (start ? 'You' : 'you') : this.nameOf(u); }

  list(users) { return sentenceList((users ?? []).map((u) => this.who(u))); }

  /**
   * Deletes a chat from this browser: its messages and notes go, the list drops it until a newer message arrives,
   * and that survives reloads (kept per user in localStorage). The server keeps the conversation (the protocol has no
   * per-user deletion): the other side and this user's other devices still have every message.
   */
  clear(c) {
    for (const m of c.messages.values()) clearTimeout(m.expiryTimer);
    c.messages.clear();
    c.notes = [];
    c.unread = 0;
    c.hasOlder = false;
    c.historyLoaded = true;
    c.clearedUpTo = c.lastN;
    this.cleared.set(c.id, c.lastN);
  }

  /** Applies one inbox event; `live` is false for history replayed at start. Returns the conversation it touched. */
  apply(e, { live = true } = {}) {
    const c = this.conv(e.conv);
    switch (e.type) {
      case 'message':
        this.addMessage(e, { live });
        break;
      case 'receipt':
        c.deliveredUpTo = Math.max(c.deliveredUpTo, e.upTo);
        if (e.status === 'read') c.seenUpTo = Math.max(c.seenUpTo, e.upTo);
        break;
      case 'settings':
        c.retention = e.retention ?? null;
        this.note(c, () => (e.retention == null ? 'Disappearing messages were turned off.'
          : `Disappearing messages were turned on. New messages will disappear after ${retentionLabel(e.retention)}.`));
        break;
      case 'deleted': {
        const m = this.byN(c, e.n);
        if (m) Object.assign(m, { deleted: true, body: null, media: null });
        break;
      }
      case 'failed': {
        for (const m of c.messages.values()) {
          if (m.id === e.id || (m.from === this.me && m.cid === e.cid)) Object.assign(m, { failed: true, failure: { delivery: true, reason: e.reason, to: e.to } });
        }
        break;
      }
      case 'group':
        this.applyGroup(c, e);
        break;
      default:
        break;
    }
    return c;
  }

  applyGroup(c, e) {
    const remove = (users) => { c.members = c.members.filter((u) => !users.includes(u)); c.admins = c.admins.filter((u) => !users.includes(u)); };
    c.lastActivity = Math.max(c.lastActivity, Date.now() + this.skew);
    switch (e.event) {
      case 'created':
        c.name = e.name; c.members = [...e.members]; c.admins = [e.by]; c.needsInfo = false; c.left = false;
        this.note(c, () => `${this.who(e.by, true)} created group "${e.name}"`);
        break;
      case 'added':
        for (const u of e.members) if (!c.members.includes(u)) c.members.push(u);
        if (e.members.includes(this.me)) { c.left = false; c.needsInfo = true; }
        this.note(c, () => `${this.who(e.by, true)} added ${this.list(e.members)}`);
        break;
      case 'removed':
        remove(e.members);
        if (e.members.includes(this.me)) c.left = true;
        this.note(c, () => `${this.who(e.by, true)} removed ${this.list(e.members)}`);
        break;
      case 'left':
        remove([e.member]);
        if (e.member === this.me) c.left = true;
        this.note(c, () => `${this.who(e.member, true)} left`);
        break;
      case 'renamed':
        c.name = e.name;
        this.note(c, () => `${this.who(e.by, true)} changed the group name to "${e.name}"`);
        break;
      case 'admin':
        c.admins = e.admin ? [...new Set([...c.admins, e.member])] : c.admins.filter((u) => u !== e.member);
        this.note(c, () => `${this.who(e.member, true)} ${e.member === this.me ? (e.admin ? 'are now an admin' : 'are no longer an admin') : (e.admin ? 'is now an admin' : 'is no longer an admin')}`);
        break;
      default:
        break;
    }
  }
}

/** Chats deleted from this browser: conversation id -> the last `n` deleted, in localStorage per user. */
class ClearedChats {
  constructor(me) {
    this.key = `parley.cleared.${me}`;
    try { this.map = JSON.parse(localStorage.getItem(this.key)) ?? {}; } catch { this.map = {}; }
  }

  get(conv) { return this.map[conv] ?? null; }

  set(conv, n) {
    this.map[conv] = n;
    try { localStorage.setItem(this.key, JSON.stringify(this.map)); } catch { /* storage full or off: kept for this page */ }
  }
}
