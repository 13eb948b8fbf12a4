// The media service worker. GET /v1/media/... needs `Authorization: Bearer`, which <video src> and <img src>
// cannot send, and the protocol has no token parameter. This worker adds the header to the page's media GETs and
// passes Range through, so a video streams with 206 answers instead of downloading whole into a blob first.
// The page hands over the token (js/mediaworker.js); it is also kept in Cache Storage because the browser stops an
// idle worker and starts a fresh one (with empty globals) for the next request.

const TOKEN_CACHE = 'parley-media-token';
const TOKEN_KEY = '/parley-media-token';

let token; // undefined: not read from the cache yet; null: signed out

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'token') return;
  const reply = event.ports[0];
  // claim(): a page loaded without a controller (a forced reload) is taken over, so its media comes here too.
  event.waitUntil(saveToken(event.data.token ?? null)
    .then(() => self.clients.claim())
    .then(() => reply?.postMessage({ ok: true }), (err) => reply?.postMessage({ ok: false, error: String(err) })));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/v1/media/')) return;
  event.respondWith(fetchWithToken(request));
});

async function saveToken(value) {
  token = value;
  const cache = await caches.open(TOKEN_CACHE);
  if (value) await cache.put(TOKEN_KEY, new Response(value));
  else await cache.delete(TOKEN_KEY);
}

async function currentToken() {
  if (token === undefined) {
    const stored = await (await caches.open(TOKEN_CACHE)).match(TOKEN_KEY);
    token = stored ? await stored.text() : null;
  }
  return token;
}

async function fetchWithToken(request) {
  const value = await currentToken();
  if (!value) return fetch(request);
  const headers = new Headers(request.headers); // Range among them
  headers.set('Authorization', `Bearer ${value}`);
  // A media element's request is `no-cors`, whose headers may not carry Authorization: a same-origin request may.
  return fetch(request.url, { headers, mode: 'same-origin', credentials: 'same-origin', signal: request.signal });
}
