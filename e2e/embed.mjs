// End-to-end tests of embedding (README "Embedding"): the sandboxed iframe, its height messages,
// small frames, the "Get embed code" snippets and the <gossip-lab> element. Each host page is
// served from another port than the app (`host.page`), so the embed is cross-origin to it, as
// on a blog. Registered by run.mjs, which runs them with the others.
import { join } from 'node:path';
import { embedSnippets, inFrame, openHost as openHostWith, post, until } from './host.mjs';

// Rounds a playing embed must pass to count as playing (speed 4: a few seconds at most).
const ROUNDS_PLAYED_MIN = 3;

export function registerEmbedTests({ test, assert, watch, noErrors, SHOTS, inked }) {
  const roundIn = async (frame) => {
    const m = /^Round (\d+)/.exec(await frame.locator('#status').innerText());
    return m ? Number(m[1]) : -1;
  };
  const openHost = (ctx, address) => openHostWith(ctx, address, watch);

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

  // A host script that keeps every message `#fig` posts, as a blog platform's would.
  const KEEP_MESSAGES = `<script>
    window.got = [];
    addEventListener('message', (e) => {
      if (e.source === document.getElementById('fig').contentWindow) window.got.push(e.data);
    });
  </script>`;
  const heights = (page) => page.evaluate(() => window.got.filter((m) => m.type === 'gossiplab:height').map((m) => m.height));
  const innerHeight = (frame) => frame.locator('body').evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));

  test('the embed posts its height to its parent on load and again when the frame is resized', async (ctx, url, host) => {
    const { page, errors } = await openHost(ctx, host.page('height.html', post(`${KEEP_MESSAGES}
      <iframe id="fig" sandbox="allow-scripts" src="${url}?n=64&seed=3&embed=1" style="width: 640px; height: 700px; border: 0"></iframe>`)));
    const frame = page.frameLocator('#fig');
    await frame.locator('#status').waitFor();
    await until(async () => (await heights(page)).length > 0, 'a height message on load');
    const first = (await heights(page)).at(-1);
    assert(first === await innerHeight(frame), `posted ${first}, the embed is ${await innerHeight(frame)} px tall`);
    // A 640 px wide figure: a 4:3 canvas of 480 px or so plus the buttons and the status.
    assert(first > 480 && first < 700, `height ${first} px at 640 px wide`);
    await page.locator('#fig').evaluate((f) => { f.style.width = '360px'; });
    await until(async () => (await heights(page)).at(-1) < first - 150, 'a smaller height after narrowing the frame');
    const second = (await heights(page)).at(-1);
    assert(second === await innerHeight(frame), `posted ${second}, the embed is ${await innerHeight(frame)} px tall`);
    noErrors(errors);
  });


  test('in a 320x240 frame Play and Step are in view and work; view= shows the chart instead or beside', async (ctx, url, host) => {
    const frameAt = (q) => `<iframe id="fig" sandbox="allow-scripts" src="${url}?n=64&seed=3&speed=4&embed=1${q}" style="width: 320px; height: 240px; border: 0"></iframe>`;
    const { page, errors } = await openHost(ctx, host.page('small.html', post(frameAt(''))));
    let frame = page.frameLocator('#fig');
    await frame.locator('#status').waitFor();
    for (const sel of ['#cluster', '#play', '#step', '#status']) assert(await inFrame(page, frame, sel), `${sel} is not in the 320x240 frame`);
    await frame.locator('#step').click();
    assert((await roundIn(frame)) === 1, 'Step in the small frame');
    await frame.locator('#play').click();
    await until(async () => (await roundIn(frame)) >= ROUNDS_PLAYED_MIN, 'Play in the small frame');
    await page.screenshot({ path: join(SHOTS, 'embed-320x240.png') });
    for (const [q, shown, hidden] of [['&view=chart', ['#chart'], ['#cluster']], ['&view=both', ['#chart', '#cluster'], []]]) {
      await page.goto(host.page('small.html', post(frameAt(q))));
      frame = page.frameLocator('#fig');
      await frame.locator('#status').waitFor();
      for (const sel of [...shown, '#play', '#step']) assert(await inFrame(page, frame, sel), `${q}: ${sel} is not in the frame`);
      for (const sel of hidden) assert((await frame.locator(sel).count()) === 0, `${q}: ${sel} is shown`);
      assert(await inked(frame, '#chart') > 0, `${q}: the chart is blank`);
      await frame.locator('#step').click();
      assert((await roundIn(frame)) === 1, `${q}: Step`);
    }
    await page.screenshot({ path: join(SHOTS, 'embed-320x240-both.png') });
    noErrors(errors);
  });

  // The element's frame inside its shadow root (null before it is made).
  const frameOf = (page, id) => page.evaluate((id) => {
    const f = document.getElementById(id).shadowRoot.querySelector('iframe');
    return f ? { height: f.getBoundingClientRect().height, sandbox: f.getAttribute('sandbox') } : null;
  }, id);
  const elRound = (page, id) => page.evaluate((id) => document.getElementById(id).round, id);
  const scrollNear = (page, id, px) => page.evaluate(([id, px]) => {
    // Puts element `id`'s top `px` below the viewport's bottom (negative: inside the viewport).
    const top = document.getElementById(id).getBoundingClientRect().top + scrollY;
    scrollTo(0, top - innerHeight - px);
  }, [id, px]);
  const SPACER = '<p style="height: 2400px">Text of the post.</p>';

  test('two <gossip-lab> figures start only when scrolled near, play in view, pause off-screen, size themselves and send events', async (ctx, url, host) => {
    const { page, errors } = await openHost(ctx, host.page('elements.html', post(`
      <script src="${url}embed.js"></script>
      <h1>A post with two figures</h1>${SPACER}
      <gossip-lab id="slow" src="${url}?n=1000&k=1&m=push&seed=4&speed=2"></gossip-lab>${SPACER}
      <gossip-lab id="fast" src="${url}?n=16&m=pushpull&seed=2&speed=8"></gossip-lab>${SPACER}
      <script>
        window.events = [];
        for (const el of document.querySelectorAll('gossip-lab')) {
          for (const type of ['gossiplab:round', 'gossiplab:complete']) {
            el.addEventListener(type, (e) => window.events.push({ id: el.id, type, ...e.detail }));
          }
        }
      </script>`)));
    const events = (id, type) => page.evaluate(([id, type]) => window.events.filter((e) => e.id === id && e.type === type), [id, type]);
    await page.waitForTimeout(500);
    assert((await frameOf(page, 'slow')) === null && (await frameOf(page, 'fast')) === null, 'a frame was made before its figure came near');
    // Near but not yet on screen: the frame is made and shows the first frame, paused.
    await scrollNear(page, 'slow', 150);
    await until(async () => (await events('slow', 'gossiplab:round')).length > 0, 'the first round message');
    assert((await frameOf(page, 'slow')).sandbox.includes('allow-scripts'), 'the frame is not sandboxed');
    assert((await frameOf(page, 'fast')) === null, 'the far figure was started too');
    await page.waitForTimeout(600);
    assert((await elRound(page, 'slow')) === 0, `off-screen the figure played to round ${await elRound(page, 'slow')}`);
    // On screen: it plays, and it is as tall as the embed says it is.
    await scrollNear(page, 'slow', -700);
    await until(async () => (await elRound(page, 'slow')) >= 2, 'the figure to play once in view');
    const frame = page.frameLocator('#slow iframe');
    assert(Math.abs((await frameOf(page, 'slow')).height - await innerHeight(frame)) <= 1,
      `the frame is ${(await frameOf(page, 'slow')).height} px, its content ${await innerHeight(frame)} px`);
    // A height message from anyone but the figure's own frame is ignored.
    await page.evaluate(() => postMessage({ type: 'gossiplab:height', height: 5 }, '*'));
    await page.waitForTimeout(200);
    assert((await frameOf(page, 'slow')).height > 100, 'a forged height message resized the figure');
    // Scrolled away: it pauses where it was.
    await page.evaluate(() => scrollTo(0, 0));
    await page.waitForTimeout(300);
    const left = await elRound(page, 'slow');
    // At speed 2 a playing figure would pass two rounds in this time.
    await page.waitForTimeout(1000);
    assert((await elRound(page, 'slow')) === left, `off-screen rounds went on from ${left} to ${await elRound(page, 'slow')}`);
    assert(/^Round (\d+)/.exec(await frame.locator('#status').innerText())[1] === String(left), 'the page and the event disagree');
    // The second figure runs to the end: its rounds and its completion reach the author's script.
    await scrollNear(page, 'fast', -700);
    await until(async () => (await events('fast', 'gossiplab:complete')).length === 1, 'the completion event');
    const rounds = await events('fast', 'gossiplab:round');
    const last = rounds.at(-1);
    // The record is the core's RoundRecord of the round just run, which counts from 0.
    assert(last.complete && last.round >= 2 && last.record && last.record.round === last.round - 1
      && last.record.coverage[0].holders === 16, `last round event ${JSON.stringify(last)}`);
    assert(rounds.every((e, i) => i === 0 || e.round === rounds[i - 1].round + 1), `rounds ${rounds.map((e) => e.round)}`);
    assert((await elRound(page, 'slow')) === left, 'the first figure played while the second was in view');
    noErrors(errors);
    await page.screenshot({ path: join(SHOTS, 'embed-elements.png') });
  });

  test('Get embed code gives an iframe and an element snippet for the current run, and both work pasted in a post', async (ctx, url, host) => {
    const fields = ['n=40', 'm=pull', 'seed=11', 'r=2', 'embed=1'];
    const { page, errors, iframe, element } = await embedSnippets(ctx, `${url}?n=40&m=pull&seed=11`, watch, assert, fields);
    assert(element.startsWith(`<script src="${url}embed.js" defer></script>`), `element snippet: ${element}`);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('#copy-embed-element');
    await until(async () => (await page.locator('#copied-embed-element').innerText()).length > 0, 'the copy to answer');
    // Both snippets, pasted as they are into a post, show the run at the round it was copied at.
    await page.goto(host.page('snippets.html', post(`${iframe}\n${element}`)));
    const statusOf = (f) => f.locator('#status').innerText();
    const pasted = page.frameLocator('iframe').first();
    await pasted.locator('#status').waitFor();
    const viaElement = page.frameLocator('gossip-lab iframe');
    await viaElement.locator('#status').waitFor();
    assert((await statusOf(pasted)).startsWith('Round 2 '), `iframe snippet: ${await statusOf(pasted)}`);
    assert((await statusOf(viaElement)).startsWith('Round 2 '), `element snippet: ${await statusOf(viaElement)}`);
    noErrors(errors);
  });

  // The page's script API (README "Embedding": `window.gossipLab`), as an author's own script on
  // the page uses it: it drives the run as the buttons do, and a bad round is refused out loud.
  test('a script drives the page through gossipLab: step, seek back and past what is computed, complete; a bad seek throws', async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(`${url}?n=200&m=push&k=1&seed=5`);
    await page.waitForSelector('#status');
    await page.evaluate(() => {
      window.done = [];
      addEventListener('gossiplab:complete', (e) => window.done.push(e.detail.round));
    });
    const status = async () => Number(/^Round (\d+)/.exec(await page.locator('#status').innerText())[1]);
    const api = (name, arg) => page.evaluate(([name, arg]) => window.gossipLab[name](arg), [name, arg]);
    await api('step');
    await until(async () => (await status()) === 1, 'step to round 1');
    // Past the rounds computed so far: computed toward, then shown paused.
    await api('seek', 6);
    await until(async () => (await status()) === 6, 'seek to round 6');
    await api('seek', 2);
    await until(async () => (await status()) === 2, 'seek back to round 2');
    // The address bar follows a moment later, as it does after the buttons.
    await until(async () => /[?&]r=2(&|$)/.test(await page.evaluate(() => window.gossipLab.run().link)), 'the link to say r=2');
    let run = await page.evaluate(() => window.gossipLab.run());
    assert(run.round === 2 && run.horizon >= 6 && run.records.length === run.horizon && /[?&]r=2(&|$)/.test(run.link),
      `run after seeks: round ${run.round}, horizon ${run.horizon}, link ${run.link}`);
    for (const bad of [-1, 1.5, '3', null, 5001]) {
      const thrown = await page.evaluate((bad) => {
        try { window.gossipLab.seek(bad); return null; } catch (e) { return `${e.name}: ${e.message}`; }
      }, bad);
      assert(thrown && thrown.startsWith('RangeError: gossipLab.seek: the round must be a whole number from 0 to 5000'), `seek(${JSON.stringify(bad)}): ${thrown}`);
    }
    await page.waitForTimeout(200);
    assert((await status()) === 2, 'a refused seek moved the run');
    // Far past the end: the run stops where it ends, and the completion reaches the script.
    await api('seek', 5000);
    await until(async () => (await page.evaluate(() => window.done.length)) === 1, 'the completion event');
    run = await page.evaluate(() => window.gossipLab.run());
    assert(run.complete && run.round === (await page.evaluate(() => window.done[0])) && run.round > 6 && run.round < 60,
      `complete at ${run.round}`);
    assert(run.records.at(-1).coverage[0].holders === 200, 'the last record does not have every node informed');
    // The Membership lab takes the same commands.
    await page.goto(`${url}?lab=membership&s=detect`);
    await page.waitForSelector('#status');
    await api('seek', 7);
    await until(async () => (await page.evaluate(() => window.gossipLab.run().round)) === 7, 'membership: seek to period 7');
    await api('step');
    await until(async () => (await page.evaluate(() => window.gossipLab.run().round)) === 8, 'membership: step');
    noErrors(errors);
  });

  test('a <gossip-lab> element is driven by its script: seek, step, run() gives every record; a bad seek throws', async (ctx, url, host) => {
    const { page, errors } = await openHost(ctx, host.page('driven.html', post(`
      <script src="${url}embed.js"></script>
      <gossip-lab id="fig" src="${url}?n=200&m=push&k=1&seed=5&speed=0.5"></gossip-lab>`)));
    const el = (f) => page.evaluate(f);
    await until(async () => (await el(() => document.getElementById('fig').round)) !== null, 'the figure to start');
    await el(() => document.getElementById('fig').seek(4));
    await until(async () => (await el(() => document.getElementById('fig').round)) === 4, 'the element to seek to round 4');
    await el(() => document.getElementById('fig').step());
    await until(async () => (await el(() => document.getElementById('fig').round)) === 5, 'the element to step to round 5');
    const frame = page.frameLocator('#fig iframe');
    assert((await roundIn(frame)) === 5, 'the figure shows another round than the element says');
    const run = await el(() => document.getElementById('fig').run());
    assert(run.round === 5 && run.records.length === run.horizon && run.horizon >= 5 && run.records[4].round === 4
      && run.lab === 'dissemination' && run.nodes === 200, `run(): ${JSON.stringify({ ...run, records: run.records.length })}`);
    const thrown = await el(() => { try { document.getElementById('fig').seek(-3); return null; } catch (e) { return e.name; } });
    assert(thrown === 'RangeError', `seek(-3) threw ${thrown}`);
    // A page that is not the figure cannot answer for it.
    const early = await el(() => document.createElement('gossip-lab').run().then(() => 'answered', (e) => e.message));
    assert(early.includes('has not started'), `run() of an element with no frame: ${early}`);
    noErrors(errors);
  });
}
