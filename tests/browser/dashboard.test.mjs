// The dashboard in a real browser: Debian's Chromium, driven by puppeteer-core, against
// `logstream serve` of a store of the test's own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store, Server, launchBrowser, openPage, screenshot, until, logState } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// A store and its server (with `serve` options) for one test, removed after it.
async function served(t, ...options) {
  const store = new Store();
  const server = await Server.start(store, '127.0.0.1:0', ...options);
  t.after(async () => {
    await server.stop();
    store.remove();
  });
  return { store, server };
}

// The page of run `id`.
function runPage(server, id) {
  return openPage(browser, `${server.url}runs/${id}`);
}

// A run of the test child (`store.run(name, ...args)`) in a store served for this test, its page
// opened at once.
async function openedRun(t, name, ...args) {
  const { store, server } = await served(t);
  const id = store.run(name, ...args);
  return { server, id, page: await runPage(server, id) };
}

// Resolves once the page's log counts a number of lines that `enough` accepts.
function untilLines(page, enough, what, ms) {
  return until(async () => enough((await logState(page)).total), { what, ms });
}

function assertContinuous(held, what) {
  assert.ok(held.length > 0, `${what}: no line held`);
  for (let i = 1; i < held.length; i++) {
    assert.equal(held[i][0], held[i - 1][0] + 1, `${what}: rows ${held[i - 1][0]} then ${held[i][0]}`);
    assert.ok(held[i][1] > held[i - 1][1], `${what}: seq ${held[i][1]} after ${held[i - 1][1]}`);
  }
}

test('the list shows every run, the running ones first, each linking to its page', async (t) => {
  const { store, server } = await served(t);
  const done = store.run('finished', 'lines', '3');
  await server.ended(done);
  const live = store.run('live', 'slow', '600', '100');
  const page = await openPage(browser, server.url);
  const ids = await until(async () => {
    const rows = await page.$$eval('tr.run', (trs) => trs.map((tr) => tr.dataset.run));
    return rows.length === 2 && rows;
  }, { what: 'two runs in the list' });
  assert.deepEqual(ids, [live, done]);
  assert.equal(await page.$eval(`tr[data-run="${live}"] .state`, (n) => n.textContent), 'running');
  await screenshot(page, 'run-list');
  await page.click(`tr[data-run="${done}"] a.run-name`);
  await until(() => page.url().endsWith(`/runs/${done}`), { what: 'the run page' });
  await untilLines(page, (total) => total === 3, 'the three lines');
  assert.deepEqual(page.errors, []);
});

test('a live run: its lines arrive, the bars move, a chart gains points; a reload opens the same run', async (t) => {
  const { server, id, page } = await openedRun(t, 'train', 'train', '2', '12', '150');
  const trial = () => page.$eval('.progress [data-bar="trial"]', (n) => Number(n.dataset.fraction ?? 0));
  const first = await until(trial, { what: 'a trial bar' });
  await until(async () => (await trial()) !== first, { what: 'the trial bar to move' });
  const points = () => page.$eval('.chart[data-key="loss"]', (n) => Number(n.dataset.points ?? 0)).catch(() => 0);
  const some = await until(points, { what: 'a loss chart' });
  await until(async () => (await points()) > some, { what: 'the loss chart to gain points' });
  const before = (await logState(page)).total;
  await untilLines(page, (total) => total > before, 'more lines');
  await screenshot(page, 'run-view-live');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await until(async () => (await page.$eval('.run-head .meta', (n) => n.textContent)).includes(id), { what: 'the run after a reload' });
  const run = await server.ended(id);
  await until(async () => (await page.$eval('#connection', (n) => n.dataset.state)) === 'ended', { what: 'the page to see the end' });
  assert.equal(await page.$eval('.run-head .state', (n) => n.textContent), run.state);
  const state = await logState(page);
  assertContinuous(state.held, 'after the run');
  assert.equal(state.held.length, state.total);
  await screenshot(page, 'run-view');
  assert.deepEqual(page.errors, []);
});

