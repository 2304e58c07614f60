// The page of one run (/runs/{id}): what ran and how it ended, its progress, a chart per metric
// and its log, all following the run's events live.
import { getJson, postJson, runUrl, server, RunEvents, HttpError } from './api.js';
import { el, setText, Holdings } from './dom.js';
import { duration, localTime, elapsed, count } from './format.js';
import { ProgressPanel } from './progress.js';
import { MetricCharts } from './charts.js';
import { LogView } from './log_view.js';
import { AlertList } from './alerts.js';

const TAIL_LINES = 1000;      // the lines a page starts with; older ones come by seq on demand
const CHART_POINTS = 600;
// Following a run this many seqs behind its end, the page skips to the end (rows in between
// stay reachable by scrolling); checked every CATCH_UP_MS.
const SKIP_BEHIND = 50_000;
const CATCH_UP_MS = 2000;

// A command line as a shell would take it back.
function shellWords(argv) {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function exitText(run) {
  if (run.state === 'running') return 'running';
  if (run.signal != null) return `${run.state} by signal ${run.signal}`;
  if (run.exit_code != null) return `${run.state}, exit ${run.exit_code}`;
  return run.state;
}

export class RunView {
  constructor(root, id, connection) {
    this.id = id;
    this.connection = connection;
    this.state = el('span', { class: 'state' });
    this.exit = el('span', { class: 'exit' });
    this.elapsed = el('span', { class: 'elapsed' });
    this.lines = el('span', { class: 'lines' });
    this.command = el('code', { class: 'command' });
    this.meta = el('div', { class: 'meta' });
    this.title = el('h1', {}, id);
    this.download = el('a', { href: runUrl(id, '/log'), class: 'download', download: `${id}.log` }, 'Download log');
    // Offered only where the server was started with --allow-control.
    this.stopButton = el('button', { type: 'button', class: 'stop', hidden: true }, 'Stop');
    this.stopButton.addEventListener('click', () => this.stop());
    this.header = el('section', { class: 'card run-head' },
      el('div', { class: 'run-title' }, this.title, this.state, this.exit, this.stopButton),
      this.command, this.meta,
      el('div', { class: 'run-figures' },
        el('span', { class: 'label' }, 'Elapsed'), this.elapsed,
        el('span', { class: 'label' }, 'Lines'), this.lines, this.download));
    this.progress = new ProgressPanel();
    this.charts = new MetricCharts();
    this.log = new LogView(id);
    this.alerts = new AlertList((seq) => this.log.jumpTo(seq));
    this.element = el('div', { class: 'run-view' }, this.header, this.alerts.element,
      el('div', { class: 'run-columns' }, this.progress.element, this.charts.element), this.log.element);
    root.replaceChildren(this.element);
    this.held = new Holdings();
    this.held.every(1000, () => this.tick());
    this.held.every(CATCH_UP_MS, () => this.skipIfBehind());
    this.load();
  }

  destroy() {
    this.closed = true;
    this.held.release();
    this.events?.close();
    this.log.destroy();
    this.charts.destroy();
    this.alerts.destroy();
  }

  async stop() {
    this.stopButton.disabled = true;
    try {
      await postJson(runUrl(this.id, '/stop'));
      setText(this.stopButton, 'Stopping…');
    } catch (error) {
      this.stopButton.disabled = false;
      setText(this.exit, `stop refused: ${error.message}`);
    }
  }

  async load() {
    server().then((about) => {
      this.control = about.control;
      if (this.run) this.show(this.run);
    });
    let run;
    try {
      run = await getJson(runUrl(this.id));
    } catch (error) {
      if (this.closed) return;
      const text = error instanceof HttpError && error.status === 404 ? `No run ${this.id} in this store.` : `The run could not be loaded: ${error.message}`;
      this.element.replaceChildren(el('p', { class: 'empty error' }, text), el('p', {}, el('a', { href: '/', 'data-link': true }, 'All runs')));
      this.connection('gone');
      return;
    }
    if (this.closed) return;
    this.show(run);
    this.alerts.load(run.events);
    let lastSeq = 0;
    try {
      lastSeq = await this.log.loadTail(TAIL_LINES);
      this.charts.load(await getJson(runUrl(run.id, `/metrics?points=${CHART_POINTS}`)));
    } catch {
      // The log and charts fill from the events and as rows are fetched.
    }
    if (this.closed) return;
    this.follow(lastSeq + 1);
    // /runs/{id}?seq=N (a search hit, an alert): that line, in the middle, highlighted.
    const seq = Number.parseInt(new URLSearchParams(location.search).get('seq') ?? '', 10);
    if (Number.isFinite(seq)) this.log.jumpTo(seq);
  }

  follow(fromSeq) {
    this.events?.close();
    this.events = new RunEvents(this.run.id, fromSeq, {
      line: (lines) => {
        this.log.append(lines);
        this.run.lines = Math.max(this.run.lines, lines[lines.length - 1].seq);
        setText(this.lines, count(this.run.lines));
      },
      progress: (p) => {
        this.progress.update(p);
        this.charts.setBest(p.best_score ?? null);
      },
      metric: (m) => this.charts.add(m),
      exit: (e) => {
        Object.assign(this.run, e);
        this.refresh();
      },
      event: (name, data) => {
        if (name === 'alert') this.alerts.add(data, true);
      },
      state: (s) => this.connection(s),
    });
  }

  // A run faster than the page reads: while following, jump to its newest lines.
  async skipIfBehind() {
    if (this.closed || this.skipping || !this.events || this.events.closed || !this.log.follow) return;
    this.skipping = true;
    try {
      const run = await getJson(runUrl(this.id));
      if (!this.closed && this.log.follow && run.lines - this.events.next > SKIP_BEHIND) {
        // The stream stops first: rows are counted, and a line appended meanwhile would miscount.
        const next = this.events.next;
        this.events.close();
        const lastSeq = await this.log.loadTail(TAIL_LINES).catch(() => 0);
        if (!this.closed) this.follow(Math.max(next, lastSeq + 1));
      }
    } catch {
      // Checked again at the next interval.
    } finally {
      this.skipping = false;
    }
  }

  // The run's record again (its final state and end time after the exit).
  async refresh() {
    try {
      const run = await getJson(runUrl(this.id));
      if (!this.closed) this.show(run);
    } catch {
      this.show(this.run);
    }
  }

  show(run) {
    this.run = run;
    document.title = `${run.name} · logstream`;
    setText(this.title, run.name);
    this.state.className = `state state-${run.state}`;
    setText(this.state, run.state);
    setText(this.exit, run.state === 'running' ? '' : exitText(run));
    this.stopButton.hidden = !(this.control && run.state === 'running');
    setText(this.command, shellWords(run.command));
    this.meta.replaceChildren(...[
      el('span', {}, run.id), el('span', {}, run.host), el('span', {}, run.cwd),
      el('span', {}, `started ${localTime(run.started_at)}`),
      run.ended_at && el('span', {}, `ended ${localTime(run.ended_at)}`),
      run.error && el('span', { class: 'error' }, run.error)].filter(Boolean));
    setText(this.lines, count(run.lines));
    this.progress.update(run.progress || {});
    this.charts.setBest(run.best_score ?? null);
    this.tick();
  }

  tick() {
    if (!this.run) return;
    const seconds = this.run.state === 'running' ? elapsed(this.run.started_at, null) : this.run.duration_s;
    setText(this.elapsed, duration(seconds));
  }
}
