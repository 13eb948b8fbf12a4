// Hands the session's token to the media service worker (/sw.js), which adds it to media GETs, so that <video> and
// <img> load /v1/media/... from its plain URL and a video streams with Range requests. Without service workers
// (a page that is not a secure context, or a browser without them) media falls back to blob URLs (api.js).

const WORKER_TIMEOUT_MS = 10_000;

let streaming = Promise.resolve(false);
let forgetting = Promise.resolve();

/** Registers the worker and gives it this token; resolves to whether media now goes through it. */
export function startMediaWorker(token) {
  // After a forget still under way (logged out, then in again), so that the new token is the one kept.
  streaming = forgetting.then(() => handOver(token)).catch(() => false);
  return streaming;
}

/** Whether a media URL can be used as it is (the worker adds the header). */
export const mediaStreams = () => streaming;

/** Makes the worker forget the token (logout, or the session ended), after any hand-over still under way. */
export function stopMediaWorker() {
  const pending = streaming;
  streaming = Promise.resolve(false);
  forgetting = forget(pending);
  return forgetting;
}

async function forget(pending) {
  await pending;
  // Asked even when the hand-over failed half-way: the worker may have stored the token before it timed out.
  const registration = await navigator.serviceWorker?.getRegistration('/').catch(() => null);
  if (registration?.active) await tell(registration.active, null).catch(() => { /* a stopped worker holds nothing */ });
}

async function handOver(token) {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) return false;
  const container = navigator.serviceWorker;
  // Each step is bounded: where workers are blocked (by policy) registering succeeds but the worker never starts.
  await within(container.register('/sw.js', { scope: '/' }));
  const registration = await within(container.ready);
  await tell(registration.active, token);
  // The worker claims this page once it has the token; media requests reach it only when it controls the page.
  if (!container.controller) await within(new Promise((resolve) => container.addEventListener('controllerchange', resolve, { once: true })));
  return true;
}

function tell(worker, token) {
  const channel = new MessageChannel();
  const answered = new Promise((resolve, reject) => {
    channel.port1.onmessage = (e) => (e.data?.ok ? resolve() : reject(new Error(e.data?.error ?? 'the media worker failed')));
  });
  worker.postMessage({ type: 'token', token }, [channel.port2]);
  return within(answered);
}

function within(promise) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('the media worker did not answer')), WORKER_TIMEOUT_MS); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