test('hostile text renders as text: markup, handlers and OSC-8 links run nothing', async (t) => {
  const { store, server } = await served(t);
  const hostile = '<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> \\x1b]8;;javascript:window.pwned=3\\x1b\\\\click\\x1b]8;;\\x1b\\\\ \\x1b[31mred\\x1b[0m \\x1b[2J\\x1b]0;title\\x07end\\n';
  const id = store.run('hostile', 'bytes', hostile);
  await server.ended(id);
  const page = await runPage(server, id);
  await untilLines(page, (total) => total === 1, 'the line');
  await until(() => page.$('.log-row:not([hidden]) .text'), { what: 'its row' });
  const text = await page.$eval('.log-row:not([hidden]) .text', (n) => n.textContent);
  assert.equal(text, '<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> click red end');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.$$eval('.log img, .log script, .log a', (nodes) => nodes.length), 0);
  assert.equal(await page.$eval('.log-row:not([hidden]) .text .fg1', (n) => n.textContent), 'red');
  assert.equal(await page.title(), 'hostile · logstream');
  assert.deepEqual(page.errors, []);
});

test('scrolling up pauses following and counts new lines; End follows again', async (t) => {
  const { page } = await openedRun(t, 'paced', 'paced', '4000', '400');
  await untilLines(page, (total) => total > 200, 'some lines');
  assert.equal((await logState(page)).follow, true);
  await page.hover('.log');
  await page.mouse.wheel({ deltaY: -2000 });
  await until(async () => !(await logState(page)).follow, { what: 'following to pause' });
  await until(() => page.$eval('.pill', (n) => !n.hidden && /new lines?/.test(n.textContent)), { what: 'the new-lines pill' });
  const paused = await logState(page);
  await until(async () => (await logState(page)).unseen > paused.unseen, { what: 'the pill to count' });
  assert.ok(Math.max(...paused.shownSeqs) < paused.held[paused.held.length - 1][1], 'the paused view stays where the reader is');
  await page.focus('.log');
  await page.keyboard.press('End');
  await until(async () => {
    const s = await logState(page);
    return s.follow && Math.max(...s.shownSeqs) === s.held[s.held.length - 1][1];
  }, { what: 'the newest line in view' });
  assert.equal(await page.$eval('.pill', (n) => n.hidden), true);
  assert.deepEqual(page.errors, []);
});

test('the server restarted mid-run: the page reconnects and no line is missing or twice', async (t) => {
  const store = new Store();
  t.after(() => store.remove());
  let server = await Server.start(store);
  const listen = server.listen;
  const id = store.run('paced', 'paced', '3000', '300');
  const page = await runPage(server, id);
  await untilLines(page, (total) => total > 300, 'lines before the restart');
  await server.stop();
  await until(async () => ['reconnecting', 'stale'].includes(await page.$eval('#connection', (n) => n.dataset.state)), { what: 'the page to see the loss' });
  server = await Server.start(store, listen);
  t.after(() => server.stop());
  const run = await server.ended(id);
  await untilLines(page, (total) => total === 3000, 'every line', 40_000);
  const state = await logState(page);
  assertContinuous(state.held, 'after the reconnect');
  assert.equal(state.held[0][1], 1);
  assert.equal(state.held[state.held.length - 1][1], 3000);
  assert.equal(run.lines, 3000);
  assert.deepEqual(page.errors, []);
});

test('a run of a million lines: the page holds a bounded number of rows, jumps to any seq, stays small', async (t) => {
  const { store, server } = await served(t);
  const id = store.run('million', 'lines', '1000000');
  await server.ended(id, 120_000);
  const page = await runPage(server, id);
  await untilLines(page, (total) => total === 1_000_000, 'the run\'s length');
  const rowsAtEnd = (await logState(page)).domRows;
  assert.ok(rowsAtEnd < 100, `${rowsAtEnd} rows in the DOM`);
  await page.type('.jump', '500000');
  await page.keyboard.press('Enter');
  await until(() => page.$eval('.log-row.highlighted .seq', (n) => n.textContent === '500000').catch(() => false), { what: 'line 500000 shown' });
  await page.hover('.log');
  for (let i = 0; i < 20; i++) await page.mouse.wheel({ deltaY: 3000 });
  await until(async () => !(await page.$('.log-row.loading')), { what: 'the rows scrolled to' });
  const state = await logState(page);
  assert.ok(state.domRows < 100, `${state.domRows} rows in the DOM`);
  assert.ok(state.held.length <= 50_000, `${state.held.length} lines held`);
  const { JSHeapUsedSize } = await page.metrics();
  assert.ok(JSHeapUsedSize < 100 * 1024 * 1024, `JS heap ${JSHeapUsedSize} bytes`);
  assert.deepEqual(page.errors, []);
});

