// End-to-end tests of the Anti-entropy lab as a figure in a post (`embed=1`,
// web/src/labs/anti_entropy/embed.rs): in a sandboxed, cross-origin 320x240 iframe the trees,
// Play and Step are in view and work, and `view=` shows the chart instead or beside; the embed
// tells its parent its height and its turns; "Get embed code" gives both snippets for the turn
// shown, and both work pasted into a post. Registered by run.mjs, beside the dissemination
// lab's embed tests (e2e/embed.mjs), whose conventions these follow.
import { join } from 'node:path';
import { embedSnippets, inFrame, openHost as openHostWith, post, until } from './host.mjs';

const LINK = '?lab=anti-entropy&n=256&d=6&st=merkle&b=4&l=4&seed=1';
// The link's Merkle repair takes 9 turns (e2e/anti_entropy.mjs pins it).
const TURNS = 9;

export function registerAntiEntropyEmbedTests({ test, assert, watch, noErrors, SHOTS, inked }) {
  const turnIn = async (frame) => {
    const m = /^Turn (\d+)\//.exec(await frame.locator('#status').innerText());
    return m ? Number(m[1]) : -1;
  };
  const openHost = (ctx, address) => openHostWith(ctx, address, watch);

  test('anti-entropy embed: in a sandboxed 320x240 frame the trees, Play and Step are in view and work; view= shows the chart', async (ctx, url, host) => {
    const frameAt = (q) => `<iframe id="fig" sandbox="allow-scripts" src="${url}${LINK}&embed=1${q}" style="width: 320px; height: 240px; border: 0"></iframe>`;
    const { page, errors } = await openHost(ctx, host.page('ae-small.html', post(frameAt(''))));
    let frame = page.frameLocator('#fig');
    await frame.locator('#status').waitFor({ timeout: 10_000 });
    const inside = await frame.locator('body').evaluate(() => {
      let storage = 'usable';
      try { window.localStorage.length; } catch (e) { storage = e.name; }
      return { origin: window.origin, storage };
    });
    assert(inside.origin === 'null' && inside.storage === 'SecurityError', `not sandboxed: ${JSON.stringify(inside)}`);
    for (const sel of ['#trees', '#play', '#step', '#status']) assert(await inFrame(page, frame, sel), `${sel} is not in the 320x240 frame`);
    assert((await frame.locator('#chart').count()) === 0, 'the chart is shown without view=');
    assert(await inked(frame, '#trees') > 0, 'the trees are blank');
    await frame.locator('#step').click();
    assert((await turnIn(frame)) === 1, `Step: ${await frame.locator('#status').innerText()}`);
    await frame.locator('#play').click();
    await until(async () => (await turnIn(frame)) >= 3, 'Play in the small frame');
    await page.screenshot({ path: join(SHOTS, 'anti-entropy-embed-320x240.png') });
    for (const [q, shown, hidden] of [['&view=chart', ['#chart'], ['#trees']], ['&view=both', ['#chart', '#trees'], []]]) {
      await page.goto(host.page('ae-small.html', post(frameAt(q))));
      frame = page.frameLocator('#fig');
      await frame.locator('#status').waitFor();
      for (const sel of [...shown, '#play', '#step']) assert(await inFrame(page, frame, sel), `${q}: ${sel} is not in the frame`);
      for (const sel of hidden) assert((await frame.locator(sel).count()) === 0, `${q}: ${sel} is shown`);
      await until(async () => (await inked(frame, '#chart')) > 0, `${q}: the chart to be drawn`);
      await frame.locator('#step').click();
      assert((await turnIn(frame)) === 1, `${q}: Step`);
    }
    noErrors(errors);
  });

  test('anti-entropy embed: it posts its height and its turns to its parent, and the parent can seek it', async (ctx, url, host) => {
    const { page, errors } = await openHost(ctx, host.page('ae-height.html', post(`<script>
        window.got = [];
        addEventListener('message', (e) => {
          if (e.source === document.getElementById('fig').contentWindow) window.got.push(e.data);
        });
      </script>
      <iframe id="fig" sandbox="allow-scripts" src="${url}${LINK}&embed=1" style="width: 640px; height: 700px; border: 0"></iframe>`)));
    const frame = page.frameLocator('#fig');
    await frame.locator('#status').waitFor();
    const got = (type) => page.evaluate((type) => window.got.filter((m) => m.type === type), type);
    await until(async () => (await got('gossiplab:height')).length > 0, 'a height message on load');
    const height = (await got('gossiplab:height')).at(-1).height;
    const inner = await frame.locator('body').evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    assert(height === inner, `posted ${height}, the embed is ${inner} px tall`);
    await frame.locator('#step').click();
    await until(async () => (await got('gossiplab:round')).some((m) => m.round === 1), 'the turn message after Step');
    // The parent seeks: the frame shows that turn, paused, and says so; past the end, the end.
    await page.evaluate(() => document.getElementById('fig').contentWindow.postMessage({ type: 'gossiplab:seek', round: 5 }, '*'));
    await until(async () => (await turnIn(frame)) === 5, 'the seek to turn 5');
    await page.evaluate(() => document.getElementById('fig').contentWindow.postMessage({ type: 'gossiplab:seek', round: 99 }, '*'));
    await until(async () => (await got('gossiplab:complete')).length === 1, 'the completion message');
    assert((await turnIn(frame)) === TURNS, `seek past the end: ${await frame.locator('#status').innerText()}`);
    assert((await frame.locator('#play').innerText()) === 'Replay', 'Play does not replay at the end');
    noErrors(errors);
  });

  test('anti-entropy: Get embed code gives both snippets for the turn shown, and both work pasted in a post', async (ctx, url, host) => {
    const fields = ['lab=anti-entropy', 'n=256', 'd=6', 'seed=1', 'm=2', 'embed=1'];
    const { page, errors, iframe, element } = await embedSnippets(ctx, url + LINK, watch, assert, fields);
    await page.goto(host.page('ae-snippets.html', post(`${iframe}\n${element}`)));
    const pasted = page.frameLocator('iframe').first();
    await pasted.locator('#status').waitFor();
    assert((await turnIn(pasted)) === 2, `iframe snippet: ${await pasted.locator('#status').innerText()}`);
    // The element opens on the link's turn and plays while in view: turn 2 or later.
    const viaElement = page.frameLocator('gossip-lab iframe');
    await viaElement.locator('#status').waitFor();
    assert((await turnIn(viaElement)) >= 2, `element snippet: ${await viaElement.locator('#status').innerText()}`);
    assert(await inked(viaElement, '#trees') > 0, 'the element figure shows no trees');
    noErrors(errors);
  });
}
