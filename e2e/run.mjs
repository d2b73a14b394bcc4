// End-to-end tests of the built page (dist/) in Debian's headless Chromium, driven by
// playwright-core. They look at what a person sees: the status text, the canvas pixels.
//
//   node e2e/run.mjs            (make e2e; needs `trunk build --release` first)
//
// Prints `e2e: N passed, N failed` as its last line (read by CI) and exits non-zero on failure.
// The static server it starts is stopped by PID, also when a test throws.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { registerActionsTests } from './actions.mjs';
import { registerAntiEntropyTests } from './anti_entropy.mjs';
import { registerAntiEntropyEmbedTests } from './anti_entropy_embed.mjs';
import { registerChallengeTests } from './challenges.mjs';
import { registerEmbedTests } from './embed.mjs';
import { captionWithMore, registerDisseminationSwimTests, registerMembershipTests } from './membership.mjs';
import { registerLessonTests } from './lessons.mjs';
import { registerRepairTests } from './repair.mjs';
import { registerTeacherTests } from './teacher.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// E2E_DIST=<dir> runs the tests against another build (an older one, to see a new test fail).
const DIST = process.env.E2E_DIST || join(ROOT, 'dist');
const SHOTS = join(ROOT, 'target', 'e2e');
// Host pages (a blog post embedding the lab) are written here by the embedding tests and served
// from another port, so the embed is cross-origin to its host, as on a real blog.
const HOST_DIR = join(ROOT, 'target', 'e2e-host');
const STEP_PRESSES_MAX = 300;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(port, dir = DIST) {
  const proc = spawn('python3', [join(ROOT, 'scripts', 'serve.py'), dir, String(port), '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Ready when it prints its URL.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 10 s')), 10_000);
    proc.stdout.on('data', (d) => {
      if (String(d).includes('http://')) { clearTimeout(timer); resolve(); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}`)); });
  });
  return proc;
}

// The Custom run at its defaults (32 nodes, push): what the bare page showed before lessons;
// the bare page now opens the first lesson (e2e/lessons.mjs).
const CUSTOM = '?s=custom';

const tests = [];
// `options` are extra browser-context options (viewport, reducedMotion) for that test alone.
const test = (name, fn, options = {}) => tests.push({ name, fn, options });

// Console errors and warnings, and page errors, of `page` go to `errors`: a clean page logs none
// (a warning such as trunk's preload-integrity one fails the test too).
function watch(page, errors) {
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(String(e)));
}

// Opens the page and collects console errors and warnings and page errors for the test to check.
async function open(ctx, url) {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  await page.goto(url);
  await page.waitForSelector('#status');
  return { page, errors };
}

const status = (page) => page.locator('#status').innerText();
const canvasPixels = (page) => page.locator('#cluster').evaluate((c) => c.toDataURL());
// Pixels of canvas `sel` that are not transparent (a canvas the page cleared and did not
// repaint has none), or, given `rgb`, that are close to that colour (anti-aliasing blends thin
// lines with the white behind them). Read through a copy made for reading, so Chrome warns of
// no slow readback.
const pixels = (page, sel, rgb = null) => page.locator(sel).evaluate((c, rgb) => {
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const ctx = copy.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(c, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (rgb === null ? d[i + 3] !== 0
      : Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 60) n += 1;
  }
  return n;
}, rgb);
const inked = (page, sel) => pixels(page, sel);
const noErrors = (errors) => assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
// Range inputs are set the way a drag ends: value, then the event Yew listens for.
const setRange = (page, sel, value, event = 'input') => page.locator(sel).evaluate((el, [v, ev]) => {
  el.value = String(v);
  el.dispatchEvent(new Event(ev, { bubbles: true }));
}, [value, event]);
const setField = async (page, sel, value) => {
  await page.fill(sel, String(value));
  await page.locator(sel).dispatchEvent('change');
};
const roundOf = async (page) => Number(/^Round (\d+)/.exec(await status(page))[1]);
// Messages stop travelling a little after a step; pixel comparisons wait for that (or use
// reduced motion, where nothing travels).
const settle = (page) => page.waitForTimeout(700);

function assert(cond, msg) { if (!cond) throw new Error(msg); }

test('the page opens at round 0 with one informed node and no console errors', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + CUSTOM);
  assert((await status(page)) === 'Round 0 · informed 1/32', `status was "${await status(page)}"`);
  const first = await page.evaluate(() => window.gossipLabStats && window.gossipLabStats.firstFrameMs);
  // The page reports its first frame; how fast (the 1 s target) is `make bench-web`'s job,
  // since a timing asserted here would fail whenever the machine is busy.
  assert(typeof first === 'number' && first > 0, `first frame not reported: ${first}`);
  assert((await page.locator('#loading').count()) === 0, 'the loading line was not removed');
  noErrors(errors);
  await page.screenshot({ path: join(SHOTS, 'start.png') });
});

test('pressing Step spreads the rumor to every node and the canvas changes', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + CUSTOM);
  const before = await canvasPixels(page);
  let presses = 0;
  let informed = 1;
  while (presses < STEP_PRESSES_MAX) {
    await page.click('#step');
    presses += 1;
    const text = await status(page);
    const m = /^Round (\d+) · informed (\d+)\/32$/.exec(text);
    assert(m, `status "${text}" does not match "Round r · informed i/32"`);
    assert(Number(m[1]) === presses, `after ${presses} presses the round is ${m[1]}`);
    assert(Number(m[2]) >= informed, `informed count fell from ${informed} to ${m[2]}`);
    informed = Number(m[2]);
    if (informed === 32) break;
  }
  assert(informed === 32, `only ${informed}/32 informed after ${presses} presses`);
  await settle(page);
  const after = await canvasPixels(page);
  assert(before !== after, 'the canvas pixels did not change as nodes became informed');
  noErrors(errors);
  await page.screenshot({ path: join(SHOTS, 'all-informed.png') });
});

test('Play advances rounds by itself, Pause stops them, Reset returns to round 0', async (ctx, url) => {
  // 90 % loss keeps the run from completing (and Play from ending) for about 80 rounds, so a
  // slow machine that takes a while between the clicks still finds the run playing.
  const { page, errors } = await open(ctx, url + '?speed=8&loss=90');
  await page.click('#play');
  assert((await page.locator('#play').innerText()) === 'Pause', 'Play did not turn into Pause');
  await page.waitForFunction(() => /^Round [2-9]/.test(document.querySelector('#status').textContent), null, { timeout: 10_000 });
  await page.click('#play');
  const paused = await status(page);
  await page.waitForTimeout(600);
  assert((await status(page)) === paused, 'rounds kept advancing after Pause');
  await page.click('#reset');
  assert((await status(page)) === 'Round 0 · informed 1/32', 'Reset did not return to round 0');
  noErrors(errors);
});

test('Back, the timeline slider and the speed slider each do their job', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + CUSTOM);
  assert(await page.locator('#back').isDisabled(), 'Back is enabled at round 0');
  for (let i = 0; i < 6; i++) await page.click('#step');
  assert((await roundOf(page)) === 6, 'six steps');
  assert(await page.locator('#back').isEnabled(), 'Back is disabled at round 6');
  await page.click('#back');
  assert((await roundOf(page)) === 5, 'Back did not go to round 5');
  // The address bar follows the round (at most a quarter second behind) and equals Copy link.
  await page.waitForFunction(() => /[?&]r=5(&|$)/.test(location.search), null, { timeout: 2000 });
  await page.click('#copy-link');
  assert((await page.locator('#link').inputValue()) === page.url(), `address bar ${page.url()} is not the copied link`);
  // The page says whether the clipboard took it (headless Chromium may refuse: either answer
  // is said, never silence).
  await page.waitForFunction(() => /Copied to the clipboard|did not let the page copy/.test(document.querySelector('#copied').textContent), null, { timeout: 2000 });
  await setRange(page, '#timeline', 2);
  assert((await roundOf(page)) === 2, 'the slider did not go to round 2');
  assert((await page.locator('#timeline').getAttribute('max')) === '6', 'the slider should reach the horizon, 6');
  await setRange(page, '#timeline', 6);
  assert((await roundOf(page)) === 6, 'the slider did not come back to round 6');
  await setRange(page, '#speed', 8);
  assert((await page.locator('label:has(#speed)').innerText()).includes('64x'), 'speed label did not say 64x');
  assert((await page.url()).includes('speed=64'), `the link does not hold the speed: ${page.url()}`);
  noErrors(errors);
});

test('rewinding is exact: round r looks identical after going to r+5 and back', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=500&m=pushpull&loss=30&seed=42');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  const at4 = [await status(page), await page.locator('#counters').innerText(), await canvasPixels(page)];
  for (let i = 0; i < 5; i++) await page.click('#step');
  assert((await roundOf(page)) === 9, 'did not reach round 9');
  assert((await canvasPixels(page)) !== at4[2], 'the canvas did not change in five rounds');
  for (let i = 0; i < 5; i++) await page.click('#back');
  const back = [await status(page), await page.locator('#counters').innerText(), await canvasPixels(page)];
  assert(back[0] === at4[0] && back[1] === at4[1], `numbers differ: ${back.slice(0, 2)} vs ${at4.slice(0, 2)}`);
  assert(back[2] === at4[2], 'canvas pixels differ after going back');
  await setRange(page, '#timeline', 9);
  await setRange(page, '#timeline', 4);
  assert((await canvasPixels(page)) === at4[2], 'canvas pixels differ after scrubbing back');
  noErrors(errors);
}, { reducedMotion: 'reduce' });

test('changing a parameter restarts from round 0 with the same seed and says so', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?seed=77');
  for (let i = 0; i < 3; i++) await page.click('#step');
  await setField(page, '#nodes', 500);
  assert((await status(page)) === 'Round 0 · informed 1/500', `status "${await status(page)}"`);
  const note = await page.locator('#restart-note').innerText();
  assert(note.includes('nodes') && note.includes('500') && note.includes('round 0') && note.includes('seed 77'), note);
  await setField(page, '#fanout', 3);
  await page.selectOption('#mode', 'pull');
  await setRange(page, '#loss', 20, 'change');
  assert(page.url().includes('k=3') && page.url().includes('m=pull') && page.url().includes('loss=20'), page.url());
  await page.click('#step');
  assert((await roundOf(page)) === 1, 'step after a change');
  await setField(page, '#seed', 1234);
  assert((await page.locator('#restart-note').innerText()).includes('seed 1234'), 'seed note');
  await page.click('#new-seed');
  const seed = await page.locator('#seed').inputValue();
  assert(/^\d+$/.test(seed) && seed !== '1234', `new seed "${seed}"`);
  assert((await page.locator('#restart-note').innerText()).includes(`seed ${seed}`), 'new seed note');
  await setField(page, '#nodes', 50000);
  assert((await status(page)).endsWith('/10000'), `N above the limit was not clamped: ${await status(page)}`);
  assert((await page.locator('#notices').innerText()).includes('Nodes: 50000 is above the limit 10000; using 10000'), 'clamp notice');
  // Edits in the page are worded with the fields; a field that had to follow says so once.
  await page.click('#notices button');
  await setField(page, '#lat', 3);
  const n2 = await page.locator('#notices').innerText();
  assert(n2.includes('Latency, longest (ticks) raised from 1 to 3') && !n2.includes('latmax=') && !n2.includes('Parameter'), n2);
  noErrors(errors);
});

test('shrinking the cluster below the recorded actions drops them with one notice in field words', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&seed=2&a=2c12_3c4');
  await setField(page, '#nodes', 8);
  const items = await page.locator('#notices li').allInnerTexts();
  const dropped = items.filter((t) => t.includes('dropped'));
  assert(dropped.length === 1 && dropped[0].startsWith('Nodes: the 2 recorded action(s)'), items.join(' | '));
  assert(!items.some((t) => t.includes('a=') || t.includes('Parameter')), items.join(' | '));
  assert(!page.url().includes('a=2c12'), page.url());
  noErrors(errors);
});

test('a link round-trips: the copied link opens the same picture and numbers', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=300&k=2&m=push&loss=10&seed=5');
  for (let i = 0; i < 5; i++) await page.click('#step');
  await page.click('#copy-link');
  const link = await page.locator('#link').inputValue();
  assert(link.includes('r=5') && link.includes('seed=5') && link.includes('n=300'), link);
  const want = [await status(page), await page.locator('#counters').innerText(), await canvasPixels(page)];
  const { page: other, errors: e2 } = await open(ctx, link);
  const got = [await status(other), await other.locator('#counters').innerText(), await canvasPixels(other)];
  assert(got[0] === want[0] && got[1] === want[1], `numbers differ: ${got.slice(0, 2)} vs ${want.slice(0, 2)}`);
  assert(got[2] === want[2], 'canvas pixels differ in the reopened link');
  noErrors(errors);
  noErrors(e2);
}, { reducedMotion: 'reduce' });

test('embed mode fits 320 px with canvas, play, step, status and a link to the full lab', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=64&seed=3&embed=1');
  for (const sel of ['#cluster', '#play', '#step', '#status', '#full-link']) {
    assert(await page.locator(sel).isVisible(), `${sel} is not visible`);
  }
  assert((await page.locator('#chart').count()) === 0, 'the embed should not show the chart');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(overflow <= 320, `the page is ${overflow} px wide at 320 px`);
  const box = await page.locator('#cluster').boundingBox();
  assert(box.width <= 320 && box.width > 250, `canvas is ${box.width} px wide`);
  await page.tap('#step');
  assert((await roundOf(page)) === 1, 'tap on Step');
  const full = await page.locator('#full-link').getAttribute('href');
  assert(!full.includes('embed=1') && full.includes('n=64'), full);
  await page.screenshot({ path: join(SHOTS, 'embed-320.png') });
  // The embed has no Reset: once its run is complete, Step is disabled and Play replays it.
  await stepTo(page, 100);
  assert((await informedOf(page)) === 64, `the run did not complete: ${await status(page)}`);
  assert(await page.locator('#step').isDisabled(), 'Step stays enabled on a complete run');
  assert((await page.locator('#play').innerText()) === 'Replay', 'Play does not offer a replay');
  await page.keyboard.press('Space');
  assert((await page.locator('#play').innerText()) === 'Pause', 'Replay (Space) did not play');
  assert((await roundOf(page)) < 3, `Replay did not start again: ${await status(page)}`);
  // Without loss or a partition nothing is dropped, so the embed names no drop marks; with
  // loss it names them, and still fits.
  assert((await page.locator('#embed-key').count()) === 0, 'drop marks named in a lossless run');
  await page.goto(url + '?n=64&m=pushpull&loss=30&seed=3&embed=1');
  await page.waitForSelector('#status');
  assert((await page.locator('#embed-key').innerText()).includes('lost on its link'), 'no key to the drop marks');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 320, `the lossy embed is ${wide} px wide at 320 px`);
  noErrors(errors);
}, { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });

test('the full lab is usable by touch on a phone-size screen', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?s=epidemic&seed=3');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(overflow <= 390, `the page is ${overflow} px wide at 390 px`);
  for (const sel of ['#play', '#back', '#step', '#reset', '#new-seed', '#copy-link']) {
    const box = await page.locator(sel).boundingBox();
    assert(box.height >= 44, `${sel} is ${box.height} px tall, below a 44 px touch target`);
  }
  await page.tap('#step');
  await page.tap('#step');
  await page.tap('#back');
  assert((await roundOf(page)) === 1, 'taps on Step, Step, Back');
  // Node 0 is the disc's first dot, near the centre: a tap there inspects it.
  const box = await page.locator('#cluster').boundingBox();
  await page.tap('#cluster', { position: { x: box.width / 2, y: box.height / 2 - (Math.sqrt(0.5 / 200) * 216) * (box.height / 480) } });
  assert((await page.locator('#inspector').innerText()).startsWith('Node '), 'a tap on the disc did not inspect a node');
  noErrors(errors);
  await page.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
}, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('on a phone, Select nodes lets taps pick a group that is then cut off', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&m=push&seed=6');
  await page.tap('#select-mode');
  assert((await page.locator('#select-mode').getAttribute('aria-pressed')) === 'true', 'select mode did not turn on');
  for (const i of [8, 9, 10, 11]) {
    const p = await nodeXY(page, i, 16);
    await page.touchscreen.tap(p.x, p.y);
  }
  const p9 = await nodeXY(page, 9, 16);
  await page.touchscreen.tap(p9.x, p9.y); // a second tap removes it
  // A touch drag in select mode draws a lasso (playwright has no touch drag: the pointer
  // events a finger sends are dispatched by hand). A rectangle around nodes 1 to 7.
  const lassoed = await page.locator('#cluster').evaluate((c) => {
    const r = c.getBoundingClientRect();
    const at = (x, y) => ({ clientX: r.left + x * r.width / 640, clientY: r.top + y * r.height / 480 });
    const fire = (type, x, y) => c.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 7, pointerType: 'touch', isPrimary: true, ...at(x, y) }));
    fire('pointerdown', 335, 5);
    for (const [x, y] of [[480, 5], [630, 5], [630, 240], [630, 475], [480, 475], [335, 475], [335, 240], [335, 10]]) fire('pointermove', x, y);
    fire('pointerup', 335, 10);
    return getComputedStyle(c).touchAction;
  });
  assert(lassoed === 'none', `in select mode a drag scrolls the page (touch-action ${lassoed})`);
  assert((await page.locator('#partition').innerText()).includes('10 selected'), `lasso: ${await page.locator('#partition').innerText()}`);
  await page.tap('#clear-group');
  for (const i of [8, 10, 11]) {
    const p = await nodeXY(page, i, 16);
    await page.touchscreen.tap(p.x, p.y);
  }
  assert((await page.locator('#partition').innerText()).includes('3 selected'), await page.locator('#partition').innerText());
  assert((await page.locator('#inspector').count()) === 0, 'a tap in select mode inspected a node');
  await page.tap('#cut-both');
  assert((await page.locator('#cluster-line').innerText()).includes('partitioned'), 'not partitioned');
  assert(page.url().includes('a=p0-7~8_10-11~12-15') || page.url().includes('a=p'), page.url());
  await page.tap('#select-mode');
  const p3 = await nodeXY(page, 3, 16);
  await page.touchscreen.tap(p3.x, p3.y);
  assert((await page.locator('#inspector').innerText()).startsWith('Node 3'), 'with select mode off a tap inspects');
  await settle(page);
  await page.screenshot({ path: join(SHOTS, 'phone-partition.png') });
  noErrors(errors);
}, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('the blog post embeds two working iframes and two <gossip-lab> figures', async (ctx, url) => {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  await page.goto(url + 'embed.html');
  const statuses = [];
  for (const id of ['#figure-push', '#figure-pushpull']) {
    const frame = page.frameLocator(id);
    await frame.locator('#status').waitFor();
    statuses.push(await frame.locator('#status').innerText());
  }
  assert(statuses[0] === 'Round 0 · informed 1/64' && statuses[1] === 'Round 0 · informed 1/1000', statuses.join(' | '));
  // Each frame shows its whole figure (no inner scrolling, nothing cut off), on a laptop and
  // on a phone.
  const overflow = () => page.evaluate(() => [...document.querySelectorAll('iframe')]
    .map((f) => f.contentDocument.documentElement.scrollHeight - f.clientHeight));
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(200);
    const over = await overflow();
    assert(over.every((o) => o <= 0), `at ${width} px the figures overflow their frames by ${over} px`);
  }
  // The third figure is a <gossip-lab> element: scrolled to, it shows the cluster and the chart.
  await page.locator('#figure-element').scrollIntoViewIfNeeded();
  const third = page.frameLocator('#figure-element iframe');
  await third.locator('#chart').waitFor();
  assert(await third.locator('#cluster').isVisible(), 'the element figure shows no cluster');
  // The fourth is the Anti-entropy lab's trees, as an element too.
  await page.locator('#figure-repair').scrollIntoViewIfNeeded();
  const fourth = page.frameLocator('#figure-repair iframe');
  await fourth.locator('#trees').waitFor();
  assert((await fourth.locator('#status').innerText()).startsWith('Turn '), 'the repair figure shows no turn');
  noErrors(errors);
  await page.screenshot({ path: join(SHOTS, 'embed-post.png'), fullPage: true });
});

const BAD_LINKS = [
  ['n=abc', 'n=abc', 'using 32'],
  ['n=50000', 'n=50000', 'using 10000'],
  ['n=1', 'n=1', 'using 2'],
  ['k=99', 'k=99', 'using 16'],
  ['m=gossip', 'm=gossip', 'using push'],
  ['loss=200', 'loss=200', 'using 95'],
  ['seed=-4', 'seed=-4', 'using 1'],
  ['speed=3', 'speed=3', 'using 1'],
  ['r=abc', 'r=abc', 'using 0'],
  ['s=nope', 's=nope', 'using custom'],
  ['lat=0', 'lat=0', 'using 1'],
  ['lat=3&latmax=2', 'latmax=2', 'using 3'],
  ['gi=99', 'gi=99', 'using 16'],
  ['key=a%20b', 'key=a b', 'using rumor'],
  ['key=nokey', 'key=nokey', 'using rumor'], // a key no action of the link writes
  ['zz=1', 'zz=1', 'ignored'],
  ['m=rumor&stop=never', 'stop=never', 'using feedback-counter'],
  ['m=rumor&rk=0', 'rk=0', 'using 1'],
  ['a=3:explode:1', 'a=3:explode:1', 'ignored'],
  ['a=3c99', 'a=3c99', 'not a valid action list'],
  ['r=99999', 'r=99999', 'using 5000'],
  ['m=rumor&loss=50', 'loss=50', 'using 0'],
  ['embed=1&view=wide', 'view=wide', 'using canvas'],
];

test('every malformed or out-of-range link parameter shows a notice and a working page', async (ctx, url) => {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  for (const [query, name, used] of BAD_LINKS) {
    await page.goto(`${url}?${query}`);
    await page.waitForSelector('#status');
    const notices = await page.locator('#notices').innerText();
    assert(notices.includes(name) && notices.includes(used), `?${query}: notices "${notices}"`);
    assert(/^Round \d+ · informed \d+\/\d+$/.test(await status(page)), `?${query}: status`);
    // The page still works: Step advances, or (r=99999 jumps to the end) says the run is done.
    const before = await roundOf(page);
    if (await page.locator('#step').isEnabled()) {
      await page.click('#step');
      assert((await roundOf(page)) === before + 1, `?${query}: Step did not advance`);
    } else {
      assert((await page.locator('#step').getAttribute('title')).includes('complete'), `?${query}: Step disabled`);
    }
  }
  await page.goto(`${url}?n=50000&k=99`);
  await page.waitForSelector('#status');
  assert((await status(page)).endsWith('/10000'), 'n clamped to 10000');
  await page.screenshot({ path: join(SHOTS, 'bad-link.png') });
  noErrors(errors);
});

test('keyboard: Space plays and pauses, arrows step, R resets, ? shows the help', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?seed=9');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert((await roundOf(page)) === 2, 'Right arrow twice');
  await page.keyboard.press('ArrowLeft');
  assert((await roundOf(page)) === 1, 'Left arrow');
  assert((await page.locator('#announce').innerText()) === 'Round 1: 2 of 32 nodes informed.' ||
    /^Round 1: \d+ of 32 nodes informed\.$/.test(await page.locator('#announce').innerText()), 'live region');
  await page.keyboard.press('r');
  assert((await roundOf(page)) === 0, 'R');
  await page.click('#step'); // focus on a button: Space must toggle once, not twice
  await page.keyboard.press(' ');
  assert((await page.locator('#play').innerText()) === 'Pause', 'Space did not start playing');
  await page.keyboard.press(' ');
  assert((await page.locator('#play').innerText()) === 'Play', 'Space did not pause');
  await page.keyboard.press('?');
  const help = await page.locator('#help').innerText();
  for (const k of ['Space', 'Right arrow', 'Left arrow', 'R', '?']) assert(help.includes(k), `help lacks ${k}`);
  await page.screenshot({ path: join(SHOTS, 'help.png') });
  await page.keyboard.press('Escape');
  assert((await page.locator('#help').count()) === 0, 'Escape did not close the help');
  // Typing in a field is not a shortcut.
  await page.fill('#seed', 'r');
  assert((await page.locator('#help').count()) === 0 && (await roundOf(page)) >= 1, 'typing triggered shortcuts');
  noErrors(errors);
});

test('the help and Copy link leave both canvases painted; the help takes the focus and gives it back', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=64&seed=1');
  await page.click('#step');
  await settle(page);
  const full = [await inked(page, '#cluster'), await inked(page, '#chart')];
  assert(full[0] > 0 && full[1] > 0, `blank canvases at the start: ${full}`);
  await page.keyboard.press('?');
  assert((await page.evaluate(() => document.activeElement && document.activeElement.id)) === 'help-close', 'focus did not move into the help');
  await page.keyboard.press('Tab');
  assert((await page.evaluate(() => document.activeElement && document.activeElement.id)) === 'help-close', 'Tab left the modal help');
  const open1 = [await inked(page, '#cluster'), await inked(page, '#chart')];
  assert(open1[0] === full[0] && open1[1] === full[1], `opening the help blanked the canvases: ${open1} vs ${full}`);
  await page.keyboard.press('Escape');
  assert((await page.evaluate(() => document.activeElement && document.activeElement.id)) === 'step', 'focus did not return to Step');
  const closed = [await inked(page, '#cluster'), await inked(page, '#chart')];
  assert(closed[0] === full[0] && closed[1] === full[1], `closing the help left blank canvases: ${closed}`);
  await page.click('#help-button');
  await page.click('#help-close');
  await page.click('#copy-link');
  const copied = [await inked(page, '#cluster'), await inked(page, '#chart')];
  assert(copied[0] === full[0] && copied[1] === full[1], `Copy link blanked a canvas: ${copied}`);
  noErrors(errors);
});

test('a lost message is drawn stopping with a red cross, gone once the round settles', async (ctx, url) => {
  // Half of all messages are lost: each round of 16 push-pull nodes loses some.
  const { page, errors } = await open(ctx, url + '?n=16&m=pushpull&loss=50&seed=4');
  assert((await page.locator('#notices').count()) === 0, 'the link is valid');
  const lostRed = [0xb2, 0x18, 0x2b];
  await page.click('#step');
  // The crosses appear within the round's animation (600 ms); look at a few of its frames.
  let seen = 0;
  for (let i = 0; i < 12 && seen === 0; i++) {
    await page.waitForTimeout(50);
    seen = await pixels(page, '#cluster', lostRed);
  }
  assert(seen > 0, 'no lost message was drawn during the round');
  await settle(page);
  assert((await pixels(page, '#cluster', lostRed)) === 0, 'lost-message crosses stayed after the round');
  assert((await page.locator('.legend').innerText()).includes('message lost on its link'), 'legend');
  noErrors(errors);
});

test('with reduced motion the round\'s lost messages are drawn still, until the next round', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&m=pushpull&loss=50&seed=4');
  const lostRed = [0xb2, 0x18, 0x2b];
  await page.click('#step');
  await settle(page); // longer than any animation: nothing moves here anyway
  assert((await pixels(page, '#cluster', lostRed)) > 0, 'no lost message is shown for the round just run');
  await page.click('#reset');
  await settle(page);
  assert((await pixels(page, '#cluster', lostRed)) === 0, 'round 0 shows losses');
  noErrors(errors);
}, { reducedMotion: 'reduce' });

test('clicking a node inspects it; reduced motion draws no travelling messages', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&seed=2');
  await page.click('#step');
  const box = await page.locator('#cluster').boundingBox();
  // Node 0 sits at the top centre of the ring (margin 24 px of a 480 px high canvas).
  await page.mouse.click(box.x + box.width / 2, box.y + (24 / 480) * box.height);
  const text = await page.locator('#inspector').innerText();
  assert(text.includes('Node 0: the source'), text);
  // With motion, the picture right after a step differs from the settled one.
  await page.click('#step');
  const moving = await canvasPixels(page);
  await settle(page);
  assert(moving !== (await canvasPixels(page)), 'no messages travelled after a step');
  const calm = await ctx.browser().newContext({ reducedMotion: 'reduce' });
  try {
    const { page: still, errors: e2 } = await open(calm, url + '?n=16&seed=2');
    await still.click('#step');
    const a = await canvasPixels(still);
    await settle(still);
    assert(a === (await canvasPixels(still)), 'with reduced motion the canvas still moved');
    noErrors(e2);
  } finally {
    await calm.close();
  }
  noErrors(errors);
});

test('trials band, CSV and PNG exports work', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=200&seed=4');
  await page.click('#band');
  await page.waitForFunction(() => document.querySelector('#band-status').textContent.startsWith('100 trials'), null, { timeout: 15_000 });
  assert(page.url().includes('band=1'), 'band in the link');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert(csv.suggestedFilename() === 'gossip-lab-push-n200-seed4.csv', csv.suggestedFilename());
  const body = readFileSync(await csv.path(), 'utf8');
  assert(body.startsWith('# Gossip Lab chart data\n# scenario=custom mode=push nodes=200'), body.slice(0, 120));
  const lines = body.trim().split('\n').filter((l) => !l.startsWith('#'));
  assert(lines[0].startsWith('round,informed,informed_fraction,messages'), lines[0]);
  assert(lines.length > 10 && lines[1].startsWith('0,1,0.005000,0'), lines.slice(0, 2).join(' / '));
  // Right after a step the messages are still travelling: the export shows the finished round.
  await page.click('#step');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert(png.suggestedFilename() === 'gossip-lab-push-n200-seed4-round1.png', png.suggestedFilename());
  const bytes = readFileSync(await png.path());
  assert(bytes.subarray(1, 4).toString() === 'PNG', 'not a PNG');
  await settle(page);
  // The PNG is a figure: a header and the legend around the cluster, which it holds pixel for
  // pixel as the settled round (decoded in the page and compared with the canvas, row by row).
  const figure = await page.locator('#cluster').evaluate(async (c, b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const read = (src, w, h) => {
      const copy = document.createElement('canvas');
      copy.width = w;
      copy.height = h;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(src, 0, 0);
      return ctx.getImageData(0, 0, w, h).data;
    };
    const fig = read(img, img.width, img.height);
    const can = read(c, c.width, c.height);
    const row = c.width * 4;
    const same = (oy) => {
      if (img.width !== c.width) return false;
      for (let i = 0; i < can.length; i++) if (fig[oy * row + i] !== can[i]) return false;
      return true;
    };
    let at = -1;
    for (let oy = 0; oy + c.height <= img.height && at < 0; oy++) if (same(oy)) at = oy;
    return { w: img.width, h: img.height, cw: c.width, ch: c.height, at };
  }, bytes.toString('base64'));
  assert(figure.h > figure.ch + 40 && figure.w === figure.cw, `the figure is ${figure.w}x${figure.h}, the canvas ${figure.cw}x${figure.ch}`);
  assert(figure.at > 0 && figure.at + figure.ch < figure.h, `the PNG does not hold the settled round's canvas between a header and a legend (${JSON.stringify(figure)})`);
  noErrors(errors);
});

