// End-to-end tests of the Membership lab (web/src/labs/membership/): each scenario opens from
// its link and shows what its caption says, the matrix changes colour on a crash, the inspector
// rows, an action recorded and replayed from the link, a bad link value gives a notice, the
// embed, the lab picker and the help. Registered by run.mjs, which runs them with the others.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The page's colour tokens (web/src/shell/theme.rs): suspect (OLDER) and dead (LOST).
const SUSPECT = [0xE6, 0x9F, 0x00];
const DEAD = [0xb2, 0x18, 0x2b];
// Message colours: a ping-req (MESSAGES), a ping and the relayed ping (MESSAGE_EMPTY).
const PING_REQ = [0xCC, 0x79, 0xA7];

// A scenario's caption as a reader sees it after opening its "More" (closed at first: the
// numbers and sources come after the plain words).
export async function captionWithMore(page) {
  const more = page.locator('#caption-more');
  if (await more.getAttribute('open') === null) await more.locator('summary').click();
  return page.locator('#caption').innerText();
}

export function registerMembershipTests({ test, assert, watch, noErrors, SHOTS, pixels }) {
  const open = async (ctx, url, query) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url + query);
    await page.waitForSelector('#status');
    return { page, errors };
  };
  const periodOf = async (page) => Number(/^Period (\d+)/.exec(await page.locator('#status').innerText())[1]);
  // The inspected node's holders: [alive, suspect, dead, left].
  const held = async (page) => {
    const m = /alive (\d+), suspect (\d+), dead (\d+), left (\d+)/.exec(await page.locator('#inspect-held').innerText());
    return m.slice(1).map(Number);
  };
  const num = async (page, sel) => Number(await page.locator(sel).innerText());

  test('membership: failure detection shows the crashed node suspect, then dead, within the expected periods', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&i=5');
    assert((await page.locator('#caption').innerText()).includes('Node 5 crashes at the start of period 3'), 'caption');
    assert((await page.locator('#scenario').inputValue()) === 'detect', 'the picker shows the scenario');
    let suspectAt = null;
    let deadAt = null;
    const crash = 3;
    for (let i = 0; i < 60 && deadAt === null; i++) {
      await page.click('#step');
      const p = await periodOf(page);
      const [, s, d] = await held(page);
      if (suspectAt === null && (s > 0 || d > 0)) suspectAt = p;
      if (d === 31) deadAt = p;
      if (p === crash) assert((await page.locator('#inspect-truth').innerText()).includes('crashed'), 'crashed at period 3');
    }
    // Round-robin probing finds a crash within a few periods (analysis ≈ 1.6 expected); the
    // suspicion timeout is at most β·α·log10(32)·T ≈ 36 periods, then the news spreads.
    assert(suspectAt !== null && suspectAt > crash && suspectAt <= crash + 8, `first suspected at period ${suspectAt}`);
    assert(deadAt !== null && deadAt > suspectAt && deadAt <= crash + 40, `dead everywhere at period ${deadAt}`);
    assert((await page.locator('#detections').innerText()).includes('Node 5 crashed at period 3: first detected after'), 'the chart note lists the detection');
    noErrors(errors);
    await page.screenshot({ path: join(SHOTS, 'membership-detect.png'), fullPage: true });
  });

  test('membership: after the crash the ping-reqs of the indirect probes travel on the canvas', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&r=4&speed=0.25');
    assert((await pixels(page, '#cluster', PING_REQ)) === 0, 'nothing travels before the step');
    await page.click('#step');
    let seen = 0;
    const t0 = Date.now();
    // A round lasts 2.7 s at 0.25x; ping-reqs travel in its third eighth.
    while (Date.now() - t0 < 2600 && seen === 0) {
      seen = await pixels(page, '#cluster', PING_REQ);
      await page.waitForTimeout(50);
    }
    assert(seen > 0, 'no ping-req drawn during the round');
    await page.waitForTimeout(2800);
    assert((await pixels(page, '#cluster', PING_REQ)) === 0, 'the round settles with nothing travelling');
    noErrors(errors);
  });

  test('membership: the matrix cells change colour on a crash (suspect, then dead)', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&r=3');
    assert((await pixels(page, '#matrix', SUSPECT)) === 0 && (await pixels(page, '#matrix', DEAD)) === 0, 'no suspect or dead cell before the crash is found');
    await page.goto(url + '?lab=membership&s=detect&r=9');
    await page.waitForSelector('#status');
    assert((await pixels(page, '#matrix', SUSPECT)) > 0, 'suspect cells once the crash is found');
    await page.goto(url + '?lab=membership&s=detect&r=60');
    await page.waitForSelector('#status');
    assert((await pixels(page, '#matrix', DEAD)) > 0, 'dead cells once it is declared dead');
    assert((await page.locator('#matrix-caption').innerText()).includes('the 32 members'), 'caption');
    noErrors(errors);
  });

  test('membership: a matrix of 1,000 nodes is sampled and says so', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=custom&n=1000');
    assert((await page.locator('#matrix-caption').innerText()).startsWith('Sampled: 200 of the 1000 nodes'), 'sampled caption');
    noErrors(errors);
  });

  test('membership: the inspector shows the view with disagreeing rows, incarnation, health and next probe', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&r=9&i=0');
    const bad = page.locator('#inspect-view tr.disagree');
    assert((await bad.count()) >= 1, 'a disagreeing row');
    assert((await bad.first().innerText()).startsWith('5'), `the row of node 5: ${await bad.first().innerText()}`);
    assert(/^\d+$/.test(await page.locator('#inspect-incarnation').innerText()), 'incarnation');
    assert(/^\d of 8/.test(await page.locator('#inspect-health').innerText()), 'health');
    assert(/at tick \d+ \(period \d+\)/.test(await page.locator('#inspect-next').innerText()), 'next probe');
    // A click on another node on the canvas inspects it.
    await page.locator('#cluster').click({ position: { x: 320 * (await page.locator('#cluster').boundingBox()).width / 640, y: 28 * (await page.locator('#cluster').boundingBox()).height / 480 } });
    assert((await page.locator('#inspector h3').innerText()) === 'Node 0', 'node 0 is at the top');
    noErrors(errors);
  });

  test('membership: suspicion under loss: live members are suspected and refute, none dies', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=refute&r=60&i=0');
    assert((await page.locator('#caption').innerText()).includes('lost with probability 10 %'), 'caption');
    assert((await num(page, '#false-suspicions')) > 0, 'false suspicions');
    assert((await num(page, '#false-deaths')) === 0, 'no false death');
    noErrors(errors);
  });

  test('membership: a slow node: fewer healthy members declared dead with Lifeguard than without, as the chart says', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=slow&r=120&i=3');
    assert((await page.locator('#inspect-truth').innerText()).includes('slow: 16 ticks late'), 'node 3 is slow');
    // What a person reads in the chart's note: healthy members apart from the slow node.
    const note = await page.locator('#chart-note').innerText();
    assert(note.includes('healthy members declared dead') && note.includes('the slow node declared dead'), note);
    const withLg = await num(page, '#healthy-deaths');
    const without = await num(page, '#healthy-deaths-off');
    assert(without > 0 && withLg < without, `healthy deaths with Lifeguard ${withLg}, without ${without}`);
    const susWith = await num(page, '#healthy-suspicions');
    const susWithout = await num(page, '#healthy-suspicions-off');
    assert(susWith < susWithout, `healthy suspicions with Lifeguard ${susWith}, without ${susWithout}`);
    // The split adds up to the totals the note also gives.
    assert(withLg + (await num(page, '#slow-deaths')) === (await num(page, '#false-deaths')), 'healthy + slow = all');
    // The caption's numbers, behind its "More", are the ones the note shows at period 120.
    const caption = await captionWithMore(page);
    assert(caption.includes(`healthy members declared dead ${withLg} with Lifeguard against ${without} without`), caption);
    assert(caption.includes(`${await num(page, '#slow-deaths')} times against ${await num(page, '#slow-deaths-off')}`), caption);
    noErrors(errors);
    await page.screenshot({ path: join(SHOTS, 'membership-slow.png'), fullPage: true });
  });

  test('membership: SWIM vs heartbeats: SWIM finds the crash sooner and sends fewer bytes, as the note shows', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=swimhb&r=120');
    const plain = await page.locator('#caption').innerText();
    assert(plain.includes('heartbeat gossip') && !plain.includes('phi'), `before More: ${plain}`);
    const caption = await captionWithMore(page);
    assert(caption.includes('heartbeat gossip') && caption.includes('phi'), caption);
    // What a person reads: each run's detection of node 5 and its bytes per member per period.
    const periods = async (sel) => {
      const text = await page.locator(sel).first().innerText();
      const m = text.match(/first detected after (\d+) period\(s\), dead at every live node after (\d+)/);
      assert(m, `${sel}: ${text}`);
      return [Number(m[1]), Number(m[2])];
    };
    const [swimFirst, swimFull] = await periods('#detections li');
    const [hbFirst, hbFull] = await periods('#detections-off li');
    assert(swimFirst < hbFirst && swimFull < hbFull, `SWIM ${swimFirst}/${swimFull}, heartbeats ${hbFirst}/${hbFull}`);
    const bytes = await num(page, '#bytes-per-member');
    const bytesHb = await num(page, '#bytes-per-member-off');
    assert(bytes > 0 && bytes < bytesHb, `bytes SWIM ${bytes}, heartbeats ${bytesHb}`);
    // The caption's numbers are the page's.
    assert(caption.includes(`after ${swimFirst} periods and every live node holds it dead after ${swimFull}`), caption);
    assert(caption.includes(`after ${hbFirst} periods and everywhere after ${hbFull}`), caption);
    assert(caption.includes(`${bytes.toFixed(1)} against ${bytesHb.toFixed(1)} bytes per member per period`), caption);
    assert((await num(page, '#false-deaths')) === 0 && (await num(page, '#false-deaths-off')) === 0, 'no false death');
    assert((await page.locator('#p-cmp').inputValue()) === 'hb', 'the link field');
    noErrors(errors);
    await page.screenshot({ path: join(SHOTS, 'membership-swimhb.png'), fullPage: true });
  });

  test('membership: join and leave: the joiner ends alive everywhere, the leaver left, never suspected', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=joinleave&r=11&i=5');
    assert((await held(page))[2] === 31, 'node 5, down from the start, is dead everywhere');
    await page.goto(url + '?lab=membership&s=joinleave&r=23&i=5');
    await page.waitForSelector('#status');
    assert((await held(page))[0] === 32, `node 5 joined (every node, itself included, holds it alive): ${await held(page)}`);
    await page.goto(url + '?lab=membership&s=joinleave&r=40&i=9');
    await page.waitForSelector('#status');
    const h = await held(page);
    assert(h[3] === 32 && h[1] === 0 && h[2] === 0, `node 9 left: ${h}`);
    noErrors(errors);
  });

  test('membership: an action is recorded in the link and replays from it', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&r=6&i=9');
    await page.click('#crash');
    for (let i = 0; i < 20; i++) await page.click('#step');
    await page.waitForTimeout(400);
    const href = page.url();
    assert(href.includes('a=3c5_6c9') && href.includes('r=26'), href);
    const note = await page.locator('#chart-note').innerText();
    const status = await page.locator('#status').innerText();
    const again = await ctx.newPage();
    await again.goto(href);
    await again.waitForSelector('#status');
    assert((await again.locator('#inspect-truth').innerText()).includes('crashed'), 'node 9 is crashed on replay');
    assert((await again.locator('#chart-note').innerText()) === note, 'the same numbers');
    assert((await again.locator('#status').innerText()) === status, 'the same status');
    noErrors(errors);
  });

  test('membership: make slow, leave and loss on a link from the inspector are recorded in the link', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=custom&r=2&i=4');
    await page.click('#slow');
    assert((await page.locator('#inspect-truth').innerText()).includes('slow: 16 ticks late'), 'slow now');
    await page.fill('#link-to', '6');
    await page.fill('#link-loss', '100');
    await page.click('#link-loss-set');
    await page.click('#leave');
    assert((await page.locator('#inspect-truth').innerText()).includes('has left'), 'left now');
    await page.waitForTimeout(400);
    const href = page.url();
    assert(href.includes('a=2s4.16_k4.6l1_k6.4l1_q4'), href);
    const again = await ctx.newPage();
    await again.goto(href);
    await again.waitForSelector('#status');
    assert((await again.locator('#inspect-truth').innerText()).includes('has left'), 'replayed: node 4 has left');
    assert((await again.locator('#status').innerText()) === (await page.locator('#status').innerText()), 'the same status');
    noErrors(errors);
  });

  test('membership: Download CSV gives one row per period computed, with the comparison and the link', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=slow&r=30');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    assert(csv.suggestedFilename() === 'gossip-lab-membership-slow-seed1.csv', csv.suggestedFilename());
    const body = readFileSync(await csv.path(), 'utf8');
    assert(body.includes('# link: ?lab=membership&s=slow'), body.slice(0, 200));
    const lines = body.trim().split('\n').filter((l) => !l.startsWith('#'));
    assert(lines[0].startsWith('period,live_nodes,messages_sent') && lines[0].includes(',off_false_deaths,'), lines[0]);
    assert(lines.length === 31 && lines[30].startsWith('30,32,'), `${lines.length} lines, last ${lines[lines.length - 1]}`);
    const header = lines[0].split(',');
    const sum = (name) => lines.slice(1).reduce((s, l) => s + Number(l.split(',')[header.indexOf(name)]), 0);
    const deaths = sum('false_deaths');
    assert(String(deaths) === await page.locator('#false-deaths').innerText(), `CSV false deaths ${deaths}`);
    const healthy = deaths - sum('false_deaths_of_slow');
    assert(String(healthy) === await page.locator('#healthy-deaths').innerText(), `CSV healthy deaths ${healthy}`);
    const healthyOff = sum('off_false_deaths') - sum('off_false_deaths_of_slow');
    assert(String(healthyOff) === await page.locator('#healthy-deaths-off').innerText(), `CSV healthy deaths off ${healthyOff}`);
    noErrors(errors);
  });

  test('membership: a bad link value gives a notice and a working page', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&n=1&lg=xyz&po=up&a=zz');
    const text = await page.locator('#notices').innerText();
    for (const want of ['Parameter n=1 is below the minimum 2', 'Parameter lg=xyz', 'Parameter po=up', 'Parameter a=zz']) {
      assert(text.includes(want), `notice "${want}" missing from: ${text}`);
    }
    await page.click('#step');
    assert((await periodOf(page)) === 1, 'the page still steps');
    noErrors(errors);
  });

  test('membership: Lifeguard\'s parts are checkboxes in words; a change keeps the link format, and old links open', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=slow');
    const ids = ['#lg-h', '#lg-n', '#lg-d', '#lg-b'];
    const checked = async () => Promise.all(ids.map((id) => page.locator(id).isChecked()));
    assert(JSON.stringify(await checked()) === '[true,true,true,true]', 'lg=on: every part');
    const words = await page.locator('#p-lg').innerText();
    for (const w of ['Lifeguard', 'local health', 'nack', 'dynamic suspicion', 'buddy']) assert(words.includes(w), `"${w}" missing: ${words}`);
    await page.locator('#lg-b').uncheck();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('lg') === 'hnd', null, { timeout: 3000 });
    assert(JSON.stringify(await checked()) === '[true,true,true,false]', 'buddy off');
    await page.goto(url + '?lab=membership&s=custom&lg=hd');
    await page.waitForSelector('#status');
    assert(JSON.stringify(await checked()) === '[true,false,true,false]', 'an old lg=hd link');
    await page.locator('#lg-h').uncheck();
    await page.locator('#lg-d').uncheck();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('lg') === 'off', null, { timeout: 3000 });
    noErrors(errors);
  });

  test('membership: the chart draws the full-detection floor, heartbeat bars in SWIM vs heartbeats, the slow panel only with a slow node', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&r=40');
    const analysis = await page.locator('#analysis').innerText();
    assert(analysis.includes('full detection comes at least 6 periods after it') && analysis.includes('= 48 ticks'), analysis);
    const m = /first detected after (\d+) period\(s\), dead at every live node after (\d+)/.exec(await page.locator('#detections').innerText());
    assert(m && Number(m[2]) >= Number(m[1]) + 6, `full detection under the floor: ${m}`);
    const SLOW_LINE = [0x00, 0x72, 0xB2];
    assert((await pixels(page, '#chart', SLOW_LINE)) === 0, 'no slow node, no slow panel');
    await page.goto(url + '?lab=membership&s=slow&r=40');
    await page.waitForSelector('#status');
    assert((await pixels(page, '#chart', SLOW_LINE)) > 0, 'the slow panel with a slow node');
    // The same run with and without its heartbeat twin: the twin's bars are outlined beside
    // the run's, in the detection panel (the chart's left third, 215 of 640 logical pixels). A
    // column through an outlined red bar holds a couple of red pixels (its top edge), one
    // through a filled bar many.
    const hollowRedColumns = async (q) => {
      await page.goto(url + q);
      await page.waitForSelector('#status');
      return page.locator('#chart').evaluate((c, rgb) => {
        const w = Math.floor(c.width * 215 / 640);
        const d = c.getContext('2d').getImageData(0, 0, w, c.height).data;
        let hollow = 0;
        for (let x = 0; x < w; x++) {
          let n = 0;
          for (let y = 0; y < c.height; y++) {
            const i = (y * w + x) * 4;
            if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 60) n += 1;
          }
          if (n > 0 && n <= 4) hollow += 1;
        }
        return hollow;
      }, DEAD);
    };
    const withHb = await hollowRedColumns('?lab=membership&s=swimhb&r=120');
    assert((await page.locator('#analysis').innerText()).includes('outlined: heartbeat gossip with phi accrual'), 'the note names the bars');
    const alone = await hollowRedColumns('?lab=membership&s=swimhb&cmp=0&r=120');
    assert(withHb >= 3 && alone === 0, `outlined red bar columns: ${withHb} with the heartbeat run, ${alone} without`);
    noErrors(errors);
  });

  test('membership: the embed honours view=canvas|chart|both', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&r=20&embed=1');
    const shown = async () => [await page.locator('#cluster').count(), await page.locator('#chart').count()];
    assert(JSON.stringify(await shown()) === '[1,0]', 'the default is the cluster');
    for (const [v, want] of [['chart', '[0,1]'], ['both', '[1,1]'], ['canvas', '[1,0]']]) {
      await page.goto(`${url}?lab=membership&s=detect&r=20&embed=1&view=${v}`);
      await page.waitForSelector('#status');
      assert(JSON.stringify(await shown()) === want, `view=${v}: ${await shown()}`);
      if (v !== 'canvas') assert((await pixels(page, '#chart', DEAD)) > 0, `view=${v}: the chart is painted`);
    }
    assert((await page.locator('#notices li').count()) === 0, 'no notice');
    noErrors(errors);
  });

  // A late period of a 2,000-node run takes seconds to compute; the page computes it over
  // frames (web/src/labs/membership/catchup.rs) with a note, and answers meanwhile.
  const LATE = '?lab=membership&s=detect&n=2000&seed=2';
  // 600 periods take about 5 s here (150 took 1.1 s: too short a window to act in).
  const LATE_PERIOD = 600;
  test('membership: a 2,000-node link at a late period is computed over frames, the page answering meanwhile, then shows that period', async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(`${url}${LATE}&r=${LATE_PERIOD}`);
    await page.waitForSelector('#catch-up');
    const note = page.locator('#catch-up');
    const progress = async () => Number(new RegExp(`^Computing period (\\d+) of ${LATE_PERIOD}…$`).exec(await note.innerText())[1]);
    const first = await progress();
    assert((await page.locator('#status').count()) === 0, 'the status shows a period before the link\'s');
    assert((await page.locator('#play').innerText()) === 'Pause', 'computing reads as playing (Pause stops it)');
    // A key is handled while it computes: the help opens within a bound.
    const t0 = Date.now();
    await page.keyboard.press('?');
    await page.locator('dialog, .help, [role=dialog]').first().waitFor({ state: 'visible', timeout: 2000 });
    const answered = Date.now() - t0;
    assert(answered < 1000, `the help took ${answered} ms to open while computing`);
    await page.keyboard.press('Escape');
    assert((await page.locator('#catch-up').count()) === 1, 'the help stopped the computation');
    await page.waitForTimeout(1200);
    if (await page.locator('#catch-up').count()) assert((await progress()) > first, 'the note did not move');
    await page.waitForSelector('#status', { timeout: 180_000 });
    assert((await page.locator('#status').innerText()).startsWith(`Period ${LATE_PERIOD} `), await page.locator('#status').innerText());
    assert((await page.locator('#catch-up').count()) === 0, 'the note stayed');
    assert(new URLSearchParams(new URL(page.url()).search).get('r') === String(LATE_PERIOD), page.url());
    noErrors(errors);
  });

  test('membership: Pause while a late link is computed stops at the period reached, and the link says it', async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(`${url}${LATE}&r=5000`);
    await page.waitForSelector('#catch-up');
    await page.waitForTimeout(500);
    await page.click('#play');
    await page.waitForSelector('#status', { timeout: 2000 });
    const r = await periodOf(page);
    assert(r > 0 && r < 5000, `period ${r}`);
    assert((await page.locator('#play').innerText()) === 'Play', 'Pause did not stop');
    await page.waitForTimeout(400);
    assert((await periodOf(page)) === r, 'the run moved after Pause');
    await page.waitForFunction((r) => new URLSearchParams(location.search).get('r') === String(r), r, { timeout: 3000 });
    noErrors(errors);
  });

  test('membership: the picker, the embed and the help', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?s=epidemic&seed=3');
    await page.click('#step');
    await page.waitForTimeout(400);
    assert(page.url().includes('s=epidemic'), 'the first lab keeps its link');
    await page.selectOption('#lab', 'membership');
    await page.waitForSelector('#matrix');
    assert((await page.locator('#status').innerText()).startsWith('Period 0'), 'the membership lab is shown');
    assert((await page.locator('#notices li').count()) === 0, 'no notice about the first lab\'s fields');
    assert((await page.locator('#scenario').inputValue()) === 'detect', 'it opens at its first scenario');
    await page.selectOption('#lab', 'dissemination');
    await page.waitForSelector('#status');
    assert((await page.locator('#status').innerText()).startsWith('Round 0'), 'back to the first lab');
    assert((await page.locator('#notices li').count()) === 0, 'no notice about the membership lab\'s fields');
    await page.selectOption('#lab', 'membership');
    await page.waitForSelector('#matrix');
    await page.keyboard.press('?');
    const help = await page.locator('dialog, .help, [role=dialog]').first().innerText();
    assert(help.includes('leaves gracefully') && help.includes('lab=membership'), 'help rows');
    await page.keyboard.press('Escape');
    await page.goto(url + '?lab=membership&s=detect&embed=1');
    await page.waitForSelector('#status');
    assert((await page.locator('#cluster').count()) === 1 && (await page.locator('#matrix').count()) === 0, 'the embed is compact');
    assert((await page.locator('#full-link').getAttribute('href')).includes('lab=membership'), 'link to the full lab');
    noErrors(errors);
  });
}

export function registerDisseminationSwimTests({ test, assert, watch, noErrors }) {
  test('dissemination on SWIM: mem=swim opens with SWIM chosen, spreads to every live node and keeps mem=swim in the link', async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(`${url}?s=epidemic&mem=swim&a=2c9`);
    await page.waitForSelector('#status');
    assert((await page.locator('#membership').inputValue()) === 'swim', 'the picker shows SWIM');
    for (let i = 0; i < 40; i++) {
      if (await page.locator('#step').isDisabled()) break;
      await page.click('#step');
    }
    const s = await page.locator('#status').innerText();
    assert(/informed 199\/200/.test(s) && await page.locator("#step").isDisabled(), `every live node informed (node 9 crashed), the run complete: ${s}`);
    await page.waitForTimeout(400);
    assert(page.url().includes('mem=swim'), page.url());
    noErrors(errors);
  });
}
