// <gossip-lab src="https://…/gossip-lab/?s=epidemic&seed=7">: a live Gossip Lab figure for a
// post, defined by this one script (README "Embedding").
//
// The element makes a sandboxed iframe of the embed (`embed=1` is added to its link) only when it
// comes within NEAR_MARGIN of the viewport, so a long post loads no figure it never shows. The
// embed opens paused on the link's round (its first frame, a still picture until it is seen);
// the element tells it to play while at least VISIBLE_RATIO of it is on screen and to pause
// when it is not (as Distill's figures do), through the embed's two commands. It takes its
// height from the embed's height messages, and re-dispatches the embed's round and completion
// messages as `gossiplab:round` and `gossiplab:complete` events on itself, so an author's script
// can follow the run. Every message is checked: its sender must be this element's frame, and
// its fields of the expected types; anything else is ignored.
//
// Attributes: `src` (the link, required), `title` (the frame's title for screen readers).
// Properties: `round`, `complete`, `record` (the latest round's RoundRecord).
// Methods: `play()`, `pause()`, `step()`, `seek(round)` (a whole round from 0 to ROUNDS_MAX, else
// a RangeError), and `run()`, a Promise of the whole run as the page's `gossipLab.run()` gives
// it (every computed round's record, the link, the round shown), rejected if the figure has not
// started or does not answer within RUN_ANSWER_MS.
(() => {
  'use strict';
  if (!window.customElements || customElements.get('gossip-lab')) return;

  // Start the frame this far before the element scrolls into view.
  const NEAR_MARGIN = '300px 0px';
  // The share of the element on screen above which it plays.
  const VISIBLE_RATIO = 0.25;
  // A height above this (CSS pixels) is not believed (the embed caps its own at the same).
  const HEIGHT_PX_MAX = 20000;
  // Before the first height message: a 4:3 canvas plus the buttons and the status line.
  const STILL_EXTRA_PX = 110;
  // The latest round a link or a seek may name (the core's link::ROUNDS_MAX).
  const ROUNDS_MAX = 5000;
  // How long run() waits for the figure's answer.
  const RUN_ANSWER_MS = 5000;

  const STYLE = `
    :host { display: block; position: relative; }
    iframe { display: block; width: 100%; border: 0; }
    .still { box-sizing: border-box; display: flex; align-items: center; justify-content: center;
      border: 1px solid #ccc; border-radius: 4px; color: #555; font: 0.9rem system-ui, sans-serif; }`;

  // The embed link for `src`, or null if it is not an http(s) address.
  function embedLink(src, base) {
    let u;
    try { u = new URL(src, base); } catch (e) { return null; }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    // Appended rather than set through searchParams, which would re-encode the rest of the
    // link; the last `embed` in a link is the one read.
    if (!/(^|[?&])embed=1(&|$)/.test(u.search)) u.search = u.search ? `${u.search}&embed=1` : '?embed=1';
    return u.href;
  }

  const isCount = (n) => Number.isInteger(n) && n >= 0;

  class GossipLab extends HTMLElement {
    static get observedAttributes() { return ['src']; }

    constructor() {
      super();
      this.round = null;
      this.complete = false;
      this.record = null;
      this._frame = null;
      this._ready = false;
      this._visible = false;
      this._asked = new Map();
      this._asks = 0;
      this._onMessage = (e) => this._message(e);
    }

    connectedCallback() {
      if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
      this._still();
      window.addEventListener('message', this._onMessage);
      this._near = new IntersectionObserver((es) => {
        if (es.some((e) => e.isIntersecting)) this._start();
      }, { rootMargin: NEAR_MARGIN });
      this._seen = new IntersectionObserver((es) => {
        const e = es[es.length - 1];
        this._visible = e.isIntersecting && e.intersectionRatio >= VISIBLE_RATIO;
        this._tell(this._visible ? 'gossiplab:play' : 'gossiplab:pause');
      }, { threshold: [0, VISIBLE_RATIO, 0.5, 1] });
      this._near.observe(this);
      this._seen.observe(this);
    }

    disconnectedCallback() {
      window.removeEventListener('message', this._onMessage);
      this._near.disconnect();
      this._seen.disconnect();
      this._frame = null;
      this._ready = false;
    }

    attributeChangedCallback() {
      if (this._frame) {
        const link = embedLink(this.getAttribute('src') || '', document.baseURI);
        if (link) { this._ready = false; this._frame.src = link; }
      }
    }

    // Plays or pauses the figure now (it plays again when next scrolled into view).
    play() { this._tell('gossiplab:play'); }
    pause() { this._tell('gossiplab:pause'); }
    // One round on, or to round `round`, paused.
    step() { this._tell('gossiplab:step'); }
    seek(round) {
      if (!isCount(round) || round > ROUNDS_MAX) {
        throw new RangeError(`gossip-lab seek: the round must be a whole number from 0 to ${ROUNDS_MAX}, not ${round}`);
      }
      this._tell('gossiplab:seek', { round });
    }

    // The whole run, from the figure (a Promise).
    run() {
      if (!this._frame || !this._ready) return Promise.reject(new Error('gossip-lab run: the figure has not started yet'));
      const id = this._asks = (this._asks + 1) % 0x100000000;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this._asked.delete(id);
          reject(new Error(`gossip-lab run: no answer from the figure within ${RUN_ANSWER_MS} ms`));
        }, RUN_ANSWER_MS);
        this._asked.set(id, (run) => { clearTimeout(timer); resolve(run); });
        this._tell('gossiplab:run', { id });
      });
    }

    // The place held for the figure until its frame is made.
    _still() {
      const w = this.clientWidth || 640;
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><div class="still" part="still"
        style="height: ${Math.round(w * 0.75 + STILL_EXTRA_PX)}px">Gossip Lab figure (starts when scrolled to)</div>`;
    }

    _start() {
      if (this._frame) return;
      const link = embedLink(this.getAttribute('src') || '', document.baseURI);
      if (!link) {
        this.shadowRoot.querySelector('.still').textContent = 'Gossip Lab: this figure has no valid src link.';
        return;
      }
      const still = this.shadowRoot.querySelector('.still');
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts allow-popups');
      frame.setAttribute('title', this.getAttribute('title') || 'Gossip Lab figure');
      frame.style.height = still ? still.style.height : '600px';
      frame.src = link;
      this.shadowRoot.replaceChildren(this.shadowRoot.querySelector('style'), frame);
      this._frame = frame;
    }

    // Sends a command to the embed once it listens (it has spoken); before that, only play
    // and pause matter, and the first message sends the one in force.
    _tell(type, fields = {}) {
      if (this._frame && this._ready && this._frame.contentWindow) {
        // The sandboxed frame's origin is opaque: no target origin but `*` reaches it.
        this._frame.contentWindow.postMessage({ type, ...fields }, '*');
      }
    }

    _message(e) {
      if (!this._frame || e.source !== this._frame.contentWindow) return;
      const d = e.data;
      if (d === null || typeof d !== 'object' || typeof d.type !== 'string') return;
      if (d.type === 'gossiplab:height') {
        if (!Number.isFinite(d.height) || d.height <= 0 || d.height > HEIGHT_PX_MAX) return;
        this._frame.style.height = `${Math.ceil(d.height)}px`;
      } else if (d.type === 'gossiplab:round') {
        if (!isCount(d.round) || typeof d.complete !== 'boolean') return;
        this.round = d.round;
        this.complete = d.complete;
        this.record = d.record !== null && typeof d.record === 'object' ? d.record : null;
        this.dispatchEvent(new CustomEvent('gossiplab:round', { detail: { round: d.round, complete: d.complete, record: this.record } }));
      } else if (d.type === 'gossiplab:complete') {
        if (!isCount(d.round)) return;
        this.dispatchEvent(new CustomEvent('gossiplab:complete', { detail: { round: d.round } }));
      } else if (d.type === 'gossiplab:run') {
        const answer = this._asked.get(d.id);
        if (!answer || d.run === null || typeof d.run !== 'object') return;
        this._asked.delete(d.id);
        answer(d.run);
      } else {
        return;
      }
      if (!this._ready) {
        this._ready = true;
        if (this._visible) this._tell('gossiplab:play');
      }
    }
  }

  customElements.define('gossip-lab', GossipLab);
})();