test('with --allow-control, the token link opens the page and its Stop button stops the run', async (t) => {
  const { store, server } = await served(t, '--allow-control');
  assert.ok(server.token, 'control needs a token, printed in the URL');
  const id = store.run('long', 'sleep', '60000');
  // The printed link trades its token for a cookie, then the page's own addresses work.
  const page = await openPage(browser, server.url);
  await until(() => !page.url().includes('token='), { what: 'the token out of the address bar' });
  await until(() => page.$(`tr[data-run="${id}"]`), { what: 'the run in the list' });
  await page.goto(`${server.origin}/runs/${id}`, { waitUntil: 'domcontentloaded' });
  await until(() => page.$eval('button.stop', (b) => !b.hidden).catch(() => false), { what: 'the Stop button' });
  await page.click('button.stop');
  const run = await server.ended(id);
  assert.notEqual(run.state, 'running');
  await until(async () => (await page.$eval('.run-head .state', (n) => n.textContent)) === run.state, { what: 'the page to show the end' });
  assert.equal(await page.$eval('button.stop', (b) => b.hidden), true);
  assert.deepEqual(page.errors, []);
});

test('without --allow-control there is no Stop button', async (t) => {
  const { page } = await openedRun(t, 'long', 'slow', '100', '100');
  await untilLines(page, (total) => total > 0, 'a line');
  await until(() => page.evaluate(() => globalThis.logstream.view.control === false), { what: 'the server\'s answer' });
  assert.equal(await page.$eval('button.stop', (b) => b.hidden), true);
});

test('a run far faster than the page reads: following skips to its newest lines, and the page stays small', async (t) => {
  const { server, id, page } = await openedRun(t, 'fast', 'paced', '2000000', '400000');
  await untilLines(page, (total) => total > 0, 'the first lines');
  const run = await server.ended(id, 60_000);
  assert.equal(run.lines, 2_000_000);
  // Reading every line at the page's pace would take minutes; following shows the end at once.
  await until(async () => {
    const s = await logState(page);
    return s.follow && s.shownSeqs.includes(2_000_000);
  }, { what: 'the last line in view', ms: 30_000 });
  const state = await logState(page);
  assert.equal(state.total, 2_000_000, 'rows are counted in the log, skipped ones included');
  assert.ok(state.held.length <= 50_000, `${state.held.length} lines held`);
  assert.ok(state.domRows < 100, `${state.domRows} rows in the DOM`);
  // The skipped lines are there to scroll back to.
  await page.evaluate(() => globalThis.logstream.view.log.jumpTo(1_000_000));
  await until(() => page.$eval('.log-row.highlighted .seq', (n) => n.textContent === '1000000').catch(() => false), { what: 'line 1000000' });
  assert.deepEqual(page.errors, []);
});

