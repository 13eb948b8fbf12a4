// Dialogs: new chat, new group, chat/group info, disappearing messages, media preview, confirm, viewer.
// Native <dialog>s: modal, focus kept inside, Escape closes them.
import { icons, paintAvatar } from './icons.js';
import { retentionLabel, lastSeen } from './format.js';
import { bodyText } from './chatlist.js';
import * as api from './api.js';

const USERNAME = /^[a-z0-9_]{3,32}$/;
const $ = (id) => document.getElementById(id);

export class Dialogs {
  constructor(app) {
    this.app = app;
    for (const d of document.querySelectorAll('dialog')) {
      for (const b of d.querySelectorAll('[data-close]')) {
        if (b.classList.contains('close-x')) b.innerHTML = icons.close;
        b.onclick = () => d.close();
      }
    }
    $('info-timer').querySelector('.row-icon').innerHTML = icons.timer;
    $('dlg-timer-title').querySelector('.timer-icon').innerHTML = icons.timer;
    $('viewer').addEventListener('close', () => {
      const video = $('viewer-body').querySelector('video');
      if (video) {
        // A streamed video would go on buffering after the viewer is gone: unloading it ends its requests.
        video.pause();
        video.removeAttribute('src');
        video.load();
      }
      $('viewer-body').replaceChildren();
    });
    // A click on the backdrop closes the viewer, like a click outside the photo.
    $('viewer').addEventListener('click', (e) => { if (e.target === $('viewer') || e.target === $('viewer-body')) $('viewer').close(); });
  }

  newChat() {
    const d = $('dlg-new-chat');
    $('new-chat-user').value = '';
    $('new-chat-error').textContent = '';
    $('form-new-chat').onsubmit = (e) => {
      e.preventDefault();
      const user = $('new-chat-user').value.trim().toLowerCase();
      if (!USERNAME.test(user)) { $('new-chat-error').textContent = 'Usernames are 3–32 lowercase letters, digits or _.'; return; }
      d.close();
      const id = this.app.directWith(user);
      const c = this.app.store.conv(id);
      c.lastActivity ||= Date.now();
      this.app.open(id);
    };
    d.showModal();
  }

  newGroup() {
    const d = $('dlg-new-group');
    $('form-new-group').reset();
    $('new-group-error').textContent = '';
    $('form-new-group').onsubmit = async (e) => {
      e.preventDefault();
      const name = $('new-group-name').value.trim();
      const members = [...new Set($('new-group-members').value.split(/[\s,;]+/).map((u) => u.trim().toLowerCase()).filter(Boolean))]
        .filter((u) => u !== this.app.me);
      if (!name) { $('new-group-error').textContent = 'Give the group a name.'; return; }
      const bad = members.find((u) => !USERNAME.test(u));
      if (bad) { $('new-group-error').textContent = `"${bad}" is not a valid username.`; return; }
      try {
        const ok = await this.app.conn.request('group.create', { name, members: [this.app.me, ...members] });
        const c = this.app.store.conv(ok.conv);
        c.name ??= name;
        c.members = ok.members;
        c.admins = ok.admins;
        c.needsInfo = false;
        c.lastActivity ||= Date.now();
        d.close();
        this.app.open(ok.conv);
      } catch (err) {
        $('new-group-error').textContent = err.code === 'not_found' ? `Not every member exists: ${err.message}` : err.message;
      }
    };
    d.showModal();
  }

