// A chart per metric (uPlot), over the run's elapsed seconds. The history comes decimated from
// /metrics (min and max of each bucket kept); live observations are appended to the same chart,
// at most once a frame. A chart keeps at most MAX_POINTS points: beyond, every other one of the
// older half goes.
import uPlot from 'uplot';
import { el } from './dom.js';
import { number } from './format.js';

const MAX_POINTS = 4000;
const SCORE_KEYS = ['score', 'best_score'];  // compared in lower case: "Score" is one
const isScore = (key) => SCORE_KEYS.includes(key.toLowerCase());

export class MetricCharts {
  constructor() {
    this.charts = new Map();  // key -> {plot, t, value, lastSeq, summary}
    this.best = null;
    this.grid = el('div', { class: 'charts' });
    this.element = el('section', { class: 'card metrics' }, el('h2', {}, 'Metrics'), this.grid);
    this.empty = el('p', { class: 'empty' }, 'No metric yet.');
    this.grid.append(this.empty);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.grid);
  }

  destroy() {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
    for (const chart of this.charts.values()) chart.plot.destroy();
  }

  /// The response of /api/runs/{id}/metrics.
  load(response) {
    for (const s of response.series) {
      const chart = this.chart(s.key);
      chart.t = s.t.slice();
      chart.value = s.value.map((v) => (v === null ? NaN : v));
      chart.lastSeq = s.seq.length ? s.seq[s.seq.length - 1] : 0;
      chart.dirty = true;
    }
    for (const summary of response.metrics) this.chart(summary.key).summary = summary;
    this.schedule();
  }

  /// A `metric` event.
  add(event) {
    const chart = this.chart(event.key);
    if (event.seq <= chart.lastSeq) return;  // already in the history
    chart.lastSeq = event.seq;
    chart.t.push(event.t);
    chart.value.push(event.value === null ? NaN : event.value);
    if (chart.t.length > MAX_POINTS) thin(chart);
    chart.dirty = true;
    this.schedule();
  }

  setBest(score) {
    if (score === this.best) return;
    this.best = score;
    for (const chart of this.charts.values()) if (isScore(chart.key)) chart.dirty = true;
    this.schedule();
  }

  chart(key) {
    let chart = this.charts.get(key);
    if (chart) return chart;
    this.empty.remove();
    const title = el('h3', {}, key);
    const latest = el('span', { class: 'latest' });
    const box = el('div', { class: 'chart', 'data-key': key }, el('div', { class: 'chart-head' }, title, latest));
    const keys = [...this.charts.keys(), key].sort();
    const before = keys.indexOf(key) + 1 < keys.length ? this.charts.get(keys[keys.indexOf(key) + 1]).box : null;
    this.grid.insertBefore(box, before);
    chart = { key, box, latest, t: [], value: [], lastSeq: 0, dirty: false };
    chart.plot = new uPlot(this.options(chart), [[], []], box);
    this.charts.set(key, chart);
    return chart;
  }

  options(chart) {
    const self = this;
    return {
      width: Math.max(200, chart.box.clientWidth || 320),
      height: 150,
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: false } },
      axes: [
        { stroke: '#8b95a5', grid: { stroke: '#2a3140' }, values: (u, ticks) => ticks.map((t) => `${number(t, 1)}s`) },
        { stroke: '#8b95a5', grid: { stroke: '#2a3140' }, size: 64, values: (u, ticks) => ticks.map(tick) },
      ],
      series: [{}, { label: chart.key, stroke: '#5fb3ff', width: 1.5, points: { show: false } }],
      hooks: {
        // The best score as a dashed line across a score's chart.
        draw: [(u) => {
          if (!isScore(chart.key) || self.best === null || !Number.isFinite(self.best)) return;
          const y = u.valToPos(self.best, 'y', true);
          const { ctx } = u;
          ctx.save();
          ctx.strokeStyle = '#f2c14e';
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
          ctx.restore();
        }],
      },
    };
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const chart of this.charts.values()) {
        if (!chart.dirty) continue;
        chart.dirty = false;
        chart.plot.setData([chart.t, chart.value]);
        chart.box.dataset.points = chart.t.length;
        const last = chart.value[chart.value.length - 1];
        chart.latest.textContent = chart.value.length ? number(last) : '';
      }
    });
  }

  resize() {
    for (const chart of this.charts.values())
      chart.plot.setSize({ width: Math.max(200, chart.box.clientWidth), height: 150 });
  }
}

// An axis label: short whatever the magnitude (a learning rate, a loss, a count).
function tick(value) {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-2 || magnitude >= 1e5)) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

// Halves the older half of a chart's points, keeping its newest half whole.
function thin(chart) {
  const half = Math.floor(chart.t.length / 2);
  const keep = (_, i) => i >= half || i % 2 === 0;
  chart.t = chart.t.filter(keep);
  chart.value = chart.value.filter(keep);
}
