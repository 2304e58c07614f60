// The list of the store's runs: the running ones first, then the newest; the runs of a group
// together under its name. Refreshed every two seconds while shown.
import { getJson } from './api.js';
import { el, clear } from './dom.js';
import { duration, elapsed, localTime, number, count } from './format.js';
import { bar } from './progress.js';

const REFRESH_MS = 2000;

function order(a, b) {
  const running = (r) => (r.state === 'running' ? 0 : 1);
  return running(a) - running(b) || b.started_at.localeCompare(a.started_at);
}

function row(run) {
  const p = run.progress || {};
  const position = bar('Position'), trial = bar('Trial');
  position.node.hidden = p.position == null;
  if (p.position != null) position.update(p.position, p.total_positions, `${p.position}/${p.total_positions ?? '?'}`);
  trial.node.hidden = p.trial == null;
  if (p.trial != null) trial.update(p.trial, p.total_trials, `${p.trial}/${p.total_trials ?? '?'}`);
  const seconds = run.state === 'running' ? elapsed(run.started_at, null) : run.duration_s;
  return el('tr', { class: `run state-${run.state}`, 'data-run': run.id },
    el('td', {}, el('span', { class: `state state-${run.state}` }, run.state)),
    el('td', {}, el('a', { href: `/runs/${encodeURIComponent(run.id)}`, 'data-link': true, class: 'run-name' }, run.name),
      el('div', { class: 'run-id' }, run.id)),
    el('td', { class: 'when' }, localTime(run.started_at)),
    el('td', { class: 'num' }, duration(seconds)),
    el('td', { class: 'num' }, count(run.lines)),
    el('td', { class: 'bars' }, position.node, trial.node),
    el('td', { class: 'num' }, number(run.best_score)));
}

export class RunList {
  constructor(root, connection) {
    this.connection = connection;
    this.body = el('div', { class: 'run-groups' });
    this.element = el('section', { class: 'card run-list' }, el('h1', {}, 'Runs'), this.body);
    root.replaceChildren(this.element);
    document.title = 'logstream';
    this.refresh();
  }

  destroy() {
    this.closed = true;
    clearTimeout(this.timer);
  }

  async refresh() {
    try {
      const runs = await getJson('/api/runs');
      if (this.closed) return;
      this.show(runs);
      this.connection('live');
    } catch {
      if (this.closed) return;
      this.connection('reconnecting');
    }
    if (!this.closed) this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
  }

  show(runs) {
    clear(this.body);
    if (runs.length === 0) {
      this.body.append(el('p', { class: 'empty' }, 'No run yet: start one with `logstream run -- COMMAND`.'));
      return;
    }
    // Groups in the order of their first run; runs without a group form their own.
    const groups = new Map();
    for (const run of [...runs].sort(order)) {
      const key = run.group ?? '';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(run);
    }
    for (const [name, members] of groups) {
      const table = el('table', { class: 'runs' },
        el('thead', {}, el('tr', {}, ['State', 'Run', 'Started', 'Duration', 'Lines', 'Progress', 'Best'].map((h) => el('th', {}, h)))),
        el('tbody', {}, members.map(row)));
      this.body.append(name ? el('div', { class: 'group', 'data-group': name }, el('h2', {}, name), table) : table);
    }
  }
}