const SCENARIOS = ['epidemic', 'modes', 'rumor', 'partition', 'bounds'];

test('each scenario sets its parameters, shows its caption and is screenshotted', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?seed=1');
  for (const s of SCENARIOS) {
    await page.selectOption('#scenario', s);
    assert(page.url().includes(`s=${s}`), `scenario ${s} not in the link`);
    const caption = await page.locator('#caption').innerText();
    assert(caption.length > 80, `caption of ${s}: ${caption}`);
    await page.click('#speed'); // focus out of the select, so keys are shortcuts again
    await setRange(page, '#speed', 8);
    await page.click('#play');
    await page.waitForFunction(() => document.querySelector('#play').textContent === 'Play', null, { timeout: 15_000 });
    if (s === 'bounds' || s === 'rumor') {
      await page.waitForFunction(() => document.querySelector('#band-status').textContent.startsWith('100 trials'), null, { timeout: 15_000 });
    }
    if (s === 'bounds') {
      // Rounds against N and fanout: the sweep finishes without freezing the page and is drawn.
      await page.waitForFunction(() => (document.querySelector('#bounds-status') || {}).textContent?.startsWith('Convergence sweep done: 2000 kernel trials'), null, { timeout: 20_000 });
      assert((await inked(page, '#bounds')) > 0, 'the bounds chart is blank');
      assert(caption.includes('log_k N') && !caption.includes('ln N / k'), `before More: ${caption}`);
      const more = await captionWithMore(page);
      assert(more.includes('ln N / k') && more.includes('Serf'), more);
      await page.locator('#bounds').screenshot({ path: join(SHOTS, 'bounds-chart.png') });
    } else {
      assert((await page.locator('#bounds').count()) === 0, `${s} shows the bounds chart`);
    }
    const note = await page.locator('#chart-note').innerText();
    if (s === 'modes') {
      assert(note.includes('push, pull and push-pull lines'), `modes note: ${note}`);
      await page.locator('#chart').screenshot({ path: join(SHOTS, 'modes-chart.png') });
    }
    if (s !== 'rumor') assert(note.includes('Serf') && note.includes('beta = fanout (1 - loss)(1 - failed)/2'), `${s} note: ${note}`);
    else assert(!note.includes('Serf'), 'rumor mongering draws no Serf curve');
    if (s === 'partition') {
      // The caption's story: the heal at round 12 lets the newer value reach every node.
      assert((await status(page)) === 'Round 14 · informed 64/64', `partition ends at ${await status(page)}`);
      assert(page.url().includes('a=3p'), `the scenario's actions are in the link: ${page.url()}`);
    }
    if (s === 'rumor') {
      const counters = await page.locator('#counters').innerText();
      assert(/^Residue 0\.\d{4} · traffic \d+\.\d\d messages per node · still spreading 0$/.test(counters), counters);
      // Demers et al. Table 1, k = 2: residue 0.037, traffic 3.30; 100 trials of 1,000 nodes
      // have standard errors of about 0.001 and 0.01, so these bounds are 4 or more of them.
      const band = await page.locator('#band-status').innerText();
      const m = /mean residue ([\d.]+), traffic ([\d.]+)/.exec(band);
      assert(m && Math.abs(Number(m[1]) - 0.037) < 0.008 && Math.abs(Number(m[2]) - 3.30) < 0.1, band);
      assert(await page.locator('#stop').isVisible() && await page.locator('#fanout').isDisabled(), 'rumor controls');
    }
    await page.screenshot({ path: join(SHOTS, `scenario-${s}.png`), fullPage: true });
  }
  const disabled = await page.locator('#scenario option[disabled]').allInnerTexts();
  assert(disabled.length === 0, `unavailable scenarios: ${disabled}`);
  noErrors(errors);
});


