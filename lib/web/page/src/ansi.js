// A line's SGR colours and styles as spans of text; every other escape (cursor moves, OSC
// titles and links, device queries) and control character is dropped. The text only ever
// reaches the page as text nodes.
import { el } from './dom.js';

// CSI sequences (SGR ones captured), OSC strings up to BEL or ST, other two-byte escapes, and
// the C0 controls but tab.
const ESCAPES = /\x1b\[([0-9;:]*)m|\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|[\x00-\x08\x0a-\x1f\x7f]/g;

const PLAIN = Object.freeze({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false });

function xterm256(n) {
  if (n < 16) return n;  // a class of the palette
  if (n < 232) {
    const i = n - 16, steps = [0, 95, 135, 175, 215, 255];
    return `rgb(${steps[Math.floor(i / 36)]},${steps[Math.floor(i / 6) % 6]},${steps[i % 6]})`;
  }
  const grey = 8 + (n - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

// The style after the SGR parameters `params` ("1;31", "38;5;208", "38;2;r;g;b").
function applySgr(style, params) {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  const s = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) Object.assign(s, PLAIN);
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 22) s.bold = s.dim = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c === 27) s.inverse = false;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c === 39) s.fg = null;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 49) s.bg = null;
    else if (c === 38 || c === 48) {
      let colour = null;
      if (codes[i + 1] === 5 && i + 2 < codes.length) {
        colour = xterm256(codes[i + 2] & 255);
        i += 2;
      } else if (codes[i + 1] === 2 && i + 4 < codes.length) {
        colour = `rgb(${codes[i + 2] & 255},${codes[i + 3] & 255},${codes[i + 4] & 255})`;
        i += 4;
      } else break;  // malformed: the rest of the sequence means nothing
      if (c === 38) s.fg = colour;
      else s.bg = colour;
    }
  }
  return s;
}

/// The segments of `text`: [{text, style}], escapes removed.
export function segments(text) {
  const out = [];
  let style = PLAIN, last = 0;
  ESCAPES.lastIndex = 0;
  for (let m; (m = ESCAPES.exec(text)) !== null;) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), style });
    if (m[1] !== undefined) style = applySgr(style, m[1]);
    last = ESCAPES.lastIndex;
    if (m[0].length === 0) ESCAPES.lastIndex++;
  }
  if (last < text.length) out.push({ text: text.slice(last), style });
  return out;
}

/// The text without any escape.
export function plain(text) {
  return text.replace(ESCAPES, '');
}

function span(segment) {
  const s = segment.style;
  if (s === PLAIN) return document.createTextNode(segment.text);
  let fg = s.fg, bg = s.bg;
  if (s.inverse) [fg, bg] = [bg ?? 'inverse-fg', fg ?? 'inverse-bg'];
  const classes = [];
  const node = el('span');
  for (const [value, prefix] of [[fg, 'fg'], [bg, 'bg']]) {
    if (typeof value === 'number') classes.push(`${prefix}${value}`);
    else if (value === 'inverse-fg' || value === 'inverse-bg') classes.push(value);
    else if (value) node.style[prefix === 'fg' ? 'color' : 'backgroundColor'] = value;
  }
  if (s.bold) classes.push('sgr-bold');
  if (s.dim) classes.push('sgr-dim');
  if (s.italic) classes.push('sgr-italic');
  if (s.underline) classes.push('sgr-underline');
  node.className = classes.join(' ');
  node.textContent = segment.text;
  return node;
}

/// Fills `node` with the styled text of `text`.
export function render(node, text) {
  node.replaceChildren(...segments(text).map(span));
}
