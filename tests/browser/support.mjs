// What the browser tests share: a store of their own (LOGSTREAM_HOME in a temporary directory),
// runs started in it with the installed command, `logstream serve` on a free loopback port, and
// Debian's Chromium driven by puppeteer-core. Every wait is on a condition, with a deadline.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const CLI = process.env.LOGSTREAM_CLI;
export const CHILD = process.env.LOGSTREAM_TEST_CHILD;
export const CHROMIUM = process.env.LOGSTREAM_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.LOGSTREAM_BROWSER_ARTIFACTS || join(tmpdir(), 'logstream-browser-artifacts');

if (!CLI || !CHILD) throw new Error('LOGSTREAM_CLI and LOGSTREAM_TEST_CHILD name the command and the test child (meson test sets them)');

/// Resolves once `predicate()` (sync or async) is truthy, to its value; rejects after `ms`.
export async function until(predicate, { ms = 20_000, every = 50, what = 'a condition' } = {}) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await predicate();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

export class Store {
  constructor() {
    this.home = mkdtempSync(join(tmpdir(), 'logstream-browser-'));
    this.env = { ...process.env, LOGSTREAM_HOME: this.home, NO_COLOR: '1' };
  }

  /// Starts `logstream run -d --name NAME -- test_child ARGS...`; resolves to the run id.
  run(name, ...args) {
    return execFileSync(CLI, ['run', '-d', '--name', name, '--', CHILD, ...args], { env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /// Starts `logstream run -d --name NAME FLAGS... -- ARGV...`; resolves to the run id.
  runCommand(name, flags, argv) {
    return execFileSync(CLI, ['run', '-d', '--name', name, ...flags, '--', ...argv], { env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  remove() {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/// `logstream serve` of a store; `url` once it listens.
export class Server {
  static async start(store, listen = '127.0.0.1:0', ...options) {
    const server = new Server();
    server.process = spawn(CLI, ['serve', '--listen', listen, ...options], { env: store.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.exited = new Promise((resolve) => server.process.on('exit', resolve));
    server.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
      server.process.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = stderr.match(/dashboard at (http:\/\/\S+)\n/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      server.process.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
    });
    server.origin = new URL(server.url).origin;
    server.token = new URL(server.url).searchParams.get('token');
    server.listen = new URL(server.url).host;
    return server;
  }

  async api(path) {
    const headers = this.token ? { Authorization: `Bearer ${this.token}` } : {};
    const response = await fetch(this.origin + path, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  /// Resolves once run `id` is no longer running, to its record.
  ended(id, ms = 60_000) {
    return until(async () => {
      const run = await this.api(`/api/runs/${id}`);
      return run.state !== 'running' && run;
    }, { ms, what: `run ${id} to end` });
  }

  async stop() {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGTERM');
    await this.exited;
  }
}

export async function launchBrowser() {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/// A page whose errors fail the test that reads `page.errors`.
export async function openPage(browser, url) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  page.on('dialog', (dialog) => {
    page.errors.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/// The log view's state: the rows it holds (row, seq), what is on screen, follow mode.
export function logState(page) {
  return page.evaluate(() => {
    const view = globalThis.logstream.view.log;
    return {
      total: view.total,
      follow: view.follow,
      unseen: view.unseen,
      held: view.held(),
      domRows: document.querySelectorAll('.log-row').length,
      shownSeqs: [...document.querySelectorAll('.log-row:not([hidden]) .seq')].map((n) => Number(n.textContent)).filter(Boolean),
    };
  });
}
