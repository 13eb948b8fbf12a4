// The chat list: name, last message, time, unread badge; most recent activity first; search by name; a menu per
// chat (delete it from this browser, or exit a group).
import { icons, ticks, paintAvatar } from './icons.js';
import { listTime } from './format.js';
import { preview } from './messages.js';
import { openMenu } from './menu.js';

const USERNAME = /^[a-z0-9_]{3,32}$/;

export class ChatList {
  constructor(app) {
    this.app = app;
    this.el = document.getElementById('chat-list');
    this.empty = document.getElementById('chat-list-empty');
    this.noMatch = document.getElementById('chat-list-nomatch');
    this.search = document.getElementById('search');
    document.querySelector('.search-icon').innerHTML = icons.search;
    this.search.oninput = () => this.render();
    this.search.onkeydown = (e) => {
      if (e.key === 'Enter') this.el.querySelector('.chat-item')?.click();
      if (e.key === 'Escape') { this.search.value = ''; this.render(); }
    };
    document.getElementById('btn-nomatch-chat').onclick = () => {
      const user = this.search.value.trim().toLowerCase();
      this.app.dialogs.newChat(user);
    };
    this.rows = new Map();
  }

  render() {
    const { store } = this.app;
    const q = this.search.value.trim().toLowerCase();
    const matches = (c) => !q || store.title(c).toLowerCase().includes(q)
      || (c.kind === 'direct' && c.members.some((u) => u.includes(q)));
    const convs = [...store.convs.values()]
      .filter((c) => store.listed(c) && matches(c))
      .sort((a, b) => b.lastActivity - a.lastActivity || store.title(a).localeCompare(store.title(b)));
    const nodes = convs.map((c) => this.row(c));
    this.el.replaceChildren(...nodes);
    this.empty.hidden = nodes.length > 0 || !!q;
    this.noMatch.hidden = nodes.length > 0 || !q;
    if (q && !nodes.length) {
      document.getElementById('nomatch-text').textContent = `No chats found for “${this.search.value.trim()}”.`;
      const offer = document.getElementById('btn-nomatch-chat');
      offer.hidden = !USERNAME.test(q);
      offer.textContent = `Start a chat with ${q}`;
    }
  }

  row(c) {
    const { store } = this.app;
    let row = this.rows.get(c.id);
    if (!row) {
      row = document.createElement('div');
      row.className = 'chat-row';
      row.innerHTML = `<button type="button" class="chat-item"><span class="avatar"></span><span class="chat-item-body">
        <span class="chat-item-row"><span class="chat-item-name"></span><span class="chat-item-time"></span></span>
        <span class="chat-item-row"><span class="chat-item-last"></span><span class="badge" hidden></span></span></span></button>
        <button type="button" class="chat-menu-btn" aria-haspopup="menu" aria-expanded="false"></button>`;
      const btn = row.querySelector('.chat-item');
      btn.dataset.conv = c.id;
      btn.onclick = () => this.app.open(c.id);
      const menu = row.querySelector('.chat-menu-btn');
      menu.innerHTML = icons.chevron;
      menu.onclick = (e) => { e.stopPropagation(); this.openMenu(menu, c); };
      btn.oncontextmenu = (e) => { e.preventDefault(); this.openMenu(menu, c); };
      this.rows.set(c.id, row);
    }
    const btn = row.querySelector('.chat-item');
    const title = store.title(c);
    row.querySelector('.chat-menu-btn').setAttribute('aria-label', `Options for ${title}`);
    const peer = store.peerOf(c);
    paintAvatar(btn.querySelector('.avatar'), c.kind === 'group' ? (c.name || c.id) : peer, c.kind === 'group', c.kind === 'group' ? '' : store.nameOf(peer));
    btn.querySelector('.chat-item-name').textContent = title;
    const last = store.last(c);
    btn.querySelector('.chat-item-time').textContent = last ? listTime(last.ts) : '';
    const lastEl = btn.querySelector('.chat-item-last');
    const typing = [...c.typing.keys()];
    lastEl.innerHTML = '';
    lastEl.classList.toggle('typing', typing.length > 0);
    if (typing.length) {
      lastEl.textContent = c.kind === 'group' ? `${store.nameOf(typing[0])} is typing…` : 'typing…';
    } else {
      if (c.retention != null) lastEl.insertAdjacentHTML('beforeend', `<span class="timer-icon" title="Disappearing messages">${icons.timer}</span>`);
      if (last && last.from === store.me && !last.deleted) {
        const status = store.status(c, last);
        lastEl.insertAdjacentHTML('beforeend', `<span class="tick" data-status="${status}">${ticks[status]}</span>`);
      }
      const who = last && c.kind === 'group' && last.from !== store.me ? `${store.nameOf(last.from)}: ` : '';
      const line = preview(store.me, last);
      lastEl.append(document.createTextNode(who));
      if (line.icon) lastEl.insertAdjacentHTML('beforeend', `<span class="kind-icon">${icons[line.icon]}</span>`);
      lastEl.append(document.createTextNode(line.text));
    }
    const badge = btn.querySelector('.badge');
    badge.hidden = !(c.unread > 0) || c.id === store.openId;
    badge.textContent = String(c.unread);
    badge.setAttribute('aria-label', `${c.unread} unread`);
    btn.classList.toggle('has-unread', !badge.hidden);
    btn.setAttribute('aria-current', String(c.id === store.openId));
    return row;
  }

  /** A group one is still in is exited first; anything else can be deleted from this browser. */
  openMenu(anchor, c) {
    const member = c.kind === 'group' && !c.left;
    openMenu(anchor, [member
      ? { label: 'Exit group', danger: true, run: () => this.app.exitGroup(c) }
      : { label: 'Delete chat', danger: true, run: () => this.app.deleteChat(c) }]);
  }
}
