// End-to-end tests of a teacher's links (web/src/shell/teacher.rs, core/src/link/teacher.rs)
// and the catalogue page (web/src/lessons/catalogue.rs): a locked parameter is disabled and says
// why, a hidden one is absent, play=1 plays, projector mode enlarges the type and the canvas's
// marks, survives a reload through the address bar and is switched by P, notes=1 shows a
// lesson's and a challenge's notes, the catalogue lists every lesson and challenge and each
// link opens what it names, and a bad lock= name is said while the lab still runs.
// Registered by run.mjs, which runs them with the others.
import { join } from 'node:path';

// The catalogues as the page has them (web/src/lessons/mod.rs LESSONS and
// core/src/challenge/mod.rs CHALLENGES): the catalogue page must list exactly these.
const LESSONS = ['epidemic', 'modes', 'rumor', 'partition', 'repair', 'swim'];
const CHALLENGES = ['miss10', 'fanout99', 'apart20'];

export function registerTeacherTests({ test, assert, watch, noErrors, SHOTS, pixels }) {
  const open = async (ctx, url, query, ready = '#status') => {
    const page = await ctx.newPage();
    const errors = [];
    watch(page, errors);
    await page.goto(url + query);
    await page.waitForSelector(ready);
    return { page, errors };
  };
  const text = (page, sel) => page.locator(sel).innerText();
  const rootFontPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const statusFontPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#status')).fontSize));
  // Play's box lies wholly inside the 1280x900 viewport, without scrolling.
  const playInView = async (page) => {
    const b = await page.locator('#play').boundingBox();
    return b && b.y >= 0 && b.y + b.height <= 900 && b.x >= 0 && b.x + b.width <= 1280;
  };

  test('teacher: a locked parameter is disabled and says why, a hidden one is absent, the rest is free', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?s=custom&lock=fanout,seed&hide=loss,share');
    for (const id of ['#fanout', '#seed', '#new-seed']) {
      assert(await page.locator(id).isDisabled(), `${id} is not disabled`);
    }
    const lock = page.locator('fieldset.locked[data-lock="fanout"]');
    assert((await lock.innerText()).includes('locked by your teacher'), await lock.innerText());
    assert((await lock.getAttribute('title')) === 'locked by your teacher', 'the lock has its tooltip');
    assert(!(await page.locator('#nodes').isDisabled()) && !(await page.locator('#mode').isDisabled()), 'an unlocked field is locked');
    assert((await page.locator('#loss').count()) === 0, 'hide=loss left the loss slider on the page');
    assert(!(await page.locator('#copy-link').isVisible()), 'hide=share left Copy link in view');
    // A locked field keeps its value while the free ones change the run.
    await page.fill('#nodes', '40');
    await page.locator('#nodes').dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('/40'));
    assert(await page.locator('#fanout').isDisabled(), 'the lock survives a restart of the run');
    await page.waitForFunction(() => location.search.includes('n=40'));
    assert(page.url().includes('lock=fanout,seed&hide=loss,share'), `the address bar keeps the teacher's fields: ${page.url()}`);
    // hide=actions takes the Actions list out of view; the run keeps its actions.
    await page.goto(`${url}?s=custom&a=3c5&hide=actions`);
    await page.waitForSelector('#status');
    assert(!(await page.locator('#actions').isVisible()), 'hide=actions left the Actions list in view');
    assert(page.url().includes('a=3c5'), `the run lost its action: ${page.url()}`);
    noErrors(errors);
  });

  test('teacher: lock=all locks every parameter of the membership lab and the anti-entropy lab', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&lock=all');
    for (const id of ['#p-n', '#p-t', '#p-loss', '#p-seed', '#lg-h', '#scenario']) {
      assert(await page.locator(id).isDisabled(), `membership ${id} is not disabled`);
    }
    assert(await page.locator('#play').isEnabled(), 'Play is a control, not a parameter');
    await page.goto(`${url}?lab=anti-entropy&lock=keys&hide=chart`);
    await page.waitForSelector('#p-n');
    assert(await page.locator('#p-n').isDisabled() && !(await page.locator('#p-d').isDisabled()), 'anti-entropy lock=keys');
    assert(!(await page.locator('#chart').isVisible()), 'anti-entropy hide=chart');
    noErrors(errors);
  });

  test('teacher: play=1 starts playing on load, play=0 and no play= start paused', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?s=custom&play=1');
    await page.waitForFunction(() => document.querySelector('#play').textContent === 'Pause', null, { timeout: 5_000 });
    await page.waitForFunction(() => window.gossipLab.run().round >= 2, null, { timeout: 20_000 });
    for (const q of ['?s=custom&play=0', '?s=custom']) {
      await page.goto(url + q);
      await page.waitForSelector('#status');
      assert((await page.locator('#play').innerText()) === 'Play', `${q} did not open paused`);
    }
    await page.goto(`${url}?lab=membership&s=detect&play=1`);
    await page.waitForSelector('#status');
    await page.waitForFunction(() => window.gossipLab.run().round >= 1, null, { timeout: 20_000 });
    noErrors(errors);
  });

  test('teacher: projector mode enlarges type and marks, survives a reload, P toggles it, and Play stays in view', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?s=epidemic');
    const normalRoot = await rootFontPx(page);
    const normalStatus = await statusFontPx(page);
    assert(await playInView(page), 'Play is out of view at 1280x900');
    const box = await page.locator('#cluster').boundingBox();
    // The informed colour (theme::INFORMED): the one node that knows at round 0.
    const informed = (p) => pixels(p, '#cluster', [213, 94, 0]);
    const before = await informed(page);
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.documentElement.classList.contains('projector'));
    assert((await page.locator('#proj-button').getAttribute('aria-pressed')) === 'true', 'the button shows the mode');
    const projRoot = await rootFontPx(page);
    assert(projRoot >= normalRoot * 1.2, `projector root font ${projRoot}px vs ${normalRoot}px`);
    assert((await statusFontPx(page)) > normalStatus, 'the status line did not grow');
    assert(await playInView(page), 'Play is out of view in projector mode at 1280x900');
    // The marks: the one informed node's dot covers more of the canvas than before.
    await page.waitForTimeout(300);
    const after = await informed(page);
    // PROJECTOR_NODE_SCALE 1.2 makes the dot's area 1.44 times larger; 1.25 leaves room for
    // antialiasing at the rim.
    assert(before > 0 && after > before * 1.25, `informed pixels ${before} -> ${after}`);
    await page.screenshot({ path: join(SHOTS, 'teacher-projector.png') });
    await page.waitForFunction(() => location.search.includes('proj=1'));
    await page.reload();
    await page.waitForSelector('#status');
    assert(await page.evaluate(() => document.documentElement.classList.contains('projector')), `the reload lost projector mode: ${page.url()}`);
    assert((await rootFontPx(page)) === projRoot, 'the reload has another size');
    await page.click('#proj-button');
    await page.waitForFunction(() => !document.documentElement.classList.contains('projector'));
    assert((await rootFontPx(page)) === normalRoot, 'the button did not switch it off');
    assert(!page.url().includes('proj=1'), `the address bar keeps proj=1: ${page.url()}`);
    assert(box.width > 0, 'the canvas is laid out');
    // The help lists the key and the teacher's fields, and links the catalogue.
    await page.keyboard.press('?');
    assert((await page.locator('#help dt', { hasText: /^P$/ }).count()) === 1, 'the help lacks P');
    assert((await text(page, '#help-link')).includes('lock='), 'the help lacks lock=');
    assert((await page.locator('#catalogue-link').getAttribute('href')) === '?catalogue=1', 'the help lacks the catalogue');
    noErrors(errors);
  }, { viewport: { width: 1280, height: 900 } });

  test('teacher: projector mode keeps Play in view in the membership lab at 1280x900', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lab=membership&s=detect&proj=1');
    assert(await page.evaluate(() => document.documentElement.classList.contains('projector')), 'proj=1 is not on');
    assert(await playInView(page), 'Play is out of view');
    await page.keyboard.press('P');
    await page.waitForFunction(() => !document.documentElement.classList.contains('projector'));
    assert(await playInView(page), 'Play is out of view in normal mode');
    noErrors(errors);
  }, { viewport: { width: 1280, height: 900 } });

  test('teacher: notes=1 shows the notes beside a lesson and beside a challenge', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?lesson=epidemic&notes=1', '#lesson');
    await page.waitForSelector('#teacher-notes');
    const notes = await text(page, '#teacher-notes');
    for (const part of ['What to notice', 'What to try', 'Misconceptions to expect']) assert(notes.includes(part), `notes lack ${part}`);
    // The facts are filled in: no placeholder is left, and Pittel's number for 200 nodes is there.
    assert(!notes.includes('{'), notes);
    assert(notes.includes('about 12.9 rounds'), notes);
    await page.goto(`${url}?ch=apart20&notes=1`);
    await page.waitForSelector('#challenge');
    assert((await text(page, '#teacher-notes')).includes('64 nodes'), await text(page, '#teacher-notes'));
    await page.goto(`${url}?lesson=epidemic`);
    await page.waitForSelector('#lesson');
    assert((await page.locator('#teacher-notes').count()) === 0, 'the notes show without notes=1');
    noErrors(errors);
  });

  test('teacher: the catalogue lists every lesson and challenge, and each link opens what it names', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?catalogue=1', '#catalogue');
    const ids = await page.locator('.catalogue-entry').evaluateAll((els) => els.map((e) => e.id));
    const want = [...LESSONS.map((k) => `cat-lesson-${k}`), ...CHALLENGES.map((c) => `cat-ch-${c}`)];
    assert(JSON.stringify(ids) === JSON.stringify(want), `the catalogue lists ${ids}`);
    const entries = [];
    for (const id of want) {
      const e = page.locator(`#${id}`);
      assert((await e.locator('h3.entry-title').innerText()).length > 0 && (await e.locator('.catalogue-summary').innerText()).length > 0, `${id} lacks a title or a line`);
      const notes = e.locator('details.catalogue-notes');
      assert(!(await notes.locator('.notes-notice').isVisible()), `${id}'s notes are open at first`);
      await notes.locator('summary').click();
      assert((await notes.locator('.notes-notice').innerText()).length > 20, `${id}'s notes are empty`);
      entries.push({ id, student: await e.locator('.student-link').getAttribute('href'), teacher: await e.locator('.teacher-link').getAttribute('href') });
    }
    for (const { id, student, teacher } of entries) {
      const lesson = id.startsWith('cat-lesson-');
      const key = id.replace(/^cat-(lesson|ch)-/, '');
      const ready = lesson ? '#lesson' : '#challenge';
      await page.goto(url + student);
      await page.waitForSelector(ready);
      await page.waitForSelector('#status');
      if (lesson) assert(page.url().includes(`lesson=${key}`), `${student} opened ${page.url()}`);
      else assert((await page.locator('#challenge').innerText()).length > 0 && page.url().includes(`ch=${key}`), `${student} opened ${page.url()}`);
      assert((await page.locator('#teacher-notes').count()) === 0, `${student} shows the notes`);
      await page.goto(url + teacher);
      await page.waitForSelector(ready);
      await page.waitForSelector('#teacher-notes');
      assert((await text(page, '#teacher-notes')).includes('What to notice'), `${teacher} lacks the notes`);
    }
    noErrors(errors);
  });

  test('teacher: a bad lock= name is said on the page and the lab still runs', async (ctx, url) => {
    const { page, errors } = await open(ctx, url, '?s=custom&lock=fanot,seed&play=2');
    const said = await text(page, '#teacher-notices');
    assert(said.includes('lock=fanot') && said.includes('names nothing this lab has') && said.includes('fanout'), said);
    assert(said.includes('play=2'), said);
    assert(await page.locator('#seed').isDisabled(), 'the good name of the list is kept');
    assert(!(await page.locator('#fanout').isDisabled()), 'the bad name locked something');
    await page.click('#step');
    await page.click('#step');
    assert((await text(page, '#status')).startsWith('Round 2'), await text(page, '#status'));
    await page.click('#teacher-notices button');
    assert((await page.locator('#teacher-notices').count()) === 0, 'Dismiss did not hide the notices');
    noErrors(errors);
  });
}
