// Block Kit as Slack's client shows it, for messages, modals and App Home.
// A surface says where a press goes: {kind: "message", channel, ts} posts /ui/action,
// {kind: "view", viewId} posts /ui/view-action.

import {postJson, toast} from "./api.js";
import {h, memo, safeUrl} from "./dom.js";
import {emojiText} from "./emoji.js";
import {renderInputBlock} from "./inputs.js";
import {plainText, richText, textObject, textOf} from "./mrkdwn.js";
import {S} from "./store.js";

// ---- files ----------------------------------------------------------------

// Files of this workspace are shown through /ui/files/<F id>, which needs no token.
export function fileSrc(url, slackFile) {
  if (slackFile && slackFile.id) return `/ui/files/${encodeURIComponent(slackFile.id)}`;
  const privateUrl = (slackFile && slackFile.url) || url || "";
  const found = String(privateUrl).match(/\/files-pri\/[A-Z0-9]+-(F[A-Z0-9]+)\//);
  if (found) return `/ui/files/${found[1]}`;
  return safeUrl(privateUrl);
}

// ---- blocks ---------------------------------------------------------------

// The nodes of a list of blocks; with `keyPrefix`, unchanged blocks keep their nodes.
export function renderBlocks(blocks, surface, keyPrefix = null) {
  return (blocks || []).map((block, index) => {
    if (!keyPrefix) return renderBlock(block, surface, index);
    const key = `${keyPrefix}:${index}:${block.block_id || ""}`;
    return memo(key, JSON.stringify(block) + S.contextSig, () => renderBlock(block, surface, index));
  });
}

export function renderBlock(block, surface, index = 0) {
  const render = BLOCKS[block.type] || unsupportedBlock;
  const node = render(block, surface, index);
  if (block.block_id) node.dataset.blockId = block.block_id;
  return node;
}

const BLOCKS = {
  section: sectionBlock,
  header: (b) => h("div", {class: "block header", html: plainText(textOf(b.text))}),
  divider: () => h("hr", {class: "block divider"}),
  image: imageBlock,
  context: contextBlock,
  actions: actionsBlock,
  rich_text: (b) => h("div", {class: "block rich-text", html: richText(b)}),
  input: (b, surface, index) => renderInputBlock(b, surface, index),
  video: videoBlock,
  file: (b) => h("div", {class: "block file-block"}, "📄 A file shared from elsewhere"),
  markdown: (b) => h("div", {class: "block section-text", html: plainText(b.text || "")}),
};

function sectionBlock(b, surface) {
  const body = h("div", {class: "section-body"},
    b.text && h("div", {class: "section-text", html: textObject(b.text)}),
    b.fields && h("div", {class: "fields"},
      b.fields.map((f) => h("div", {class: "field", html: textObject(f)}))));
  const accessory = b.accessory && h("div", {class: "accessory"}, accessoryElement(b.accessory, surface, b.block_id));
  return h("div", {class: "block section"}, body, accessory);
}

function accessoryElement(el, surface, blockId) {
  if (el.type === "image") {
    return h("img", {class: "image accessory-image", src: fileSrc(el.image_url, el.slack_file), alt: el.alt_text || "", loading: "lazy"});
  }
  return element(el, surface, blockId);
}

function imageBlock(b) {
  const img = h("img", {class: "image", src: fileSrc(b.image_url, b.slack_file), alt: b.alt_text || "", loading: "lazy"});
  const wrap = h("div", {class: "block image-block"});
  if (b.title) {
    const title = h("button", {type: "button", class: "image-title", "aria-expanded": "true"},
      h("span", {html: plainText(textOf(b.title))}), h("span", {class: "caret", "aria-hidden": "true"}, "▾"));
    title.addEventListener("click", () => {
      const collapsed = wrap.classList.toggle("collapsed");
      title.setAttribute("aria-expanded", String(!collapsed));
    });
    wrap.append(title);
  }
  wrap.append(img);
  return wrap;
}

function contextBlock(b) {
  return h("div", {class: "block context"}, (b.elements || []).map((e) => e.type === "image"
    ? h("img", {class: "context-image", src: fileSrc(e.image_url, e.slack_file), alt: e.alt_text || ""})
    : h("span", {class: "context-text", html: textObject(e)})));
}

function actionsBlock(b, surface) {
  return h("div", {class: "block actions"}, (b.elements || []).map((el) => element(el, surface, b.block_id)));
}

function videoBlock(b) {
  const href = safeUrl(b.title_url || b.video_url);
  return h("div", {class: "block video-block"},
    h("img", {class: "image", src: safeUrl(b.thumbnail_url), alt: b.alt_text || ""}),
    h("div", {}, href ? h("a", {href, target: "_blank", rel: "noopener noreferrer"}, textOf(b.title)) : textOf(b.title)));
}

function unsupportedBlock(b) {
  return h("div", {class: "block unsupported", title: "This block is not shown in the local workspace"},
    `[${b.type || "block"}]`);
}

// ---- interactive elements --------------------------------------------------

export function element(el, surface, blockId) {
  switch (el.type) {
    case "button": return buttonElement(el, surface, blockId);
    case "static_select": return selectElement(el, surface, blockId);
    case "overflow": return overflowElement(el, surface, blockId);
    case "radio_buttons": return radioElement(el, surface, blockId);
    case "image": return h("img", {class: "image", src: fileSrc(el.image_url, el.slack_file), alt: el.alt_text || ""});
    default: return unsupportedElement(el);
  }
}

function buttonElement(el, surface, blockId) {
  const button = h("button", {
    type: "button",
    class: ["btn", el.style === "primary" && "primary", el.style === "danger" && "danger"],
    "data-action-id": el.action_id,
    "data-block-id": blockId,
    "data-value": el.value,
    "aria-label": el.accessibility_label,
  }, h("span", {html: plainText(textOf(el.text))}));
  button.addEventListener("click", async () => {
    if (el.confirm && !(await askConfirm(el.confirm))) return;
    const href = safeUrl(el.url);
    if (href) window.open(href, "_blank", "noopener");
    act(surface, el.action_id, el.value !== undefined ? {value: el.value} : {}, button);
  });
  return button;
}

// A static select's options (or option groups) as <option>s, the placeholder first.
export function selectOptions(el, chosen) {
  const placeholder = textOf(el.placeholder) || "Select an item";
  const option = (o) => h("option", {value: o.value, selected: o.value === chosen}, emojiText(textOf(o.text)));
  return [
    h("option", {value: "", disabled: true, hidden: true, selected: chosen === undefined || chosen === null}, emojiText(placeholder)),
    ...(el.option_groups
      ? el.option_groups.map((g) => h("optgroup", {label: emojiText(textOf(g.label))}, (g.options || []).map(option)))
      : (el.options || []).map(option)),
  ];
}

function selectElement(el, surface, blockId) {
  const initial = el.initial_option ? el.initial_option.value : null;
  const select = h("select", {
    class: "select",
    "data-action-id": el.action_id,
    "data-block-id": blockId,
    "aria-label": textOf(el.placeholder) || "Select",
  }, selectOptions(el, initial));
  select.addEventListener("change", async () => {
    const value = select.value;
    if (el.confirm && !(await askConfirm(el.confirm))) {
      select.value = initial || "";
      return;
    }
    act(surface, el.action_id, {selected_option: value}, select);
  });
  return select;
}

function radioElement(el, surface, blockId) {
  const name = `radio-${Math.random().toString(36).slice(2)}`;
  return h("div", {class: "radio-group", role: "radiogroup"}, (el.options || []).map((o) => {
    const input = h("input", {type: "radio", name, value: o.value, "data-action-id": el.action_id,
      "data-block-id": blockId, checked: el.initial_option && el.initial_option.value === o.value});
    input.addEventListener("change", () => act(surface, el.action_id, {selected_option: o.value}, input));
    return h("label", {class: "choice"}, input, h("span", {html: textObject(o.text)}));
  }));
}

function unsupportedElement(el) {
  const words = textOf(el.text) || textOf(el.placeholder) || el.type || "element";
  return h("span", {class: "btn unsupported", title: `${el.type} is not interactive in the local workspace`}, emojiText(words));
}

// ---- overflow menu ---------------------------------------------------------

let openMenu = null;

function overflowElement(el, surface, blockId) {
  const wrap = h("span", {class: "overflow-wrap"});
  const button = h("button", {
    type: "button", class: "btn overflow", "data-action-id": el.action_id, "data-block-id": blockId,
    "aria-haspopup": "menu", "aria-label": "More options", title: "More options",
  }, h("span", {"aria-hidden": "true"}, "⋮"));
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    if (openMenu && openMenu.button === button) closeOverflowMenu();
    else openOverflowMenu(wrap, button, el, surface);
  });
  wrap.append(button);
  return wrap;
}

