// End-to-end tests of the built page (dist/) in Debian's headless Chromium, driven by
// playwright-core. They look at what a person sees: the status text, the canvas pixels.
//
//   node e2e/run.mjs            (make e2e; needs `trunk build --release` first)
//
// Prints `e2e: N passed, N failed` as its last line (read by CI) and exits non-zero on failure.
// The static server it starts is stopped by PID, also when a test throws.
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
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
const test = (name, fn) => tests.push({ name, fn });

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

function assert(cond, msg) { if (!cond) throw new Error(msg); }

test('the page opens at round 0 with one informed node and no console errors', async (ctx, url) => {
  const { page, errors } = await open(ctx, url);
  assert((await status(page)) === 'Round 0 · informed 1/32', `status was "${await status(page)}"`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
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
  const after = await canvasPixels(page);
  assert(before !== after, 'the canvas pixels did not change as nodes became informed');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await page.screenshot({ path: join(SHOTS, 'all-informed.png') });
});

test('Play advances rounds by itself, Pause stops them, Reset returns to round 0', async (ctx, url) => {
  const { page } = await open(ctx, url);
  await page.click('#play');
  assert((await page.locator('#play').innerText()) === 'Pause', 'Play did not turn into Pause');
  await page.waitForFunction(() => /^Round [2-9]/.test(document.querySelector('#status').textContent), null, { timeout: 10_000 });
  await page.click('#play');
  const paused = await status(page);
  await page.waitForTimeout(1000);
  assert((await status(page)) === paused, 'rounds kept advancing after Pause');
  await page.click('#reset');
  assert((await status(page)) === 'Round 0 · informed 1/32', 'Reset did not return to round 0');
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
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
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
