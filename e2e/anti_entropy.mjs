// End-to-end tests of the Anti-entropy lab (web/src/labs/anti_entropy/): a Merkle repair
// stepped turn by turn names the differing nodes level by level on both trees (orange and red
// cells appear level by level), the entries cross, the running counts and the table of
// strategies are the runner's numbers for the same link (`lab merkle`), a link at a turn
// replays the same turn and counts, a bad value gives a notice, the chart fills in without
// freezing the page, and the picker opens the lab; every strategy's model line is the core's
// model (`lab merkle`'s `model.expected_bytes`) beside its measured points; and the
// dissemination inspector's "Repair this pair" link opens the same two stores here.
// Registered by run.mjs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The page's colour tokens (web/src/shell/theme.rs): named by the turn shown (INFORMED),
// named earlier (OLDER), a leaf repaired (SELECTED).
const NOW = [0xD5, 0x5E, 0x00];
const FOUND = [0xE6, 0x9F, 0x00];
const REPAIRED = [0x00, 0x9E, 0x73];

const LINK = '?lab=anti-entropy&n=256&d=6&st=merkle&b=4&l=4&seed=1';

export function registerAntiEntropyTests({ test, assert, watch, noErrors, SHOTS, pixels, clickNode, LAB }) {
  const open = async (ctx, url, query) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url + query);
    await page.waitForSelector('#status');
    return { page, errors };
  };
  const status = (page) => page.locator('#status').innerText();
  const total = async (page, id) => Number(await page.locator(`#${id} .total`).innerText());
  // The runner's numbers for the link's pair (trial 0 of `lab merkle` is the page's pair).
  const runner = () => {
    const out = spawnSync(LAB, ['merkle', '--keys', '256', '--diffs', '6', '--strategy', 'all', '--branching', '4',
      '--depth', '4', '--trials', '1', '--seed', '1', '--format', 'json'], { encoding: 'utf8' });
    assert(out.status === 0, `lab merkle: exit ${out.status}: ${out.stderr}`);
    return Object.fromEntries(JSON.parse(out.stdout).strategies.map((s) => [s.strategy, s]));
  };

  test('anti-entropy: a stepped Merkle repair names the differing nodes level by level and its counts are the runner\'s', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, LINK);
    assert((await page.locator('#caption').innerText()).includes('Merkle tree'), 'the caption');
    assert((await status(page)).startsWith('Turn 0/9 · Merkle tree'), await status(page));
    assert((await pixels(page, '#trees', NOW)) === 0 && (await pixels(page, '#trees', FOUND)) === 0, 'nothing named before the repair');
    await page.click('#step');
    assert((await page.locator('#turn-words').innerText()).includes('A sends its root hash'), 'turn 1 is the root');
    // Turns 2 to 6 name levels 0 to 4, one level deeper each turn; the red cells are that turn's.
    let found = 0;
    for (let level = 0; level <= 4; level += 1) {
      await page.click('#step');
      const s = await status(page);
      assert(s.includes(`found down to level ${level} `), `turn ${level + 2}: ${s}`);
      assert((await pixels(page, '#trees', NOW)) > 0, `level ${level} is highlighted`);
      const before = found;
      found = await pixels(page, '#trees', FOUND);
      assert(level === 0 || found > before, `the levels above stay orange (${before} -> ${found})`);
    }
    for (let i = 0; i < 3; i += 1) await page.click('#step');
    const s = await status(page);
    assert(s.startsWith('Turn 9/9') && s.endsWith('repaired'), s);
    assert((await page.locator('#step').isDisabled()), 'Step stops at the end');
    assert((await pixels(page, '#trees', REPAIRED)) > 0, 'repaired leaves are green');
    const crossed = await page.locator('#crossed').innerText();
    assert(crossed.includes('A → B: 4 (') && crossed.includes('B → A: 2 ('), crossed);
    const r = runner();
    const m = r.merkle;
    assert((await total(page, 'c-bytes')) === m.bytes.mean, `bytes: page ${await total(page, 'c-bytes')}, lab ${m.bytes.mean}`);
    assert((await total(page, 'c-hash')) === m.hashes.mean, 'hashes');
    assert((await total(page, 'c-rt')) === m.round_trips.mean, 'round trips');
    assert(s.includes(`bytes ${m.bytes.mean}`), 'the status reads the same counts');
    // The table: the same pair by each strategy, the runner's numbers, merkle highlighted.
    for (const name of ['full', 'digest', 'merkle', 'rateless']) {
      const cells = await page.locator(`#s-${name} td`).allInnerTexts();
      const want = [r[name].round_trips.mean, r[name].hashes.mean + r[name].symbols.mean, r[name].entries.mean,
        r[name].unneeded_entries.mean, r[name].bytes.mean];
      assert(cells.map(Number).join() === want.join(), `${name}: page ${cells}, lab ${want}`);
    }
    assert((await page.locator('#strategies tr.shown').getAttribute('id')) === 's-merkle', 'the strategy shown is highlighted');
    await page.click('#back');
    assert((await status(page)).startsWith('Turn 8/9'), 'Back');
    await page.keyboard.press('r');
    assert((await status(page)).startsWith('Turn 0/9'), 'R resets');
    noErrors(errors);
    await page.screenshot({ path: join(SHOTS, 'anti-entropy.png'), fullPage: true });
  });

  test('anti-entropy: the link of a turn replays the same turn and counts', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=anti-entropy&n=1024&d=12&st=merkle&b=2&l=10&seed=4');
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.search.includes('m=5'), null, { timeout: 5_000 });
    const shown = [await status(page), await page.locator('#counts').innerText(), await page.locator('#turn-words').innerText()];
    const again = await ctx.newPage();
    watch(again, errors);
    await again.goto(page.url());
    await again.waitForSelector('#status');
    const replayed = [await status(again), await again.locator('#counts').innerText(), await again.locator('#turn-words').innerText()];
    assert(shown[0].startsWith('Turn 5/'), shown[0]);
    assert(JSON.stringify(shown) === JSON.stringify(replayed), `${shown} / ${replayed}`);
    noErrors(errors);
  });

  test('anti-entropy: another strategy is stepped, a bad value is said, the chart fills in and the picker opens the lab', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=anti-entropy&n=512&b=1024&l=2&d=x&st=rateless');
    const notices = await page.locator('#notices').innerText();
    assert(notices.includes('l=2 gives 1024^2 leaves, above the page\'s limit 65536; using 1'), notices);
    assert(notices.includes('d=x is not a whole number'), notices);
    assert((await status(page)).includes('Rateless'), await status(page));
    await page.selectOption('#p-st', 'digest');
    await page.waitForFunction(() => location.search.includes('st=digest'), null, { timeout: 5_000 });
    // A digest: the initiator's versions, the answer, the entries asked for, and the end.
    assert((await status(page)).startsWith('Turn 0/4 · Version digest'), await status(page));
    for (let i = 0; i < 4; i += 1) await page.click('#step');
    assert((await status(page)).endsWith('repaired'), await status(page));
    assert((await pixels(page, '#trees', REPAIRED)) > 0, 'the digest\'s entries reach their leaves too');
    // The chart's trials run over frames: the page answers meanwhile, and the note says when done.
    await page.waitForFunction(() => !document.querySelector('#chart-note').textContent.includes('Computing'), null, { timeout: 30_000 });
    const note = await page.locator('#chart-note').innerText();
    assert(/At d = 512: full \d+, digest \d+, merkle \d+, rateless \d+ bytes/.test(note), note);
    assert((await pixels(page, '#chart', NOW)) > 0, 'the Merkle line is drawn');
    await page.goto(url + '?s=custom');
    await page.waitForSelector('#status');
    await page.selectOption('#lab', 'anti-entropy');
    await page.waitForSelector('#trees');
    assert((await status(page)).startsWith('Turn 0/9 · Merkle tree'), 'the picker opens the lab at its defaults');
    assert((await page.locator('#notices li').count()) === 0, 'no notice about the other lab\'s fields');
    noErrors(errors);
  });

  test('anti-entropy: two nodes picked from a dissemination run at a round are repaired', async (ctx, url) => {
    // At round 0 of this run only node 0 holds the rumor it wrote: node 7 lacks it.
    const { page, errors } = await open(ctx, url, '?lab=anti-entropy&src=n%3D12%26seed%3D2&r=0&na=0&nb=7');
    const words = await page.locator('#turn-words').innerText();
    assert(words.includes('A is node 0 and B node 7 of the cluster\'s run at round 0') && words.includes('differ in 1 of 1 keys'), words);
    assert((await page.locator('#p-src').inputValue()) === 'n=12&seed=2', 'the cluster link is shown');
    while (!(await page.locator('#step').isDisabled())) await page.click('#step');
    assert((await status(page)).endsWith('repaired'), await status(page));
    const crossed = await page.locator('#crossed').innerText();
    assert(crossed.includes('A → B: 1 (keys rumor)') && crossed.includes('B → A: none'), crossed);
    // Later in the run node 7 has heard it too: the roots agree and nothing crosses.
    await page.fill('#p-r', '40');
    await page.press('#p-r', 'Enter');
    await page.waitForFunction(() => location.search.includes('r=') && !location.search.includes('r=0&'), null, { timeout: 5_000 });
    const later = await page.locator('#turn-words').innerText();
    assert(later.includes('differ in 0 of 1 keys'), later);
    noErrors(errors);
  });

  test('anti-entropy: every strategy has a model line, and its points are the core model\'s beside the runner\'s measurements', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, LINK);
    await page.waitForFunction(() => !document.querySelector('#chart-note').textContent.includes('Computing'), null, { timeout: 30_000 });
    // The table holds the very values the lines are drawn through (view::chart_table).
    const rows = await page.locator('#chart-data tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      d: Number(tr.dataset.d),
      model: Object.fromEntries([...tr.querySelectorAll('td[data-model]')].map((td) => [td.dataset.strategy, Number(td.dataset.model)])),
      measured: Object.fromEntries([...tr.querySelectorAll('td[data-measured]')].map((td) => [td.dataset.strategy, Number(td.dataset.measured)])),
    })));
    assert(rows.map((r) => r.d).join(',') === '1,2,5,10,20,50,100,200,256', `sampled d: ${rows.map((r) => r.d)}`);
    for (const d of [1, 10, 100]) {
      const out = spawnSync(LAB, ['merkle', '--keys', '256', '--diffs', String(d), '--strategy', 'all', '--branching', '4',
        '--depth', '4', '--trials', '3', '--seed', '1', '--format', 'json'], { encoding: 'utf8' });
      assert(out.status === 0, `lab merkle: exit ${out.status}: ${out.stderr}`);
      const v = JSON.parse(out.stdout);
      const row = rows.find((r) => r.d === d);
      for (const s of v.strategies) {
        const want = v.model.expected_bytes[s.strategy];
        const got = row.model[s.strategy];
        assert(typeof want === 'number' && Math.abs(got - want) <= 1e-9 * want, `d=${d} ${s.strategy}: line ${got}, core model ${want}`);
        // The points are the runner's means over the same three trials.
        assert(row.measured[s.strategy] === s.bytes.mean, `d=${d} ${s.strategy}: point ${row.measured[s.strategy]}, runner ${s.bytes.mean}`);
      }
      // Full state and digests are deterministic: the model is exactly the measurement.
      assert(row.model.full === row.measured.full && row.model.digest === row.measured.digest, JSON.stringify(row));
    }
    // Every strategy's colour is on the chart (web/src/labs/anti_entropy/chart.rs COLOURS: full,
    // digest, merkle, rateless), its points and its dashed model.
    for (const [name, rgb] of [['full', [0x55, 0x55, 0x55]], ['digest', [0x00, 0x72, 0xb2]], ['merkle', NOW], ['rateless', REPAIRED]]) {
      assert((await pixels(page, '#chart', rgb)) > 0, `no ${name} line is drawn`);
    }
    assert((await page.locator('#chart-note').innerText()).includes('Dashed, in each strategy\'s colour'), 'the note names the model lines');
    await page.screenshot({ path: join(SHOTS, 'anti-entropy-models.png') });
    noErrors(errors);
  });

  test('anti-entropy: the dissemination inspector\'s "Repair this pair" link opens the same two stores', async (ctx, url) => {
    // "Partition, then repair" one round before its heal: the two sides hold different writes.
    const NODES = 48;
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(`${url}?s=repair&r=19`);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent.startsWith('Round 19 '), null, { timeout: 20_000 });
    // Each store as the inspector shows it: key -> value and version.
    const store = async (node) => {
      await clickNode(page, node, NODES);
      await page.waitForFunction((n) => document.querySelector('#inspector-head')?.textContent.startsWith(`Node ${n}:`), node);
      return page.locator('#inspector table.store tbody tr').evaluateAll((trs) => Object.fromEntries(
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)).map(([k, v, ver]) => [k, `${v} ${ver}`])));
    };
    const [a, b] = [0, 30];
    const sb = await store(b);
    const sa = await store(a);
    const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])];
    const differ = keys.filter((k) => sa[k] !== sb[k]).length;
    assert(differ > 0, `nodes ${a} and ${b} hold the same: ${JSON.stringify(sa)}`);
    await page.fill('#compare-with', String(b));
    await page.press('#compare-with', 'Enter');
    await page.locator('#compare-with').dispatchEvent('change');
    const href = await page.locator('#repair-pair').getAttribute('href');
    assert(href.startsWith('?lab=anti-entropy&src=') && href.endsWith(`&r=19&na=${a}&nb=${b}`), href);
    await page.click('#repair-pair');
    await page.waitForSelector('#turn-words');
    const words = await page.locator('#turn-words').innerText();
    assert(words.includes(`A is node ${a} and B node ${b} of the cluster's run at round 19`), words);
    assert(words.includes(`differ in ${differ} of ${keys.length} keys`), `${words} (the inspector: ${differ} of ${keys.length})`);
    noErrors(errors);
  });
}