// Where node i of n sits on the ring (n <= 128), in page pixels: the layout module's formula.
async function nodeXY(page, i, n) {
  await page.locator('#cluster').scrollIntoViewIfNeeded();
  const box = await page.locator('#cluster').boundingBox();
  const radius = Math.min(640, 480) / 2 - 24;
  const angle = 2 * Math.PI * i / n - Math.PI / 2;
  const x = 320 + radius * Math.cos(angle);
  const y = 240 + radius * Math.sin(angle);
  return { x: box.x + x * box.width / 640, y: box.y + y * box.height / 480 };
}
const clickNode = async (page, i, n, modifiers = []) => {
  const p = await nodeXY(page, i, n);
  await page.mouse.move(p.x, p.y);
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.down();
  await page.mouse.up();
  for (const m of modifiers) await page.keyboard.up(m);
};
const informedOf = async (page) => Number(/informed (\d+)\//.exec(await status(page))[1]);
const canStep = (page) => page.locator('#step').isEnabled();
// Steps to round r, or until the run is complete (Step is then disabled).
const stepTo = async (page, r) => {
  for (let i = 0; i < r + 2 && (await roundOf(page)) < r && (await canStep(page)); i++) {
    await page.click('#step');
  }
};
// Steps until `informed` reaches `want` (at most `max` presses, and while Step is enabled);
// returns the count reached.
const stepUntilInformed = async (page, want, max = 30) => {
  for (let i = 0; i < max && (await informedOf(page)) < want && (await canStep(page)); i++) {
    await page.click('#step');
  }
  return informedOf(page);
};

test('kill a node: it counts as not informed; revive it: it comes back empty and catches up', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&m=pushpull&seed=3');
  assert((await stepUntilInformed(page, 16)) === 16, 'the rumor reached everyone first');
  const r = await roundOf(page);
  await clickNode(page, 5, 16);
  assert((await page.locator('#inspector-head').innerText()).startsWith('Node 5: holds the newest rumor'), await page.locator('#inspector').innerText());
  await page.screenshot({ path: join(SHOTS, 'inspector.png'), fullPage: true });
  await page.click('#kill');
  assert((await status(page)) === `Round ${r} · informed 15/16`, `after the crash: ${await status(page)}`);
  assert((await page.locator('#cluster-line').innerText()).includes('Live 15/16 (1 down)'), await page.locator('#cluster-line').innerText());
  assert((await page.locator('#inspector-head').innerText()).includes('down'), 'the inspector says down');
  // Every live node holds the rumor, so the run is complete: Step is disabled and the Right
  // arrow changes nothing.
  assert(await page.locator('#step').isDisabled(), 'Step is enabled on a complete run');
  assert(await page.locator('#play').isDisabled(), 'Play is enabled on a complete run');
  assert((await page.locator('#done').innerText()).includes('every live node holds the newest version'), 'no note says the run is complete');
  await page.keyboard.press('ArrowRight');
  assert((await status(page)) === `Round ${r} · informed 15/16`, `a crashed node stays uninformed: ${await status(page)}`);
  await page.screenshot({ path: join(SHOTS, 'crashed.png') });
  await page.click('#revive');
  assert((await informedOf(page)) === 15, 'a restarted node comes back empty');
  assert((await page.locator('#inspector-head').innerText()).includes('not informed yet'), await page.locator('#inspector-head').innerText());
  assert(page.url().includes(`a=${r}c5_r5`), `the actions are in the link: ${page.url()}`);
  assert((await stepUntilInformed(page, 16, 12)) === 16, `the restarted node did not catch up: ${await status(page)}`);
  noErrors(errors);
});

