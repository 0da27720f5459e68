// Input blocks of modals (and App Home): the controls, their files, and Slack's
// view.state.values read back from them: {block_id: {action_id: {type, value | selected_option | files…}}}.
// A surface of kind "view" carries `saved` (values to show instead of the initial ones) and `errors`.

import {toast, uploadFile} from "./api.js";
import {h} from "./dom.js";
import {emojiText} from "./emoji.js";
import {plainText, textObject, textOf} from "./mrkdwn.js";
import {S} from "./store.js";

let uniqueId = 0;
const nextId = () => `in-${++uniqueId}`;

export function renderInputBlock(block, surface, index) {
  const blockId = block.block_id || `block-${index}`;
  const el = block.element || {};
  const actionId = el.action_id || blockId;
  const saved = ((surface.saved || {})[blockId] || {})[actionId];
  const error = (surface.errors || {})[blockId];
  const id = nextId();
  const label = h("label", {class: "input-label", for: id},
    h("span", {html: plainText(textOf(block.label))}),
    block.optional && h("span", {class: "optional"}, " (optional)"));
  const control = inputControl(el, {id, blockId, actionId, saved, surface});
  const wrap = h("div", {class: ["block", "input-block", error && "has-error"], "data-block-id": blockId},
    label, control,
    error && h("div", {class: "input-error", role: "alert"}, String(error)),
    block.hint && h("div", {class: "input-hint", html: textObject(block.hint)}));
  return wrap;
}

function inputControl(el, where) {
  const render = CONTROLS[el.type];
  if (render) return render(el, where);
  return h("div", {class: "unsupported", title: "Not available in the local workspace"}, `[${el.type || "input"}]`);
}

const TEXT_TYPES = {plain_text_input: "text", email_text_input: "email", url_text_input: "url", number_input: "number"};

const CONTROLS = {
  plain_text_input: textControl,
  email_text_input: textControl,
  url_text_input: textControl,
  number_input: textControl,
  static_select: selectControl,
  multi_static_select: selectControl,
  users_select: peopleControl,
  radio_buttons: choiceControl,
  checkboxes: choiceControl,
  datepicker: (el, w) => dateControl(el, w, "date", "selected_date", el.initial_date),
  timepicker: (el, w) => dateControl(el, w, "time", "selected_time", el.initial_time),
  file_input: fileControl,
};

function textControl(el, {id, actionId, saved}) {
  const value = saved ? saved.value ?? "" : el.initial_value ?? "";
  const attrs = {
    id,
    "data-action-id": actionId,
    placeholder: el.placeholder ? emojiText(textOf(el.placeholder)) : undefined,
    maxlength: el.max_length,
    minlength: el.min_length,
  };
  if (el.multiline) {
    const area = h("textarea", {...attrs, rows: 4});
    area.value = value;
    return area;
  }
  const input = h("input", {...attrs, type: TEXT_TYPES[el.type] || "text", min: el.min_value, max: el.max_value,
    step: el.type === "number_input" && !el.is_decimal_allowed ? 1 : undefined});
  input.value = value;
  return input;
}

function selectControl(el, {id, actionId, saved}) {
  const multiple = el.type.startsWith("multi_");
  const chosen = new Set(saved
    ? (multiple ? (saved.selected_options || []) : [saved.selected_option]).filter(Boolean).map((o) => o.value)
    : (multiple ? (el.initial_options || []) : [el.initial_option]).filter(Boolean).map((o) => o.value));
  const option = (o) => h("option", {value: o.value, selected: chosen.has(o.value)}, emojiText(textOf(o.text)));
  const groups = el.option_groups
    ? el.option_groups.map((g) => h("optgroup", {label: emojiText(textOf(g.label))}, (g.options || []).map(option)))
    : (el.options || []).map(option);
  const placeholder = !multiple && h("option", {value: "", disabled: true, hidden: true, selected: chosen.size === 0},
    emojiText(textOf(el.placeholder) || "Select an item"));
  return h("select", {id, class: "select", "data-action-id": actionId, multiple}, placeholder, groups);
}

function peopleControl(el, {id, actionId, saved}) {
  const chosen = saved ? saved.selected_user : el.initial_user;
  const people = (S.state && S.state.people) || [];
  return h("select", {id, class: "select", "data-action-id": actionId},
    h("option", {value: "", disabled: true, hidden: true, selected: !chosen}, textOf(el.placeholder) || "Select a person"),
    people.map((p) => h("option", {value: p.id, selected: p.id === chosen}, p.real_name || p.name)));
}

function choiceControl(el, {id, actionId, saved}) {
  const many = el.type === "checkboxes";
  const initial = many ? el.initial_options || [] : [el.initial_option].filter(Boolean);
  const picked = saved ? (many ? saved.selected_options || [] : [saved.selected_option].filter(Boolean)) : initial;
  const chosen = new Set(picked.map((o) => o.value));
  return h("div", {id, class: "choices", "data-action-id": actionId, role: many ? "group" : "radiogroup"},
    (el.options || []).map((o) => h("label", {class: "choice"},
      h("input", {type: many ? "checkbox" : "radio", name: id, value: o.value, checked: chosen.has(o.value)}),
      h("span", {html: textObject(o.text)}),
      o.description && h("small", {class: "choice-description", html: textObject(o.description)}))));
}

function dateControl(el, {id, actionId, saved}, type, key, initial) {
  const input = h("input", {id, type, "data-action-id": actionId});
  input.value = (saved ? saved[key] : initial) || "";
  return input;
}

// ---- file_input: each chosen file is uploaded at once; the view keeps their ids ----

const uploads = new Map(); // "view|block|action" -> {files: [{id, name, ...}], busy: Set<Promise>}

