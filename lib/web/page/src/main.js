// The page's entry: one document for every address of the page (/ and /runs/{id}), each view
// built from the API. Links marked data-link change the view without reloading.
import { RunList } from './run_list.js';
import { RunView } from './run_view.js';

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
  view = match ? new RunView(app, decodeURIComponent(match[1]), connection) : new RunList(app, connection);
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-link]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  if (link.pathname !== location.pathname) history.pushState(null, '', link.pathname);
  route();
});
window.addEventListener('popstate', route);
// The view shown, for the console and the browser tests.
globalThis.logstream = { get view() { return view; } };
route();
