// The connection's state: a dot and a word in the header, and while not online a banner that says what is going on
// ("Connecting…", or "Not connected. Retrying in 7 s") with "Reconnect now", which skips the rest of the wait.

const LABELS = { connecting: 'connecting…', online: 'online', reconnecting: 'reconnecting…' };
const $ = (id) => document.getElementById(id);

export class ConnectionBanner {
  constructor(conn) {
    this.conn = conn;
    this.ticker = 0;
    $('btn-reconnect').onclick = () => this.conn.retryNow();
  }

  show(state) {
    const el = $('conn-state');
    el.dataset.state = state;
    el.textContent = LABELS[state] ?? state;
    const banner = $('conn-banner');
    banner.hidden = state === 'online';
    clearInterval(this.ticker);
    if (state === 'online') return;
    this.paint();
    // The countdown moves every second while the banner shows.
    this.ticker = setInterval(() => this.paint(), 1000);
  }

  paint() {
    const { conn } = this;
    const waiting = conn.retryAt > Date.now();
    const first = conn.state === 'connecting';
    $('conn-banner').querySelector('.spinner').hidden = waiting;
    $('btn-reconnect').hidden = !waiting;
    // Messages written meanwhile wait with a clock and go once connected; the banner only says when that may be.
    $('conn-banner-text').textContent = waiting
      ? `${first ? 'Cannot reach Parley.' : 'Not connected.'} Retrying in ${Math.ceil((conn.retryAt - Date.now()) / 1000)}\u00a0s.`
      : first ? 'Connecting to Parley…' : 'Reconnecting… Messages will be sent when you are back online.';
  }

  stop() { clearInterval(this.ticker); }
}
