// /search?q=...: every run's lines that match, a page at a time, each a link to its line in
// its run (GET /api/search).
import { getJson } from './api.js';
import { el, setText } from './dom.js';

const PAGE = 100;

// The text with each occurrence of a literal query marked (a regex's hits are not marked).
function marked(text, query, ignoreCase) {
  if (!query) return [text];
  const hay = ignoreCase ? text.toLowerCase() : text;
  const needle = ignoreCase ? query.toLowerCase() : query;
  const parts = [];
  let from = 0;
  for (let at = hay.indexOf(needle); at >= 0 && needle; at = hay.indexOf(needle, from)) {
    parts.push(text.slice(from, at), el('mark', {}, text.slice(at, at + needle.length)));
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return parts;
}

export class SearchView {
  constructor(root, connection) {
    const params = new URLSearchParams(location.search);
    this.box = el('input', { type: 'search', class: 'search-box', placeholder: 'Search every run', 'aria-label': 'search', value: params.get('q') ?? '' });
    this.regex = el('input', { type: 'checkbox', class: 'search-regex', checked: params.get('regex') === '1' });
    this.ignoreCase = el('input', { type: 'checkbox', class: 'search-icase', checked: params.get('i') === '1' });
    this.form = el('form', { class: 'card search-form' }, this.box,
      el('label', {}, this.regex, ' regex'), el('label', {}, this.ignoreCase, ' ignore case'),
      el('button', { type: 'submit' }, 'Search'));
    this.status = el('p', { class: 'search-status' });
    this.hits = el('ol', { class: 'search-hits' });
    this.more = el('button', { type: 'button', class: 'more', hidden: true }, 'More');
    this.element = el('div', { class: 'search-view' }, this.form, this.status, this.hits, this.more);
    root.replaceChildren(this.element);
    document.title = 'search · logstream';
    connection('idle');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      history.replaceState(null, '', `/search?${this.query(0, false)}`);
      this.search(0);
    });
    this.more.addEventListener('click', () => this.search(this.next));
    if (this.box.value) this.search(0);
  }

  destroy() {
    this.closed = true;
  }

  query(skip, api = true) {
    const q = new URLSearchParams({ q: this.box.value });
    if (this.regex.checked) q.set('regex', '1');
    if (this.ignoreCase.checked) q.set('i', '1');
    if (api) {
      q.set('skip', String(skip));
      q.set('limit', String(PAGE));
    }
    return q.toString();
  }

  async search(skip) {
    const token = (this.token = {});  // a newer search wins over one still answering
    if (skip === 0) this.hits.replaceChildren();
    this.more.hidden = true;
    setText(this.status, 'Searching…');
    let page;
    try {
      page = await getJson(`/api/search?${this.query(skip)}`);
    } catch (error) {
      if (!this.closed && token === this.token) setText(this.status, `The search failed: ${error.message}`);
      return;
    }
    if (this.closed || token !== this.token) return;
    const literal = !this.regex.checked ? this.box.value : '';
    for (const hit of page.hits) {
      const link = el('a', { href: `/runs/${encodeURIComponent(hit.run)}?seq=${hit.seq}`, 'data-link': true, class: 'hit-where' }, `${hit.name} ${hit.seq}`);
      this.hits.append(el('li', { class: `hit ${hit.type}`, 'data-run': hit.run, 'data-seq': hit.seq },
        link, ' ', el('span', { class: 'hit-text' }, hit.type === 'match' ? marked(hit.text, literal, this.ignoreCase.checked) : hit.text)));
    }
    this.next = skip + page.limit;
    this.more.hidden = !page.more;
    const shown = this.hits.querySelectorAll('.hit.match').length;
    setText(this.status, shown === 0 ? 'No line matches.' : `${shown}${page.more ? '+' : ''} matching line${shown === 1 ? '' : 's'}`);
  }
}
