// End-to-end tests of the built page (dist/) in Debian's headless Chromium, driven by
// playwright-core. They look at what a person sees: the status text, the canvas pixels.
//
//   node e2e/run.mjs            (make e2e; needs `trunk build --release` first)
//
// Prints `e2e: N passed, N failed` as its last line (read by CI) and exits non-zero on failure.
// The static server it starts is stopped by PID, also when a test throws.
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const SHOTS = join(ROOT, 'target', 'e2e');
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

async function startServer(port) {
  const proc = spawn('python3', [join(ROOT, 'scripts', 'serve.py'), DIST, String(port), '--quiet'], {
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

const tests = [];
// `options` are extra browser-context options (viewport, reducedMotion) for that test alone.
const test = (name, fn, options = {}) => tests.push({ name, fn, options });

// Opens the page and collects console errors and page errors for the test to check.
async function open(ctx, url) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#status');
  return { page, errors };
}

const status = (page) => page.locator('#status').innerText();
const canvasPixels = (page) => page.locator('#cluster').evaluate((c) => c.toDataURL());
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
  const { page, errors } = await open(ctx, url);
  assert((await status(page)) === 'Round 0 · informed 1/32', `status was "${await status(page)}"`);
  const first = await page.evaluate(() => window.gossipLabStats && window.gossipLabStats.firstFrameMs);
  assert(typeof first === 'number' && first < 1000, `first frame at ${first} ms`);
  assert((await page.locator('#loading').count()) === 0, 'the loading line was not removed');
  noErrors(errors);
  await page.screenshot({ path: join(SHOTS, 'start.png') });
});

test('pressing Step spreads the rumor to every node and the canvas changes', async (ctx, url) => {
  const { page, errors } = await open(ctx, url);
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
  const { page, errors } = await open(ctx, url + '?speed=8');
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
  const { page, errors } = await open(ctx, url);
  for (let i = 0; i < 6; i++) await page.click('#step');
  assert((await roundOf(page)) === 6, 'six steps');
  await page.click('#back');
  assert((await roundOf(page)) === 5, 'Back did not go to round 5');
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
  assert((await page.locator('#notices').innerText()).includes('n=50000 is above the limit 10000; using 10000'), 'clamp notice');
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
  noErrors(errors);
  await page.screenshot({ path: join(SHOTS, 'embed-320.png') });
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

test('the blog post embeds two different working figures', async (ctx, url) => {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url + 'embed.html');
  const statuses = [];
  for (const id of ['#figure-push', '#figure-pushpull']) {
    const frame = page.frameLocator(id);
    await frame.locator('#status').waitFor();
    statuses.push(await frame.locator('#status').innerText());
  }
  assert(statuses[0] === 'Round 0 · informed 1/64' && statuses[1] === 'Round 0 · informed 1/1000', statuses.join(' | '));
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
  ['s=partition', 's=partition', 'not available yet'],
  ['zz=1', 'zz=1', 'ignored'],
  ['m=rumor&stop=never', 'stop=never', 'using feedback-counter'],
  ['m=rumor&rk=0', 'rk=0', 'using 1'],
  ['a=3:explode:1', 'a=3:explode:1', 'ignored'],
  ['a=3c5_9h', 'action', 'not applied'],
  ['a=3c99', 'a=3c99', 'not a valid action list'],
  ['r=99999', 'r=99999', 'using 5000'],
];

test('every malformed or out-of-range link parameter shows a notice and a working page', async (ctx, url) => {
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const [query, name, used] of BAD_LINKS) {
    await page.goto(`${url}?${query}`);
    await page.waitForSelector('#status');
    const notices = await page.locator('#notices').innerText();
    assert(notices.includes(name) && notices.includes(used), `?${query}: notices "${notices}"`);
    assert(/^Round \d+ · informed \d+\/\d+$/.test(await status(page)), `?${query}: status`);
    await page.click('#step');
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
  const body = readFileSync(await csv.path(), 'utf8');
  const lines = body.trim().split('\n');
  assert(lines[0].startsWith('round,informed,informed_fraction,messages'), lines[0]);
  assert(lines.length > 10 && lines[1].startsWith('0,1,0.005000,0'), lines.slice(0, 2).join(' / '));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert(png.suggestedFilename().endsWith('.png'), png.suggestedFilename());
  const bytes = readFileSync(await png.path());
  assert(bytes.subarray(1, 4).toString() === 'PNG', 'not a PNG');
  noErrors(errors);
});

const SCENARIOS = ['epidemic', 'modes', 'rumor', 'bounds'];

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
  assert(disabled.length === 1 && disabled[0].includes('partition'), `unavailable scenarios: ${disabled}`);
  noErrors(errors);
});

async function main() {
  assert(existsSync(join(DIST, 'index.html')), 'dist/index.html is missing: run `trunk build --release` first');
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const server = await startServer(port);
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
    for (const t of tests) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...t.options });
      try {
        await t.fn(ctx, url);
        passed += 1;
        console.log(`ok   ${t.name}`);
      } catch (e) {
        failed += 1;
        console.log(`FAIL ${t.name}\n     ${e && e.stack ? e.stack.split('\n').slice(0, 3).join('\n     ') : e}`);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  console.log('e2e: 0 passed, 1 failed');
  process.exitCode = 1;
});