function openOverflowMenu(wrap, button, el, surface) {
  showMenu(wrap, button, (el.options || []).map((o) => ({
    label: plainText(textOf(o.text)),
    attrs: {"data-option-value": o.value},
    choose: async () => {
      if (el.confirm && !(await askConfirm(el.confirm))) return;
      const href = safeUrl(o.url);
      if (href) window.open(href, "_blank", "noopener");
      act(surface, el.action_id, {selected_option: o.value}, button);
    },
  })));
}

// A menu of entries ({label (HTML-safe text), attrs, choose}) beside its button, in `wrap`;
// an overflow element's options, a message's shortcuts.
export function showMenu(wrap, button, entries) {
  closeOverflowMenu();
  const menu = h("div", {class: "overflow-menu", role: "menu"}, entries.map((entry) => {
    const item = h("button", {type: "button", role: "menuitem", class: "overflow-item", ...entry.attrs},
      h("span", {html: entry.label}));
    item.addEventListener("click", (event) => {
      event.stopPropagation();
      closeOverflowMenu();
      entry.choose();
    });
    return item;
  }));
  wrap.append(menu);
  placeMenu(menu, button);
  openMenu = {menu, button};
  button.setAttribute("aria-expanded", "true");
  const first = menu.querySelector("button");
  if (first) first.focus({preventScroll: true});
}

