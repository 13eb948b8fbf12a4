// Group invite links (v1.1): `<origin>/#join/<code>`. An admin makes, copies and revokes the group's link in the
// group's info (groupinfo.js); whoever opens it joins the group once signed in (app.js calls joinByCode).

const JOIN = /^#join\/([A-Za-z0-9_-]{16,256})$/;

/** The invite code in an address's hash (`#join/<code>`), or null. */
export function inviteCodeIn(hash) {
  return JOIN.exec(hash ?? '')?.[1] ?? null;
}

/** The link that joins a group by its code. */
export function inviteLink(code) {
  return `${location.origin}/#join/${code}`;
}

/** Joins the group of `code` and opens it; says why when the link does not work. */
export async function joinByCode(app, code) {
  const { conn, store } = app;
  try {
    const ok = await conn.request('group.join', { code });
    const c = store.conv(ok.conv);
    c.kind = 'group';
    c.members = [...ok.members];
    c.admins = [...ok.admins];
    c.left = false;
    c.needsInfo = true; // the name and the settings come with group.info
    c.historyLoaded = false;
    c.lastActivity ||= Date.now() + store.skew;
    app.open(ok.conv);
  } catch (err) {
    app.toast(err.code === 'not_found' ? 'This invite link is not valid: it may have been revoked.'
      : err.code === 'group_full' ? 'This group is full.'
        : `Could not join the group: ${err.message}`);
  }
}

/** Puts text on the clipboard; where the Clipboard API is missing (plain http off localhost), through a selection. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.focus();
    input.select();
    return document.execCommand('copy');
  }
}
