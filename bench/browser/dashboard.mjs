#!/usr/bin/env node
// The dashboard's speed, in Debian's Chromium (puppeteer-core): what bench/run's `browser`
// suite reports. Prints one JSON object on its last line. Never asserts a time.
//
//   dashboard.mjs --cli LOGSTREAM --gen GEN --plan JSON
//     plan: {throughput_lines, throughput_rate, rounds, browsers, latency_rate, latency_seconds,
//            big_lines, steps}
//
// - throughput: a recorded run of `gen --rate R` (the 1 M lines/s of a fast job), with 0 and
//   with N pages on its run view, interleaved; the lines/s the run achieved, and `serve`'s
//   peak RSS.
// - latency: a run of `gen --rate R`; in the page, each line's time from logstream reading it
//   (its `ts`) to the frame that drew it.
// - big run: a recorded run of B lines; the page opened (to its last lines drawn), jumps to
//   random seqs (to the line drawn), wheel steps (to no row left loading), and the JS heap.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const plan = JSON.parse(args.plan);
const CHROMIUM = process.env.LOGSTREAM_CHROMIUM || '/usr/bin/chromium';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await predicate().catch(() => false);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
};
const median = (values) => percentile(values, 50);

function store() {
  const home = mkdtempSync(join(tmpdir(), 'logstream-bench-browser-'));
  return { home, env: { ...process.env, LOGSTREAM_HOME: home } };
}

