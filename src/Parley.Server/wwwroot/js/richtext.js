// A message's text as DOM nodes (never HTML): web addresses become links, and a search's matches are marked.

// http(s) addresses and bare "www." ones; anything else (javascript:, data:, file:) stays text.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
// Punctuation that ends a sentence rather than an address ("see https://x.org/a.").
const TRAILING = /[.,:;!?'"’”)\]}>*_~]/;
const count = (text, ch) => text.split(ch).length - 1;

/** The link target for an address found in text, or null when it is not a safe http(s) URL. */
export function linkTarget(text) {
  try {
    const url = new URL(/^www\./i.test(text) ? `https://${text}` : text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits text into plain and link pieces: [{ text, href? }]. */
export function tokens(text) {
  const out = [];
  let at = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let raw = match[0];
    while (raw.length && TRAILING.test(raw.at(-1))) {
      // A closing parenthesis the address opened is part of it (Wikipedia's "Foo_(bar)").
      if (raw.at(-1) === ')' && count(raw, '(') >= count(raw, ')')) break;
      raw = raw.slice(0, -1);
    }
    const href = raw.length > 4 ? linkTarget(raw) : null;
    if (!href) continue;
    if (match.index > at) out.push({ text: text.slice(at, match.index) });
    out.push({ text: raw, href });
    at = match.index + raw.length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** Appends `text` to `parent`: links that open in a new tab without access to this page, and `query` marked. */
export function appendRichText(parent, text, query = '') {
  for (const piece of tokens(text)) {
    let target = parent;
    if (piece.href) {
      const a = document.createElement('a');
      a.href = piece.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parent.append(a);
      target = a;
    }
    appendMarked(target, piece.text, query);
  }
}

/** Appends text with every case-insensitive occurrence of `query` in a <mark>. */
export function appendMarked(parent, text, query) {
  if (!query) { parent.append(text); return; }
  const lower = text.toLocaleLowerCase();
  const q = query.toLocaleLowerCase();
  let at = 0;
  for (let i = lower.indexOf(q); i >= 0 && q; i = lower.indexOf(q, at)) {
    if (i > at) parent.append(text.slice(at, i));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(i, i + q.length);
    parent.append(mark);
    at = i + q.length;
  }
  if (at < text.length) parent.append(text.slice(at));
}

/** Whether `text` contains `query`, as search matches it. */
export const contains = (text, query) => !!query && (text ?? '').toLocaleLowerCase().includes(query.toLocaleLowerCase());
