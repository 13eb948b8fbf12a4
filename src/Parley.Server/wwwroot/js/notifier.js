// Telling the user about new messages while they look elsewhere: the unread count in the tab's title, and browser
// notifications while the tab is hidden. Permission is asked only when the user presses "Turn on" in a banner (a
// prompt at load is what browsers and people block); "Not now" hides the banner for this browser.
import { icons } from './icons.js';
import { preview } from './messages.js';

const TITLE = 'Parley';
const DISMISSED_KEY = 'parley.notify.dismissed';
const $ = (id) => document.getElementById(id);

export class Notifier {
  constructor(app) {
    this.app = app;
    // Messages older than the page are not news: the chat list shows them with their badges.
    this.since = Date.now();
    this.shown = new Map(); // conv -> Notification
    this.counts = new Map(); // conv -> messages in the notification shown
    $('notify-banner').querySelector('.banner-icon').innerHTML = icons.bell;
    $('btn-notify-on').onclick = () => this.ask();
    $('btn-notify-later').onclick = () => {
      try { localStorage.setItem(DISMISSED_KEY, '1'); } catch { /* shown again next time */ }
      $('notify-banner').hidden = true;
    };
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') this.closeAll(); });
  }

  static get supported() { return typeof Notification === 'function'; }

  /** Offers notifications, once the chats are there, when the browser has not been asked and the user did not decline. */
  offer() {
    let dismissed = false;
    try { dismissed = localStorage.getItem(DISMISSED_KEY) === '1'; } catch { /* as not dismissed */ }
    $('notify-banner').hidden = !Notifier.supported || Notification.permission !== 'default' || dismissed;
  }

  async ask() {
    $('notify-banner').hidden = true;
    try { await Notification.requestPermission(); } catch { /* an old callback-only API: nothing to do */ }
  }

  /** "(3) Parley": the unread messages of every chat but the one being read. */
  updateTitle() {
    const { store } = this.app;
    const reading = document.visibilityState === 'visible' ? store.openId : null;
    let unread = 0;
    for (const c of store.convs.values()) if (c.id !== reading && store.listed(c)) unread += c.unread;
    const title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
    if (document.title !== title) document.title = title;
  }

  /** A new message from someone else: a notification when the tab is hidden, one per chat, replaced as more come. */
  message(c, m) {
    if (!Notifier.supported || Notification.permission !== 'granted' || document.visibilityState !== 'hidden') return;
    if (m.ts - this.app.store.skew < this.since - 5_000) return;
    const { store } = this.app;
    const count = (this.counts.get(c.id) ?? 0) + 1;
    this.counts.set(c.id, count);
    const line = preview(store.me, m).text;
    const from = store.nameOf(m.from);
    const title = c.kind === 'group' ? store.title(c) : from;
    const text = c.kind === 'group' ? `${from}: ${line}` : line;
    try {
      this.shown.get(c.id)?.close();
      const n = new Notification(title, {
        body: count > 1 ? `${text}\n(${count} new messages)` : text,
        tag: c.id,
        renotify: true,
      });
      n.onclick = () => {
        window.focus();
        this.app.open(c.id);
        n.close();
      };
      this.shown.set(c.id, n);
    } catch { /* a browser that allows them only from a service worker: the title count still tells */ }
  }

  closeAll() {
    for (const n of this.shown.values()) n.close();
    this.shown.clear();
    this.counts.clear();
  }
}