// Fixed to the viewport beside its button, so no scrolling pane clips it.
function placeMenu(menu, button) {
  const rect = button.getBoundingClientRect();
  const width = Math.min(260, window.innerWidth - 16);
  menu.style.width = "max-content";
  menu.style.maxWidth = `${width}px`;
  const menuWidth = Math.min(menu.offsetWidth || width, width);
  const left = Math.max(8, Math.min(rect.right - menuWidth, window.innerWidth - menuWidth - 8));
  const below = window.innerHeight - rect.bottom;
  menu.style.left = `${left}px`;
  if (below < menu.offsetHeight + 8 && rect.top > below) {
    menu.style.bottom = `${window.innerHeight - rect.top + 4}px`;
  } else {
    menu.style.top = `${rect.bottom + 4}px`;
  }
}

export function closeOverflowMenu() {
  if (!openMenu) return false;
  openMenu.menu.remove();
  openMenu.button.setAttribute("aria-expanded", "false");
  openMenu = null;
  return true;
}

document.addEventListener("click", (event) => {
  if (openMenu && !openMenu.menu.contains(event.target)) closeOverflowMenu();
});
window.addEventListener("resize", closeOverflowMenu);
document.addEventListener("scroll", closeOverflowMenu, true);

// ---- confirm dialog --------------------------------------------------------

let confirmAnswer = null;

// Slack's confirm object: a small dialog; resolves true when confirmed.
export function askConfirm(confirm) {
  const root = document.getElementById("confirm-root");
  document.getElementById("confirm-title").textContent = emojiText(textOf(confirm.title) || "Are you sure?");
  document.getElementById("confirm-text").innerHTML = textObject(confirm.text);
  const ok = document.getElementById("confirm-ok");
  ok.textContent = emojiText(textOf(confirm.confirm) || "Yes");
  ok.className = `btn ${confirm.style === "danger" ? "danger" : "primary"}`;
  document.getElementById("confirm-deny").textContent = emojiText(textOf(confirm.deny) || "Cancel");
  root.hidden = false;
  ok.focus();
  return new Promise((resolve) => {
    confirmAnswer = (yes) => {
      root.hidden = true;
      confirmAnswer = null;
      resolve(yes);
    };
  });
}

export function answerConfirm(yes) {
  if (!confirmAnswer) return false;
  confirmAnswer(yes);
  return true;
}

document.getElementById("confirm-ok").addEventListener("click", () => answerConfirm(true));
document.getElementById("confirm-deny").addEventListener("click", () => answerConfirm(false));
document.getElementById("confirm-root").addEventListener("click", (event) => {
  if (event.target.id === "confirm-root") answerConfirm(false);
});

// ---- acting ----------------------------------------------------------------

const pending = new Set();

// A press: the control shows it is working until the next state arrives.
export async function act(surface, actionId, payload, control) {
  markPending(control);
  const answer = surface.kind === "message"
    ? await postJson("/ui/action", {user: S.me, channel: surface.channel, message_ts: surface.ts, action_id: actionId, ...payload})
    : await postJson("/ui/view-action", {user: S.me, view_id: surface.viewId, action_id: actionId, ...payload});
  if (!answer) {
    unmarkPending(control);
    return;
  }
  if (typeof answer.status === "number" && answer.status >= 400) toast(`Slate answered ${answer.status} to that.`);
  setTimeout(() => unmarkPending(control), 4000);
}

function markPending(control) {
  if (!control) return;
  control.classList.add("is-pending");
  control.disabled = true;
  pending.add(control);
}

function unmarkPending(control) {
  if (!control || !pending.has(control)) return;
  control.classList.remove("is-pending");
  control.disabled = false;
  pending.delete(control);
}

// Called when a new state arrives: every pressed control is usable again.
export function clearPending() {
  for (const control of [...pending]) unmarkPending(control);
}
