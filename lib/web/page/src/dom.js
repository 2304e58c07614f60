// Building the page's elements, and what a view holds while it lives. Text goes in as text
// nodes, never as markup: nothing a run prints can become an element, an attribute or a script.

/// el('div', {class: 'x', title: 't'}, 'text', child...): an element with attributes and children.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) append(node, child);
  return node;
}

export function append(node, child) {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) child.forEach((c) => append(node, c));
  else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
}

/// What an object holds while it lives (intervals, listeners on the document or the window),
/// each taken together with its undoing: release() gives all of it back, none forgotten.
export class Holdings {
  constructor() {
    this.undo = [];
  }

  every(ms, callback) {
    const timer = setInterval(callback, ms);
    this.undo.push(() => clearInterval(timer));
  }

  listen(target, type, listener) {
    target.addEventListener(type, listener);
    this.undo.push(() => target.removeEventListener(type, listener));
  }

  release() {
    for (const undo of this.undo.splice(0)) undo();
  }
}

/// Sets a node's text only when it changed (no layout work for an unchanged value).
export function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}
