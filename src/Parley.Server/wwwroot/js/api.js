// The HTTP half of the protocol: accounts, sessions and media. Same origin as the page.
import { mediaStreams } from './mediaworker.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached.');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error?.code, data?.error?.message);
  return data;
}

export const register = (username, password, displayName) =>
  call('POST', '/v1/users', { body: displayName ? { username, password, displayName } : { username, password } });

export const login = (username, password) =>
  call('POST', '/v1/sessions', { body: { username, password, deviceName: `Web (${navigator.platform || 'browser'})`.slice(0, 64) } });

export const logout = (token) => call('DELETE', '/v1/sessions/current', { token });

/** An account and its display name; an ApiError with status 404 when there is no such user. */
export const user = (token, username) => call('GET', `/v1/users/${encodeURIComponent(username)}`, { token });

/**
 * Uploads a file with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * Returns { promise, abort }; the promise resolves to the server's media description.
 */
export function upload(token, file, mime, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', '/v1/media');
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', mime);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON: reported by status */ }
      if (xhr.status === 201) resolve(data);
      else reject(new ApiError(xhr.status, data?.error?.code, data?.error?.message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed: the server cannot be reached.'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

/**
 * Media GETs need the bearer token in a header, which <img src> and <video src> cannot send, and the protocol has
 * no token query parameter. Where the media service worker runs (mediaworker.js), a photo or video is loaded from
 * its plain URL and the worker adds the header, so a video streams with Range requests. Otherwise, and for
 * thumbnails (small, and shown again each time a bubble is redrawn), media is fetched with the header and shown
 * from a blob URL, kept per media for the page's life.
 */
const blobUrls = new Map();
export async function mediaUrl(token, mediaId, thumbnail) {
  const path = `/v1/media/${encodeURIComponent(mediaId)}${thumbnail ? '/thumbnail' : ''}`;
  if (!thumbnail && await mediaStreams()) return path;
  let url = blobUrls.get(path);
  if (!url) {
    url = (async () => {
      const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new ApiError(response.status, 'not_found', MEDIA_GONE);
      return URL.createObjectURL(await response.blob());
    })();
    blobUrls.set(path, url);
    url.catch(() => blobUrls.delete(path));
  }
  return url;
}

export const MEDIA_GONE = 'This media is no longer available.';
