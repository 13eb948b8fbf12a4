// Display names: looked up once per user (GET /v1/users/{name}) and shown instead of usernames once known.
import * as api from './api.js';

const RETRY_AFTER_MS = 30_000;
// Lookups at once; a group of 200 opens its member list without 200 requests in flight.
const MAX_IN_FLIGHT = 4;

export class Users {
  /** @param {() => void} onChange called when a name becomes known, so that the page can show it. */
  constructor(token, onChange) {
    this.token = token;
    this.onChange = onChange;
    this.known = new Map(); // username -> { username, displayName }, or null: there is no such user
    this.pending = new Map(); // username -> Promise
    this.failedAt = new Map(); // username -> when a lookup last failed for want of the network
    this.inFlight = 0;
    this.waiting = []; // starts of lookups waiting for a slot
  }

  /** The name to show for a user: the display name once known, the username until then (and the lookup starts). */
  name(username) {
    const known = this.known.get(username);
    if (known === undefined && !this.pending.has(username) && !(Date.now() - (this.failedAt.get(username) ?? -Infinity) < RETRY_AFTER_MS)) {
      this.lookup(username).then(() => this.onChange(), () => { /* tried again later */ });
    }
    return known?.displayName || username;
  }

  /** Resolves to { username, displayName }, or null when there is no such user; rejects when the server cannot say. */
  lookup(username) {
    if (this.known.has(username)) return Promise.resolve(this.known.get(username));
    let p = this.pending.get(username);
    if (!p) {
      p = this.slot().then(() => api.user(this.token, username)).finally(() => this.release()).then((u) => {
        this.known.set(username, u);
        return u;
      }, (err) => {
        if (err.status === 404) { this.known.set(username, null); return null; }
        this.failedAt.set(username, Date.now());
        throw err;
      }).finally(() => this.pending.delete(username));
      this.pending.set(username, p);
    }
    return p;
  }

  slot() {
    if (this.inFlight < MAX_IN_FLIGHT) { this.inFlight++; return Promise.resolve(); }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release() {
    const next = this.waiting.shift();
    if (next) next(); else this.inFlight--;
  }

  /** The names among `usernames` that have no account (looked up in parallel); rejects when the server cannot say. */
  async unknown(usernames) {
    const found = await Promise.all(usernames.map((u) => this.lookup(u)));
    return usernames.filter((_, i) => found[i] === null);
  }
}

/** "zed", "zed and quux", "zed, quux and bar": names in a sentence. */
export function sentenceList(names) {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The words for names that have no account: `There is no user named "zed".` */
export function noSuchUsers(names) {
  const quoted = names.map((n) => `“${n}”`);
  return names.length === 1 ? `There is no user named ${quoted[0]}.` : `There are no users named ${sentenceList(quoted)}.`;
}

/** Usernames typed in a field: split on commas, semicolons and spaces; lower case; each once. */
export function typedNames(text) {
  return [...new Set(text.split(/[\s,;]+/).map((u) => u.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))];
}
