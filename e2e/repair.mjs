// End-to-end test of the "Partition, then repair" scenario (`?s=repair`): rumor mongering with
// Merkle anti-entropy, a partition with writes on both sides, a heal. The canvas is shaded by
// the newest versions each node lacks; before the heal every node lacks some, after the run
// none; the legend and the inspector say so; and the link replays the same numbers in
// `lab cluster`, repair's columns included. Registered by run.mjs.

import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The scenario with seed 1: healed at round 20, complete at round 45 (the caption's numbers,
// pinned in core/src/link/dissemination/tests.rs).
const LINK = '?s=repair';
const NODES = 48;
const HEAL = 20;
const END = 45;
// "Holds every newest version" is the informed orange; the darkest shades are "lacks many".
const ORANGE = [0xd5, 0x5e, 0x00];
const BLUE_DARK = [0x21, 0x71, 0xb5];

export function registerRepairTests({ test, assert, watch, noErrors, SHOTS, pixels, clickNode, csvRows, LAB }) {
  const text = (page, sel) => page.locator(sel).innerText();
  const status = (page) => text(page, '#status');

  test('repair: partition, then repair: nodes lack the other side\'s writes until anti-entropy brings them, and lab cluster replays the link', async (ctx, url) => {
    assert(existsSync(LAB), `${LAB} is missing: run \`cargo build -p gossip-core --features serde --example lab\``);
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(`${url}${LINK}&r=${HEAL - 1}`);
    await page.waitForFunction((r) => document.querySelector('#status')?.textContent.startsWith(`Round ${r} `), HEAL - 1, { timeout: 20_000 });
    assert((await page.locator('#scenario').inputValue()) === 'repair', 'the scenario picker shows the scenario');
    assert((await text(page, '#caption')).includes('catches up at round 45'), await text(page, '#caption'));
    assert((await page.locator('#repair').inputValue()) === 'merkle', 'the repair field shows Merkle');
    assert((await page.locator('#repair-every').inputValue()) === '6', 'the repair field shows every 6');
    // The legend names the shading by what nodes lack, not the tracked key's states.
    const legend = await text(page, '#lacking-legend');
    for (const words of ['holds every newest version', 'lacks 1 newest version', 'lacks 7 or more']) {
      assert(legend.includes(words), `legend: ${legend}`);
    }
    // While cut every node lacks the other side's writes: no node is orange, many dark blue.
    assert((await text(page, '#repair-status')).startsWith(`Nodes lacking a newest version: ${NODES} of ${NODES}`), await text(page, '#repair-status'));
    assert((await pixels(page, '#cluster', ORANGE)) === 0, 'a node shows as holding every newest version while cut');
    assert((await pixels(page, '#cluster', BLUE_DARK)) > 0, 'no node is shaded as lacking several versions');
    await clickNode(page, 0, NODES);
    await page.waitForSelector('#inspector-lacking');
    const lacks = await text(page, '#inspector-lacking');
    assert(lacks === 'Lacks 5 of the 8 newest versions: both, left3, right1, right2, right3.', `inspector: ${lacks}`);
    await page.screenshot({ path: join(SHOTS, 'repair-before-heal.png') });
    // Run to the end: Step until the run is complete.
    for (let i = 0; i < END + 5 && (await page.locator('#step').isEnabled()); i++) await page.click('#step');
    assert((await status(page)).startsWith(`Round ${END} `), `ended at: ${await status(page)}`);
    assert((await text(page, '#repair-status')).startsWith(`Nodes lacking a newest version: 0 of ${NODES}`), await text(page, '#repair-status'));
    assert((await text(page, '#inspector-lacking')) === 'Lacks 0 of the 8 newest versions: it holds every one.', await text(page, '#inspector-lacking'));
    await page.waitForTimeout(700);
    assert((await pixels(page, '#cluster', BLUE_DARK)) === 0, 'a node still shows as lacking after the run');
    assert((await pixels(page, '#cluster', ORANGE)) > 0, 'no node shows as holding every newest version');
    await page.screenshot({ path: join(SHOTS, 'repair-end.png') });
    // The page's CSV and the runner's agree round by round, repair's columns included.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const shown = csvRows(readFileSync(await csv.path(), 'utf8'));
    const out = spawnSync(LAB, ['cluster', '--link', LINK, '--format', 'csv'], { encoding: 'utf8' });
    assert(out.status === 0, `lab cluster ${LINK}: exit ${out.status}: ${out.stderr}`);
    const replayed = csvRows(out.stdout);
    assert(replayed.length === END + 1 && shown.length >= END + 1, `rows: lab ${replayed.length}, page ${shown.length}`);
    for (let r = 0; r <= END; r += 1) {
      for (const col of ['round', 'informed', 'messages', 'lost', 'duplicates', 'ae_bytes', 'lacking']) {
        assert(shown[r][col] === replayed[r][col], `round ${r} ${col}: page ${shown[r][col]}, lab ${replayed[r][col]}`);
      }
    }
    assert(replayed[HEAL - 1].lacking === String(NODES) && replayed[END].lacking === '0', 'the runner tells the same story');
    noErrors(errors);
    await page.close();
  });
}
