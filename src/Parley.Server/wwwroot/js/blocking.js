// Blocking (v1.1): the account's list of blocked users (asked at each connection: a block made on another device
// sends no event), and blocking or unblocking someone from their chat. A blocked user's messages never reach this
// account; the chat says it is blocked and offers "Unblock" instead of the composer.

export class Blocking {
  constructor(app) {
    this.app = app;
  }

  /** Asks the server for the list; a server without blocking (a v1.0 one answers bad_request) leaves it empty. */
  async load() {
    const { conn, store } = this.app;
    if (conn.state !== 'online') return;
    try {
      const ok = await conn.request('blocked', {});
      store.blocked = new Set(ok.users ?? []);
      store.changed('*');
    } catch { /* asked again at the next connection */ }
  }

  /** Blocks `user` after a confirm; resolves to whether it did. */
  async block(user) {
    const { store, dialogs, conn } = this.app;
    const name = store.nameOf(user);
    const ok = await dialogs.confirm(
      `Block ${name}? Blocked contacts cannot send you messages or see when you are online. They are not told.`, 'Block');
    if (!ok) return false;
    try {
      await conn.request('block', { user });
      store.blocked.add(user);
      store.changed('*');
      this.app.toast(`${name} is blocked.`);
      return true;
    } catch (err) {
      this.app.toast(`Could not block ${name}: ${err.message}`);
      return false;
    }
  }

  async unblock(user) {
    const { store, conn } = this.app;
    const name = store.nameOf(user);
    try {
      await conn.request('unblock', { user });
      store.blocked.delete(user);
      store.changed('*');
      this.app.toast(`${name} is unblocked.`);
    } catch (err) {
      this.app.toast(`Could not unblock ${name}: ${err.message}`);
    }
  }
}
