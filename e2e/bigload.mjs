// Load, memory and responsiveness of a heavy link (issue 8: 10,000 nodes at r=5000), for a
// before/after comparison of two builds:
//
//   node e2e/bigload.mjs <dist-dir> <port> '?n=10000&m=pull&loss=90&r=5000&seed=1'
//
// Prints one JSON line: the time until the page first shows anything of the run (the status
// or the catch-up note), until the final round shows in #status, the slowest `evaluate` round
// trip while it was computing (how long a click would wait), the wasm memory
// (`gossipLabStats.wasmMemoryBytes`, when the build reports it) and the renderer's RSS after
// the load and after switching the page to 32 nodes, and how long one step Back takes.
import { spawn, execSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [dist, port, query] = process.argv.slice(2);
const srv = spawn('python3', [join(ROOT, 'scripts', 'serve.py'), dist, port, '--quiet'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 1500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
// Resident memory of this browser's renderer processes, MiB: descendants of the browser that
// playwright launched from this script (other Chromiums on the machine are not counted).
const rss = () => {
  const rows = execSync('ps -eo pid=,ppid=,rss=,args=').toString().trim().split('\n').map((l) => {
    const [pid, ppid, kb, ...args] = l.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), kb: Number(kb), args: args.join(' ') };
  });
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (ours.has(r.ppid) && !ours.has(r.pid)) { ours.add(r.pid); grew = true; }
  }
  const kb = rows.filter((r) => ours.has(r.pid) && r.args.includes('--type=renderer')).reduce((a, r) => a + r.kb, 0);
  return Math.round(kb / 1024);
};
const mib = (b) => (b == null ? null : Math.round(b / 1048576));
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The wasm memory of either build, old or new: the module's exported memory, caught as
  // it is instantiated.
  await ctx.addInitScript(() => {
    const keep = (r) => { const i = r.instance || r; if (i.exports && i.exports.memory) window.__wasmMemory = i.exports.memory; return r; };
    const streaming = WebAssembly.instantiateStreaming;
    if (streaming) WebAssembly.instantiateStreaming = (...a) => streaming(...a).then(keep);
    const plain = WebAssembly.instantiate;
    WebAssembly.instantiate = (...a) => plain(...a).then(keep);
  });
  const page = await ctx.newPage();
  const t0 = Date.now();
  // Not waiting for `load`: the old build blocks in its first frame, and we time that.
  await page.goto(`http://127.0.0.1:${port}/${query}`, { waitUntil: 'commit' });
  await page.waitForSelector('#status, #catch-up', { timeout: 120000 });
  const firstShownMs = Date.now() - t0;
  // While computing: how long the page takes to answer, probed every 100 ms.
  let slowestEvalMs = 0;
  let probes = 0;
  const evalMs = [];
  let notes = new Set();
  for (;;) {
    const t1 = Date.now();
    const s = await page.evaluate(() => {
      const st = document.querySelector('#status');
      const note = document.querySelector('#catch-up');
      return { status: st && st.textContent, note: note && note.textContent };
    });
    slowestEvalMs = Math.max(slowestEvalMs, Date.now() - t1);
    evalMs.push(Date.now() - t1);
    probes += 1;
    if (s.note) notes.add(s.note);
    if (s.status && /^Round [1-9]/.test(s.status)) break;
    if (Date.now() - t0 > 180000) throw new Error('no final round in 180 s');
    await page.waitForTimeout(100);
  }
  const finalShownMs = Date.now() - t0;
  const status = await page.locator('#status').innerText();
  const wasm1 = await page.evaluate(() => window.gossipLabStats && window.gossipLabStats.wasmMemoryBytes);
  const hooked1 = await page.evaluate(() => window.__wasmMemory && window.__wasmMemory.buffer.byteLength);
  const work = await page.evaluate(() => (window.gossipLabStats.frameWorkMs || []).slice().sort((a, b) => b - a).slice(0, 5).map(Math.round));
  const rss1 = rss();
  // One round back from the final round: a seek replays at most the checkpoints' spacing.
  const t2 = Date.now();
  await page.click('#back');
  await page.waitForFunction((s) => document.querySelector('#status').textContent !== s, status, { timeout: 60000 });
  const backMs = Date.now() - t2;
  await page.fill('#nodes', '32');
  await page.locator('#nodes').press('Enter');
  await page.waitForTimeout(2000);
  const wasm2 = await page.evaluate(() => window.gossipLabStats && window.gossipLabStats.wasmMemoryBytes);
  const hooked2 = await page.evaluate(() => window.__wasmMemory && window.__wasmMemory.buffer.byteLength);
  const rss2 = rss();
  console.log(JSON.stringify({
    dist, query, firstShownMs, finalShownMs, status, slowestEvalMsWhileLoading: slowestEvalMs, probes,
    notesSeen: notes.size, lastNote: [...notes].pop() || null,
    longestFrameWorkMs: work, backMs, evalMsInOrder: evalMs, wasmMemoryHookedMiB: mib(hooked1), wasmMemoryHookedAfterSwitchTo32MiB: mib(hooked2),
    wasmMemoryMiB: mib(wasm1), wasmMemoryAfterSwitchTo32MiB: mib(wasm2), rendererRssMiB: rss1, rendererRssAfterSwitchTo32MiB: rss2,
  }));
} finally {
  await browser.close();
  srv.kill();
}
