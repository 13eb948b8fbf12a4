// Search in the open chat. Bodies are opaque to the server (they may be end-to-end encrypted), so this searches the
// messages the page has loaded; "Search older" loads earlier history into the search.
import { icons } from './icons.js';
import { contains } from './richtext.js';
import { searchableText } from './messages.js';

const $ = (id) => document.getElementById(id);

export class MessageSearch {
  constructor(view) {
    this.view = view;
    this.bar = $('msg-search');
    this.input = $('msg-search-input');
    this.count = $('msg-search-count');
    this.query = '';
    this.hits = []; // message keys, oldest first
    this.at = -1; // index into hits of the current match
    $('btn-search').innerHTML = icons.search;
    $('msg-search-older').innerHTML = icons.up;
    $('msg-search-newer').innerHTML = icons.down;
    $('msg-search-close').innerHTML = icons.close;
    $('btn-search').onclick = () => (this.bar.hidden ? this.open() : this.close());
    $('msg-search-close').onclick = () => this.close();
    $('msg-search-older').onclick = () => this.step(-1);
    $('msg-search-newer').onclick = () => this.step(1);
    this.input.oninput = () => this.run(this.input.value.trim(), true);
    this.input.onkeydown = (e) => {
      if (e.key === 'Enter') { e.preventDefault(); this.step(e.shiftKey ? 1 : -1); }
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); this.close(); }
    };
  }

  get active() { return !this.bar.hidden && !!this.query; }

  open() {
    this.bar.hidden = false;
    $('btn-search').classList.add('active');
    this.input.focus();
    this.input.select();
  }

  close() {
    const had = this.query;
    this.bar.hidden = true;
    $('btn-search').classList.remove('active');
    this.input.value = '';
    this.query = '';
    this.hits = [];
    this.at = -1;
    if (had) this.view.render();
    if (this.view.conv) $('input').focus();
  }

  /** Finds the matches; a new query starts at the newest one. Called again after each render, to follow new messages. */
  run(query, fresh = false) {
    const c = this.view.conv;
    const { store } = this.view.app;
    const current = this.hits[this.at];
    this.query = query;
    this.hits = c && query ? store.sorted(c).filter((m) => contains(searchableText(m), query)).map((m) => m.key) : [];
    if (fresh || !this.hits.includes(current)) this.at = this.hits.length - 1;
    else this.at = this.hits.indexOf(current);
    if (fresh) {
      this.view.render();
      this.reveal();
    }
    this.showCount();
  }

  step(delta) {
    if (!this.hits.length) {
      // Nothing in what is loaded: older messages may have it.
      if (delta < 0 && this.view.conv?.hasOlder) this.searchOlder();
      return;
    }
    const next = this.at + delta;
    if (next < 0) {
      if (this.view.conv?.hasOlder) this.searchOlder();
      return;
    }
    this.at = Math.min(this.hits.length - 1, next);
    this.view.markCurrent();
    this.reveal();
    this.showCount();
  }

  async searchOlder() {
    const before = this.hits.length;
    await this.view.loadOlder();
    this.run(this.query);
    if (this.hits.length > before) this.at = this.hits.length - before - 1;
    this.view.markCurrent();
    this.reveal();
    this.showCount();
  }

  /** The key of the message the search is on, for the view to outline. */
  currentKey() { return this.active ? this.hits[this.at] : null; }

  reveal() {
    const key = this.currentKey();
    if (!key) return;
    const el = this.view.els.get(key);
    el?.scrollIntoView({ block: 'center' });
  }

  showCount() {
    const more = this.view.conv?.hasOlder;
    if (!this.query) this.count.textContent = '';
    else if (!this.hits.length) this.count.textContent = 'No results';
    else this.count.textContent = `${this.at + 1} of ${this.hits.length}${more ? '+' : ''}`;
    $('msg-search-older').disabled = !this.query || (this.at <= 0 && !more);
    $('msg-search-newer').disabled = !this.query || this.at >= this.hits.length - 1;
    $('msg-search-older').title = this.at <= 0 && more ? 'Search older messages' : 'Older match';
  }
}
