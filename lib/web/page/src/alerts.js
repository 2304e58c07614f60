// A run's alerts: the list on its page (from the run's record, then live) and a toast for each
// one that fires while the page is open.
import { el, setText } from './dom.js';
import { localTime } from './format.js';

const TOAST_MS = 8000;

// One alert is one key: a reconnect replays the run's events, and nothing shows twice.
function keyOf(alert) {
  return `${alert.rule}\u0000${alert.ts}\u0000${alert.seq}`;
}

function toastBox() {
  let box = document.querySelector('.toasts');
  if (!box) {
    box = el('div', { class: 'toasts', 'aria-live': 'assertive' });
    document.body.append(box);
  }
  return box;
}

export class AlertList {
  /// `jump(seq)` shows the line an alert came from.
  constructor(jump) {
    this.jump = jump;
    this.seen = new Set();
    this.count = el('span', { class: 'count' });
    this.list = el('ol', { class: 'alert-list' });
    this.element = el('section', { class: 'card alerts', hidden: true },
      el('h2', {}, 'Alerts ', this.count), this.list);
    this.toasts = [];
  }

  destroy() {
    for (const toast of this.toasts) toast.remove();
    this.toasts = [];
  }

  /// The alerts among a run's stored events (GET /api/runs/{id}'s `events`).
  load(events) {
    for (const event of events || []) if (event.type === 'alert') this.add(event, false);
  }

  /// One alert; `live` when it just fired (a toast says so).
  add(alert, live) {
    const key = keyOf(alert);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const where = alert.seq != null
      ? el('button', { type: 'button', class: 'alert-line' }, `line ${alert.seq}`)
      : null;
    where?.addEventListener('click', () => this.jump(alert.seq));
    const suppressed = alert.suppressed > 0 ? el('span', { class: 'muted' }, ` (${alert.suppressed} more suppressed)`) : null;
    this.list.append(el('li', { class: `alert alert-${alert.kind}` },
      el('span', { class: 'alert-time' }, localTime(alert.ts)), ' ',
      el('code', { class: 'alert-rule' }, alert.rule), ' ',
      el('span', { class: 'alert-message' }, alert.message), suppressed, ' ', where));
    setText(this.count, String(this.seen.size));
    this.element.hidden = false;
    if (live) this.toast(alert);
  }

  toast(alert) {
    const toast = el('div', { class: 'toast', role: 'alert' },
      el('strong', {}, alert.rule), ' ', alert.message);
    const dismiss = () => {
      toast.remove();
      this.toasts = this.toasts.filter((t) => t !== toast);
    };
    toast.addEventListener('click', dismiss);
    setTimeout(dismiss, TOAST_MS);
    this.toasts.push(toast);
    toastBox().append(toast);
  }
}
