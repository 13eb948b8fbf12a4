// Contact and group info, a drawer: name (an admin renames the group here), the group's description under it (an admin
// edits it here: a textarea with a character counter), disappearing messages, members with
// their admin state and a menu each (admins: make or dismiss admin, remove, after a confirm), add members, the
// group's invite link (admins: make it, copy it, revoke it), exit.
import { icons, paintAvatar } from './icons.js';
import { retentionLabel, lastSeen } from './format.js';
import { noSuchUsers, typedNames } from './users.js';
import { openMenu } from './menu.js';
import { copyText, inviteLink } from './invites.js';
import { appendRichText } from './richtext.js';

/** The longest description when the server does not announce it (docs/protocol.md: Parley:Groups:MaxDescriptionChars). */
export const DEFAULT_MAX_DESCRIPTION_CHARS = 512;

const $ = (id) => document.getElementById(id);

export class GroupInfo {
  constructor(app, dialogs) {
    this.app = app;
    this.dialogs = dialogs;
    this.conv = null;
    $('info-timer').querySelector('.row-icon').innerHTML = icons.timer;
    $('btn-rename').innerHTML = icons.edit;
    $('btn-rename').onclick = () => this.startRename();
    $('btn-rename-cancel').onclick = () => this.endRename();
    $('rename-input').onkeydown = (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); this.endRename(); } };
    $('form-rename').onsubmit = (e) => { e.preventDefault(); this.rename(); };
    $('btn-describe').innerHTML = icons.edit;
    $('btn-describe').onclick = () => this.startDescribe();
    $('btn-describe-add').onclick = () => this.startDescribe();
    $('btn-describe-cancel').onclick = () => this.endDescribe();
    $('describe-input').oninput = () => this.countDescription();
    $('describe-input').onkeydown = (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); this.endDescribe(); } };
    $('form-describe').onsubmit = (e) => { e.preventDefault(); this.describe(); };
    $('form-add-member').onsubmit = (e) => { e.preventDefault(); this.add(); };
    $('btn-leave').onclick = () => this.leave();
    $('btn-invite').querySelector('.row-icon').innerHTML = icons.link;
    $('btn-invite').onclick = () => this.invite();
    $('btn-invite-copy').onclick = () => this.copyInvite();
    $('btn-invite-revoke').onclick = () => this.revokeInvite();
    $('info-timer').onclick = () => this.conv && this.dialogs.timer(this.conv, () => this.render());
    $('dlg-info').addEventListener('close', () => { this.endRename(); this.endDescribe(); this.conv = null; });
  }

  open(c) {
    const d = $('dlg-info');
    this.conv = c;
    $('info-error').textContent = '';
    this.endRename();
    this.endDescribe();
    this.render();
    if (c.kind === 'group' && !c.left) {
      this.app.conn.request('group.info', { conv: c.id }).then((info) => {
        Object.assign(c, {
          name: info.name, description: info.description ?? '', members: info.members, admins: info.admins, retention: info.retention ?? null,
        });
        this.app.store.snapshot(c);
        if (this.conv === c) this.render();
        this.app.store.changed(c.id);
      }, () => {});
    }
    if (!d.open) d.showModal();
  }

  /** Shown again when the conversation changes while open (an event, a reply). */
  refresh(convId) { if (this.conv && (convId === this.conv.id || convId === '*')) this.render(); }

  isAdmin() { const c = this.conv; return c.kind === 'group' && c.admins.includes(this.app.me) && !c.left; }

  render() {
    const c = this.conv;
    if (!c) return;
    const { store, me } = this.app;
    const isGroup = c.kind === 'group';
    const peer = store.peerOf(c);
    paintAvatar($('info-avatar'), isGroup ? (c.name || c.id) : peer, isGroup, isGroup ? '' : store.nameOf(peer));
    $('info-name').textContent = store.title(c);
    $('btn-rename').hidden = !this.isAdmin();
    const p = peer && store.presence.get(peer);
    $('info-sub').textContent = isGroup ? `Group · ${c.members.length} members`
      : [`@${peer}`, peer === me ? '' : p?.online ? 'online' : p?.lastSeen ? lastSeen(p.lastSeen) : ''].filter(Boolean).join(' · ');
    this.renderDescription();
    $('info-timer-value').textContent = retentionLabel(c.retention);
    $('info-timer').hidden = c.left || (isGroup && !c.admins.includes(me));
    $('info-group').hidden = !isGroup;
    if (!isGroup) return;
    const admin = this.isAdmin();
    $('info-count').textContent = `${c.members.length} members`;
    $('form-add-member').hidden = !admin;
    $('info-invite').hidden = !admin;
    $('invite-box').hidden = !c.inviteCode;
    $('btn-invite').hidden = !!c.inviteCode;
    if (c.inviteCode) $('invite-link').value = inviteLink(c.inviteCode);
    $('btn-leave').hidden = c.left;
    const order = (a, b) => (b === me) - (a === me) || (c.admins.includes(b) - c.admins.includes(a)) || store.nameOf(a).localeCompare(store.nameOf(b));
    $('info-members').replaceChildren(...[...c.members].sort(order).map((u) => this.memberEl(u, admin)));
  }

  /** The description under the name: its text for everyone, the pencil (or "Add group description") for admins. */
  renderDescription() {
    const c = this.conv;
    const text = c.kind === 'group' ? (c.description ?? '') : '';
    const admin = this.isAdmin();
    $('info-desc').hidden = c.kind !== 'group' || (!text && !admin && $('form-describe').hidden);
    $('info-desc-text').replaceChildren();
    appendRichText($('info-desc-text'), text);
    $('btn-describe').hidden = !admin || !text;
    $('btn-describe-add').hidden = !admin || !!text;
  }

  maxDescription() { return this.app.maxGroupDescriptionChars || DEFAULT_MAX_DESCRIPTION_CHARS; }

  startDescribe() {
    const input = $('describe-input');
    input.maxLength = this.maxDescription();
    input.value = this.conv.description ?? '';
    $('describe-error').textContent = '';
    $('desc-view').hidden = true;
    $('form-describe').hidden = false;
    this.countDescription();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  endDescribe() {
    $('form-describe').hidden = true;
    $('desc-view').hidden = false;
    $('describe-error').textContent = '';
  }

  /** "12 / 512": what the server will count (the text trimmed, in UTF-16 code units, as `length` counts). */
  countDescription() {
    const max = this.maxDescription();
    const used = $('describe-input').value.trim().length;
    $('describe-count').textContent = `${used} / ${max}`;
    $('describe-count').classList.toggle('full', used >= max);
  }

  async describe() {
    const c = this.conv;
    const description = $('describe-input').value.trim();
    if (description === (c.description ?? '')) { this.endDescribe(); this.render(); return; }
    if (description.length > this.maxDescription()) { $('describe-error').textContent = `At most ${this.maxDescription()} characters.`; return; }
    $('describe-error').textContent = '';
    $('btn-describe-save').disabled = true;
    try {
      await this.app.conn.request('group.describe', { conv: c.id, description });
      c.description = description;
      this.endDescribe();
    } catch (err) {
      $('describe-error').textContent = err.code === 'forbidden' ? 'Only group admins can change the description.' : err.message;
    } finally {
      $('btn-describe-save').disabled = false;
    }
    this.app.store.changed(c.id);
    if (this.conv === c) this.render();
  }

  memberEl(u, admin) {
    const c = this.conv;
    const { store, me } = this.app;
    const li = document.createElement('li');
    li.dataset.member = u;
    const av = document.createElement('span');
    av.className = 'avatar';
    paintAvatar(av, u, false, store.nameOf(u));
    const who = document.createElement('span');
    who.className = 'who';
    const name = document.createElement('strong');
    name.textContent = u === me ? 'You' : store.nameOf(u);
    // "@username · Group admin": the username gives way (an ellipsis) before the admin mark does.
    const sub = document.createElement('span');
    sub.className = 'sub';
    const handle = document.createElement('span');
    handle.className = 'handle';
    handle.textContent = `@${u}`;
    sub.append(handle);
    if (c.admins.includes(u)) {
      const badge = document.createElement('span');
      badge.className = 'admin-badge';
      badge.textContent = 'Group admin';
      sub.append(badge);
    }
    who.append(name, sub);
    li.append(av, who);
    if (admin && u !== me) {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'icon-btn member-menu-btn';
      btn.innerHTML = icons.more;
      btn.setAttribute('aria-label', `Options for ${store.nameOf(u)}`);
      btn.setAttribute('aria-haspopup', 'menu');
      btn.setAttribute('aria-expanded', 'false');
      btn.onclick = () => this.memberMenu(btn, u);
      li.append(btn);
    }
    return li;
  }

  memberMenu(anchor, u) {
    const c = this.conv;
    const { conn, store } = this.app;
    const isAdmin = c.admins.includes(u);
    openMenu(anchor, [
      {
        label: isAdmin ? 'Dismiss as admin' : 'Make group admin',
        run: () => this.act(() => conn.request('group.admin', { conv: c.id, member: u, admin: !isAdmin }).then((ok) => { c.admins = ok.admins; })),
      },
      {
        label: 'Remove from group',
        danger: true,
        run: async () => {
          if (!(await this.dialogs.confirm(`Remove ${store.nameOf(u)} from “${store.title(c)}”?`, 'Remove'))) return;
          await this.act(() => conn.request('group.remove', { conv: c.id, member: u }).then((ok) => { c.members = ok.members; c.admins = c.admins.filter((a) => a !== u); }));
        },
      },
    ]);
  }

  async act(fn) {
    const c = this.conv;
    $('info-error').textContent = '';
    try { await fn(); } catch (err) { $('info-error').textContent = err.message; }
    this.app.store.changed(c.id);
    this.render();
  }

  async add() {
    const c = this.conv;
    const users = typedNames($('add-member-input').value);
    if (!users.length) return;
    $('info-error').textContent = '';
    try {
      const unknown = await this.app.users.unknown(users);
      if (unknown.length) { $('info-error').textContent = noSuchUsers(unknown); return; }
    } catch (err) {
      $('info-error').textContent = `Could not check the names: ${err.message}`;
      return;
    }
    await this.act(() => this.app.conn.request('group.add', { conv: c.id, members: users }).then((ok) => { c.members = ok.members; $('add-member-input').value = ''; }));
  }

  async leave() {
    const c = this.conv;
    if (!(await this.dialogs.confirm(`Exit “${this.app.store.title(c)}”?`, 'Exit group'))) return;
    await this.act(() => this.app.conn.request('group.leave', { conv: c.id }).then(() => { c.left = true; }));
    $('dlg-info').close();
  }

  /** Shows the group's link: the live one, or a new one (group.invite gives the same code while it is not revoked). */
  async invite() {
    const c = this.conv;
    await this.act(() => this.app.conn.request('group.invite', { conv: c.id }).then((ok) => { c.inviteCode = ok.code; }));
  }

  async copyInvite() {
    const c = this.conv;
    if (!c?.inviteCode) return;
    const copied = await copyText(inviteLink(c.inviteCode), $('invite-link'));
    this.app.toast(copied ? 'Link copied.' : 'Select the link and copy it.');
  }

  /** Revokes the link after a confirm: it stops working for everyone it was shared with. */
  async revokeInvite() {
    const c = this.conv;
    if (!(await this.dialogs.confirm('Revoke this invite link? Anyone who has it can no longer join with it; you can make a new one.', 'Revoke link'))) return;
    await this.act(() => this.app.conn.request('group.revokeInvite', { conv: c.id }).then(() => { c.inviteCode = null; }));
  }

  startRename() {
    $('rename-input').value = this.conv.name ?? '';
    $('info-title').hidden = true;
    $('form-rename').hidden = false;
    $('rename-input').focus();
    $('rename-input').select();
  }

  endRename() {
    $('form-rename').hidden = true;
    $('info-title').hidden = false;
  }

  async rename() {
    const c = this.conv;
    const name = $('rename-input').value.trim();
    if (!name) { $('info-error').textContent = 'Give the group a name.'; return; }
    if (name === c.name) { this.endRename(); return; }
    $('info-error').textContent = '';
    try {
      await this.app.conn.request('group.rename', { conv: c.id, name });
      c.name = name;
      this.endRename();
    } catch (err) {
      $('info-error').textContent = err.code === 'forbidden' ? 'Only group admins can rename the group.' : err.message;
    }
    this.app.store.changed(c.id);
    this.render();
  }
}