async function serve(s) {
  const child = spawn(args.cli, ['serve', '--listen', '127.0.0.1:0'], { env: s.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const origin = await new Promise((resolve, reject) => {
    child.stderr.on('data', (c) => {
      err += c;
      const m = err.match(/dashboard at (http:\/\/[^/\s]+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    origin,
    peakRssKib: () => Number((readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/) || [])[1]),
    runs: async () => (await fetch(`${origin}/api/runs`)).json(),
    stop: () => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); }),
  };
}

// `logstream run` of gen; resolves when it ends, to its wall seconds.
function record(s, name, genArgs, onRunning) {
  const started = process.hrtime.bigint();
  const run = spawn(args.cli, ['run', '--plain', '--quiet', '--name', name, '--', args.gen, ...genArgs], { env: s.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  run.stderr.on('data', (c) => {
    err += c;
    const m = err.match(/ as run (\S+);/);
    if (m && onRunning) {
      onRunning(m[1]);
      onRunning = null;
    }
  });
  return new Promise((resolve, reject) => run.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e9) : reject(new Error(`run exited ${code}: ${err.slice(-300)}`)))));
}

async function openRunPage(browser, origin, id) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  await page.goto(`${origin}/runs/${id}`, { waitUntil: 'domcontentloaded' });
  return page;
}

async function throughput(browser) {
  const results = { none: [], pages: [] };
  let rss = { none: 0, pages: 0 };
  for (let round = 0; round < plan.rounds; round++) {
    for (const config of ['none', 'pages']) {
      const s = store();
      const server = await serve(s);
      const pages = [];
      const seconds = await record(s, 'flood', ['--lines', String(plan.throughput_lines), '--rate', String(plan.throughput_rate), '--mix', 'plain'], (id) => {
        if (config === 'pages') for (let i = 0; i < plan.browsers; i++) pages.push(openRunPage(browser, server.origin, id));
      });
      rss[config] = Math.max(rss[config], server.peakRssKib());
      for (const page of await Promise.all(pages)) await page.close();
      await server.stop();
      rmSync(s.home, { recursive: true, force: true });
      results[config].push(plan.throughput_lines / seconds);
    }
  }
  const none = median(results.none), pages = median(results.pages);
  return { lines: plan.throughput_lines, rate: plan.throughput_rate, browsers: plan.browsers, lines_per_s_none: none, lines_per_s_pages: pages, ratio: pages / none,
           serve_rss_kib_none: rss.none, serve_rss_kib_pages: rss.pages };
}

async function latency(browser) {
  const s = store();
  const server = await serve(s);
  let page;
  const lines = Math.round(plan.latency_rate * plan.latency_seconds);
  const ready = new Promise((resolve) => {
    record(s, 'paced', ['--lines', String(lines), '--rate', String(plan.latency_rate), '--mix', 'plain'], async (id) => {
      page = await openRunPage(browser, server.origin, id);
      await until(() => page.evaluate(() => !!globalThis.logstream?.view?.log), 10_000, 'the log view');
      // Each appended line's delay to the frame that draws it, from the time logstream read it.
      await page.evaluate(() => {
        const log = globalThis.logstream.view.log;
        const append = log.append.bind(log);
        globalThis.latencies = [];
        // Only lines read after the page was following: the earlier ones waited for the page.
        const since = Date.now();
        log.append = (batch) => {
          append(batch);
          requestAnimationFrame(() => {
            const now = Date.now();
            for (const line of batch) {
              const read = Date.parse(line.ts);
              if (read >= since) globalThis.latencies.push(now - read);
            }
          });
        };
      });
      resolve();
    });
  });
  await ready;
  await until(async () => (await server.runs())[0]?.state !== 'running', 120_000, 'the paced run to end');
  await sleep(500);  // the last frame; only a measurement, nothing waits on it to be right
  const samples = await page.evaluate(() => globalThis.latencies);
  await page.close();
  await server.stop();
  rmSync(s.home, { recursive: true, force: true });
  const measured = samples;
  return { rate: plan.latency_rate, lines: measured.length, p50_ms: percentile(measured, 50), p99_ms: percentile(measured, 99), max_ms: Math.max(...measured) };
}

async function bigRun(browser) {
  const s = store();
  await record(s, 'big', ['--lines', String(plan.big_lines), '--mix', 'plain']);
  const server = await serve(s);
  const [{ id }] = await server.runs();
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const opening = Date.now();
  await page.goto(`${server.origin}/runs/${id}`, { waitUntil: 'domcontentloaded' });
  await until(() => page.evaluate((n) => globalThis.logstream?.view?.log?.total === n && !document.querySelector('.log-row.loading') && document.querySelectorAll('.log-row:not([hidden])').length > 10, plan.big_lines), 60_000, 'the run page');
  const open_ms = Date.now() - opening;
  const jumps = [];
  for (let i = 0; i < plan.steps; i++) {
    const seq = 1 + Math.floor(Math.random() * plan.big_lines);
    const t0 = Date.now();
    await page.evaluate((q) => globalThis.logstream.view.log.jumpTo(q), seq);
    await until(() => page.evaluate(() => !!document.querySelector('.log-row.highlighted') && !document.querySelector('.log-row.loading')), 10_000, `line ${seq}`);
    jumps.push(Date.now() - t0);
  }
  await page.hover('.log');
  const scrolls = [];
  for (let i = 0; i < plan.steps; i++) {
    const t0 = Date.now();
    await page.mouse.wheel({ deltaY: (i % 2 ? -1 : 1) * 20_000 });
    await until(() => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(!document.querySelector('.log-row.loading'))))), 10_000, 'a scroll step');
    scrolls.push(Date.now() - t0);
  }
  const { JSHeapUsedSize } = await page.metrics();
  const dom_rows = await page.evaluate(() => document.querySelectorAll('.log-row').length);
  await page.close();
  await server.stop();
  rmSync(s.home, { recursive: true, force: true });
  return { lines: plan.big_lines, open_ms, jump_p50_ms: median(jumps), jump_max_ms: Math.max(...jumps), scroll_p50_ms: median(scrolls),
           scroll_max_ms: Math.max(...scrolls), js_heap_mib: JSHeapUsedSize / 1048576, dom_rows };
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const result = { throughput: await throughput(browser), latency: await latency(browser), big: await bigRun(browser) };
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error.stack || error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
