// The Parley web client: sign-in, then the messenger. Everything goes through docs/protocol.md.
import * as api from './api.js';
import { startMediaWorker, stopMediaWorker } from './mediaworker.js';
import { Connection } from './connection.js';
import { Store, directId } from './store.js';
import { icons, paintAvatar } from './icons.js';
import { ChatList } from './chatlist.js';
import { ChatView } from './chatview.js';
import { Dialogs } from './dialogs.js';

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

  const app = {
    me,
    token: session.token,
    store: null,
    conn: null,
    toast,
    open: (id) => openChat(id),
    refreshList: () => scheduleRender(null),
  };

  let renderQueued = false;
  const dirty = new Set();
  function scheduleRender(convId) {
    if (convId) dirty.add(convId);
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      list.render();
      if (app.store.openId && (dirty.has(app.store.openId) || dirty.has('*'))) view.render();
      dirty.clear();
      markRead();
    });
  }

  const store = new Store(me, (convId) => scheduleRender(convId));
  app.store = store;

  const conn = new Connection({
    token: session.token,
    deviceId: session.deviceId,
    onState: (state) => { showConnState(state); scheduleRender('*'); },
    onWelcome: (w) => {
      store.skew = w.serverTime - Date.now();
      if (firstWelcome) { firstWelcome = false; loadConversations(); } else afterReconnect();
    },
    onEvent: (e) => onEvent(e),
    onUnauthorized: () => {
      conn.stop();
      localStorage.removeItem(SESSION_KEY);
      stopMediaWorker();
      showAuth('Your session has ended. Please log in again.');
    },
  });
  app.conn = conn;

  const list = new ChatList(app);
  const view = new ChatView(app);
  const dialogs = new Dialogs(app);
  app.dialogs = dialogs;
  view.dialogs = dialogs;

  // Header
  paintAvatar($('me-avatar'), me, false);
  $('me-name').textContent = me;
  document.querySelector('.chat-empty-art').innerHTML = icons.welcome;
  document.querySelector('.chat-empty .lock').innerHTML = icons.lock;
  $('btn-new-chat').innerHTML = icons.newChat;
  $('btn-new-group').innerHTML = icons.group;
  $('btn-logout').innerHTML = icons.logout;
  $('btn-new-chat').onclick = () => dialogs.newChat();
  $('btn-new-group').onclick = () => dialogs.newGroup();
  $('btn-logout').onclick = async () => {
    conn.stop();
    try { await api.logout(session.token); } catch { /* the token is forgotten here anyway */ }
    localStorage.removeItem(SESSION_KEY);
    localStorage.removeItem(`parley.after.${session.deviceId}`);
    await stopMediaWorker();
    location.reload();
  };

  function showConnState(state) {
    const label = { connecting: 'connecting…', online: 'online', reconnecting: 'reconnecting…' }[state] ?? state;
    const el = $('conn-state');
    el.dataset.state = state;
    el.textContent = label;
    const banner = $('conn-banner');
    banner.hidden = state === 'online';
    banner.innerHTML = state === 'online' ? ''
      : `<span class="spinner" aria-hidden="true"></span><span>${state === 'connecting' ? 'Connecting to Parley…' : 'Reconnecting… Messages will be sent when you are back online.'}</span>`;
  }
  showConnState('connecting');

  async function loadConversations() {
    let convs = [];
    try {
      convs = (await conn.request('convs', {})).conversations;
    } catch (err) {
      toast(`Could not load chats: ${err.message}`);
      return;
    }
    for (const x of convs) {
      const c = store.conv(x.conv);
      c.kind = x.kind;
      if (x.name != null) c.name = x.name;
      if (x.members) c.members = [...x.members];
      c.retention = x.retention ?? null;
      c.readUpTo = Math.max(c.readUpTo, x.readUpTo);
      if (x.lastN >= c.lastN) { c.unread = x.unread; c.lastN = x.lastN; }
    }
    scheduleRender('*');
    // The list shows each chat's last message: one short history call per chat.
    await Promise.all(convs.map(async (x) => {
      try {
        const h = await conn.request('history', { conv: x.conv, limit: 1 });
        for (const m of h.messages) store.addMessage(m);
      } catch { /* the chat still shows, without a preview */ }
    }));
    scheduleRender('*');
    subscribePresence();
  }

  function afterReconnect() {
    subscribePresence();
    const c = store.openId && store.conv(store.openId);
    if (c && !c.historyLoaded) view.loadHistory(c);
    scheduleRender('*');
  }

  function subscribePresence(extra = []) {
    const users = new Set(extra);
    for (const c of store.convs.values()) {
      const peer = store.peerOf(c);
      if (peer && peer !== me) users.add(peer);
    }
    if (users.size === 0 || conn.state !== 'online') return;
    conn.request('presence.subscribe', { users: [...users] }).then((ok) => {
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
    const c = store.apply(e);
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
  document.addEventListener('visibilitychange', markRead);

  $('btn-back').innerHTML = icons.back;
  $('btn-back').onclick = () => {
    $('app').classList.remove('chat-open');
    view.close();
    store.openId = null;
    list.render();
  };
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
