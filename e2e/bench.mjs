// Frame-time benchmark of the built page (dist/) in headless Chromium. Not part of `make test`:
// run `make bench-web` (or `trunk build --release --offline && node e2e/bench.mjs`).
//
// For each case it opens a link, presses Play, lets it run, and reads `window.gossipLabStats`,
// which the page fills on every animation frame:
//   frameIntervalsMs  time between consecutive frames (what a viewer sees: 16.7 ms is 60 fps)
//   frameWorkMs       time the app's frame handler took (model steps, canvas drawing, DOM)
//   limited           whether the last frames hit the model budget (MODEL_BUDGET_MS_PER_FRAME)
//                     and played slower than the speed asked for
// and it reports the median and 95th percentile of both, plus the time of the first painted
// frame over a few fresh loads. Headless Chromium here rasterises without a GPU, so the
// intervals are an upper bound on what a desktop browser shows.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// DIST=<folder> benchmarks another build (an older one kept for a before/after comparison).
const DIST = process.env.DIST || join(ROOT, 'dist');
const RUN_MS = Number(process.env.BENCH_RUN_MS || 6000);
const FIRST_FRAME_LOADS = 5;

const CASES = [
  { name: '1,000 nodes, push-pull, 50 % loss, 1x, travelling messages', query: '?n=1000&m=pushpull&loss=50&seed=1&speed=1' },
  { name: '1,000 nodes, push, fanout 3, 4x, travelling messages', query: '?n=1000&k=3&m=push&loss=70&seed=1&speed=4' },
  { name: '10,000 nodes, pull, 90 % loss, 64x (no messages: too fast to follow)', query: '?n=10000&m=pull&loss=90&seed=1&speed=64' },
  { name: '10,000 nodes, push-pull, 90 % loss, 1x, reduced motion (no messages)', query: '?n=10000&m=pushpull&loss=90&seed=1&speed=1', reducedMotion: 'reduce' },
  { name: '10,000 nodes, push-pull, 90 % loss, 1x, travelling messages', query: '?n=10000&m=pushpull&loss=90&seed=1&speed=1' },
  { name: '10,000 nodes, push, 90 % loss, 64x (no messages)', query: '?n=10000&m=push&loss=90&seed=1&speed=64' },
  { name: '10,000 nodes, push-pull, fanout 4, halves cut for good, 64x (cannot keep up)', query: '?n=10000&k=4&m=pushpull&seed=1&speed=64&a=p0-4999~5000-9999' },
  { name: 'Membership lab: 1,000 nodes, SWIM, a crash, 1x, travelling messages', query: '?lab=membership&s=custom&n=1000&seed=1&speed=1&a=2c7' },
  { name: 'Membership lab: 1,000 nodes, SWIM, a crash, 1x, reduced motion (no messages)', query: '?lab=membership&s=custom&n=1000&seed=1&speed=1&a=2c7', reducedMotion: 'reduce' },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  // Nearest rank, as the core's stats module defines it.
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
}

const fmt = (x) => x.toFixed(1).padStart(6);

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `trunk build --release --offline` first');
  const port = await freePort();
  const server = spawn('python3', [join(ROOT, 'scripts', 'serve.py'), DIST, String(port), '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => server.stdout.on('data', (d) => { if (String(d).includes('http://')) resolve(); }));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const base = `http://127.0.0.1:${port}/`;
  try {
    for (const query of process.env.BENCH_ONLY ? [] : ['', '?n=10000&m=pushpull&seed=1']) {
      const firsts = [];
      for (let i = 0; i < FIRST_FRAME_LOADS; i++) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await ctx.newPage();
        await page.goto(base + query);
        await page.waitForFunction(() => window.gossipLabStats && window.gossipLabStats.firstFrameMs !== null);
        firsts.push(await page.evaluate(() => window.gossipLabStats.firstFrameMs));
        await ctx.close();
      }
      console.log(`first frame after navigation start (${query || 'default page'}): median ${quantile(firsts, 0.5).toFixed(0)} ms, max ${Math.max(...firsts).toFixed(0)} ms (${FIRST_FRAME_LOADS} loads)`);
    }
    console.log(`case${' '.repeat(70)}frames  interval median  p95   work median  p95 (ms)`);
    // BENCH_ONLY=text runs only the cases whose name contains it.
    for (const c of CASES.filter((c) => !process.env.BENCH_ONLY || c.name.includes(process.env.BENCH_ONLY))) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: c.reducedMotion || 'no-preference' });
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(base + c.query);
      await page.waitForSelector('#status');
      await page.waitForTimeout(300);
      await page.evaluate(() => { window.gossipLabStats.frameIntervalsMs.length = 0; window.gossipLabStats.frameWorkMs.length = 0; });
      await page.click('#play');
      await page.waitForTimeout(RUN_MS);
      const s = await page.evaluate(() => ({
        i: [...window.gossipLabStats.frameIntervalsMs],
        w: [...window.gossipLabStats.frameWorkMs],
        playing: window.gossipLabStats.playing,
        round: window.gossipLabStats.round,
        limited: window.gossipLabStats.limited,
      }));
      console.log(`${c.name.padEnd(74)}${String(s.i.length).padStart(6)}  ${fmt(quantile(s.i, 0.5))}  ${fmt(quantile(s.i, 0.95))}   ${fmt(quantile(s.w, 0.5))}  ${fmt(quantile(s.w, 0.95))}   (round ${s.round}${s.playing ? `, still playing, ${(s.round / (RUN_MS / 1000)).toFixed(1)} rounds/s` : ', run ended'}${s.limited ? ', speed limited by the model budget' : ''})${errors.length ? ' ERRORS: ' + errors.join(' | ') : ''}`);
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