  /** Contact or group info: members, admins, add/remove (admins), leave, disappearing messages. */
  info(c) {
    const d = $('dlg-info');
    const { store, me, conn } = this.app;
    const render = () => {
      const isGroup = c.kind === 'group';
      paintAvatar($('info-avatar'), isGroup ? (c.name || c.id) : store.peerOf(c), isGroup);
      $('info-name').textContent = store.title(c);
      const peer = store.peerOf(c);
      const p = peer && store.presence.get(peer);
      $('info-sub').textContent = isGroup ? `Group · ${c.members.length} members` : p?.online ? 'online' : p?.lastSeen ? lastSeen(p.lastSeen) : '';
      $('info-timer-value').textContent = retentionLabel(c.retention);
      $('info-timer').hidden = c.left || (isGroup && !c.admins.includes(me));
      $('info-group').hidden = !isGroup;
      if (!isGroup) return;
      const admin = c.admins.includes(me) && !c.left;
      $('info-count').textContent = `${c.members.length} members`;
      $('form-add-member').hidden = !admin;
      $('btn-leave').hidden = c.left;
      const items = [...c.members].sort((a, b) => (b === me) - (a === me) || (c.admins.includes(b) - c.admins.includes(a)) || a.localeCompare(b)).map((u) => {
        const li = document.createElement('li');
        li.dataset.member = u;
        const av = document.createElement('span');
        av.className = 'avatar';
        paintAvatar(av, u, false);
        const who = document.createElement('span');
        who.className = 'who';
        who.innerHTML = '<strong></strong><span></span>';
        who.querySelector('strong').textContent = u === me ? 'You' : u;
        who.querySelector('span').textContent = `@${u}`;
        li.append(av, who);
        if (c.admins.includes(u)) li.insertAdjacentHTML('beforeend', '<span class="admin-badge">Group admin</span>');
        if (admin && u !== me) {
          const actions = document.createElement('span');
          actions.className = 'member-actions';
          const toggle = document.createElement('button');
          toggle.type = 'button';
          const isAdmin = c.admins.includes(u);
          toggle.textContent = isAdmin ? 'Dismiss as admin' : 'Make admin';
          toggle.onclick = () => act(() => conn.request('group.admin', { conv: c.id, member: u, admin: !isAdmin }).then((ok) => { c.admins = ok.admins; }));
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.className = 'remove';
          remove.textContent = 'Remove';
          remove.setAttribute('aria-label', `Remove ${u}`);
          remove.onclick = () => act(() => conn.request('group.remove', { conv: c.id, member: u }).then((ok) => { c.members = ok.members; c.admins = c.admins.filter((a) => a !== u); }));
          actions.append(toggle, remove);
          li.append(actions);
        }
        return li;
      });
      $('info-members').replaceChildren(...items);
    };
    const act = async (fn) => {
      $('info-error').textContent = '';
      try { await fn(); } catch (err) { $('info-error').textContent = err.message; }
      store.changed(c.id);
      render();
    };
    $('form-add-member').onsubmit = (e) => {
      e.preventDefault();
      const users = $('add-member-input').value.split(/[\s,;]+/).map((u) => u.trim().toLowerCase()).filter(Boolean);
      if (!users.length) return;
      act(() => conn.request('group.add', { conv: c.id, members: users }).then((ok) => { c.members = ok.members; $('add-member-input').value = ''; }));
    };
    $('btn-leave').onclick = async () => {
      if (!(await this.confirm(`Exit "${store.title(c)}"?`, 'Exit group'))) return;
      await act(() => conn.request('group.leave', { conv: c.id }).then(() => { c.left = true; }));
      d.close();
    };
    $('info-timer').onclick = () => this.timer(c, render);
    $('info-error').textContent = '';
    render();
    if (c.kind === 'group' && !c.left) {
      conn.request('group.info', { conv: c.id }).then((info) => {
        Object.assign(c, { name: info.name, members: info.members, admins: info.admins, retention: info.retention ?? null });
        render();
        store.changed(c.id);
      }, () => {});
    }
    if (!d.open) d.showModal();
  }

  timer(c, after) {
    const d = $('dlg-timer');
    const form = $('form-timer');
    for (const r of form.elements.ttl) r.checked = (r.value === '' && c.retention == null) || Number(r.value) === c.retention;
    $('timer-error').textContent = '';
    form.onsubmit = async (e) => {
      e.preventDefault();
      const value = form.elements.ttl.value;
      const ttl = value === '' ? null : Number(value);
      try {
        const ok = await this.app.conn.request('retention', { conv: c.id, ttl });
        c.retention = ok.retention ?? null;
        this.app.store.changed(c.id);
        d.close();
        after?.();
      } catch (err) {
        $('timer-error').textContent = err.code === 'forbidden' ? 'Only group admins can change this.' : err.message;
      }
    };
    d.showModal();
  }

  media(file, send) {
    const d = $('dlg-media');
    const url = URL.createObjectURL(file);
    const el = file.type.startsWith('video/') ? document.createElement('video') : document.createElement('img');
    el.src = url;
    if (el.tagName === 'VIDEO') { el.controls = true; el.muted = true; } else el.alt = 'Preview';
    $('media-preview').replaceChildren(el);
    $('media-caption').value = '';
    $('dlg-media-title').textContent = file.type.startsWith('video/') ? 'Send video' : 'Send photo';
    $('form-media').onsubmit = (e) => {
      e.preventDefault();
      const caption = $('media-caption').value.trim();
      d.close();
      send(caption);
    };
    d.addEventListener('close', () => { $('media-preview').replaceChildren(); URL.revokeObjectURL(url); }, { once: true });
    d.showModal();
    $('media-caption').focus();
  }

  confirm(text, action) {
    const d = $('dlg-confirm');
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = action;
    d.returnValue = '';
    d.showModal();
    return new Promise((resolve) => d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true }));
  }

  /** The full photo, or the video player: streamed through the media worker, or else from a blob URL. */
  async viewer(m) {
    const d = $('viewer');
    const body = $('viewer-body');
    body.innerHTML = '<span class="spinner" role="status" aria-label="Loading"></span>';
    $('viewer-caption').textContent = bodyText(m.body);
    d.showModal();
    try {
      const url = m.localUrl ?? await api.mediaUrl(this.app.token, m.media.id, false);
      if (!d.open) return;
      let el;
      if (m.kind === 'video') {
        el = document.createElement('video');
        el.controls = true;
        el.autoplay = true;
        el.playsInline = true;
      } else {
        el = document.createElement('img');
        el.alt = bodyText(m.body) || 'Photo';
      }
      // A streamed URL fails in the element (a blob URL has failed before it got here).
      el.addEventListener('error', () => { if (body.contains(el)) showError(api.MEDIA_GONE); }, { once: true });
      el.src = url;
      body.replaceChildren(el);
    } catch (err) {
      showError(err.message);
    }

    function showError(text) {
      body.textContent = text;
      body.style.color = '#fff';
    }
  }
}