test('write a value at a node and see it spread; the tracked key can be changed', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=32&m=pushpull&seed=4');
  assert((await stepUntilInformed(page, 32)) === 32, 'the rumor reached everyone first');
  const r = await roundOf(page);
  await clickNode(page, 20, 32);
  await setField(page, '#write-value', 'hello');
  await page.click('#write');
  assert((await status(page)) === `Round ${r} · informed 1/32`, `a new version starts at its writer: ${await status(page)}`);
  let last = 1;
  for (let i = 0; i < 15 && last < 32; i++) {
    await page.click('#step');
    const now = await informedOf(page);
    assert(now >= last, 'the new value only spreads');
    last = now;
  }
  assert(last === 32, `the write did not spread to everyone: ${await status(page)}`);
  await setField(page, '#write-key', 'colour');
  await setField(page, '#write-value', 'blue');
  await page.click('#write');
  await page.selectOption('#track-key', 'colour');
  assert(/^Round \d+ · informed 1\/32$/.test(await status(page)), `tracking colour: ${await status(page)}`);
  assert(page.url().includes('key=colour'), page.url());
  await settle(page);
  await page.screenshot({ path: join(SHOTS, 'write.png'), fullPage: true });
  // Acting a round earlier forks away the write of colour: the view tracks the rumor again.
  await page.click('#back');
  await page.click('#kill');
  const notices = await page.locator('#notices').innerText();
  assert(notices.includes('No recorded action writes "colour" any more'), notices);
  assert((await page.locator('#track-key').inputValue()) === 'rumor', 'still tracking colour');
  assert(!page.url().includes('colour'), `the link still names colour: ${page.url()}`);
  noErrors(errors);
});

