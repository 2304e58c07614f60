// The page's entry: one document for every address of the page (/, /runs/{id}, /search), each view
// built from the API. Links marked data-link change the view without reloading.
import { RunList } from './run_list.js';
import { RunView } from './run_view.js';
import { SearchView } from './search_view.js';

const app = document.getElementById('app');
const indicator = document.getElementById('connection');
const LABELS = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting…', stale: 'stale', ended: 'ended', gone: 'not found', idle: '' };
let view = null;

function connection(state) {
  indicator.dataset.state = state;
  indicator.textContent = LABELS[state] ?? state;
}

function route() {
  view?.destroy();
  const match = location.pathname.match(/^\/runs\/([^/]+)$/);
  if (match) view = new RunView(app, decodeURIComponent(match[1]), connection);
  else if (location.pathname === '/search') view = new SearchView(app, connection);
  else view = new RunList(app, connection);
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-link]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  const target = link.pathname + link.search;
  if (target !== location.pathname + location.search) history.pushState(null, '', target);
  route();
});
// The header's search box opens the search view without reloading the page.
document.addEventListener('submit', (event) => {
  const form = event.target.closest('form[data-search]');
  if (!form) return;
  event.preventDefault();
  history.pushState(null, '', `/search?${new URLSearchParams({ q: form.elements.q.value })}`);
  route();
});
window.addEventListener('popstate', route);
// The view shown, for the console and the browser tests.
globalThis.logstream = { get view() { return view; } };
route();
