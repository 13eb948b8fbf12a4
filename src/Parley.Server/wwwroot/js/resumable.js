// Resumable uploads (tus 1.0.0 at /v1/uploads), for files a dropped connection should not cost: the file goes in
// PATCHes of CHUNK bytes (slices of the File: nothing is copied), and after a failure that may pass (the network, 409,
// 423, 429, 5xx) HEAD tells where the server's bytes end and the upload goes on from there, after each of RETRY_DELAYS
// in turn; a try that moved the upload on starts the count again. While the browser is offline the upload waits for
// it to come back, however long, without using up its tries. An upload that failed in the end is continued where the
// server's bytes end when tried again (its address is kept), not started over. Progress is reported as api.upload
// reports it.
import { ApiError } from './api.js';

/** Files of at least this many bytes are uploaded resumably; smaller ones are one POST /v1/media (api.upload). */
export const RESUMABLE_FROM = 1024 * 1024;
const CHUNK = 1024 * 1024;
const RETRY_DELAYS = [500, 1000, 2000, 4000, 8000];

/**
 * Uploads a file resumably. Returns { promise, abort } as api.upload does; the promise resolves to
 * { mediaId, mime, size } (what a tus upload learns of its media). abort() stops it and deletes it on the server.
 * `resume` is the address of an earlier try of the same file (it goes on from the server's offset; a new upload is
 * made when that one is gone); `onLocation(url)` learns the address, `onWaiting(bool)` whether it waits for the network.
 */
export function uploadResumable(token, file, mime, onProgress, { resume = null, onLocation = () => {}, onWaiting = () => {} } = {}) {
  const headers = { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' };
  let aborted = false;
  let xhr = null;
  let location = resume;
  let wake = null;

  const stopped = () => new ApiError(0, 'aborted', 'The upload was cancelled.');
  const sleep = (ms) => new Promise((resolve) => { wake = resolve; setTimeout(resolve, ms); });
  // Resolves when the browser is online again (or the upload is aborted).
  const online = () => new Promise((resolve) => {
    const done = () => { window.removeEventListener('online', done); resolve(); };
    wake = done;
    window.addEventListener('online', done);
    if (navigator.onLine) done();
  });

  async function request(method, url, extra) {
    let response;
    try {
      response = await fetch(url, { method, headers: { ...headers, ...extra } });
    } catch {
      throw new ApiError(0, 'network', 'The upload failed: the server cannot be reached.');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async function create() {
    const response = await request('POST', '/v1/uploads', {
      'Upload-Length': String(file.size),
      'Upload-Metadata': `filetype ${btoa(mime)}`,
    });
    // tus allows a relative Location: relative to the request's address.
    return new URL(response.headers.get('Location'), new URL('/v1/uploads', window.location.href)).href;
  }

  async function head() {
    const response = await request('HEAD', location);
    return { offset: Number(response.headers.get('Upload-Offset')), mediaId: response.headers.get('Parley-Media-Id') };
  }

  function patch(offset) {
    return new Promise((resolve, reject) => {
      xhr = new XMLHttpRequest();
      xhr.open('PATCH', location);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('Upload-Offset', String(offset));
      xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      xhr.upload.onprogress = (e) => onProgress((offset + e.loaded) / file.size);
      xhr.onload = () => {
        if (xhr.status === 204) {
          resolve({ offset: Number(xhr.getResponseHeader('Upload-Offset')), mediaId: xhr.getResponseHeader('Parley-Media-Id') });
          return;
        }
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch { /* not JSON: reported by status */ }
        reject(new ApiError(xhr.status, data?.error?.code, data?.error?.message));
      };
      xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed: the server cannot be reached.'));
      xhr.onabort = () => reject(stopped());
      xhr.send(file.slice(offset, Math.min(file.size, offset + CHUNK)));
    });
  }

  const promise = (async () => {
    // A resumed upload asks the server where its bytes end before sending any.
    let offset = location ? null : 0;
    let confirmed = 0;
    let failures = 0;
    onProgress(0);
    for (;;) {
      if (aborted) throw stopped();
      try {
        if (!location) {
          location = await create();
          onLocation(location);
        }
        if (offset === null) {
          let held;
          try {
            held = await head();
          } catch (err) {
            // The earlier try is gone (expired, or refused at its end): start again.
            if (err.status !== 404 || !resume) throw err;
            resume = null;
            location = null;
            offset = confirmed = 0;
            continue;
          }
          if (held.mediaId) return { mediaId: held.mediaId, mime, size: file.size };
          // The cut PATCH left bytes on the server: that is progress.
          if (held.offset > confirmed) failures = 0;
          offset = confirmed = held.offset;
          onProgress(offset / file.size);
        }
        const done = await patch(offset);
        if (done.mediaId) return { mediaId: done.mediaId, mime, size: file.size };
        if (!(done.offset > offset)) throw new ApiError(409, 'conflict', 'The server took nothing of the upload.');
        offset = confirmed = done.offset;
        failures = 0;
      } catch (err) {
        if (err.status === 0 && !aborted && !navigator.onLine) {
          // Offline: no try would pass; wait for the network, and keep the tries for when it is back.
          onWaiting(true);
          await online();
          onWaiting(false);
          if (location) offset = null;
          continue;
        }
        if (aborted || !mayPass(err) || failures >= RETRY_DELAYS.length) throw aborted ? stopped() : err;
        await sleep(RETRY_DELAYS[failures++]);
        if (location) offset = null;
      }
    }
  })();

  function abort() {
    aborted = true;
    xhr?.abort();
    wake?.();
    // Best effort: an upload left behind expires on the server.
    if (location) fetch(location, { method: 'DELETE', headers, keepalive: true }).catch(() => {});
  }

  return { promise, abort };
}

const mayPass = (err) => err.status === 0 || err.status === 409 || err.status === 423 || err.status === 429 || err.status >= 500;

async function errorOf(response) {
  const data = await response.json().catch(() => null);
  return new ApiError(response.status, data?.error?.code, data?.error?.message);
}
