// The WebSocket session: hello/welcome, requests with rid, inbox events in seq order with acks,
// reconnect with backoff and resume from the last acked seq (kept in localStorage).

const PING_EVERY_MS = 25_000;
const PING_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
const ACK_DELAY_MS = 50;

export class RequestError extends Error {
  constructor(code, message, retryAfterMs) {
    super(message || code);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export class Connection {
  /**
   * @param {{ token: string, deviceId: string, onEvent: (frame) => void, onState: (state) => void,
   *           onWelcome: (welcome) => void, onUnauthorized: () => void }} options
   */
  constructor(options) {
    this.options = options;
    this.state = 'connecting';
    this.socket = null;
    this.rid = 0;
    this.pending = new Map(); // rid -> { frame, resolve, reject, resend, timer }
    this.afterKey = `parley.after.${options.deviceId}`;
    this.processed = Number(localStorage.getItem(this.afterKey) || 0);
    this.acked = this.processed;
    this.ackTimer = 0;
    this.attempt = 0;
    this.retryTimer = 0;
    this.retryAt = 0; // when the next attempt starts, while waiting for it; 0 while one is under way or online
    this.pingTimer = 0;
    this.stopped = false;
    this.onOnline = () => { if (this.state !== 'online') this.retryNow(); };
    // An open socket can outlive the network silently (the ping finds out within 40 s); when the browser
    // knows it is offline, give the socket up at once so the state shows it and resumption starts on `online`.
    this.onOffline = () => {
      const socket = this.socket;
      if (!socket) return;
      socket.onclose = null;
      socket.close(4000, 'offline');
      this.lost(socket, 4000, this.state === 'online');
    };
    // A page closed or reloaded within the ack delay would otherwise have its last events replayed to the next one.
    this.onPageHide = () => this.flushAck();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('pagehide', this.onPageHide);
  }

  start() { this.open(); }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('pagehide', this.onPageHide);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.flushAck();
    if (this.socket) this.socket.close(1000);
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(new RequestError('closed', 'Logged out.')); }
    this.pending.clear();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.options.onState(state);
  }

  open() {
    this.retryAt = 0;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    let welcomed = false;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'hello', token: this.options.token, after: this.processed, background: false }));
    };
    socket.onmessage = (e) => {
      if (socket !== this.socket) return;
      let frame;
      try { frame = JSON.parse(e.data); } catch { return; }
      if (frame.type === 'welcome') {
        welcomed = true;
        this.attempt = 0;
        this.setState('online');
        this.options.onWelcome(frame);
        this.startPings();
        // Requests that may be repeated safely (a send is deduplicated by its cid) go again.
        for (const [rid, p] of this.pending) {
          if (!p.sentOn || p.sentOn !== socket) this.transmit(rid, p);
        }
        return;
      }
      this.receive(frame);
    };
    socket.onclose = (e) => this.lost(socket, e.code, welcomed);
  }

  /** The socket ended (closed by either side, or given up because the browser went offline): resume later. */
  lost(socket, code, welcomed) {
    if (socket !== this.socket) return;
    clearInterval(this.pingTimer);
    this.socket = null;
    for (const [rid, p] of this.pending) {
      if (p.resend) { p.sentOn = null; continue; }
      clearTimeout(p.timer);
      this.pending.delete(rid);
      p.reject(new RequestError('disconnected', 'The connection was lost.'));
    }
    if (this.stopped) return;
    if (code === 4401) { this.options.onUnauthorized(); return; }
    this.setState(welcomed || this.state !== 'connecting' ? 'reconnecting' : 'connecting');
    clearTimeout(this.retryTimer);
    const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt = Math.min(this.attempt + 1, 5);
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => this.open(), delay);
    this.options.onState(this.state);
  }

  /** Starts the next attempt now instead of at the end of the backoff ("Reconnect now", the browser coming online). */
  retryNow() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.socket) this.open();
    this.options.onState(this.state);
  }

  /** A silent network leaves a socket open for minutes; an unanswered ping ends it so that we resume. */
  startPings() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      const timeout = setTimeout(() => { if (socket === this.socket) socket.close(4000, 'ping timeout'); }, PING_TIMEOUT_MS);
      this.request('ping', {}).then(() => clearTimeout(timeout), () => clearTimeout(timeout));
    }, PING_EVERY_MS);
  }

  receive(frame) {
    if ((frame.type === 'ok' || frame.type === 'error') && frame.rid != null) {
      const p = this.pending.get(frame.rid);
      if (!p) return;
      this.pending.delete(frame.rid);
      clearTimeout(p.timer);
      if (frame.type === 'ok') p.resolve(frame);
      else p.reject(new RequestError(frame.code, frame.message, frame.retryAfterMs));
      return;
    }
    // Every inbox event carries a seq, those of types this page does not know too (v1.1: they are still acked).
    if (typeof frame.seq === 'number') {
      // Re-pushes and replays after a resume carry seqs already handled: ack them again, show nothing twice.
      if (frame.seq > this.processed) {
        this.processed = frame.seq;
        try { this.options.onEvent(frame); } catch (err) { console.error('event handler failed', frame, err); }
      }
      this.scheduleAck();
      return;
    }
    // presence, typing and unknown frames: not in the inbox, nothing to ack.
    try { this.options.onEvent(frame); } catch (err) { console.error('event handler failed', frame, err); }
  }

  scheduleAck() {
    if (this.ackTimer) return;
    this.ackTimer = setTimeout(() => { this.ackTimer = 0; this.flushAck(); }, ACK_DELAY_MS);
  }

  flushAck() {
    clearTimeout(this.ackTimer);
    this.ackTimer = 0;
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type: 'ack', seq: this.processed }));
    if (this.processed > this.acked) {
      this.acked = this.processed;
      localStorage.setItem(this.afterKey, String(this.acked));
    }
  }

  /**
   * Sends a request and resolves with its ok frame. `resend` requests (sends, deduplicated by cid) wait
   * through disconnections and go again on the next connection; others fail when the connection drops.
   */
  request(type, fields, { resend = false } = {}) {
    const rid = `r${++this.rid}`;
    return new Promise((resolve, reject) => {
      const p = { frame: { type, rid, ...fields }, resolve, reject, resend, sentOn: null, timer: 0 };
      if (!resend) {
        p.timer = setTimeout(() => {
          this.pending.delete(rid);
          reject(new RequestError('timeout', 'The server did not answer in time.'));
        }, REQUEST_TIMEOUT_MS);
      }
      this.pending.set(rid, p);
      if (this.state === 'online') this.transmit(rid, p);
      else if (!resend) {
        clearTimeout(p.timer);
        this.pending.delete(rid);
        reject(new RequestError('disconnected', 'Not connected. Waiting for the network…'));
      }
    });
  }

  transmit(rid, p) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    p.sentOn = this.socket;
    this.socket.send(JSON.stringify(p.frame));
  }

  /** Frames without a reply (read, typing): best effort, dropped when offline. */
  notify(type, fields) {
    if (this.state !== 'online' || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type, ...fields }));
  }
}
