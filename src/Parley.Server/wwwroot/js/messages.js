// Reading message bodies. Bodies are opaque to the server; this client writes a text or a caption as a JSON string,
// and a document as {"name": "report.pdf", "text": "caption"} (docs/protocol.md, "Media").

/** A body's text: a string is the text; an object's `text` field (a document without a caption has none); else its JSON. */
export function bodyText(body) {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    if (typeof body.text === 'string') return body.text;
    if (typeof body.name === 'string') return '';
  }
  return body == null ? '' : JSON.stringify(body);
}

/** A document's file name from its body, or ''. */
export function bodyFileName(body) {
  return body && typeof body === 'object' && typeof body.name === 'string' ? body.name : '';
}

/** The body this client sends for a document. */
export function documentBody(name, caption) {
  return caption ? { name, text: caption } : { name };
}

/** What search looks in: the text, and a document's name. */
export function searchableText(m) {
  if (m.deleted) return '';
  const name = bodyFileName(m.body);
  const text = bodyText(m.body);
  return name ? `${name}\n${text}` : text;
}

/** The chat list's (and a notification's) line for a message: an icon name for media, and the text. */
export function preview(me, m) {
  if (!m) return { text: '' };
  if (m.deleted) return { text: m.from === me ? 'You deleted this message' : 'This message was deleted' };
  const text = bodyText(m.body);
  if (m.kind === 'image') return { icon: 'camera', text: text || 'Photo' };
  if (m.kind === 'video') return { icon: 'video', text: text || 'Video' };
  if (m.kind === 'file') return { icon: 'attach', text: text || bodyFileName(m.body) || 'Document' };
  return { text };
}
