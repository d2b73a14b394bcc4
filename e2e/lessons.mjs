// End-to-end tests of the lessons (web/src/lessons/): the bare page opens the first lesson's
// first step, a prediction is typed, the run plays, the prediction shows beside the measured
// result, and the progress survives a reload from the progress link; then one walk per lesson,
// as a student would do it (predict, run, read the result, Next). Registered by run.mjs.

import { join } from 'node:path';

export function registerLessonTests({ test, assert, watch, noErrors, SHOTS }) {
  const open = async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url);
    await page.waitForSelector('#lesson');
    await page.waitForSelector('#status');
    return { page, errors };
  };
  const text = (page, sel) => page.locator(sel).innerText();
  // Predicts `value` (a number, or a choice letter), runs, and waits for the result.
  const predictAndRun = async (page, value) => {
    if (/^[a-h]$/.test(value)) await page.check(`#lesson-choice-${value}`);
    else await page.fill('#lesson-guess', value);
    await page.click('#lesson-run');
    await page.waitForSelector('#lesson-measured', { timeout: 60_000 });
    return { predicted: await text(page, '#lesson-predicted'), measured: await text(page, '#lesson-measured') };
  };
  const stepLine = (page) => text(page, '#lesson-step');

  test('lessons: the bare page opens the first lesson, a prediction shows beside the result, and a reload keeps it', async (ctx, url) => {
    const { page, errors } = await open(ctx, url);
    assert((await text(page, '#lesson-title')).startsWith('Epidemic broadcast'), await text(page, '#lesson-title'));
    assert((await stepLine(page)).startsWith('Step 1 of 3'), await stepLine(page));
    assert((await text(page, '#lesson-look')).includes('One node of 200 knows a rumor'), await text(page, '#lesson-look'));
    assert((await page.locator('#scenario').inputValue()) === 'epidemic', 'the lab shows the story\'s scenario, not Custom');
    assert((await text(page, '#status')) === 'Round 0 · informed 1/200', await text(page, '#status'));
    // The terms are explained where they appear, and in the one glossary.
    assert((await page.locator('#lesson-look abbr.term').count()) >= 3, 'terms are marked');
    assert((await page.locator('#lesson-look abbr[title*="every node gets one turn"]').count()) === 1, 'round is defined');
    assert((await page.locator('#glossary dt').allTextContents()).includes('incarnation'), 'the glossary lists the terms');
    // Formulas and sources sit behind "more", a native toggle reachable by keyboard.
    assert(!(await page.locator('details.more p').isVisible()), 'more is closed at first');
    await page.locator('details.more summary').focus();
    await page.keyboard.press('Enter');
    assert((await text(page, 'details.more p')).includes('Pittel'), 'more opens on Enter');
    // A bad prediction is refused and said.
    await page.fill('#lesson-guess', 'soon');
    await page.click('#lesson-run');
    assert((await text(page, '#lesson-refused')).includes('Enter a number'), 'refused');
    // Keyboard: Enter in the field predicts and runs.
    await page.fill('#lesson-guess', '9');
    await page.press('#lesson-guess', 'Enter');
    await page.waitForSelector('#lesson-measured', { timeout: 60_000 });
    assert((await text(page, '#lesson-predicted')) === 'You predicted: 9 rounds', await text(page, '#lesson-predicted'));
    assert((await text(page, '#lesson-measured')) === 'Measured: 13 rounds', await text(page, '#lesson-measured'));
    assert((await text(page, '#status')).includes('informed 200/200'), await text(page, '#status'));
    assert((await page.locator('#lesson-result').getAttribute('aria-live')) === 'polite', 'the result is announced');
    const href = await page.locator('#lesson-link').getAttribute('href');
    assert(href.includes('lesson=epidemic') && href.includes('step=1') && href.includes('guess=1.9'), href);
    assert(page.url().includes('guess=1.9'), `the address bar keeps the progress: ${page.url()}`);
    await page.goto(href);
    await page.waitForSelector('#lesson-measured');
    assert((await text(page, '#lesson-predicted')) === 'You predicted: 9 rounds', 'the prediction is kept');
    assert((await text(page, '#lesson-measured')) === 'Measured: 13 rounds', 'the result is the same run');
    assert((await page.inputValue('#lesson-guess')) === '9', 'the field shows it');
    // Next goes to step 2 with its own run; Back returns.
    await page.click('#lesson-next');
    assert((await stepLine(page)).startsWith('Step 2 of 3'), await stepLine(page));
    await page.waitForFunction(() => document.querySelector('#status').innerText.includes('/1000'));
    assert(page.url().includes('step=2') && page.url().includes('guess=1.9'), page.url());
    await page.click('#lesson-back');
    assert((await stepLine(page)).startsWith('Step 1 of 3'), await stepLine(page));
    await page.screenshot({ path: join(SHOTS, 'lesson.png') });
    noErrors(errors);
  });

  test('lessons: a link that names a scenario opens as before, without a lesson; bad lesson fields give notices', async (ctx, url) => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url + '?s=custom');
    await page.waitForSelector('#status');
    assert((await page.locator('#lesson').count()) === 0, 'no lesson on a scenario link');
    assert((await text(page, '#status')) === 'Round 0 · informed 1/32', await text(page, '#status'));
    await page.goto(url + '?lesson=modes&step=7&guess=1.x');
    await page.waitForSelector('#lesson-notices');
    const said = await text(page, '#lesson-notices');
    assert(said.includes('step=7 is above the limit 3') && said.includes('guess=1.x'), said);
    assert((await stepLine(page)).startsWith('Step 3 of 3'), await stepLine(page));
    noErrors(errors);
  });

  // One walk per lesson: every step predicted and run, its result read, then Next.
  const walks = [
    ['epidemic', [['13', 'Measured: 13 rounds'], ['10', 'Measured: 10 rounds'], ['20', 'Measured: 14 rounds']]],
    ['modes', [['18', 'Measured: 18 rounds'], ['12', 'Measured: 15 rounds'], ['c', 'Measured: push-pull']]],
    ['rumor', [['5', 'Measured: 3.9 %'], ['3', 'Measured: 3.3 messages per node'], ['1', 'Measured: 0.5 %']]],
    ['partition', [['32', 'Measured: 32 nodes'], ['3', 'Measured: 2 rounds']]],
    ['repair', [['40', 'Measured: 48 nodes'], ['12', 'Measured: 25 rounds']]],
    ['swim', [['1', 'Measured: 2 periods'], ['6', 'Measured: 11 periods']]],
  ];
  for (const [lesson, steps] of walks) {
    test(`lessons: the ${lesson} lesson walks through every step`, async (ctx, url) => {
      const { page, errors } = await open(ctx, `${url}?lesson=${lesson}`);
      for (let i = 0; i < steps.length; i++) {
        const [guess, want] = steps[i];
        assert((await stepLine(page)).startsWith(`Step ${i + 1} of ${steps.length}`), await stepLine(page));
        const { predicted, measured } = await predictAndRun(page, guess);
        assert(measured === want, `${lesson} step ${i + 1}: ${measured}, expected ${want}`);
        assert((await text(page, '#lesson-explain')).length > 20, 'an explanation');
        if (lesson === 'partition' && i === 0) {
          // The step waits until the partition heals (round 12 of the scenario).
          const round = Number(/^Round (\d+)/.exec(await text(page, '#status'))[1]);
          assert(round >= 12, `the result showed at round ${round}, before the heal`);
        }
        if (lesson === 'repair') {
          // The prediction sits beside the result, in the step's unit; the rumors-alone step is
          // the repair scenario with Repair off (a custom run), the next the scenario itself.
          const unit = i === 0 ? 'nodes' : 'rounds';
          assert(predicted === `You predicted: ${guess} ${unit}`, predicted);
          const scenario = await page.locator('#scenario').inputValue();
          assert(scenario === (i === 0 ? 'custom' : 'repair'), `step ${i + 1} runs ${scenario}`);
          if (i === 1) {
            // Shown once nothing lacks anything: at the heal (round 20) plus the rounds measured.
            const round = Number(/^Round (\d+)/.exec(await text(page, '#status'))[1]);
            assert(round >= 20 + 25, `the result showed at round ${round}, before the repair ended`);
          }
        }
        if (lesson === 'swim') {
          // The result shows when the lab reaches the event: the crash (period 3) plus the wait.
          const period = Number(/^Period (\d+)/.exec(await text(page, '#status'))[1]);
          const after = Number(/(\d+) periods/.exec(measured)[1]);
          assert(period >= 3 + after, `shown at period ${period}, before the event at ${3 + after}`);
        }
        if (i + 1 < steps.length) await page.click('#lesson-next');
      }
      assert(page.url().includes(`step=${steps.length}`), page.url());
      // The last step leads on to the next lesson, in its own lab (repair -> swim changes labs).
      const next = { epidemic: 'Push, pull', modes: 'Rumor mongering', rumor: 'Partitions', partition: 'Anti-entropy finishes', repair: 'Failure detection' }[lesson];
      if (next) {
        await page.click('#lesson-next-lesson');
        await page.waitForFunction((t) => document.querySelector('#lesson-title').innerText.startsWith(t), next);
        assert((await stepLine(page)).startsWith('Step 1 of'), await stepLine(page));
        if (lesson === 'repair') {
          await page.waitForFunction(() => /^Period 0/.test(document.querySelector('#status').innerText));
          assert(page.url().includes('lab=membership') && page.url().includes('lesson=swim'), page.url());
        }
      } else {
        assert((await page.locator('#lesson-next-lesson').count()) === 0, 'the last lesson has no next');
      }
      noErrors(errors);
    });
  }
}
