// The Parley web client: sign-in, then the messenger. Everything goes through docs/protocol.md.
import * as api from './api.js';
import { startMediaWorker, stopMediaWorker } from './mediaworker.js';
import { Connection } from './connection.js';
import { Store, directId, DEFAULT_EDIT_WINDOW_MS } from './store.js';
import { icons, paintAvatar } from './icons.js';
import { ChatList } from './chatlist.js';
import { ChatView } from './chatview.js';
import { Dialogs } from './dialogs.js';
import { Users } from './users.js';
import { Notifier } from './notifier.js';
import { ConnectionBanner } from './connbanner.js';
import { MediaTypes } from './files.js';
import { Blocking } from './blocking.js';
import { inviteCodeIn, joinByCode } from './invites.js';

const SESSION_KEY = 'parley.session';
const USERNAME = /^[a-z0-9_]{3,32}$/;
const $ = (id) => document.getElementById(id);

function loadSession() {
  try { return JSON.parse(localStorage.getItem(SESSION_KEY)); } catch { return null; }
}

// ---- Sign-in ----------------------------------------------------------------------------------

function showAuth(message = '') {
  $('app').hidden = true;
  $('auth').hidden = false;
  document.querySelector('.brand-logo').innerHTML = icons.chat;
  let mode = 'login';
  const setMode = (m) => {
    mode = m;
    $('tab-login').setAttribute('aria-selected', String(m === 'login'));
    $('tab-register').setAttribute('aria-selected', String(m === 'register'));
    document.querySelector('.register-only').hidden = m !== 'register';
    $('auth-submit').textContent = m === 'login' ? 'Log in' : 'Create account';
    $('auth-password').autocomplete = m === 'login' ? 'current-password' : 'new-password';
    $('auth-error').textContent = '';
  };
  $('tab-login').onclick = () => setMode('login');
  $('tab-register').onclick = () => setMode('register');
  $('auth-error').textContent = message;
  // Opened from an invite link while signed out: the join happens once signed in (the address keeps the code).
  $('auth-join').hidden = !inviteCodeIn(location.hash);
  $('auth-form').onsubmit = async (e) => {
    e.preventDefault();
    const username = $('auth-username').value.trim().toLowerCase();
    const password = $('auth-password').value;
    if (!USERNAME.test(username)) { $('auth-error').textContent = 'Usernames are 3–32 lowercase letters, digits or _.'; return; }
    if (password.length < 8) { $('auth-error').textContent = 'Passwords have at least 8 characters.'; return; }
    $('auth-submit').disabled = true;
    try {
      if (mode === 'register') await api.register(username, password, $('auth-display').value.trim() || undefined);
      const session = await api.login(username, password);
      localStorage.setItem(SESSION_KEY, JSON.stringify({ username, token: session.token, deviceId: session.deviceId }));
      $('auth-form').reset();
      startApp(loadSession());
    } catch (err) {
      $('auth-error').textContent =
        err.status === 409 ? 'That username is taken.'
          : err.status === 401 ? 'Wrong username or password.'
            : err.message;
    } finally {
      $('auth-submit').disabled = false;
    }
  };
  $('auth-username').focus();
}

// ---- The messenger ------------------------------------------------------------------------------

let toastTimer = 0;
export function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

