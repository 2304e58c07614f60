// The run's log, virtualised: the page holds a bounded number of rows (those on screen) and a
// bounded cache of lines (blocks of BLOCK lines, the least recently seen dropped first), so a
// run of any length costs the same. Rows count the log's committed lines (transient progress
// states leave holes in the seqs), each showing its seq; lines not in the cache are fetched by
// position from the server.
// Follow mode keeps the newest line in view; scrolling up pauses it, and a pill counts the lines
// that arrived since (End or the pill jumps back).
import { getJson, runUrl } from './api.js';
import { el, setText } from './dom.js';
import { render as renderAnsi, plain } from './ansi.js';
import { count } from './format.js';

// A level and those above it: the level filter's order (the command's --level).
const LEVEL_RANK = { debug: 1, info: 2, warning: 3, error: 4 };

const BLOCK = 500;
const MAX_BLOCKS = 100;            // at most 50,000 lines in memory
const MAX_SCROLL_PX = 4_000_000;   // below every browser's bound on an element's height
const MAX_FILTER_MATCHES = 50_000;

export class LogView {
  constructor(runId) {
    this.runId = runId;
    this.total = 0;                // the committed lines known: rows 1..total
    this.blocks = new Map();       // block index -> {lines, seen}
    this.fetching = new Set();
    this.tick = 0;
    this.top = 1;                  // the first row shown (1-based)
    this.follow = true;
    this.unseen = 0;
    this.matches = null;           // the lines held that match the filter, while one is set
    this.query = '';
    this.highlighted = null;
    this.rows = [];

    this.filterBox = el('input', { type: 'search', class: 'filter', placeholder: 'Filter lines held (text)', 'aria-label': 'filter' });
    this.levelBox = el('select', { class: 'level-filter', 'aria-label': 'level' },
      el('option', { value: '' }, 'any level'),
      ...Object.keys(LEVEL_RANK).reverse().map((level) => el('option', { value: level }, `${level} and above`)));
    this.jumpBox = el('input', { type: 'text', class: 'jump', placeholder: 'Go to line', inputmode: 'numeric', 'aria-label': 'go to line' });
    this.followButton = el('button', { type: 'button', class: 'follow', title: 'Follow the newest lines (End)' }, 'Follow');
    this.pill = el('button', { type: 'button', class: 'pill', hidden: true });
    this.status = el('span', { class: 'log-status' });
    this.spacer = el('div', { class: 'log-spacer' });
    this.rowBox = el('div', { class: 'log-rows' });
    this.viewport = el('div', { class: 'log', tabindex: 0, role: 'log', 'aria-live': 'off' }, this.spacer, this.rowBox);
    this.element = el('section', { class: 'log-view card' },
      el('div', { class: 'log-tools' }, this.filterBox, this.levelBox, this.jumpBox, this.followButton, this.status),
      el('div', { class: 'log-frame' }, this.viewport, this.pill));

    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.followButton.addEventListener('click', () => this.resume());
    this.pill.addEventListener('click', () => this.resume());
    this.filterBox.addEventListener('input', () => this.setFilter(this.filterBox.value));
    this.levelBox.addEventListener('change', () => this.setFilter(this.filterBox.value));
    this.jumpBox.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const seq = Number.parseInt(this.jumpBox.value, 10);
      if (Number.isFinite(seq)) this.jumpTo(seq);
    });
    this.resizeObserver = new ResizeObserver(() => this.schedule());
    this.resizeObserver.observe(this.viewport);
  }

  destroy() {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  get rowHeight() {
    if (!this.measured) {
      const probe = el('div', { class: 'log-row' }, el('span', { class: 'seq' }, '1'), el('span', { class: 'text' }, 'x'));
      this.rowBox.append(probe);
      const h = probe.getBoundingClientRect().height;
      probe.remove();
      if (h > 0) this.measured = h;
    }
    return this.measured || 18;
  }

  /// The committed lines the server holds (rows up to it can be fetched).
  setTotal(total) {
    if (total > this.total) {
      this.total = total;
      this.schedule();
    }
  }

  /// The newest lines to start with; resolves to the seq of the last one (0 when none).
  async loadTail(count) {
    const page = await getJson(runUrl(this.runId, `/lines?before=${Number.MAX_SAFE_INTEGER}&limit=${count}`));
    this.storePage(page);
    this.setTotal(page.first_index + page.lines.length);
    return page.last_seq ?? 0;
  }

  // The rows of a page; the row count stays the live count (lines beyond it arrive as events).
  storePage(page) {
    page.lines.forEach((line, i) => this.store(page.first_index + 1 + i, line));
  }

  /// Live lines, in seq order, the ones after the last row.
  append(lines) {
    for (const line of lines) this.store(++this.total, line);
    if (!this.follow) this.unseen += lines.length;
    if (this.matches) {
      for (const line of lines) if (this.matchesQuery(line)) this.matches.push(line);
      if (this.matches.length > MAX_FILTER_MATCHES) this.matches.splice(0, this.matches.length - MAX_FILTER_MATCHES);
    }
    this.schedule();
  }

  store(row, line) {
    const index = Math.floor((row - 1) / BLOCK);
    let block = this.blocks.get(index);
    if (!block) {
      block = { lines: new Array(BLOCK), seen: 0 };
      this.blocks.set(index, block);
      this.evict(index);
    }
    block.lines[(row - 1) % BLOCK] = line;
    block.seen = ++this.tick;
  }

  // Drops the least recently seen blocks beyond the bound, never the newest nor those on screen.
  evict(keep) {
    if (this.blocks.size <= MAX_BLOCKS) return;
    const newest = Math.floor((this.total - 1) / BLOCK);
    const firstShown = Math.floor((this.top - 1) / BLOCK);
    const candidates = [...this.blocks.entries()]
      .filter(([i]) => i !== keep && i !== newest && i !== firstShown && i !== firstShown + 1)
      .sort((a, b) => a[1].seen - b[1].seen);
    for (const [i] of candidates.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(i);
  }

  /// The lines held, as [row, seq] in row order (for the tests and the console).
  held() {
    const out = [];
    for (const [index, block] of [...this.blocks.entries()].sort((a, b) => a[0] - b[0]))
      block.lines.forEach((line, i) => line && out.push([index * BLOCK + i + 1, line.seq]));
    return out;
  }

  lineAt(row) {
    const block = this.blocks.get(Math.floor((row - 1) / BLOCK));
    if (!block) return undefined;
    block.seen = ++this.tick;
    return block.lines[(row - 1) % BLOCK];
  }

  async fetchBlock(index) {
    if (this.fetching.has(index)) return;
    this.fetching.add(index);
    try {
      this.storePage(await getJson(runUrl(this.runId, `/lines?index=${index * BLOCK}&limit=${BLOCK}`)));
    } catch {
      // Shown as not loaded; the next frame that needs the block asks again.
    } finally {
      setTimeout(() => this.fetching.delete(index), 250);
      this.schedule();
    }
  }

  rowCount() {
    return this.matches ? this.matches.length : this.total;
  }

  rowLine(row) {
    return this.matches ? this.matches[row - 1] : this.lineAt(row);
  }

  visibleRows() {
    return Math.max(1, Math.floor(this.viewport.clientHeight / this.rowHeight));
  }

  scaled() {
    return this.rowCount() * this.rowHeight > MAX_SCROLL_PX;
  }

  lastTop() {
    return Math.max(1, this.rowCount() - this.visibleRows() + 1);
  }

  // The first row for a scroll offset, and the offset for a first row: proportional when the
  // run is too long for a scroll height of a row's height per line.
  topFromScroll() {
    if (!this.scaled()) return 1 + Math.floor(this.viewport.scrollTop / this.rowHeight);
    const range = Math.max(1, this.maxScroll());
    return 1 + Math.round((this.viewport.scrollTop / range) * (this.lastTop() - 1));
  }

  scrollFromTop(top) {
    if (!this.scaled()) return (top - 1) * this.rowHeight;
    const range = Math.max(1, this.spacerHeight() - this.viewport.clientHeight);
    return ((top - 1) / Math.max(1, this.lastTop() - 1)) * range;
  }

  spacerHeight() {
    return Math.min(this.rowCount() * this.rowHeight, MAX_SCROLL_PX);
  }

  maxScroll() {
    return Math.max(0, this.spacerHeight() - this.viewport.clientHeight);
  }

  // Scrolls the log itself; the scroll event that follows is not the reader's.
  setScroll(offset) {
    this.viewport.scrollTop = offset;
    this.ownScroll = this.viewport.scrollTop;  // as the browser clamped it
  }

  onScroll() {
    if (this.ownScroll !== undefined && Math.abs(this.viewport.scrollTop - this.ownScroll) < 1) return;
    this.ownScroll = undefined;
    this.top = Math.max(1, Math.min(this.lastTop(), this.topFromScroll()));
    const atEnd = this.viewport.scrollTop >= this.maxScroll() - 1;
    if (this.follow && !atEnd) this.pause();
    else if (!this.follow && atEnd && !this.matches) this.resume();
    this.schedule();
  }

  // A scaled log moves by rows under the wheel, as an unscaled one does.
  onWheel(event) {
    if (!this.scaled() || event.deltaY === 0) return;
    event.preventDefault();
    const rows = Math.sign(event.deltaY) * Math.max(1, Math.round(Math.abs(event.deltaY) / this.rowHeight));
    this.moveTo(this.top + rows);
  }

  onKey(event) {
    const page = this.visibleRows() - 1;
    const moves = { End: Infinity, Home: -Infinity, PageDown: page, PageUp: -page, ArrowDown: 1, ArrowUp: -1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    if (event.key === 'End') this.resume();
    else this.moveTo(event.key === 'Home' ? 1 : this.top + moves[event.key]);
  }

  moveTo(top) {
    this.top = Math.max(1, Math.min(this.lastTop(), top));
    if (this.top < this.lastTop()) this.pause();
    else if (!this.matches) this.resume();
    this.schedule();
  }

  pause() {
    if (!this.follow) return;
    this.follow = false;
    this.unseen = 0;
    this.schedule();
  }

  resume() {
    this.follow = true;
    this.unseen = 0;
    this.highlighted = null;
    this.viewport.focus({ preventScroll: true });
    this.schedule();
  }

  /// Shows the line of that seq (or the first after it) in the middle, highlighted.
  async jumpTo(seq) {
    if (this.matches) {
      this.levelBox.value = '';
      this.setFilter((this.filterBox.value = ''));
    }
    let page;
    try {
      page = await getJson(runUrl(this.runId, `/lines?from=${Math.max(1, seq)}&limit=${BLOCK}`));
    } catch {
      return;
    }
    this.storePage(page);
    if (page.lines.length === 0) return;
    const row = page.first_index + 1;
    this.highlighted = page.lines[0].seq;
    this.follow = false;
    this.unseen = 0;
    this.top = Math.max(1, Math.min(this.lastTop(), row - Math.floor(this.visibleRows() / 2)));
    this.schedule();
  }

  matchesQuery(line) {
    if (this.minLevel && (LEVEL_RANK[line.level] ?? 0) < this.minLevel) return false;
    return !this.query || plain(line.text).toLowerCase().includes(this.query);
  }

  // The filter covers the lines the page holds (the recent ones and those seen); the whole
  // history is the server's search.
  setFilter(text) {
    this.query = text.trim().toLowerCase();
    this.minLevel = LEVEL_RANK[this.levelBox.value] ?? 0;
    if (!this.query && !this.minLevel) {
      this.matches = null;
      this.top = this.lastTop();
    } else {
      const held = [];
      for (const [i, block] of [...this.blocks.entries()].sort((a, b) => a[0] - b[0]))
        for (let j = 0; j < BLOCK; j++) {
          const line = block.lines[j];
          if (line && this.matchesQuery(line)) held.push(line);
        }
      this.matches = held.slice(-MAX_FILTER_MATCHES);
      this.top = 1;
      this.follow = true;
    }
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const rows = this.visibleRows() + 1;
    const h = this.rowHeight;
    this.spacer.style.height = `${this.spacerHeight()}px`;
    if (this.follow) {
      if (Math.abs(this.viewport.scrollTop - this.maxScroll()) >= 1) this.setScroll(this.maxScroll());
      this.top = this.scaled() ? this.lastTop() : Math.max(1, Math.min(this.lastTop(), this.topFromScroll()));
    } else {
      this.top = Math.max(1, Math.min(this.lastTop(), this.top));
      const wanted = Math.min(this.maxScroll(), this.scrollFromTop(this.top));
      if (Math.abs(this.viewport.scrollTop - wanted) >= (this.scaled() ? 2 : h)) this.setScroll(wanted);
    }
    const offset = this.scaled() ? this.viewport.scrollTop : (this.top - 1) * h;
    this.rowBox.style.transform = `translateY(${offset}px)`;

    while (this.rows.length < rows) {
      const row = { seq: el('span', { class: 'seq' }), text: el('span', { class: 'text' }), shown: null };
      row.node = el('div', { class: 'log-row' }, row.seq, row.text);
      this.rows.push(row);
      this.rowBox.append(row.node);
    }
    while (this.rows.length > rows) this.rows.pop().node.remove();

    const missing = new Set();
    for (let i = 0; i < rows; i++) {
      const row = this.rows[i], index = this.top + i;
      if (index > this.rowCount()) {
        row.node.hidden = true;
        row.shown = null;
        continue;
      }
      row.node.hidden = false;
      const line = this.rowLine(index);
      if (!line) {
        if (!this.matches) missing.add(Math.floor((index - 1) / BLOCK));
        if (row.shown !== -index) {
          setText(row.seq, '');
          setText(row.text, '…');
          row.node.className = 'log-row loading';
          row.shown = -index;
        }
        continue;
      }
      if (row.shown !== line) {
        setText(row.seq, line.seq);
        renderAnsi(row.text, line.text);
        row.shown = line;
      }
      row.node.className = `log-row ${line.source === 'stderr' ? 'stderr' : 'stdout'}${line.seq === this.highlighted ? ' highlighted' : ''}`;
    }
    for (const index of missing) this.fetchBlock(index);

    this.pill.hidden = this.follow || this.unseen === 0;
    setText(this.pill, `${count(this.unseen)} new line${this.unseen === 1 ? '' : 's'} ↓`);
    this.followButton.classList.toggle('on', this.follow);
    setText(this.status, this.matches ? `${count(this.matches.length)} matching of the lines held` : `${count(this.total)} lines in the log`);
  }
}