function uploadsFor(viewId, blockId, actionId) {
  const key = `${viewId}|${blockId}|${actionId}`;
  if (!uploads.has(key)) uploads.set(key, {files: [], busy: new Set()});
  return uploads.get(key);
}

// Resolves when every upload started in this view has finished.
export async function uploadsDone(viewId) {
  for (const [key, entry] of uploads) {
    if (key.startsWith(`${viewId}|`)) await Promise.all([...entry.busy]);
  }
}

export function forgetUploads(viewId) {
  for (const key of [...uploads.keys()]) if (key.startsWith(`${viewId}|`)) uploads.delete(key);
}

function fileControl(el, {id, blockId, actionId, surface}) {
  const entry = uploadsFor(surface.viewId, blockId, actionId);
  const max = el.max_files || 10;
  const accept = (el.filetypes || []).map((t) => `.${t}`).join(",") || undefined;
  const input = h("input", {id, type: "file", class: "visually-hidden", "data-action-id": actionId, multiple: max !== 1, accept});
  const list = h("div", {class: "file-input-list"});
  const showList = () => list.replaceChildren(...entry.files.map((f) => fileRow(f, () => {
    entry.files = entry.files.filter((x) => x !== f);
    showList();
  })));
  input.addEventListener("change", () => {
    let chosen = [...input.files].filter((file) => allowedType(file, el.filetypes));
    input.value = "";
    const room = max - entry.files.length;
    if (chosen.length > room) {
      toast(`At most ${max} file${max === 1 ? "" : "s"} here.`);
      chosen = chosen.slice(0, Math.max(room, 0));
    }
    for (const file of chosen) {
      const row = {name: file.name, size: file.size, uploading: true, preview: previewUrl(file)};
      entry.files.push(row);
      const job = uploadFile(file).then((uploaded) => {
        entry.busy.delete(job);
        if (uploaded) Object.assign(row, {id: uploaded.id, uploading: false});
        else entry.files = entry.files.filter((x) => x !== row);
        showList();
      });
      entry.busy.add(job);
    }
    showList();
  });
  showList();
  const choose = h("button", {type: "button", class: "btn file-choose"}, "📎 Choose files");
  choose.addEventListener("click", () => input.click());
  const hint = h("span", {class: "file-input-hint"},
    el.filetypes ? `${el.filetypes.join(", ")} · up to ${max}` : `up to ${max} file${max === 1 ? "" : "s"}`);
  return h("div", {class: "file-input"}, h("div", {class: "file-input-row"}, input, choose, hint), list);
}

// Slack's file_input takes only the listed file types (by extension).
function allowedType(file, filetypes) {
  if (!filetypes || !filetypes.length) return true;
  const extension = (file.name.split(".").pop() || "").toLowerCase();
  if (filetypes.map((t) => t.toLowerCase()).includes(extension)) return true;
  toast(`${file.name} is not one of the file types this asks for: ${filetypes.join(", ")}.`);
  return false;
}

function previewUrl(file) {
  return /^image\//.test(file.type) ? URL.createObjectURL(file) : null;
}

function fileRow(f, remove) {
  return h("div", {class: ["attachment-chip", f.uploading && "uploading"], "data-file-id": f.id},
    f.preview ? h("img", {class: "chip-thumb", src: f.preview, alt: ""}) : h("span", {class: "chip-icon"}, "📄"),
    h("span", {class: "chip-text"}, h("span", {class: "chip-name"}, f.name),
      h("span", {class: "chip-meta"}, f.uploading ? "Uploading…" : sizeText(f.size))),
    h("button", {type: "button", class: "chip-remove", "aria-label": `Remove ${f.name}`, onclick: remove}, "×"));
}

export function sizeText(bytes) {
  if (!bytes && bytes !== 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---- reading the values back ---------------------------------------------------

// Slack's view.state.values for a view's blocks, read from the controls in `container`.
export function readValues(container, view) {
  const values = {};
  (view.blocks || []).forEach((block, index) => {
    if (block.type !== "input" || !block.element) return;
    const blockId = block.block_id || `block-${index}`;
    const el = block.element;
    const actionId = el.action_id || blockId;
    const wrap = [...container.querySelectorAll("[data-block-id]")].find((n) => n.dataset.blockId === blockId);
    if (!wrap) return;
    const control = wrap.querySelector(`[data-action-id]`);
    values[blockId] = {[actionId]: readControl(el, control, uploadsFor(view.id, blockId, actionId))};
  });
  return values;
}

function optionObject(el, value) {
  const all = el.option_groups ? el.option_groups.flatMap((g) => g.options || []) : el.options || [];
  const found = all.find((o) => o.value === value);
  return found ? {text: found.text, value: found.value} : null;
}

function readControl(el, control, files) {
  const type = el.type;
  if (!control) return {type};
  switch (type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input":
      return {type, value: control.value === "" ? null : control.value};
    case "static_select":
      return {type, selected_option: control.value ? optionObject(el, control.value) : null};
    case "multi_static_select":
      return {type, selected_options: [...control.selectedOptions].map((o) => optionObject(el, o.value)).filter(Boolean)};
    case "users_select":
      return {type, selected_user: control.value || null};
    case "radio_buttons": {
      const checked = control.querySelector("input:checked");
      return {type, selected_option: checked ? optionObject(el, checked.value) : null};
    }
    case "checkboxes":
      return {type, selected_options: [...control.querySelectorAll("input:checked")].map((i) => optionObject(el, i.value)).filter(Boolean)};
    case "datepicker":
      return {type, selected_date: control.value || null};
    case "timepicker":
      return {type, selected_time: control.value || null};
    case "file_input":
      return {type, files: files.files.filter((f) => f.id).map((f) => ({id: f.id}))};
    default:
      return {type};
  }
}
