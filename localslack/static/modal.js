// The person's top modal (state.views, root first): its blocks and inputs, submit and close.
// Typed values survive a views.update of the same view, and a views.push and back.

import {postJson, toast} from "./api.js";
import {renderBlocks} from "./blocks.js";
import {$, h} from "./dom.js";
import {emojiText} from "./emoji.js";
import {forgetUploads, readValues, uploadsDone} from "./inputs.js";
import {textOf} from "./mrkdwn.js";
import {S, botId} from "./store.js";
import {avatar} from "./messages.js";

const saved = new Map(); // view id -> values typed there (Slack's state.values shape)
const errors = new Map(); // view id -> {block_id: text} from the last refused submit
let shown = null; // {id, signature, view} of the view on screen

export function renderModal(views) {
  const top = (views || [])[views.length - 1] || null;
  const root = $("modal-root");
  if (!top) {
    if (shown) leave();
    root.hidden = true;
    return;
  }
  if (shown && shown.id === top.id && JSON.stringify(shown.view) !== JSON.stringify(top)) errors.delete(top.id);
  if (shown && shown.id === top.id && shown.signature === signatureOf(top)) return;
  const opening = !shown || shown.id !== top.id;
  if (shown) saved.set(shown.id, readValues($("modal"), shown.view));
  for (const id of [...saved.keys()]) if (!views.some((v) => v.id === id)) forget(id);
  show(top);
  root.hidden = false;
  if (opening) focusFirst();
}

function signatureOf(view) {
  return `${JSON.stringify(view)}|${JSON.stringify(errors.get(view.id) || {})}|${S.me}`;
}

function show(view) {
  build(view);
  shown = {id: view.id, signature: signatureOf(view), view};
}

// Build the shown view again (new errors), keeping what was typed.
function rebuildShown() {
  saved.set(shown.id, readValues($("modal"), shown.view));
  show(shown.view);
}

function leave() {
  for (const id of [...saved.keys()]) forget(id);
  forget(shown.id);
  shown = null;
  $("modal").replaceChildren();
}

function forget(viewId) {
  saved.delete(viewId);
  errors.delete(viewId);
  forgetUploads(viewId);
}

function build(view) {
  const surface = {kind: "view", viewId: view.id, saved: saved.get(view.id) || {}, errors: errors.get(view.id) || {}};
  const modal = $("modal");
  const title = emojiText(textOf(view.title) || "Slate");
  const closeLabel = emojiText(textOf(view.close) || "Cancel");
  modal.replaceChildren(
    h("header", {class: "modal-head"},
      avatar(botId(), "small"),
      h("h2", {class: "modal-title", id: "modal-title"}, title),
      h("button", {type: "button", class: "modal-x", "aria-label": "Close", title: "Close", onclick: close}, "×")),
    h("form", {class: "modal-body", id: "modal-form", novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      submit();
    }}, renderBlocks(view.blocks, surface), h("button", {type: "submit", hidden: true, tabindex: "-1"})),
    h("footer", {class: "modal-foot"},
      h("button", {type: "button", class: "btn", id: "modal-close", onclick: close}, closeLabel),
      view.submit && h("button", {type: "button", class: "btn primary", id: "modal-submit", onclick: submit},
        emojiText(textOf(view.submit)))));
  const unknown = Object.keys(surface.errors).filter((id) => !modal.querySelector(`[data-block-id="${CSS.escape(id)}"]`));
  if (unknown.length) toast(unknown.map((id) => surface.errors[id]).join(" "));
}

function focusFirst() {
  const first = $("modal").querySelector(".modal-body input:not([type=file]):not([type=hidden]), .modal-body textarea, .modal-body select");
  if (first) first.focus();
}

async function submit() {
  if (!shown) return;
  const {id, view} = shown;
  const button = $("modal-submit");
  if (button) button.disabled = true;
  try {
    await uploadsDone(id);
    const values = readValues($("modal"), view);
    saved.set(id, values);
    const answer = await postJson("/ui/view-submit", {user: S.me, view_id: id, values});
    if (!answer) return;
    const refused = answer.errors && Object.keys(answer.errors).length ? answer.errors : null;
    if (refused && shown && shown.id === id) {
      errors.set(id, refused);
      rebuildShown(); // the errors under their inputs, what was typed kept
      const firstError = $("modal").querySelector(".has-error input, .has-error textarea, .has-error select");
      if (firstError) firstError.focus();
    } else {
      errors.delete(id);
    }
  } finally {
    const again = $("modal-submit");
    if (again) again.disabled = false;
  }
}

export async function close() {
  if (!shown) return;
  const {id} = shown;
  await postJson("/ui/view-close", {user: S.me, view_id: id});
}

export function modalOpen() {
  return Boolean(shown);
}
