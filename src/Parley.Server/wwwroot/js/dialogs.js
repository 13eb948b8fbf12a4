// Dialogs: new chat, new group, disappearing messages, sending a file, confirm; the info drawer (groupinfo.js) and
// the media viewer (viewer.js). Native <dialog>s: modal, focus kept inside, Escape closes them.
import { icons } from './icons.js';
import { noSuchUsers, typedNames } from './users.js';
import { kindOf } from './files.js';
import { documentCard } from './bubbles.js';
import { GroupInfo } from './groupinfo.js';
import { Viewer } from './viewer.js';

const USERNAME = /^[a-z0-9_]{3,32}$/;
const $ = (id) => document.getElementById(id);

export class Dialogs {
  constructor(app) {
    this.app = app;
    for (const d of document.querySelectorAll('dialog')) {
      for (const b of d.querySelectorAll('[data-close]')) {
        if (b.classList.contains('icon-btn')) b.innerHTML = icons.close;
        b.onclick = () => d.close();
      }
    }
    $('dlg-timer-title').querySelector('.timer-icon').innerHTML = icons.timer;
    this.groupInfo = new GroupInfo(app, this);
    this.mediaViewer = new Viewer(app);
  }

  info(c) { this.groupInfo.open(c); }

  viewer(m) { this.mediaViewer.open(m); }

  /** New chat: the name is checked with the server first, so that a chat is never opened with nobody. */
  newChat(prefill = '') {
    const d = $('dlg-new-chat');
    const submit = $('new-chat-submit');
    $('new-chat-user').value = prefill;
    $('new-chat-error').textContent = '';
    submit.disabled = false;
    $('form-new-chat').onsubmit = async (e) => {
      e.preventDefault();
      const user = $('new-chat-user').value.trim().toLowerCase().replace(/^@/, '');
      if (!USERNAME.test(user)) { $('new-chat-error').textContent = 'Usernames are 3–32 lowercase letters, digits or _.'; return; }
      submit.disabled = true;
      $('new-chat-error').textContent = '';
      try {
        if (await this.app.users.lookup(user) === null) { $('new-chat-error').textContent = noSuchUsers([user]); return; }
      } catch (err) {
        $('new-chat-error').textContent = `Could not check the name: ${err.message}`;
        return;
      } finally {
        submit.disabled = false;
      }
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
    const submit = $('new-group-submit');
    $('form-new-group').reset();
    $('new-group-error').textContent = '';
    submit.disabled = false;
    $('form-new-group').onsubmit = async (e) => {
      e.preventDefault();
      const name = $('new-group-name').value.trim();
      const members = typedNames($('new-group-members').value).filter((u) => u !== this.app.me);
      if (!name) { $('new-group-error').textContent = 'Give the group a name.'; return; }
      const bad = members.find((u) => !USERNAME.test(u));
      if (bad) { $('new-group-error').textContent = `“${bad}” is not a valid username.`; return; }
      submit.disabled = true;
      try {
        const unknown = await this.app.users.unknown(members);
        if (unknown.length) { $('new-group-error').textContent = noSuchUsers(unknown); return; }
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
        $('new-group-error').textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    };
    d.showModal();
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

  /** Before a file is sent: a preview (a photo, a video, or a document's card) and a caption. */
  media(file, mime, send) {
    const d = $('dlg-media');
    const kind = kindOf(mime);
    let url = null;
    let el;
    if (kind === 'file') {
      el = documentCard(file.name, mime, file.size);
      el.disabled = true;
    } else {
      url = URL.createObjectURL(file);
      el = kind === 'video' ? document.createElement('video') : document.createElement('img');
      el.src = url;
      if (kind === 'video') { el.controls = true; el.muted = true; } else el.alt = 'Preview';
    }
    $('media-preview').replaceChildren(el);
    $('media-preview').classList.toggle('doc-preview', kind === 'file');
    $('media-caption').value = '';
    $('dlg-media-title').textContent = { image: 'Send photo', video: 'Send video', file: 'Send document' }[kind];
    $('form-media').onsubmit = (e) => {
      e.preventDefault();
      const caption = $('media-caption').value.trim();
      d.close();
      send(caption);
    };
    d.addEventListener('close', () => { $('media-preview').replaceChildren(); if (url) URL.revokeObjectURL(url); }, { once: true });
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
}
