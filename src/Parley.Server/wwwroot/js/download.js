// Saving a photo, a video or a document to the user's disk. Media needs the bearer header, which a plain link cannot
// send, so the file is fetched with it and saved from a blob URL under a name of our choosing.
import { ApiError, MEDIA_GONE } from './api.js';
import { extensionOf, nameExtension } from './files.js';
import { bodyFileName } from './messages.js';

const pad = (n) => String(n).padStart(2, '0');

/** The name a file is saved under: a document's own name, else "Parley photo 2026-05-04 at 14.02.33.jpg". */
export function downloadName(m) {
  const mime = m.media?.mime;
  const own = bodyFileName(m.body);
  if (own) return nameExtension(own) || !mime ? own : `${own}.${extensionOf(mime)}`;
  const d = new Date(m.ts);
  const what = m.kind === 'video' ? 'video' : m.kind === 'image' ? 'photo' : 'file';
  return `Parley ${what} ${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} at ${pad(d.getHours())}.${pad(d.getMinutes())}.${pad(d.getSeconds())}.${extensionOf(mime)}`;
}

/** Fetches the message's media (or uses the local copy of one just sent) and saves it. */
export async function downloadMedia(token, m) {
  let url = m.localUrl;
  let made = false;
  if (!url) {
    let response;
    try {
      response = await fetch(`/v1/media/${encodeURIComponent(m.media.id)}`, { headers: { Authorization: `Bearer ${token}` } });
    } catch {
      throw new ApiError(0, 'network', 'The download failed: the server cannot be reached.');
    }
    if (!response.ok) throw new ApiError(response.status, 'not_found', MEDIA_GONE);
    url = URL.createObjectURL(await response.blob());
    made = true;
  }
  const a = document.createElement('a');
  a.href = url;
  a.download = downloadName(m);
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file by the next task; a blob URL kept would hold the whole file in memory.
  if (made) setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
