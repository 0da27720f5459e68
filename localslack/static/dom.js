// Small DOM helpers: building elements safely, a node cache so unchanged parts are kept.

export const $ = (id) => document.getElementById(id);

const ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// h("button", {class: "btn", "data-action-id": id, onclick: fn}, "text", child, [more])
// Text children become text nodes; `html` takes markup this page built itself (mrkdwn()).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "html") el.innerHTML = value;
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (name === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// A link target the page may follow: web and mail links, or a path on this server.
export function safeUrl(url) {
  const text = String(url || "").trim();
  if (/^(https?:|mailto:)/i.test(text)) return text;
  if (text.startsWith("/") && !text.startsWith("//")) return text;
  return "";
}

// Nodes kept between renders, by key, while what they show (their signature) is unchanged:
// an edited message rebuilds only its changed blocks, so its images never reload.
const kept = new Map();
let generation = 0;

export function beginRender() {
  generation += 1;
}

export function memo(key, signature, build) {
  const hit = kept.get(key);
  if (hit && hit.signature === signature) {
    hit.generation = generation;
    return hit.node;
  }
  const node = build();
  kept.set(key, {signature, node, generation});
  return node;
}

export function sweep() {
  for (const [key, entry] of kept) if (entry.generation !== generation) kept.delete(key);
}

// Make `container`'s children exactly `nodes`, in order, moving only what moved.
export function placeChildren(container, nodes) {
  nodes.forEach((node, index) => {
    const current = container.children[index];
    if (current !== node) container.insertBefore(node, current || null);
  });
  while (container.children.length > nodes.length) container.lastElementChild.remove();
}

// ts strings compared exactly ("1716.000123"): seconds, then microseconds.
export function compareTs(a, b) {
  const [as, am = "0"] = String(a).split(".");
  const [bs, bm = "0"] = String(b).split(".");
  return Number(as) - Number(bs) || Number(am.padEnd(6, "0")) - Number(bm.padEnd(6, "0"));
}

export function tsDate(ts) {
  return new Date(parseFloat(ts) * 1000);
}

export function clock(ts) {
  return tsDate(ts).toLocaleTimeString([], {hour: "numeric", minute: "2-digit"});
}

export function longDate(ts) {
  return tsDate(ts).toLocaleString([], {dateStyle: "full", timeStyle: "short"});
}