test('partition by shift-click and heal: the cut side stays uninformed until the heal', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&m=push&seed=6');
  // Cut off nodes 8 to 15 (the left half of the ring) before anything spreads.
  for (let i = 8; i < 16; i++) await clickNode(page, i, 16, ['Shift']);
  assert((await page.locator('#partition').innerText()).includes('8 selected'), await page.locator('#partition').innerText());
  await page.click('#cut-both');
  assert((await page.locator('#cluster-line').innerText()).includes('partitioned'), 'partitioned');
  await stepTo(page, 15);
  assert((await status(page)) === 'Round 15 · informed 8/16', `the cut side was reached: ${await status(page)}`);
  await settle(page);
  await page.screenshot({ path: join(SHOTS, 'partitioned.png') });
  await page.click('#heal');
  for (let i = 0; i < 20 && (await informedOf(page)) < 16; i++) await page.click('#step');
  assert((await informedOf(page)) === 16, `not all converged after the heal: ${await status(page)}`);
  assert(page.url().includes('a=p0-7~8-15_'), `the partition is in the link: ${page.url()}`);
  noErrors(errors);
});

test('a lasso selects the nodes inside it', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&seed=6');
  await page.locator('#cluster').scrollIntoViewIfNeeded();
  const box = await page.locator('#cluster').boundingBox();
  // A rectangle around the right half of the ring: nodes 1 to 7.
  const X = (x) => box.x + x * box.width / 640;
  const Y = (y) => box.y + y * box.height / 480;
  await page.mouse.move(X(335), Y(5));
  await page.mouse.down();
  for (const [x, y] of [[630, 5], [630, 475], [335, 475], [335, 10]]) await page.mouse.move(X(x), Y(y), { steps: 4 });
  await page.mouse.up();
  assert((await page.locator('#partition').innerText()).includes('7 selected'), await page.locator('#partition').innerText());
  await page.click('#cut-oneway');
  assert((await page.locator('#cluster-line').innerText()).includes('partitioned'), 'partitioned one way');
  noErrors(errors);
});