function startApp(session) {
  $('auth').hidden = true;
  $('app').hidden = false;
  const me = session.username;
  let firstWelcome = true;
  // The inbox events a fresh page is sent before any live one (seq up to the first welcome's head) are history:
  // `convs` says what in them is unread. Counting them again gave a group left after reading it a false badge on
  // a new login (its events are replayed, and `convs` no longer lists it to correct the count).
  let replayedUpTo = 0;

  const app = {
    me,
    token: session.token,
    store: null,
    conn: null,
    toast,
    mediaTypes: new MediaTypes(),
    open: (id) => openChat(id),
    refreshList: () => scheduleRender(null),
    deleteChat: (c) => deleteChat(c),
    exitGroup: (c) => exitGroup(c),
  };

  let renderQueued = false;
  const dirty = new Set();
  function scheduleRender(convId) {
    if (convId) dirty.add(convId);
    if (renderQueued) return;
    renderQueued = true;
    // A hidden tab gets no animation frames; the title's count and the read state must still follow.
    const later = document.visibilityState === 'hidden' ? (f) => setTimeout(f, 0) : requestAnimationFrame;
    later(() => {
      renderQueued = false;
      list.render();
      if (app.store.openId && (dirty.has(app.store.openId) || dirty.has('*'))) view.render();
      for (const id of dirty) dialogs.groupInfo.refresh(id);
      dirty.clear();
      markRead();
      notifier.updateTitle();
    });
  }

  const store = new Store(me, (convId) => scheduleRender(convId));
  app.store = store;
  const users = new Users(session.token, () => scheduleRender('*'));
  app.users = users;
  store.nameOf = (u) => users.name(u);

  const conn = new Connection({
    token: session.token,
    deviceId: session.deviceId,
    onState: (state) => { banner.show(state); scheduleRender('*'); },
    onWelcome: (w) => {
      store.skew = w.serverTime - Date.now();
      // The edit window, where the server announces it (in seconds, as retention is); else the documented default.
      const editWindow = w.limits?.editWindowSeconds;
      store.editWindowMs = Number.isFinite(editWindow) && editWindow > 0 ? editWindow * 1000 : DEFAULT_EDIT_WINDOW_MS;
      app.mediaTypes.update(w.limits?.media);
      // The longest group description, where the server announces it; else the documented default (groupinfo.js).
      const maxDescription = w.limits?.maxGroupDescriptionChars;
      app.maxGroupDescriptionChars = Number.isInteger(maxDescription) && maxDescription > 0 ? maxDescription : 0;
      $('file-input').accept = app.mediaTypes.accept();
      if (firstWelcome) { firstWelcome = false; replayedUpTo = w.head; store.startHead = w.head; loadConversations(); } else afterReconnect();
    },
    onEvent: (e) => onEvent(e),
    onUnauthorized: () => {
      conn.stop();
      banner.stop();
      localStorage.removeItem(SESSION_KEY);
      stopMediaWorker();
      showAuth('Your session has ended. Please log in again.');
    },
  });
  app.conn = conn;
  const banner = new ConnectionBanner(conn);

  const list = new ChatList(app);
  const view = new ChatView(app);
  const dialogs = new Dialogs(app);
  const notifier = new Notifier(app);
  app.dialogs = dialogs;
  view.dialogs = dialogs;
  app.blocking = new Blocking(app);
  store.onIncoming = (c, m) => notifier.message(c, m);

  // Header: one's own display name (the username until it is known), the username on hover.
  function paintMe() {
    paintAvatar($('me-avatar'), me, false, users.name(me));
    $('me-name').textContent = users.name(me);
    $('me-name').title = `@${me}`;
  }
  paintMe();
  users.lookup(me).then(paintMe, () => { /* the username stays */ });
  document.querySelector('.chat-empty-art').innerHTML = icons.welcome;
  document.querySelector('.chat-empty .lock').innerHTML = icons.lock;
  $('btn-new-chat').innerHTML = icons.newChat;
  $('btn-new-group').innerHTML = icons.group;
  $('btn-logout').innerHTML = icons.logout;
  $('btn-new-chat').onclick = () => dialogs.newChat();
  $('btn-new-group').onclick = () => dialogs.newGroup();
  $('btn-logout').onclick = async () => {
    conn.stop();
    banner.stop();
    try { await api.logout(session.token); } catch { /* the token is forgotten here anyway */ }
    localStorage.removeItem(SESSION_KEY);
    localStorage.removeItem(`parley.after.${session.deviceId}`);
    await stopMediaWorker();
    location.reload();
  };
  banner.show('connecting');

  async function loadConversations() {
    let convs = [];
    try {
      // Groups left are asked for too, so that one left stays in the list (read-only) after a reload as before it.
      convs = (await conn.request('convs', { left: true })).conversations;
    } catch (err) {
      toast(`Could not load chats: ${err.message}`);
      return;
    }
    for (const x of convs) {
      const c = store.conv(x.conv);
      c.kind = x.kind;
      c.left = !!x.left;
      if (x.name != null) c.name = x.name;
      if (x.description != null) c.description = x.description;
      if (x.members) c.members = [...x.members];
      c.retention = x.retention ?? null;
      // Newer than the replayed group and settings events, which may still be on their way: they must not undo it.
      // (`convs` has no admins; needsInfo stays set, so the group's next event or its opening asks `group.info`.)
      store.snapshot(c);
      c.readUpTo = Math.max(c.readUpTo, x.readUpTo);
      // The other side's markers give the ticks of every earlier message of ours, not only of those loaded.
      c.deliveredUpTo = Math.max(c.deliveredUpTo, x.peerDelivered ?? 0);
      c.seenUpTo = Math.max(c.seenUpTo, x.peerRead ?? 0);
      if (x.lastN >= c.lastN) { c.unread = x.unread; c.lastN = x.lastN; }
      // A chat deleted here counts only what came after: what it held was dismissed (read) when it was deleted.
      if (c.clearedUpTo != null) {
        c.unread = Math.min(c.unread, Math.max(0, c.lastN - c.clearedUpTo));
        if (c.readUpTo < c.clearedUpTo) conn.notify('read', { conv: c.id, upTo: c.clearedUpTo });
      }
    }
    scheduleRender('*');
    // The list shows each chat's last message: one short history call per chat.
    await Promise.all(convs.map(async (x) => {
      try {
        const h = await conn.request('history', { conv: x.conv, limit: 1 });
        for (const m of h.messages) store.addMessage(m, { full: true });
      } catch { /* the chat still shows, without a preview */ }
    }));
    scheduleRender('*');
    subscribePresence();
    app.blocking.load();
    notifier.offer();
    joinFromAddress();
  }

  /** An invite link opened (`/#join/<code>`): joins the group and opens it, then takes the code out of the address. */
  function joinFromAddress() {
    const code = inviteCodeIn(location.hash);
    if (!code || conn.state !== 'online') return;
    history.replaceState(null, '', location.pathname + location.search);
    joinByCode(app, code);
  }
  window.addEventListener('hashchange', joinFromAddress);

  function afterReconnect() {
    subscribePresence();
    app.blocking.load();
    joinFromAddress();
    const c = store.openId && store.conv(store.openId);
    if (c && !c.historyLoaded) view.loadHistory(c);
    scheduleRender('*');
  }

  function subscribePresence(extra = []) {
    const people = new Set(extra);
    for (const c of store.convs.values()) {
      const peer = store.peerOf(c);
      if (peer && peer !== me) people.add(peer);
    }
    if (people.size === 0 || conn.state !== 'online') return;
    conn.request('presence.subscribe', { users: [...people] }).then((ok) => {
      for (const p of ok.presence) store.presence.set(p.user, { online: p.online, lastSeen: p.lastSeen });
      scheduleRender('*');
    }, () => { /* retried at the next connection */ });
  }
  app.subscribePresence = subscribePresence;

  function onEvent(e) {
    switch (e.type) {
      case 'presence':
        store.presence.set(e.user, { online: e.online, lastSeen: e.lastSeen });
        scheduleRender('*');
        return;
      case 'typing': {
        const c = store.conv(e.conv);
        clearTimeout(c.typing.get(e.user));
        if (e.state === 'composing') {
          // The server relays `paused` itself after its timeout; this is only a fallback for a lost one.
          c.typing.set(e.user, setTimeout(() => { c.typing.delete(e.user); scheduleRender(c.id); }, 15_000));
        } else c.typing.delete(e.user);
        scheduleRender(c.id);
        return;
      }
      default:
        if (!e.conv) return;
    }
    const known = store.convs.has(e.conv);
    const c = store.apply(e, { live: !(e.seq <= replayedUpTo) });
    if (!known && c.kind === 'direct') subscribePresence([store.peerOf(c)]);
    if (c.kind === 'group' && c.needsInfo && !c.left) view.loadGroupInfo(c);
    scheduleRender(c.id);
  }

  // ---- Opening a chat and reading it ----
  function openChat(id) {
    const c = store.conv(id);
    store.openId = id;
    $('app').classList.add('chat-open');
    if (c.kind === 'direct') subscribePresence([store.peerOf(c)]);
    view.show(c);
    list.render();
    markRead();
    notifier.updateTitle();
  }

  function closeChat() {
    $('app').classList.remove('chat-open');
    view.close();
    store.openId = null;
    list.render();
  }

  function markRead() {
    const c = store.openId && store.convs.get(store.openId);
    if (!c || document.visibilityState !== 'visible' || conn.state !== 'online') return;
    if (c.lastN > c.readUpTo) {
      conn.notify('read', { conv: c.id, upTo: c.lastN });
      c.readUpTo = c.lastN;
      c.unread = 0;
      list.render();
    }
  }
  document.addEventListener('visibilitychange', () => { markRead(); notifier.updateTitle(); });

  /** Deletes a chat from this browser (see Store.clear); what was unread in it counts as read. */
  async function deleteChat(c) {
    const s = app.store;
    const peer = s.peerOf(c);
    const question = c.kind === 'group' ? `Delete “${s.title(c)}”?` : peer === me ? 'Delete your chat with yourself?' : `Delete your chat with ${s.title(c)}?`;
    const keepers = c.kind === 'group' ? 'the members and your other devices keep them' : peer === me ? 'your other devices keep them' : `${s.title(c)} and your other devices keep them`;
    const ok = await dialogs.confirm(`${question} Its messages are removed from this browser only; ${keepers}. A new message brings the chat back.`, 'Delete chat');
    if (!ok) return;
    if (c.lastN > c.readUpTo && conn.state === 'online') conn.notify('read', { conv: c.id, upTo: c.lastN });
    c.readUpTo = Math.max(c.readUpTo, c.lastN);
    s.clear(c);
    if (s.openId === c.id) closeChat();
    scheduleRender('*');
  }

  async function exitGroup(c) {
    if (!(await dialogs.confirm(`Exit “${store.title(c)}”?`, 'Exit group'))) return;
    try {
      await conn.request('group.leave', { conv: c.id });
      c.left = true;
    } catch (err) { toast(`Could not exit the group: ${err.message}`); }
    scheduleRender(c.id);
  }

  $('btn-back').innerHTML = icons.back;
  $('btn-back').onclick = closeChat;
  document.addEventListener('keydown', (e) => {
    // Escape leaves the chat on a phone, when no dialog is open (dialogs close themselves on Escape).
    if (e.key === 'Escape' && store.openId && !document.querySelector('dialog[open]') && $('app').classList.contains('chat-open')
      && matchMedia('(max-width: 720px)').matches) $('btn-back').click();
  });

  app.directWith = (user) => directId(me, user);
  startMediaWorker(session.token);
  conn.start();
  list.render();
}

const session = loadSession();
if (session?.token && session.username && session.deviceId) startApp(session);
else showAuth();
