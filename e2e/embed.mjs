// End-to-end tests of embedding (README "Embedding"): the sandboxed iframe, its height messages,
// small frames, the "Get embed code" snippets and the <gossip-lab> element. Each host page is
// served from another port than the app (`host.page`), so the embed is cross-origin to it, as
// on a blog. Registered by run.mjs, which runs them with the others.
import { join } from 'node:path';

// Rounds a playing embed must pass to count as playing (speed 4: a few seconds at most).
const ROUNDS_PLAYED_MIN = 3;

export function registerEmbedTests({ test, assert, watch, noErrors, SHOTS, inked }) {
  const roundIn = async (frame) => {
    const m = /^Round (\d+)/.exec(await frame.locator('#status').innerText());
    return m ? Number(m[1]) : -1;
  };
  // Waits until `cond()` holds, polling; fails with `what` after `ms`.
  const until = async (cond, what, ms = 8000) => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${ms} ms: ${what}`);
  };
  // A host page: a post with `body`, and no favicon request (a 404 is a console error).
  const post = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <link rel="icon" href="data:,"><title>A post</title></head><body>${body}</body></html>`;
  const openHost = async (ctx, address) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(address);
    return { page, errors };
  };

  test('a sandboxed iframe on another origin starts the embed, plays it and draws it', async (ctx, url, host) => {
    const src = `${url}?n=64&seed=3&speed=4&embed=1`;
    const { page, errors } = await openHost(ctx, host.page('sandboxed.html', post(`<h1>A post</h1>
      <iframe id="fig" sandbox="allow-scripts" src="${src}" style="width: 480px; height: 480px"></iframe>`)));
    const frame = page.frameLocator('#fig');
    await frame.locator('#status').waitFor({ timeout: 10_000 });
    // The frame really is sandboxed: its origin is opaque, and storage throws there.
    const inside = await frame.locator('body').evaluate(() => {
      let storage = 'usable';
      try { window.localStorage.length; } catch (e) { storage = e.name; }
      return { origin: window.origin, storage };
    });
    assert(inside.origin === 'null', `the frame's origin is ${inside.origin}, not opaque`);
    assert(inside.storage === 'SecurityError', `storage in the sandbox: ${inside.storage}`);
    assert(await inked(frame, '#cluster') > 0, 'the canvas is blank');
    const before = await frame.locator('#cluster').evaluate((c) => c.toDataURL());
    await frame.locator('#play').click();
    await until(async () => (await roundIn(frame)) >= ROUNDS_PLAYED_MIN, 'rounds to advance in the sandbox');
    const after = await frame.locator('#cluster').evaluate((c) => c.toDataURL());
    assert(before !== after, 'the canvas did not change while playing');
    noErrors(errors);
    await page.screenshot({ path: join(SHOTS, 'embed-sandboxed.png') });
  });
}
