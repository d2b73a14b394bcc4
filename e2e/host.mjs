// What the embedding tests share (e2e/embed.mjs, e2e/anti_entropy_embed.mjs): a host page's
// markup, opening one in a new page, the two snippets "Get embed code" gives, a poll with a
// deadline, and whether an element of a frame is inside the frame's box
// on the host page (what a reader sees).

// A host page: a post with `body`, and no favicon request (a 404 is a console error).
export const post = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <link rel="icon" href="data:,"><title>A post</title></head><body>${body}</body></html>`;

// Waits until `cond()` holds, polling; fails with `what` after `ms`.
export const until = async (cond, what, ms = 8000) => {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms: ${what}`);
};

// Whether `sel` in `frame` lies inside the host page's `#fig` box.
export const inFrame = async (page, frame, sel) => {
  const f = await page.locator('#fig').boundingBox();
  const b = await frame.locator(sel).boundingBox();
  return b !== null && b.width > 0 && b.x >= f.x - 0.5 && b.y >= f.y - 0.5
    && b.x + b.width <= f.x + f.width + 0.5 && b.y + b.height <= f.y + f.height + 0.5;
};

// Opens `address` (a host page) in a new page of `ctx`, its console errors collected by `watch`.
export const openHost = async (ctx, address, watch) => {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  await page.goto(address);
  return { page, errors };
};

// Opens the lab at `address` in a new page, steps twice, and reads "Get embed code"'s two
// snippets: the iframe is sandboxed, its link holds every one of `fields`, and the element
// names the same link. Returns the page, its errors and the snippets.
export const embedSnippets = async (ctx, address, watch, assert, fields) => {
  const page = await ctx.newPage();
  const errors = [];
  watch(page, errors);
  await page.goto(address);
  await page.waitForSelector('#status');
  await page.click('#step');
  await page.click('#step');
  await page.click('#get-embed');
  const iframe = await page.locator('#embed-iframe').inputValue();
  const element = await page.locator('#embed-element').inputValue();
  const src = /<iframe src="([^"]+)"/.exec(iframe);
  assert(src && iframe.includes('sandbox="allow-scripts'), `iframe snippet: ${iframe}`);
  const link = src[1].replaceAll('&amp;', '&');
  for (const field of fields) assert(link.includes(field), `the embed link lacks ${field}: ${link}`);
  assert(element.includes(`<gossip-lab src="${src[1]}"></gossip-lab>`), `element snippet: ${element}`);
  return { page, errors, iframe, element };
};
