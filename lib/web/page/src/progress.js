// Bars and the score of a run's progress object (as in `run --json`'s progress event).
import { el, setText } from './dom.js';
import { duration, number } from './format.js';

/// A labelled bar: update(current, total, text).
export function bar(label) {
  const fill = el('div', { class: 'bar-fill' });
  const value = el('span', { class: 'bar-value' });
  const node = el('div', { class: 'bar', 'data-bar': label.toLowerCase() },
    el('span', { class: 'bar-label' }, label), el('div', { class: 'bar-track' }, fill), value);
  return {
    node,
    update(current, total, text) {
      const fraction = total > 0 && Number.isFinite(current) ? Math.max(0, Math.min(1, current / total)) : 0;
      fill.style.width = `${(fraction * 100).toFixed(2)}%`;
      node.dataset.fraction = fraction.toFixed(4);
      setText(value, text);
    },
  };
}

export class ProgressPanel {
  constructor() {
    this.model = el('span', { class: 'model' });
    this.position = bar('Position');
    this.trial = bar('Trial');
    this.tqdm = bar('Progress');
    this.score = el('span', { class: 'score' });
    this.best = el('span', { class: 'best-score' });
    this.bestMark = el('span', { class: 'best-mark', hidden: true }, '[BEST]');
    this.element = el('section', { class: 'card progress' },
      el('div', { class: 'progress-head' }, el('span', { class: 'label' }, 'Model'), this.model),
      this.position.node, this.trial.node, this.tqdm.node,
      el('div', { class: 'scores' },
        el('span', { class: 'label' }, 'Score'), this.score, this.bestMark,
        el('span', { class: 'label' }, 'Best'), this.best));
    this.update({});
  }

  update(p) {
    setText(this.model, p.model ?? '–');
    this.position.node.hidden = p.position == null;
    if (p.position != null) this.position.update(p.position, p.total_positions, `${p.position}/${p.total_positions ?? '?'}`);
    this.trial.node.hidden = p.trial == null;
    if (p.trial != null) this.trial.update(p.trial, p.total_trials, `${p.trial}/${p.total_trials ?? '?'}`);
    const b = p.bar;
    this.tqdm.node.hidden = !b;
    if (b) {
      const parts = [`${number(b.current, 2)}${b.total != null ? `/${number(b.total, 2)}` : ''}`];
      if (b.rate != null) parts.push(`${number(b.rate, 2)} ${b.rate_unit || 'it/s'}`);
      if (b.remaining_s != null) parts.push(`ETA ${duration(b.remaining_s)}`);
      setText(this.tqdm.node.querySelector('.bar-label'), b.description || 'Progress');
      this.tqdm.update(b.total ? b.current : b.fraction, b.total || 1, parts.join(' · '));
    }
    setText(this.score, number(p.score));
    setText(this.best, number(p.best_score));
    this.bestMark.hidden = !p.is_best;
  }
}


