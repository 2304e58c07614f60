// The server's API: JSON requests, and a run's Server-Sent Events read over fetch (not
// EventSource), so that the page sees the heartbeats (a stream gone quiet is found stale) and
// resumes from the seq it holds itself: after a reconnect no line is missing and none is twice.
import { Holdings } from './dom.js';

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function getJson(url, { signal } = {}) {
  const response = await fetch(url, { signal, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new HttpError(response.status, body.error || response.statusText);
  }
  return response.json();
}

export async function postJson(url) {
  const response = await fetch(url, { method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new HttpError(response.status, body.error || response.statusText);
  return body;
}

/// What the server allows ({version, control}), asked once.
let about;
export function server() {
  about ??= getJson('/api/server').catch(() => ({ control: false }));
  return about;
}

export const runUrl = (id, rest = '') => `/api/runs/${encodeURIComponent(id)}${rest}`;

const HEARTBEAT_MS = 15_000;
const STALE_AFTER_MS = 2 * HEARTBEAT_MS + 5_000;
const MAX_BACKOFF_MS = 30_000;
// Beyond this many lines in a second the page stops reading for the rest of it: the server then
// waits for this client (at no cost to the run), and a run too fast to read whole is followed
// by skipping to its newest lines (RunView), the others fetched when scrolled to.
const MAX_LINES_PER_SECOND = 20_000;

/// Follows one run's events from `fromSeq`. `handlers`: line(lines), progress(p), metric(m),
/// exit(e), event(name, data) for the others, and state(s) with s one of 'connecting', 'live',
/// 'reconnecting', 'stale', 'ended', 'gone'.
export class RunEvents {
  constructor(runId, fromSeq, handlers) {
    this.runId = runId;
    this.next = Math.max(1, fromSeq);
    this.handlers = handlers;
    this.attempts = 0;
    this.closed = false;
    this.heard = 0;
    this.held = new Holdings();
    const wake = () => this.wake();
    this.held.listen(document, 'visibilitychange', wake);
    this.held.listen(window, 'online', wake);
    this.held.every(5_000, () => this.checkStale());
    this.connect();
  }

  close() {
    this.closed = true;
    this.held.release();
    clearTimeout(this.retry);
    this.abort?.abort();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.handlers.state?.(state);
  }

  // Back from sleep, a hidden tab or a lost network: try now rather than at the next backoff.
  wake() {
    if (this.closed || document.visibilityState === 'hidden') return;
    if (this.state === 'reconnecting' || this.state === 'stale') {
      clearTimeout(this.retry);
      this.attempts = 0;
      this.connect();
    }
  }

  checkStale() {
    if (this.state === 'live' && Date.now() - this.heard > STALE_AFTER_MS) {
      this.setState('stale');
      this.abort?.abort();
    }
  }

  async connect() {
    if (this.closed) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.setState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    let ended = false;
    try {
      const response = await fetch(runUrl(this.runId, `/events?from=${this.next}`), {
        signal: abort.signal,
        headers: { Accept: 'text/event-stream' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (response.status === 404) {
        this.setState('gone');
        return;
      }
      if (!response.ok) throw new HttpError(response.status, response.statusText);
      ended = await this.read(response.body, abort.signal);
    } catch (error) {
      if (this.closed) return;
    }
    if (this.closed || abort !== this.abort) return;
    if (ended) {
      this.setState('ended');
      this.close();
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts++;
    if (this.state !== 'stale') this.setState('reconnecting');
    this.retry = setTimeout(() => this.connect(), delay);
  }

  // Reads events until the stream ends; true when it ended with the run's exit.
  async read(body, signal) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let exited = false;
    this.heard = Date.now();
    this.setState('live');
    this.attempts = 0;
    this.window = { start: Date.now(), lines: 0 };
    while (!signal.aborted) {
      if (this.window.lines > MAX_LINES_PER_SECOND) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.window.start + 1000 - Date.now())));
        this.window = { start: Date.now(), lines: 0 };
        this.heard = Date.now();
      }
      const { value, done } = await reader.read();
      if (done) break;
      this.heard = Date.now();
      if (this.state !== 'live') this.setState('live');
      buffer += value;
      let end;
      while (!signal.aborted && (end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (this.dispatch(block)) exited = true;
      }
    }
    return exited;
  }

  // One event's block of fields; true for the exit. Nothing is handed on once closed.
  dispatch(block) {
    if (this.closed) return false;
    let name = 'message', id = null;
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;  // a heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return false;
    const payload = JSON.parse(data.join('\n'));
    if (name === 'line') {
      // Only lines after those held: a resend after a reconnect shows nothing twice.
      const fresh = payload.filter((line) => line.seq >= this.next);
      if (fresh.length) {
        if (Date.now() - this.window.start >= 1000) this.window = { start: Date.now(), lines: 0 };
        this.window.lines += fresh.length;
        this.next = fresh[fresh.length - 1].seq + 1;
        this.handlers.line?.(fresh);
      }
    } else if (name === 'progress') this.handlers.progress?.(payload);
    else if (name === 'metric') this.handlers.metric?.(payload);
    else if (name === 'exit') this.handlers.exit?.(payload);
    else this.handlers.event?.(name, payload);
    if (id !== null && /^\d+$/.test(id)) this.next = Math.max(this.next, Number(id) + 1);
    return name === 'exit';
  }
}
