// The media viewer: the full photo or the video player over an opaque background, with who sent it and when, a
// download button, and the caption below. Photos and videos stream through the media worker, or come from blob URLs.
import { icons, paintAvatar } from './icons.js';
import { dayLabel, clock } from './format.js';
import { bodyText } from './messages.js';
import { downloadMedia } from './download.js';
import * as api from './api.js';

const $ = (id) => document.getElementById(id);

export class Viewer {
  constructor(app) {
    this.app = app;
    this.message = null;
    $('viewer-download').innerHTML = icons.download;
    $('viewer-download').onclick = () => {
      if (this.message) downloadMedia(this.app.token, this.message).catch((err) => this.app.toast(err.message));
    };
    $('viewer').addEventListener('close', () => {
      const video = $('viewer-body').querySelector('video');
      if (video) {
        // A streamed video would go on buffering after the viewer is gone: unloading it ends its requests.
        video.pause();
        video.removeAttribute('src');
        video.load();
      }
      $('viewer-body').replaceChildren();
      this.message = null;
    });
    // A click beside the photo closes the viewer.
    $('viewer').addEventListener('click', (e) => { if (e.target === $('viewer-stage') || e.target === $('viewer-body')) $('viewer').close(); });
  }

  async open(m) {
    const { store, me } = this.app;
    const d = $('viewer');
    const body = $('viewer-body');
    this.message = m;
    body.innerHTML = '<span class="spinner" role="status" aria-label="Loading"></span>';
    $('viewer-caption').textContent = bodyText(m.body);
    paintAvatar($('viewer-avatar'), m.from, false, store.nameOf(m.from));
    $('viewer-from').textContent = m.from === me ? 'You' : store.nameOf(m.from);
    $('viewer-when').textContent = `${dayLabel(m.ts)} at ${clock(m.ts)}`;
    d.showModal();
    $('viewer-download').focus();
    try {
      const url = m.localUrl ?? await api.mediaUrl(this.app.token, m.media.id, false);
      if (!d.open || this.message !== m) return;
      let el;
      if (m.kind === 'video') {
        el = document.createElement('video');
        el.controls = true;
        el.autoplay = true;
        el.playsInline = true;
      } else {
        el = document.createElement('img');
        el.alt = bodyText(m.body) || 'Photo';
      }
      // A streamed URL fails in the element (a blob URL has failed before it got here).
      el.addEventListener('error', () => { if (body.contains(el)) showError(api.MEDIA_GONE); }, { once: true });
      el.src = url;
      body.replaceChildren(el);
    } catch (err) {
      showError(err.message);
    }

    function showError(text) {
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = text;
      body.replaceChildren(p);
    }
  }
}
