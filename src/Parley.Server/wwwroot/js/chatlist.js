// The chat list: name, last message, time, unread badge; most recent activity first; search by name.
import { icons, ticks, paintAvatar } from './icons.js';
import { listTime } from './format.js';

/** The chat list's line for a message: an icon name for photos and videos, and the text. */
export function preview(store, m) {
  if (!m) return { text: '' };
  if (m.deleted) return { text: m.from === store.me ? 'You deleted this message' : 'This message was deleted' };
  const text = bodyText(m.body);
  if (m.kind === 'image') return { icon: 'camera', text: text || 'Photo' };
  if (m.kind === 'video') return { icon: 'video', text: text || 'Video' };
  if (m.kind === 'file') return { icon: 'attach', text: text || 'File' };
  return { text };
}

/** Bodies are opaque: a string is the text; an object with a `text` field is read as that; else its JSON. */
export function bodyText(body) {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && typeof body.text === 'string') return body.text;
  return body == null ? '' : JSON.stringify(body);
}

export class ChatList {
  constructor(app) {
    this.app = app;
    this.el = document.getElementById('chat-list');
    this.empty = document.getElementById('chat-list-empty');
    this.search = document.getElementById('search');
    document.querySelector('.search-icon').innerHTML = icons.search;
    this.search.oninput = () => this.render();
    this.search.onkeydown = (e) => {
      if (e.key === 'Enter') this.el.querySelector('.chat-item')?.click();
      if (e.key === 'Escape') { this.search.value = ''; this.render(); }
    };
    this.items = new Map();
  }

  render() {
    const { store } = this.app;
    const q = this.search.value.trim().toLowerCase();
    const convs = [...store.convs.values()]
      .filter((c) => c.lastActivity > 0 || c.id === store.openId || c.name)
      .filter((c) => !q || store.title(c).toLowerCase().includes(q) || c.members.some((u) => u.includes(q) && c.kind === 'direct'))
      .sort((a, b) => b.lastActivity - a.lastActivity || store.title(a).localeCompare(store.title(b)));
    const nodes = convs.map((c) => this.item(c));
    this.el.replaceChildren(...nodes);
    this.empty.hidden = nodes.length > 0 || !!q;
  }

  item(c) {
    const { store } = this.app;
    let btn = this.items.get(c.id);
    if (!btn) {
      btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'chat-item';
      btn.dataset.conv = c.id;
      btn.innerHTML = `<span class="avatar"></span><span class="chat-item-body">
        <span class="chat-item-row"><span class="chat-item-name"></span><span class="chat-item-time"></span></span>
        <span class="chat-item-row"><span class="chat-item-last"></span><span class="badge" hidden></span></span></span>`;
      btn.onclick = () => this.app.open(c.id);
      this.items.set(c.id, btn);
    }
    const title = store.title(c);
    paintAvatar(btn.querySelector('.avatar'), c.kind === 'group' ? (c.name || c.id) : store.peerOf(c), c.kind === 'group');
    btn.querySelector('.chat-item-name').textContent = title;
    const last = store.last(c);
    btn.querySelector('.chat-item-time').textContent = last ? listTime(last.ts) : '';
    const lastEl = btn.querySelector('.chat-item-last');
    const typing = [...c.typing.keys()];
    if (typing.length) {
      lastEl.innerHTML = '';
      lastEl.style.color = 'var(--green-dark)';
      lastEl.textContent = c.kind === 'group' ? `${typing[0]} is typing…` : 'typing…';
    } else {
      lastEl.style.color = '';
      lastEl.innerHTML = '';
      if (c.retention != null) lastEl.insertAdjacentHTML('beforeend', `<span class="timer-icon" title="Disappearing messages">${icons.timer}</span>`);
      if (last && last.from === store.me && !last.deleted) {
        const status = store.status(c, last);
        lastEl.insertAdjacentHTML('beforeend', `<span class="tick" data-status="${status}">${ticks[status]}</span>`);
      }
      const who = last && c.kind === 'group' && last.from !== store.me ? `${last.from}: ` : '';
      const line = preview(store, last);
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
    return btn;
  }
}
