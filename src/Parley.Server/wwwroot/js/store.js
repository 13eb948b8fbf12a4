import { retentionLabel } from './format.js';
import { sentenceList } from './users.js';

// What the client knows of its conversations, built from convs, history and inbox events.
// Messages are keyed so that nothing shows twice: own messages by cid (a pending send and its stored
// copy are one message), others' by id. v1.1: a message may quote another (`replyTo`, its `n`), carry reactions
// ([{by, emoji}] in the order first made) and have been edited (`editedAt`, the latest body).

export const directId = (a, b) => `d:${[a, b].sort().join(':')}`;

/** How long after sending a message its sender may edit it, when the server does not say (docs/protocol.md, Edits). */
export const DEFAULT_EDIT_WINDOW_MS = 15 * 60_000;

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
    this.blocked = new Set(); // users this account blocks (the `blocked` list)
    this.editWindowMs = DEFAULT_EDIT_WINDOW_MS;
    // The first welcome's `head`. Every snapshot of a conversation asked for after that welcome (`convs`, `group.info`)
    // was read after the server had stored every inbox event up to it, with the change each one made: see stateSeq.
    this.startHead = 0;
  }

  changed(convId) { this.onChange(convId); }

  conv(id) {
    let c = this.convs.get(id);
    if (!c) {
      const direct = id.startsWith('d:');
      const members = direct ? [...new Set(id.slice(2).split(':'))] : [];
      c = {
        id, kind: direct ? 'direct' : 'group', name: null, description: '', members, admins: [], retention: null,
        messages: new Map(), lastN: 0, readUpTo: 0, unread: 0, deliveredUpTo: 0, seenUpTo: 0,
        notes: [], lastActivity: 0, historyLoaded: false, hasOlder: false, left: false, typing: new Map(),
        needsInfo: !direct, clearedUpTo: this.cleared.get(id),
        // The inbox seq up to which the conversation's state (name, description, members, admins, left, retention)
        // already includes every `group` and `settings` event: that of the last one applied, or startHead once a
        // snapshot has given the state. A replayed event at or before it is stale (see newer).
        stateSeq: 0,
        // Messages quoted by replies but not in the timeline (older than what is loaded): n -> message, or null when
        // the server has no such message for us (deleted, expired, before we joined). Shown in quotes only.
        quoted: new Map(),
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

  /**
   * A message from convs/history/an event: added once, or merged into the pending send it confirms. A message known
   * already takes a later edit from it, and (from `history`, which lists every reaction) its reactions.
   */
  addMessage(m, { live = false, full = false } = {}) {
    const c = this.conv(m.conv);
    if (c.clearedUpTo != null && m.n <= c.clearedUpTo) return false; // deleted from this browser
    const key = this.keyOf(m);
    const known = c.messages.get(key);
    if (known && known.n != null && !known.pending) {
      this.refresh(known, m, full);
      return false;
    }
    if (m.expiresAt != null && m.expiresAt - this.skew <= Date.now()) return false;
    const msg = Object.assign(known ?? {}, {
      key, conv: m.conv, id: m.id, n: m.n, cid: m.cid, from: m.from, kind: m.kind || 'text', body: m.body, media: m.media ?? known?.media,
      ts: m.ts, expiresAt: m.expiresAt ?? null, pending: false, failed: false, failure: null, deleted: false,
      replyTo: m.replyTo ?? known?.replyTo ?? null, editedAt: m.editedAt ?? null,
      reactions: Array.isArray(m.reactions) ? m.reactions.map(({ by, emoji }) => ({ by, emoji })) : (known?.reactions ?? []),
    });
    c.quoted.delete(m.n); // the timeline has it now
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

  /** What a known message takes from a newer copy of it: a later edit; from history, the reactions as they are now. */
  refresh(known, m, full) {
    if (m.editedAt != null && !(known.editedAt >= m.editedAt)) Object.assign(known, { body: m.body, editedAt: m.editedAt });
    if (full || Array.isArray(m.reactions)) known.reactions = (m.reactions ?? []).map(({ by, emoji }) => ({ by, emoji }));
  }

  /** One user's reaction to a message: set (replacing theirs, in its place) or, with `emoji` null, taken back. */
  react(m, by, emoji) {
    const i = m.reactions.findIndex((r) => r.by === by);
    if (emoji == null) { if (i >= 0) m.reactions.splice(i, 1); } else if (i >= 0) m.reactions[i] = { by, emoji }; else m.reactions.push({ by, emoji });
  }

  /** Whether the user may edit their message now: stored, not deleted, within the edit window (by the server's clock). */
  canEdit(m) {
    return m.from === this.me && m.n != null && !m.pending && !m.deleted && Date.now() + this.skew - m.ts < this.editWindowMs;
  }

  /** The message a reply quotes: in the timeline, or fetched for the quote; undefined while unknown, null when gone. */
  quoteOf(c, n) {
    return this.byN(c, n) ?? c.quoted.get(n);
  }

  /** A send the user just made, shown with a clock until the server stores it. */
  addPending(convId, fields) {
    const c = this.conv(convId);
    const msg = { key: `c:${fields.cid}`, from: this.me, ts: Date.now() + this.skew, pending: true, failed: false, failure: null, deleted: false, n: null, expiresAt: null, replyTo: null, editedAt: null, reactions: [], ...fields };
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

  /**
   * A system note in the timeline, after message `afterN`. Its text is made when shown, so that names read as they are
   * known by then. A note already there (the same change, from an event and from history) is not added twice.
   */
  note(c, e, afterN = c.lastN, ts = Date.now() + this.skew) {
    const text = e.type === 'settings' ? this.settingsText(e) : this.groupText(e);
    if (!text) return;
    const key = `note|${afterN}|${e.type}|${e.event ?? ''}|${e.member ?? ''}|${(e.members ?? []).join(',')}|${e.name ?? ''}|${e.admin ?? ''}|${e.retention ?? ''}|${e.description ?? ''}`;
    if (c.notes.some((x) => x.key === key)) return;
    c.notes.push({ key, afterN, ts, get text() { return text(); } });
    // The timeline places notes in afterN order; history brings older ones after newer live ones.
    c.notes.sort((a, b) => a.afterN - b.afterN || a.ts - b.ts);
  }

  /** The notes a history page carries (kept by the server with the conversation's messages). */
  addNotes(c, notes) {
    for (const n of notes ?? []) {
      if (c.clearedUpTo != null && n.afterN <= c.clearedUpTo) continue; // deleted from this browser with the chat
      this.note(c, n, n.afterN, n.ts);
    }
  }

  settingsText(e) {
    return () => (e.retention == null ? 'Disappearing messages were turned off.'
      : `Disappearing messages were turned on. New messages will disappear after ${retentionLabel(e.retention)}.`);
  }

  groupText(e) {
    switch (e.event) {
      case 'created': return () => `${this.who(e.by, true)} created group "${e.name}"`;
      case 'added': return () => `${this.who(e.by, true)} added ${this.list(e.members)}`;
      case 'removed': return () => `${this.who(e.by, true)} removed ${this.list(e.members)}`;
      case 'left': return () => `${this.who(e.member, true)} left`;
      case 'renamed': return () => `${this.who(e.by, true)} changed the group name to "${e.name}"`;
      case 'described': return () => `${this.who(e.by, true)} ${e.description ? 'changed' : 'removed'} the group description`;
      case 'joined': return () => `${this.who(e.member, true)} joined using this group's invite link`;
      case 'admin': return () => `${this.who(e.member, true)} ${e.member === this.me ? (e.admin ? 'are now an admin' : 'are no longer an admin') : (e.admin ? 'is now an admin' : 'is no longer an admin')}`;
      default: return null;
    }
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

  /**
   * A snapshot of the conversation's state was just taken in (a `convs` row or a `group.info` reply, asked for after
   * the first welcome): it already includes every inbox event up to that welcome's head.
   */
  snapshot(c) { c.stateSeq = Math.max(c.stateSeq, this.startHead); }

  /**
   * Whether a `group` or `settings` event is newer than what the conversation's state includes; if so, the state now
   * includes it. Such an event carries a change as of its time, not the state now (`created` the first name and
   * members, `added`/`removed` a difference, `settings` a retention since changed again), so applying one that the
   * state already includes moves the state back. That is what a fresh page did: it is sent its whole inbox (every
   * event still held, docs/protocol.md, Session start), and the `convs` reply, which travels apart from the inbox and
   * may come first, already gives each conversation as it is now. A replayed `created` reset the members, the
   * admins, the name and `left` to the group's first ones, a replayed `settings` the retention, and the later events
   * brought the state back one change at a time; in a group the user had left, the changes made after they went are
   * not in their inbox, so the first name and members stayed.
   * The rule is the inbox `seq`, the one order the protocol gives these events: a snapshot asked for after the first
   * welcome was read after every event up to that welcome's `head` was stored with its change, so those events are
   * stale for a conversation the snapshot gave (see snapshot); any other event is applied, in `seq` order (the
   * connection passes each seq on once, ascending). A conversation no snapshot gave (a direct conversation without
   * a message yet, or one that began after the snapshot was read) keeps 0 and takes its events in order: they are
   * all there is of it.
   */
  newer(c, e) {
    if (typeof e.seq !== 'number') return true;
    if (e.seq <= c.stateSeq) return false;
    c.stateSeq = e.seq;
    return true;
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
        if (!this.newer(c, e)) break; // the snapshot has a later retention (see newer)
        c.retention = e.retention ?? null;
        if (live) this.note(c, e);
        break;
      case 'deleted': {
        const m = this.byN(c, e.n) ?? c.quoted.get(e.n);
        if (m) Object.assign(m, { deleted: true, body: null, media: null, reactions: [] });
        break;
      }
      case 'reaction': {
        // A message not loaded gets its reactions with it from history.
        const m = this.byN(c, e.n);
        if (m) this.react(m, e.by, e.emoji ?? null);
        break;
      }
      case 'edited': {
        const m = this.byN(c, e.n) ?? c.quoted.get(e.n);
        if (m && !(m.editedAt >= e.editedAt)) Object.assign(m, { body: e.body, editedAt: e.editedAt });
        break;
      }
      case 'failed': {
        for (const m of c.messages.values()) {
          if (m.id === e.id || (m.from === this.me && m.cid === e.cid)) Object.assign(m, { failed: true, failure: { delivery: true, reason: e.reason, to: e.to } });
        }
        break;
      }
      case 'group':
        if (!this.newer(c, e)) break; // the snapshot already has this change and later ones (see newer)
        this.applyGroup(c, e);
        // A replayed event's place in the timeline is not known here (lastN is already the newest): history brings it.
        if (live) this.note(c, e);
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
        break;
      case 'added':
        for (const u of e.members) if (!c.members.includes(u)) c.members.push(u);
        if (e.members.includes(this.me)) { c.left = false; c.needsInfo = true; }
        break;
      case 'removed':
        remove(e.members);
        if (e.members.includes(this.me)) c.left = true;
        break;
      case 'left':
        remove([e.member]);
        if (e.member === this.me) c.left = true;
        break;
      case 'renamed':
        c.name = e.name;
        break;
      case 'described':
        c.description = e.description ?? '';
        break;
      case 'joined':
        if (!c.members.includes(e.member)) c.members.push(e.member);
        if (e.member === this.me) { c.left = false; c.needsInfo = true; }
        break;
      case 'admin':
        c.admins = e.admin ? [...new Set([...c.admins, e.member])] : c.admins.filter((u) => u !== e.member);
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