test('with Fork chosen, acting in the past forks the timeline: later actions are dropped with a notice', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&m=pushpull&seed=8&a=2c3_6r3_9c7');
  // The default keeps the later actions (e2e/actions.mjs); the fork is its own choice.
  await page.click('#fork');
  assert((await page.locator('#fork').getAttribute('aria-pressed')) === 'true', 'Fork is on');
  await stepTo(page, 9);
  assert((await roundOf(page)) === 9, 'pending actions keep the run going to round 9');
  assert((await page.locator('#cluster-line').innerText()).includes('1 down'), 'node 7 crashed at round 9');
  await setRange(page, '#timeline', 4);
  await clickNode(page, 11, 16);
  await page.keyboard.press('k'); // the shortcut for the inspector's Crash
  const notices = await page.locator('#notices').innerText();
  assert(notices.includes('forked') && notices.includes('2 recorded action(s) after round 4 were discarded'), notices);
  assert(page.url().includes('a=2c3_4c11') && !page.url().includes('r3'), `the link holds the new timeline: ${page.url()}`);
  assert((await page.locator('#timeline').getAttribute('max')) === '4', 'the old future is gone');
  await stepTo(page, 10);
  assert((await page.locator('#cluster-line').innerText()).includes('Live 14/16 (2 down)'), 'node 3 never restarts in the new future');
  noErrors(errors);
});

test('a permalink with actions replays the same picture and numbers; a bad a= says why', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=40&m=pushpull&loss=20&seed=12');
  await stepTo(page, 3);
  await clickNode(page, 9, 40);
  await page.click('#kill');
  await clickNode(page, 30, 40);
  await page.click('#write');
  await stepTo(page, 7);
  // Deselect (a click in the ring's empty centre): the inspected node's halo is not in links.
  await page.locator('#cluster').scrollIntoViewIfNeeded();
  const c = await page.locator('#cluster').boundingBox();
  await page.mouse.click(c.x + c.width / 2, c.y + c.height / 2);
  assert((await page.locator('#inspector').count()) === 0, 'the click in the centre deselects');
  await page.click('#copy-link');
  const link = await page.locator('#link').inputValue();
  assert(link.includes('a=3c9_w30.rumor.2'), link);
  const want = [await status(page), await page.locator('#counters').innerText(), await page.locator('#cluster-line').innerText(), await canvasPixels(page)];
  const { page: other, errors: e2 } = await open(ctx, link);
  const got = [await status(other), await other.locator('#counters').innerText(), await other.locator('#cluster-line').innerText(), await canvasPixels(other)];
  assert(got.slice(0, 3).join('|') === want.slice(0, 3).join('|'), `numbers differ: ${got.slice(0, 3)} vs ${want.slice(0, 3)}`);
  assert(got[3] === want[3], 'canvas pixels differ in the reopened link');
  const { page: bad, errors: e3 } = await open(ctx, url + '?n=10&a=3c5_2h');
  const notice = await bad.locator('#notices').innerText();
  assert(notice.includes('a=3c5_2h') && notice.includes('not a valid action list ('), notice);
  await bad.click('#step');
  assert((await status(bad)) === 'Round 1 · informed 2/10', `a working page without actions: ${await status(bad)}`);
  noErrors(errors);
  noErrors(e2);
  noErrors(e3);
}, { reducedMotion: 'reduce' });

// Frame rate itself is a benchmark, not a test (timings on a shared 2-core machine are noisy):
// `make bench-web` runs this same case and reports median and p95 frame intervals. This test
// checks the behaviour a person sees: the notice, and rounds that keep advancing.
test('when the model cannot keep up, the page says the speed is limited and keeps playing', async (ctx, url) => {
  // 10,000 nodes, fanout 4, halves cut for good: about 80,000 messages a round, never done.
  const { page, errors } = await open(ctx, url + '?n=10000&k=4&m=pushpull&seed=1&speed=64&a=p0-4999~5000-9999');
  await page.click('#play');
  await page.waitForSelector('#limited', { timeout: 10_000 });
  assert((await page.locator('#limited').innerText()).startsWith('Speed limited'), 'limited notice');
  assert(/^Round \d+ · informed \d+\/10000$/.test(await status(page)), await status(page));
  assert(await page.evaluate(() => window.gossipLabStats.limited), 'gossipLabStats.limited is not set');
  const roundOf = async () => Number(/^Round (\d+)/.exec(await status(page))[1]);
  const before = await roundOf();
  await page.waitForFunction((r) => Number(/^Round (\d+)/.exec(document.querySelector('#status').textContent)[1]) > r, before, { timeout: 10_000 });
  await page.screenshot({ path: join(SHOTS, 'speed-limited.png'), fullPage: true });
  await page.click('#play');
  noErrors(errors);
});

test('New seed draws from the browser\'s crypto, not Math.random', async (ctx, url) => {
  // With Math.random pinned, seeds drawn from it would repeat; crypto.getRandomValues does not.
  await ctx.addInitScript(() => { Math.random = () => 0.5; });
  const { page, errors } = await open(ctx, url + '?n=16');
  const seeds = new Set();
  for (let i = 0; i < 3; i += 1) {
    await page.click('#new-seed');
    seeds.add(await page.locator('#seed').inputValue());
  }
  assert(seeds.size === 3, `new seeds repeat: ${[...seeds]}`);
  assert(![...seeds].includes('500000001'), 'a seed came from Math.random');
  noErrors(errors);
});

test('a link that crashes the only informed node says the rumor is lost, not spread', async (ctx, url) => {
  // Found trying the page: `?s=epidemic&a=c0` said "every live node holds the newest version"
  // with 0 of 200 informed.
  const { page, errors } = await open(ctx, url + '?s=epidemic&a=c0');
  assert((await status(page)) === 'Round 0 · informed 0/200', await status(page));
  assert(await page.locator('#step').isDisabled(), 'Step is enabled on a run that cannot move');
  const done = await page.locator('#done').innerText();
  assert(done.includes('no live node holds the tracked key'), done);
  assert(!done.includes('every live node holds'), done);
  noErrors(errors);
});

test('a link that changes its scenario\'s parameters opens as a custom run and says so', async (ctx, url) => {
  // Found trying the page: `?s=partition&n=16` kept the title and the caption about 64 nodes.
  const { page, errors } = await open(ctx, url + '?s=partition&n=16');
  assert((await page.locator('#scenario').inputValue()) === 'custom', await page.locator('#scenario').inputValue());
  assert(!(await page.locator('#caption').innerText()).includes('64 nodes'), await page.locator('#caption').innerText());
  const notices = await page.locator('#notices').innerText();
  assert(notices.includes('s=partition does not describe this run'), notices);
  noErrors(errors);
});

// The runner replays a link headlessly (`lab cluster --link`); `make e2e` builds it first, with the
// core's `serde` feature that the example requires.
const LAB = process.env.LAB || join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'debug', 'examples', 'lab');

// The CSV's data rows (comment lines skipped) as objects keyed by the header's column names.
function csvRows(text) {
  const [head, ...rows] = text.trim().split('\n').filter((l) => !l.startsWith('#'));
  const names = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i], v])));
}

