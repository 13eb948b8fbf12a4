// What can be sent: the types and limits the server announced in welcome.limits.media, and how files are named and
// shown (photos and videos inline, everything else as a document card).

// Each type the client knows: how it is named to people, and the extension of its files.
const TYPES = {
  'image/jpeg': ['JPEG', 'jpg'], 'image/png': ['PNG', 'png'], 'image/gif': ['GIF', 'gif'], 'image/webp': ['WebP', 'webp'],
  'video/mp4': ['MP4', 'mp4'], 'video/webm': ['WebM', 'webm'], 'video/quicktime': ['MOV', 'mov'],
  'application/pdf': ['PDF', 'pdf'], 'text/plain': ['Text', 'txt'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['Word', 'docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['Excel', 'xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['PowerPoint', 'pptx'],
};

// Document cards are coloured by type, as people know them (white text passes 4.5:1 on each).
const DOC_COLOURS = { pdf: '#c4281c', docx: '#2b579a', xlsx: '#1d6f42', pptx: '#b7472a', txt: '#5e6a71' };

/** The message kind for a type: photos and videos are shown inline, the rest are documents. */
export function kindOf(mime) {
  if (mime?.startsWith('image/')) return 'image';
  if (mime?.startsWith('video/')) return 'video';
  return 'file';
}

export const extensionOf = (mime) => TYPES[mime]?.[1] ?? 'bin';
export const labelOf = (mime) => TYPES[mime]?.[0] ?? mime;
export const docColour = (ext) => DOC_COLOURS[ext] ?? '#5e6a71';

/** "12 KB", "3.4 MB": a size as people read it (in 1024s, as the limits are set). */
export function formatSize(bytes) {
  if (bytes == null) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)} ${units[i]}`;
}

/** A file's extension from its name, lower case ("Report.PDF" → "pdf"), or ''. */
export function nameExtension(name) {
  const m = /\.([a-z0-9]{1,8})$/i.exec(name ?? '');
  return m ? m[1].toLowerCase() : '';
}

/** The upload types the server accepts, each with its limit, from `welcome.limits.media`. */
export class MediaTypes {
  constructor() { this.limits = new Map(); }

  /** Takes the list from a welcome (this server always sends it; without one, nothing is offered). */
  update(media) {
    this.limits = new Map((Array.isArray(media) ? media : []).map((t) => [t.mime, t.maxBytes]));
  }

  /** The `accept` attribute of the file picker. */
  accept() { return [...this.limits.keys(), ...[...this.limits.keys()].map((m) => `.${extensionOf(m)}`)].join(','); }

  /**
   * The type to upload a file as: the browser's, or (browsers leave it empty for some files, and name some office
   * files differently) the allowed type whose extension the name has. The server checks the bytes either way.
   */
  typeOf(file) {
    if (this.limits.has(file.type)) return file.type;
    const ext = nameExtension(file.name);
    if (ext === 'jpeg') return this.limits.has('image/jpeg') ? 'image/jpeg' : null;
    for (const mime of this.limits.keys()) if (extensionOf(mime) === ext) return mime;
    return null;
  }

  /** Why a file cannot be sent, or null when it can: its type, then its size. */
  refusal(file) {
    const mime = this.typeOf(file);
    if (!this.limits.size) return 'This server does not take files.';
    if (!mime) {
      const kinds = [...new Set([...this.limits.keys()].map((m) => labelOf(m)))];
      return `This type of file can't be sent. You can send ${kinds.join(', ')} files.`;
    }
    const max = this.limits.get(mime);
    if (file.size > max) return `That file is too large: ${labelOf(mime)} files can be at most ${formatSize(max)}.`;
    if (file.size === 0) return 'That file is empty.';
    return null;
  }
}
