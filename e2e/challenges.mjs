// End-to-end tests of the challenges (web/src/lessons/challenges/): a challenge link opens its
// base run beside the panel; apart20 solved through the UI (a lasso cut at round 0, Heal at
// round 25) says "met" and gives a proof link; the proof link opened says "passed", edited by
// hand says "edited"; the grading page checks a good proof, an edited one and a garbage line;
// fanout99's robust check on 200 fresh seeds reaches its verdict while the page answers.
// Registered by run.mjs, which runs them with the others.
import { join } from 'node:path';

export function registerChallengeTests({ test, assert, watch, noErrors, SHOTS }) {
  const open = async (ctx, url, query) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url + query);
    await page.waitForSelector('#challenge');
    return { page, errors };
  };
  const text = (page, sel) => page.locator(sel).innerText();
  const roundOf = async (page) => Number(/^Round (\d+)/.exec(await text(page, '#status'))[1]);
  const waitText = (page, sel, re, timeout = 10_000) => page.waitForFunction(
    ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''), [sel, re.source], { timeout });

  // Solves apart20 on the page as a student would; returns the proof link it gives.
  const solveApart = async (page) => {
    // A lasso around the right half of the ring of 64 nodes, then "Cut off both ways".
    await page.locator('#cluster').scrollIntoViewIfNeeded();
    const box = await page.locator('#cluster').boundingBox();
    const X = (x) => box.x + x * box.width / 640;
    const Y = (y) => box.y + y * box.height / 480;
    await page.mouse.move(X(330), Y(5));
    await page.mouse.down();
    for (const [x, y] of [[636, 5], [636, 476], [330, 476], [330, 10]]) await page.mouse.move(X(x), Y(y), { steps: 4 });
    await page.mouse.up();
    const picked = Number(/(\d+) selected/.exec(await text(page, '#partition'))[1]);
    assert(picked >= 26 && picked <= 38, `the lasso picked ${picked} nodes`);
    await page.click('#cut-both');
    assert((await text(page, '#challenge-budget')).startsWith('Actions: 1 of 2 allowed'), await text(page, '#challenge-budget'));
    await waitText(page, '#challenge-status', /^Not yet/);
    for (let i = 0; i < 25; i++) await page.click('#step');
    assert((await roundOf(page)) === 25, `round ${await roundOf(page)}`);
    await page.click('#heal');
    assert((await text(page, '#challenge-budget')).startsWith('Actions: 2 of 2 allowed'), await text(page, '#challenge-budget'));
    for (let i = 0; i < 40 && !/^Met/.test(await text(page, '#challenge-status')); i++) {
      await page.click('#step');
      await page.waitForTimeout(30);
    }
    await waitText(page, '#challenge-status', /^Met at round \d+: apart for 25 rounds in a row; 64 of 64 live nodes informed/);
    await page.click('#copy-proof');
    await page.waitForSelector('#proof-link');
    return page.locator('#proof-link').inputValue();
  };

  test('challenges: apart20 solved through the UI says met, and its proof link opens as passed, edited as edited', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?ch=apart20');
    assert((await text(page, '#challenge-name')).startsWith('Keep the halves apart for 20 rounds'), 'title');
    assert((await text(page, '#challenge-budget')) === 'Actions: 0 of 2 allowed (partition, heal). Free: the seed; every other parameter is fixed.', await text(page, '#challenge-budget'));
    assert((await page.locator('#notices').count()) === 0 || !(await text(page, '#notices')).includes('not a parameter'), 'ch= gave a notice');
    const proof = await solveApart(page);
    assert(/[?&]ch=apart20&chv=1&proof=[0-9a-f]{16}$/.test(proof), proof);
    assert(new URL(page.url()).searchParams.get('ch') === 'apart20', `the page's link keeps ch=: ${page.url()}`);
    await page.screenshot({ path: join(SHOTS, 'challenge-apart20-met.png'), fullPage: true });
    noErrors(errors);

    const { page: opened, errors: e2 } = await open(ctx, '', proof);
    await waitText(opened, '#proof-result', /^Proof: passed\./);
    assert((await opened.locator('#proof-edited').count()) === 0, 'a proof as written reads as edited');
    assert((await opened.locator('#notices').count()) === 0, `notices: ${await opened.locator('#notices').count() && await text(opened, '#notices')}`);
    await opened.screenshot({ path: join(SHOTS, 'challenge-proof-passed.png'), fullPage: true });
    noErrors(e2);

    // By hand: the heal one round later. The replay still meets the goal, but the digest shows
    // the link is not the one that was solved.
    const m = /_(\d+)h/.exec(decodeURIComponent(proof));
    assert(m, `no heal in ${proof}`);
    const edited = decodeURIComponent(proof).replace(`_${m[1]}h`, `_${Number(m[1]) + 1}h`);
    const { page: tampered, errors: e3 } = await open(ctx, '', edited);
    await waitText(tampered, '#proof-result', /^Proof: (passed|failed)\./);
    await tampered.waitForSelector('#proof-edited');
    assert((await text(tampered, '#proof-edited')).includes('edited after it was solved'), await text(tampered, '#proof-edited'));
    noErrors(e3);
  });

  test('challenges: miss10 untouched plays to "not met"; a tenth cut off until the rumor dies plays to "met"', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?ch=miss10&speed=64');
    await waitText(page, '#challenge-status', /^Not yet/);
    await page.click('#play');
    await waitText(page, '#challenge-status', /^Not met: /, 60_000);
    assert((await page.locator('#copy-proof').count()) === 0, 'a miss offers a proof');
    const { page: cut, errors: e2 } = await open(ctx, url, '?ch=miss10&speed=64&a=p0-899~900-999_40h');
    assert((await text(cut, '#challenge-budget')).startsWith('Actions: 2 of 3 allowed'), await text(cut, '#challenge-budget'));
    await cut.click('#play');
    await waitText(cut, '#challenge-status', /^Met at round 40: /, 60_000);
    await cut.waitForSelector('#copy-proof');
    noErrors(errors);
    noErrors(e2);
  });

  test('challenges: breaking the rules shows the reason, not a crash', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?ch=apart20&n=50');
    await waitText(page, '#challenge-status', /fixes n=64/);
    assert((await text(page, '#challenge-rules')).includes('the challenge fixes n=64 (the run has n=50)'), await text(page, '#challenge-rules'));
    assert((await page.locator('#copy-proof').count()) === 0, 'a broken run offers a proof');
    noErrors(errors);
  });

  test('challenges: the grading page checks a good proof, an edited one and a garbage line', async (ctx, url) => {
    const { page: student } = await open(ctx, url, '?ch=apart20');
    const good = await solveApart(student);
    const m = /_(\d+)h/.exec(decodeURIComponent(good));
    const edited = decodeURIComponent(good).replace(`_${m[1]}h`, `_${Number(m[1]) + 1}h`);
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url + '?grade=1');
    await page.waitForSelector('#grade-links');
    assert((await page.locator('#loading').count()) === 0, 'the loading line stayed');
    await page.fill('#grade-links', `${good}\n${edited}\nnot a link at all\n`);
    await page.click('#grade-check');
    await waitText(page, '#grade-summary', /^3 of 3 lines checked; 2 passed\./, 30_000);
    const rows = await page.locator('#grade-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert(rows.length === 3, `${rows.length} rows`);
    assert(rows[0][1] === 'apart20' && rows[0][2] === 'passed' && rows[0][4] === 'as solved', rows[0].join(' | '));
    assert(rows[0][3].includes('64 of 64 live nodes informed'), rows[0][3]);
    assert(rows[1][2] === 'passed' && rows[1][4].startsWith('edited'), rows[1].join(' | '));
    assert(rows[2][2] === 'not a proof' && rows[2][3].includes('names no challenge'), rows[2].join(' | '));
    await page.screenshot({ path: join(SHOTS, 'challenge-grade.png'), fullPage: true });
    noErrors(errors);
  });

  test('challenges: fanout99 with k=2 is checked on 200 fresh seeds over frames while the page answers', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?ch=fanout99&k=2');
    assert((await text(page, '#challenge-budget')).startsWith('Actions: none allowed. Free: the fanout and the seed'), await text(page, '#challenge-budget'));
    await page.click('#exam');
    await page.waitForSelector('#exam-progress');
    // While it checks, a click is answered quickly (as the late-round test measures it).
    let checking = 0;
    for (let i = 1; i <= 3; i++) {
      const t0 = Date.now();
      await page.click('#step');
      await page.waitForFunction((r) => document.querySelector('#status').textContent.startsWith(`Round ${r} `), i, { timeout: 5000 });
      const ms = Date.now() - t0;
      assert(ms < 1000, `a Step took ${ms} ms to show while checking`);
      if (/^Checking/.test(await text(page, '#challenge-status'))) checking += 1;
    }
    assert(checking > 0, 'the check was over before the clicks: it did not run over frames');
    const t0 = Date.now();
    await waitText(page, '#challenge-status', /^(Passed|Not passed): /, 120_000);
    const verdict = await text(page, '#challenge-status');
    assert(/^Passed: Met on \d+ of \d+ fresh seeds replayed \(95 % of 200 needed\)\. With fanout 1 it was met on \d+ of \d+ seeds replayed: not enough, so yours is the smallest\.$/.test(verdict), verdict);
    console.log(`     fanout99 k=2 verdict ${((Date.now() - t0) / 1000).toFixed(1)} s after the clicks: ${verdict}`);
    const bar = page.locator('#exam-progress');
    assert((await bar.getAttribute('value')) === (await bar.getAttribute('max')), 'the bar is not full at the verdict');
    await page.waitForSelector('#copy-proof');
    await page.screenshot({ path: join(SHOTS, 'challenge-fanout99.png'), fullPage: true });
    noErrors(errors);
  });
}