test('a link run by lab cluster gives the numbers the page shows for it', async (ctx, url) => {
  assert(existsSync(LAB), `${LAB} is missing: run \`cargo build -p gossip-core --features serde --example lab\``);
  // A scenario with a partition and writes; a lossy pull with a latency range, a crash and a
  // restart; rumor mongering with feedback. Each stops before its run completes.
  const links = [
    // The page's view fields change no number (view= is the embed's).
    ['?s=partition&seed=3&view=both', 13],
    ['?n=300&k=2&m=pull&loss=20&lat=1&latmax=3&seed=8&a=2c5_3c0_6r5', 10],
    ['?m=rumor&rk=2&n=400&seed=5', 15],
  ];
  for (const [link, rounds] of links) {
    const { page, errors } = await open(ctx, `${url}${link}&r=${rounds}`);
    await page.waitForFunction((r) => document.querySelector('#status').textContent.startsWith(`Round ${r} `), rounds, { timeout: 15_000 });
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const shown = csvRows(readFileSync(await csv.path(), 'utf8'));
    const out = spawnSync(LAB, ['cluster', '--link', link, '--rounds', String(rounds), '--format', 'csv'], { encoding: 'utf8' });
    assert(out.status === 0, `lab cluster ${link}: exit ${out.status}: ${out.stderr}`);
    const replayed = csvRows(out.stdout);
    assert(replayed.length === rounds + 1, `${link}: lab printed ${replayed.length} rows`);
    for (let r = 0; r <= rounds; r += 1) {
      for (const col of ['round', 'informed', 'informed_fraction', 'messages', 'lost', 'duplicates']) {
        assert(shown[r][col] === replayed[r][col], `${link} round ${r} ${col}: page ${shown[r][col]}, lab ${replayed[r][col]}`);
      }
    }
    noErrors(errors);
    await page.close();
  }
});

test('the help is modal: no shortcut acts behind it, Space on Close only closes it, the focus comes back', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?seed=9');
  const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
  await page.click('#step');
  assert((await roundOf(page)) === 1, 'Step');
  await page.keyboard.press('?');
  assert((await focused()) === 'help-close', 'focus did not move into the help');
  for (const k of ['ArrowRight', 'ArrowRight', 'ArrowLeft', 'r', 'c', 'h']) await page.keyboard.press(k);
  assert((await page.locator('#help').count()) === 1, 'a key closed the help');
  assert((await roundOf(page)) === 1, `keys behind the help moved the run to round ${await roundOf(page)}`);
  assert((await page.locator('#notices').count()) === 0, 'keys behind the help acted (a notice appeared)');
  // Space on the focused Close button presses it: the help closes and nothing plays.
  await page.keyboard.press(' ');
  assert((await page.locator('#help').count()) === 0, 'Space on Close did not close the help');
  assert((await page.locator('#play').innerText()) === 'Play', 'Space on Close started playback');
  await page.waitForTimeout(400);
  assert((await roundOf(page)) === 1, 'the run moved after Space on Close');
  assert((await focused()) === 'step', `focus went to ${await focused()}, not back to Step`);
  // With the help closed the shortcuts work again; Escape closes it too.
  await page.keyboard.press('ArrowRight');
  assert((await roundOf(page)) === 2, 'shortcuts stayed off after the help closed');
  await page.keyboard.press('?');
  await page.keyboard.press('Escape');
  assert((await page.locator('#help').count()) === 0, 'Escape did not close the help');
  assert((await focused()) === 'step', 'focus did not return after Escape');
  // The Escape that closes the help does only that: an inspected node stays inspected.
  const box = await page.locator('#cluster').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + (24 / 480) * box.height);
  assert((await page.locator('#inspector').count()) === 1, 'no inspector');
  await page.keyboard.press('?');
  await page.keyboard.press('Escape');
  assert((await page.locator('#help').count()) === 0, 'Escape did not close the help');
  assert((await page.locator('#inspector').count()) === 1, 'the Escape that closed the help also closed the inspector');
  await page.keyboard.press('Escape');
  assert((await page.locator('#inspector').count()) === 0, 'Escape did not forget the inspected node');
  noErrors(errors);
});

test('a notice repeated by a held key shows once with a count, and the list stays short', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?seed=3');
  // Cutting with no nodes selected is refused with the same notice on every press.
  for (let i = 0; i < 30; i++) await page.keyboard.press('c');
  let items = await page.locator('#notices li').allInnerTexts();
  assert(items.length === 1 && items[0].startsWith('Select some nodes first') && items[0].endsWith('(×30)'), items.join(' | '));
  // A link with twelve faulty fields: the newest notices stay (the first field's goes), eight of them.
  await page.goto(url + '?n=abc&k=99&loss=200&seed=-4&speed=3&r=abc&s=nope&lat=0&gi=99&zz=1&yy=2&xx=3');
  await page.waitForSelector('#status');
  items = await page.locator('#notices li').allInnerTexts();
  assert(items.length === 8, `${items.length} notices: ${items.join(' | ')}`);
  assert(items.some((t) => t.includes('xx=3')) && !items.some((t) => t.includes('n=abc')), items.join(' | '));
  noErrors(errors);
});

// Found trying the page: `?n=10000&m=pull&loss=90&r=5000` froze the tab with only "Loading…"
// while every round was computed in one call. The link's round is now computed over frames,
// with a note in a live region; #status shows only the round the link asked for.
const HEAVY = '?n=10000&k=4&m=pushpull&seed=1&a=p0-4999~5000-9999';
const HEAVY_ROUND = 60;

test('a link at a late round is computed over frames with a note, then looks as stepping there does', async (ctx, url) => {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  await page.goto(`${url}${HEAVY}&r=${HEAVY_ROUND}`);
  await page.waitForSelector('#catch-up');
  const note = page.locator('#catch-up');
  assert(/^Computing round \d+ of 60…$/.test(await note.innerText()), await note.innerText());
  assert((await note.getAttribute('aria-live')) === 'polite', 'the note is not a live region');
  assert((await page.locator('#status').count()) === 0, 'the status shows a round before the link\'s');
  // The page answers while it computes.
  const t0 = Date.now();
  await page.evaluate(() => 1);
  assert(Date.now() - t0 < 1000, `the page took ${Date.now() - t0} ms to answer while computing`);
  await page.waitForSelector('#status', { timeout: 120_000 });
  assert((await page.locator('#catch-up').count()) === 0, 'the note stayed');
  const got = [await status(page), await page.locator('#counters').innerText(), await canvasPixels(page)];
  assert(got[0].startsWith(`Round ${HEAVY_ROUND} `), got[0]);
  const { page: stepped, errors: e2 } = await open(ctx, url + HEAVY);
  for (let i = 0; i < HEAVY_ROUND; i++) await stepped.keyboard.press('ArrowRight');
  await stepped.waitForFunction((r) => document.querySelector('#status').textContent.startsWith(`Round ${r} `), HEAVY_ROUND, { timeout: 60_000 });
  const want = [await status(stepped), await stepped.locator('#counters').innerText(), await canvasPixels(stepped)];
  assert(got[0] === want[0] && got[1] === want[1], `numbers differ: ${got.slice(0, 2)} vs ${want.slice(0, 2)}`);
  assert(got[2] === want[2], 'canvas pixels differ between the caught-up link and the stepped run');
  noErrors(errors);
  noErrors(e2);
}, { reducedMotion: 'reduce' });

test('Pause while a link is computed stops at the round reached, and the link says that round', async (ctx, url) => {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  await page.goto(`${url}${HEAVY}&r=5000`);
  await page.waitForSelector('#catch-up');
  assert((await page.locator('#play').innerText()) === 'Pause', 'computing does not read as playing');
  await page.waitForTimeout(300);
  await page.click('#play');
  await page.waitForSelector('#status');
  const r = await roundOf(page);
  assert(r < 5000 && (await page.locator('#catch-up').count()) === 0, `round ${r}`);
  assert((await page.locator('#play').innerText()) === 'Play', 'Pause did not stop');
  await page.waitForTimeout(400);
  assert((await roundOf(page)) === r, 'the run moved after Pause');
  await page.waitForFunction((r) => new URLSearchParams(location.search).get('r') === String(r), r, { timeout: 2000 });
  await page.click('#reset');
  assert((await roundOf(page)) === 0, 'Reset did not return to round 0');
  noErrors(errors);
});

test('the help says what a link may hold, the a= action text with an example', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16');
  await page.keyboard.press('?');
  const text = await page.locator('#help-link').innerText();
  for (const part of ['a=', 'w2.color.red', 'p0-4~5-9', 'n= k= m=']) assert(text.includes(part), `help lacks ${part}: ${text}`);
  noErrors(errors);
});

