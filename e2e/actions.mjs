// End-to-end tests of a run's actions, visible and editable (issue 11, "Teachers"), in both the
// dissemination and the membership lab: two actions recorded at rounds 3 and 8, then one added
// at round 5 while viewing it keeps both (all three listed in the Actions list and marked along
// the timeline); the numbers shown equal a replay of the copied link (the runner's `lab cluster`
// for the dissemination lab, which has no membership command; for the membership lab the link
// opened afresh in a new page); Delete, then Undo (the button and Ctrl+Z) restores them; and
// the Fork choice drops the later actions, as acting in the past did before. Registered by
// run.mjs.

import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function registerActionsTests({ test, assert, watch, noErrors, SHOTS, clickNode, csvRows, setRange, LAB }) {
  const text = (page, sel) => page.locator(sel).innerText();
  const status = (page) => text(page, '#status');
  const at = async (page, unit) => Number(new RegExp(`^${unit} (\\d+)`).exec(await status(page))[1]);
  // Steps (or seeks back) until the status shows `unit` r.
  const goto = async (page, unit, r) => {
    if ((await at(page, unit)) > r) await setRange(page, '#timeline', r);
    while ((await at(page, unit)) < r) await page.click('#step');
    await page.waitForFunction(([u, r]) => document.querySelector('#status')?.textContent.startsWith(`${u} ${r} `), [unit, r]);
  };
  // The rounds of the actions listed, and of the marks along the timeline.
  const listed = (page) => page.locator('#actions li.action').evaluateAll((els) => els.map((e) => Number(e.dataset.round)));
  const marked = (page) => page.locator('.marks .mark').evaluateAll((els) => els.map((e) => Number(e.dataset.round)));
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  // The address bar follows the run: the link Copy link copies.
  const linkWith = async (page, part) => {
    await page.waitForFunction((p) => location.search.includes(p), part, { timeout: 5_000 });
    return new URL(page.url()).search;
  };
  // The shared checks, after the three actions: listed, marked, described; delete, undo, redo.
  const editAndUndo = async (page, unit, what, a8) => {
    assert(same(await listed(page), [3, 5, 8]), `listed at ${await listed(page)}`);
    assert(same(await marked(page), [3, 5, 8]), `marked at ${await marked(page)}`);
    const items = await text(page, '#actions');
    assert(items.includes(`${unit} 5`) && items.includes(what), `the list: ${items}`);
    assert((await page.locator('.mark[data-round="8"]').getAttribute('title')).startsWith(`${unit} 8: `), 'a mark names its action');
    const mark = await page.locator('.mark[data-round="8"]').boundingBox();
    assert(mark.width >= 44 && mark.height >= 44, `a mark is a ${mark.width}x${mark.height} target`);
    // A mark is a button: it seeks to its round.
    await page.click('.mark[data-round="8"]');
    await page.waitForFunction((u) => document.querySelector('#status')?.textContent.startsWith(`${u} 8 `), unit);
    const at8 = await status(page);
    // Delete the action at 3: two are left, the link follows.
    await page.locator('#actions li.action').first().locator('button.delete').click();
    assert(same(await listed(page), [5, 8]), `after Delete: ${await listed(page)}`);
    await page.waitForFunction(() => !/a=3/.test(location.search), null, { timeout: 5_000 });
    // Undo (the button) brings it back, and the run with it; Redo deletes it again; Ctrl+Z
    // undoes that.
    await page.click('#undo');
    assert(same(await listed(page), [3, 5, 8]), `after Undo: ${await listed(page)}`);
    assert((await status(page)) === at8, `after Undo: ${await status(page)}, before: ${at8}`);
    await page.click('#redo');
    assert(same(await listed(page), [5, 8]), `after Redo: ${await listed(page)}`);
    await page.locator('#status').click();
    await page.keyboard.press('Control+z');
    assert(same(await listed(page), [3, 5, 8]), `after Ctrl+Z: ${await listed(page)}`);
    assert((await status(page)) === at8, `after Ctrl+Z: ${await status(page)}`);
    await linkWith(page, a8);
  };

  test('actions: in the dissemination lab an action at an earlier round keeps the later ones, matches lab cluster, deletes, undoes and forks', async (ctx, url) => {
    assert(existsSync(LAB), `${LAB} is missing: run \`cargo build -p gossip-core --features serde --example lab\``);
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    // A slow run (70 % loss), so that it goes on past round 8.
    const N = 64;
    await page.goto(`${url}?s=custom&n=${N}&loss=70&seed=4`);
    await page.waitForSelector('#status');
    const crash = async (i) => {
      await clickNode(page, i, N);
      await page.click('#kill');
    };
    await goto(page, 'Round', 3);
    await crash(5);
    await goto(page, 'Round', 8);
    await crash(9);
    await goto(page, 'Round', 12);
    // Back to round 5 and add a third: the one at 8 is kept.
    await goto(page, 'Round', 5);
    await crash(7);
    assert((await at(page, 'Round')) === 5, 'the view stays at round 5');
    const link = await linkWith(page, 'a=3c5_5c7_8c9');
    // The numbers shown equal the runner's replay of the link, at round 5 and at round 8.
    const out = spawnSync(LAB, ['cluster', '--link', link, '--rounds', '12', '--format', 'csv'], { encoding: 'utf8' });
    assert(out.status === 0, `lab cluster ${link}: exit ${out.status}: ${out.stderr}`);
    const rows = csvRows(out.stdout);
    const informed = async () => /informed (\d+)\//.exec(await status(page))[1];
    assert((await informed()) === rows[5].informed, `round 5: page ${await informed()}, lab ${rows[5].informed}`);
    await page.screenshot({ path: join(SHOTS, 'actions-dissemination.png') });
    await editAndUndo(page, 'Round', 'crash node 7', 'a=3c5_5c7_8c9');
    assert((await informed()) === rows[8].informed, `round 8: page ${await informed()}, lab ${rows[8].informed}`);
    // Crashing node 9 again at round 6 would make the crash at 8 impossible: it is named.
    await goto(page, 'Round', 6);
    await crash(9);
    const notices = await text(page, '#notices');
    assert(notices.includes('crash node 9 at round 8 (node 9 is down)'), `notices: ${notices}`);
    assert(same(await listed(page), [3, 5, 6]), `after the impossible one: ${await listed(page)}`);
    // Fork: acting at round 4 drops every later action.
    await page.click('#fork');
    assert((await page.locator('#fork').getAttribute('aria-pressed')) === 'true', 'Fork is on');
    await goto(page, 'Round', 4);
    await crash(11);
    assert(same(await listed(page), [3, 4]), `after the fork: ${await listed(page)}`);
    await linkWith(page, 'a=3c5_4c11');
    noErrors(errors);
    await page.close();
  });

  test('actions: in the membership lab an action at an earlier period keeps the later ones, replays from the link, deletes, undoes and forks', async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    const N = 16;
    await page.goto(`${url}?lab=membership&s=custom&n=${N}&seed=3`);
    await page.waitForSelector('#status');
    // A click on a node's matrix row inspects it (the matrix is 320 logical pixels high).
    const inspect = async (i) => {
      const box = await page.locator('#matrix').boundingBox();
      await page.locator('#matrix').click({ position: { x: box.width / 2, y: (i + 0.5) * box.height / N } });
      await page.waitForFunction((i) => document.querySelector('#inspector h3')?.textContent === `Node ${i}`, i);
    };
    const crash = async (i) => {
      await inspect(i);
      await page.click('#crash');
    };
    await goto(page, 'Period', 3);
    await crash(5);
    await goto(page, 'Period', 8);
    await crash(9);
    await goto(page, 'Period', 12);
    await goto(page, 'Period', 5);
    await crash(7);
    assert((await at(page, 'Period')) === 5, 'the view stays at period 5');
    const link = await linkWith(page, 'a=3c5_5c7_8c9');
    const shown = await status(page);
    await editAndUndo(page, 'Period', 'crash node 7', 'a=3c5_5c7_8c9');
    // The copied link, opened afresh, replays the edited run: the same status.
    const fresh = await ctx.newPage();
    watch(fresh, errors);
    await fresh.goto(url + link);
    await fresh.waitForFunction((s) => document.querySelector('#status')?.textContent === s, shown, { timeout: 15_000 });
    assert(same(await listed(fresh), [3, 5, 8]), 'the link lists the same actions');
    await fresh.close();
    await page.screenshot({ path: join(SHOTS, 'actions-membership.png') });
    // Fork: acting at period 4 drops every later action.
    await page.click('#fork');
    assert((await page.locator('#fork').getAttribute('aria-pressed')) === 'true', 'Fork is on');
    await goto(page, 'Period', 4);
    await crash(11);
    assert(same(await listed(page), [3, 4]), `after the fork: ${await listed(page)}`);
    await linkWith(page, 'a=3c5_4c11');
    noErrors(errors);
    await page.close();
  });
}