test('alerts: a run\'s alerts are listed, one that fires while the page is open is a toast, a reload shows each once', async (t) => {
  const { store, server } = await served(t);
  const finished = store.runCommand('failed', ['--alert', 'exit', '--alert', 'pattern:CUDA'], ['sh', '-c', 'echo start; echo "RuntimeError: CUDA out of memory"; exit 1']);
  await server.ended(finished);
  let page = await runPage(server, finished);
  const items = () => page.$$eval('.alerts li', (lis) => lis.map((li) => li.querySelector('.alert-rule').textContent));
  await until(async () => (await items()).length === 2, { what: 'the two stored alerts' });
  assert.deepEqual(await items(), ['pattern:CUDA', 'exit']);
  assert.equal(await page.$$eval('.toast', (n) => n.length), 0, 'stored alerts are no news');
  await page.click('.alerts .alert-line');
  await until(() => page.$('.log-row.highlighted'), { what: 'the alert\'s line highlighted' });
  assert.equal(await page.$eval('.log-row.highlighted .seq', (n) => n.textContent), '2');
  await page.close();

  // The child goes on once the page has loaded its run: the alert fires while it is open.
  const go = join(store.home, 'go');
  const live = store.runCommand('live', ['--alert', 'pattern:boom'], ['sh', '-c', `echo ready; while [ ! -e '${go}' ]; do sleep 0.05; done; echo boom`]);
  page = await runPage(server, live);
  await untilLines(page, (total) => total >= 1, 'the first line');
  await until(async () => (await page.$eval('#connection', (n) => n.dataset.state)) === 'live', { what: 'the live stream' });
  writeFileSync(go, '');
  await until(() => page.$('.toast'), { what: 'a toast' });
  assert.match(await page.$eval('.toast', (n) => n.textContent), /pattern:boom line 2 matches boom: boom/);
  await screenshot(page, 'run-view-alert');
  await server.ended(live);
  await until(async () => (await page.$eval('#connection', (n) => n.dataset.state)) === 'ended', { what: 'the end' });
  assert.deepEqual(await items(), ['pattern:boom']);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await untilLines(page, (total) => total === 2, 'the lines after the reload');
  await until(async () => (await items()).length === 1, { what: 'the alert after the reload' });
  assert.deepEqual(await items(), ['pattern:boom']);
  assert.deepEqual(page.errors, []);
});

test('search: the header\'s box searches every run, pages the hits, and a hit opens its line; the log filters by text and level', async (t) => {
  const { store, server } = await served(t);
  const first = store.runCommand('first', [], ['sh', '-c', 'for i in $(seq 1 150); do echo "needle $i"; echo hay; done']);
  await server.ended(first);
  const second = store.runCommand('second', [], ['sh', '-c', 'echo hay; echo "ERROR: needle in the error"; echo "WARNING: careful"; echo "INFO: fine"']);
  await server.ended(second);
  const page = await openPage(browser, server.url);
  await until(() => page.$('.top-search input'), { what: 'the search box' });
  await page.type('.top-search input', 'needle');
  await page.keyboard.press('Enter');
  await until(() => page.url().includes('/search?q=needle'), { what: 'the search view' });
  const hits = () => page.$$eval('.hit.match', (lis) => lis.map((li) => `${li.dataset.run}:${li.dataset.seq}`));
  await until(async () => (await hits()).length === 100, { what: 'the first page of hits' });
  assert.equal(await page.$eval('.search-status', (n) => n.textContent), '100+ matching lines');
  assert.equal(await page.$eval('.hit.match mark', (n) => n.textContent), 'needle');
  await page.click('.search-view .more');
  await until(async () => (await hits()).length === 151, { what: 'every hit after More' });
  const all = await hits();
  assert.equal(all[0], `${first}:1`);
  assert.equal(all[150], `${second}:2`);
  assert.equal(await page.$eval('.search-view .more', (n) => n.hidden), true);
  await page.click(`.hit[data-run="${second}"] a`);
  await until(() => page.url().endsWith(`/runs/${second}?seq=2`), { what: 'the run page at the hit' });
  await until(() => page.$('.log-row.highlighted'), { what: 'the hit highlighted' });
  assert.equal(await page.$eval('.log-row.highlighted .text', (n) => n.textContent), 'ERROR: needle in the error');

  // The log's own filter: text, and a level and above.
  const shown = () => page.$$eval('.log-row:not([hidden]) .text', (rows) => rows.map((r) => r.textContent));
  await page.select('.level-filter', 'warning');
  await until(async () => (await shown()).length === 2, { what: 'warnings and above' });
  assert.deepEqual(await shown(), ['ERROR: needle in the error', 'WARNING: careful']);
  await page.type('.log-tools .filter', 'care');
  await until(async () => (await shown()).length === 1, { what: 'the text filter too' });
  assert.deepEqual(await shown(), ['WARNING: careful']);
  await page.goto(`${server.url}search?q=${encodeURIComponent('needle [0-9]+$')}&regex=1`, { waitUntil: 'domcontentloaded' });
  await until(async () => (await hits()).length === 100, { what: 'a regex search' });
  assert.deepEqual(page.errors, []);
});