test('a script on the page reads the run from window.gossipLab, the numbers lab cluster prints', async (ctx, url) => {
  const link = '?s=epidemic&seed=2';
  const { page, errors } = await open(ctx, url + link);
  await page.evaluate(() => { window.roundsSeen = []; addEventListener('gossiplab:round', (e) => window.roundsSeen.push(e.detail.round)); });
  for (let i = 0; i < 3; i += 1) await page.click('#step');
  await page.waitForFunction(() => window.gossipLab.run().round === 3);
  const run = await page.evaluate(() => window.gossipLab.run());
  assert(run.lab === 'dissemination' && run.nodes === 200 && run.key === 'rumor', JSON.stringify({ ...run, records: undefined }));
  assert(run.records.length >= 3 && run.records.length === run.horizon, `${run.records.length} records, horizon ${run.horizon}`);
  // The address bar follows the round a few frames late (it is updated at most every so often).
  await page.waitForFunction(() => window.gossipLab.run().link.includes('r=3'));
  assert(run.link.includes('s=epidemic'), run.link);
  const seen = await page.evaluate(() => window.roundsSeen);
  assert([1, 2, 3].every((r) => seen.includes(r)), `gossiplab:round events: ${seen}`);
  const out = spawnSync(LAB, ['cluster', '--link', link, '--rounds', '3', '--format', 'json'], { encoding: 'utf8' });
  assert(out.status === 0, out.stderr);
  const rows = JSON.parse(out.stdout).rounds;
  for (let r = 1; r <= 3; r += 1) {
    const rec = run.records[r - 1];
    assert(rec.messages_sent === rows[r].messages && rec.messages_redundant === rows[r].duplicates, `round ${r}: page ${JSON.stringify(rec)} lab ${JSON.stringify(rows[r])}`);
  }
  noErrors(errors);
});

// Every button, select, input and link a person can see, at least 44 by 44 CSS pixels.
const smallTargets = (page) => page.evaluate(() => [...document.querySelectorAll('button, select, input, a')]
  .filter((e) => e.getClientRects().length > 0 && !e.closest('.visually-hidden'))
  .map((e) => ({ e, r: e.getBoundingClientRect() }))
  .filter(({ r }) => r.width < 44 || r.height < 44)
  .map(({ e, r }) => `${e.id || e.tagName.toLowerCase()}${e.textContent ? ` "${e.textContent.trim().slice(0, 20)}"` : ''} ${Math.round(r.width)}x${Math.round(r.height)}`));

test('on a phone every target is at least 44 by 44 px, with the inspector, the link and the help open', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?s=epidemic&seed=3&m=pushpull');
  let small = await smallTargets(page);
  assert(small.length === 0, `targets under 44 px: ${small.join(', ')}`);
  const box = await page.locator('#cluster').boundingBox();
  await page.tap('#cluster', { position: { x: box.width / 2, y: box.height / 2 - (Math.sqrt(0.5 / 200) * 216) * (box.height / 480) } });
  await page.waitForSelector('#inspector');
  await page.tap('#copy-link');
  await page.waitForSelector('#link');
  small = await smallTargets(page);
  assert(small.length === 0, `with the inspector and the link shown, targets under 44 px: ${small.join(', ')}`);
  await page.tap('#help-button');
  small = await smallTargets(page);
  assert(small.length === 0, `with the help open, targets under 44 px: ${small.join(', ')}`);
  noErrors(errors);
}, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('on a phone a tap on a node keeps the canvas and the transport in view, the node actions next to it', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?s=epidemic&seed=3');
  const inView = (sel) => page.locator(sel).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
  });
  const box = await page.locator('#cluster').boundingBox();
  await page.tap('#cluster', { position: { x: box.width / 2, y: box.height / 2 - (Math.sqrt(0.5 / 200) * 216) * (box.height / 480) } });
  assert((await page.locator('#inspector').innerText()).startsWith('Node '), 'the tap did not inspect a node');
  await page.waitForTimeout(700); // a smooth scroll into view, if any, has ended
  assert(await inView('#cluster'), 'the tap scrolled the canvas out of view');
  for (const sel of ['#play', '#step', '#back', '#timeline']) assert(await inView(sel), `${sel} is out of view after the tap`);
  // Scrolled down to the parameters, the canvas and the transport are still there.
  await page.locator('#seed').scrollIntoViewIfNeeded();
  assert(await inView('#cluster') && await inView('#step'), 'scrolling down took the canvas or Step out of view');
  // Select nodes and Cut sit right under the sticky viewer, not hundreds of pixels below.
  await page.evaluate(() => window.scrollTo(0, 0));
  const canvasBottom = (await page.locator('#cluster').boundingBox()).y + box.height;
  for (const sel of ['#select-mode', '#cut-both']) {
    const b = await page.locator(sel).boundingBox();
    assert(b.y - canvasBottom < 300, `${sel} is ${Math.round(b.y - canvasBottom)} px below the canvas`);
  }
  noErrors(errors);
}, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('at devicePixelRatio 2 the canvases draw at device pixels and a click still finds its node', async (ctx, url) => {
  const { page, errors } = await open(ctx, url + '?n=16&seed=2');
  await page.click('#step');
  await settle(page);
  for (const sel of ['#cluster', '#chart']) {
    const [w, cw, h, ch] = await page.locator(sel).evaluate((c) => [c.width, c.clientWidth, c.height, c.clientHeight]);
    assert(w === cw * 2, `${sel}: width ${w}, shown ${cw} CSS px wide`);
    assert(Math.abs(h - ch * 2) <= 2, `${sel}: height ${h}, shown ${ch} CSS px tall`);
  }
  for (const i of [0, 5, 11]) {
    await clickNode(page, i, 16);
    const text = await page.locator('#inspector').innerText();
    assert(text.startsWith(`Node ${i}`), `a click on node ${i} inspected: ${text.slice(0, 40)}`);
  }
  assert((await inked(page, '#cluster')) > 0, 'the cluster canvas is blank');
  noErrors(errors);
}, { deviceScaleFactor: 2 });

registerEmbedTests({ test, assert, watch, noErrors, SHOTS, inked });
registerAntiEntropyEmbedTests({ test, assert, watch, noErrors, SHOTS, inked });
registerMembershipTests({ test, assert, watch, noErrors, SHOTS, pixels });
registerDisseminationSwimTests({ test, assert, watch, noErrors });
registerAntiEntropyTests({ test, assert, watch, noErrors, SHOTS, pixels, clickNode, LAB });
registerChallengeTests({ test, assert, watch, noErrors, SHOTS });
registerLessonTests({ test, assert, watch, noErrors, SHOTS });
registerRepairTests({ test, assert, watch, noErrors, SHOTS, pixels, clickNode, csvRows, LAB });
registerTeacherTests({ test, assert, watch, noErrors, SHOTS, pixels });
registerActionsTests({ test, assert, watch, noErrors, SHOTS, clickNode, csvRows, setRange, LAB });

async function main() {
  assert(existsSync(join(DIST, 'index.html')), 'dist/index.html is missing: run `trunk build --release` first');
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(HOST_DIR, { recursive: true });
  const port = await freePort();
  const server = await startServer(port);
  const hostPort = await freePort();
  const hostServer = await startServer(hostPort, HOST_DIR);
  // `host.page(name, html)` writes a host page and returns its address.
  const host = {
    url: `http://127.0.0.1:${hostPort}/`,
    page: (name, html) => { writeFileSync(join(HOST_DIR, name), html); return `http://127.0.0.1:${hostPort}/${name}`; },
  };
  let passed = 0;
  let failed = 0;
  let browser;
  try {
    // playwright launches with a fresh temporary profile of its own (--user-data-dir).
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const url = `http://127.0.0.1:${port}/`;
    // E2E_ONLY=text runs only the tests whose names contain it (for a quick loop).
    const only = process.env.E2E_ONLY;
    for (const t of tests.filter((x) => !only || x.name.includes(only))) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...t.options });
      // Each test's wall time is printed beside its name, to see where the suite's minutes go.
      const t0 = Date.now();
      const took = () => `(${((Date.now() - t0) / 1000).toFixed(1)} s)`;
      try {
        await t.fn(ctx, url, host);
        passed += 1;
        console.log(`ok   ${t.name} ${took()}`);
      } catch (e) {
        failed += 1;
        console.log(`FAIL ${t.name} ${took()}\n     ${e && e.stack ? e.stack.split('\n').slice(0, 3).join('\n     ') : e}`);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
    hostServer.kill('SIGTERM');
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  console.log('e2e: 0 passed, 1 failed');
  process.exitCode = 1;
});
