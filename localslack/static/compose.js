// The message box (channel and thread): Enter sends, Shift+Enter breaks the line, files
// upload as soon as they are chosen, and a line starting with "/" runs a slash command.

import {postJson, toast, uploadFile} from "./api.js";
import {$, h} from "./dom.js";
import {sizeText} from "./inputs.js";
import {S} from "./store.js";

const MAX_HEIGHT = 200;
const COMMAND_LINE = /^(\/[a-z0-9_-]+)(?:\s([\s\S]*))?$/i;

export class Composer {
  // form: the <form>; threadTs(): the thread it replies in, or null for the channel.
  constructor(form, threadTs) {
    this.form = form;
    this.threadTs = threadTs;
    form.append(document.getElementById("compose-box").content.cloneNode(true));
    this.box = form.querySelector("textarea");
    this.box.setAttribute("aria-label", form.dataset.label || "Message");
    this.box.placeholder = form.dataset.placeholder || "";
    this.fileInput = form.querySelector("input[type=file]");
    this.chips = form.querySelector(".attachments");
    this.send = form.querySelector("button[type=submit]");
    this.files = []; // {name, size, preview, id?, uploading}
    this.busy = false;
    this.menu = new CommandMenu(this);
    this.wire();
    this.refresh();
  }

  wire() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.box.addEventListener("keydown", (event) => this.onKey(event));
    this.box.addEventListener("input", () => {
      this.grow();
      this.menu.update();
      this.refresh();
    });
    this.box.addEventListener("blur", () => setTimeout(() => this.menu.hide(), 150));
    this.form.querySelector(".attach").addEventListener("click", () => this.fileInput.click());
    this.fileInput.addEventListener("change", () => {
      const chosen = [...this.fileInput.files];
      this.fileInput.value = "";
      chosen.forEach((file) => this.attach(file));
    });
  }

  onKey(event) {
    if (this.menu.onKey(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.submit();
    }
  }

  setPlaceholder(text) {
    if (this.box.placeholder !== text) this.box.placeholder = text;
  }

  grow() {
    this.box.style.height = "auto";
    this.box.style.height = `${Math.min(this.box.scrollHeight, MAX_HEIGHT)}px`;
    this.box.style.overflowY = this.box.scrollHeight > MAX_HEIGHT ? "auto" : "hidden";
  }

  // Send is usable with words or uploaded files, and not while anything is uploading.
  refresh() {
    const uploading = this.files.some((f) => f.uploading);
    const ready = this.box.value.trim() || this.files.some((f) => f.id);
    this.send.disabled = this.busy || uploading || !ready;
    this.form.classList.toggle("has-text", Boolean(ready));
  }

  attach(file) {
    const chip = {name: file.name, size: file.size, uploading: true,
      preview: /^image\//.test(file.type) ? URL.createObjectURL(file) : null};
    this.files.push(chip);
    this.showChips();
    uploadFile(file).then((uploaded) => {
      if (uploaded) Object.assign(chip, {id: uploaded.id, uploading: false});
      else this.files = this.files.filter((f) => f !== chip);
      this.showChips();
    });
  }

  showChips() {
    this.chips.replaceChildren(...this.files.map((f) => h("div", {
      class: ["attachment-chip", f.uploading && "uploading"], "data-file-id": f.id, title: f.name,
    },
    f.preview ? h("img", {class: "chip-thumb", src: f.preview, alt: ""}) : h("span", {class: "chip-icon"}, "📄"),
    h("span", {class: "chip-text"}, h("span", {class: "chip-name"}, f.name),
      h("span", {class: "chip-meta"}, f.uploading ? "Uploading…" : sizeText(f.size))),
    h("button", {type: "button", class: "chip-remove", "aria-label": `Remove ${f.name}`, onclick: () => {
      this.files = this.files.filter((x) => x !== f);
      if (f.preview) URL.revokeObjectURL(f.preview);
      this.showChips();
    }}, "×"))));
    this.chips.hidden = this.files.length === 0;
    this.refresh();
  }

  async submit() {
    this.menu.hide();
    const text = this.box.value.trim();
    if (this.files.some((f) => f.uploading)) {
      toast("Wait for the files to finish uploading.", {kind: "info", ms: 3000});
      return;
    }
    const fileIds = this.files.filter((f) => f.id).map((f) => f.id);
    const command = text.match(COMMAND_LINE);
    if (this.busy || (!text && !fileIds.length)) return;
    this.busy = true;
    this.refresh();
    try {
      const answer = command
        ? await postJson("/ui/command", {user: S.me, channel: S.channelId, command: command[1].toLowerCase(), text: (command[2] || "").trim()})
        : await postJson("/ui/post", this.postBody(text, fileIds));
      if (answer) this.clear(!command);
    } finally {
      this.busy = false;
      this.refresh();
      this.box.focus();
    }
  }

  postBody(text, files) {
    const body = {user: S.me, channel: S.channelId, text, files};
    const thread = this.threadTs();
    if (thread) body.thread_ts = thread;
    return body;
  }

  clear(withFiles) {
    this.box.value = "";
    this.grow();
    if (withFiles) {
      this.files.forEach((f) => f.preview && URL.revokeObjectURL(f.preview));
      this.files = [];
      this.showChips();
    }
  }
}

// ---- the slash-command menu ------------------------------------------------------

// Every command and subcommand of state.commands, as the words it completes to.
function commandEntries() {
  const entries = [];
  for (const c of (S.state && S.state.commands) || []) {
    entries.push({completion: c.command, title: c.command, usage: c.usage_hint || "", description: c.description || ""});
    for (const sub of c.subcommands || []) {
      const usage = sub.usage || "";
      const rest = usage.startsWith(sub.name) ? usage.slice(sub.name.length).trim() : usage;
      entries.push({completion: `${c.command} ${sub.name}`, title: `${c.command} ${sub.name}`, usage: rest,
        description: sub.description || "", takesMore: Boolean(rest)});
    }
  }
  return entries;
}

class CommandMenu {
  constructor(composer) {
    this.composer = composer;
    this.matches = [];
    this.selected = 0;
  }

  get node() {
    return $("command-menu");
  }

  get open() {
    return !this.node.hidden && this.node.parentElement === this.composer.form;
  }

  // Shown while the box holds one line starting with "/" that some command begins with.
  update() {
    const text = this.composer.box.value;
    if (!text.startsWith("/") || text.includes("\n")) return this.hide();
    const typed = text.toLowerCase().replace(/\s+/g, " ");
    this.matches = commandEntries().filter((e) => e.completion.toLowerCase().startsWith(typed));
    if (!this.matches.length) return this.hide();
    this.selected = Math.min(this.selected, this.matches.length - 1);
    this.show();
  }

  show() {
    const node = this.node;
    if (node.parentElement !== this.composer.form) this.composer.form.append(node);
    node.replaceChildren(
      h("div", {class: "command-head"}, "Commands"),
      ...this.matches.map((e, index) => {
        const item = h("div", {
          class: ["command-option", index === this.selected && "selected"], role: "option",
          "aria-selected": String(index === this.selected), "data-command": e.completion,
        },
        h("span", {class: "command-name"}, e.title, e.usage && h("span", {class: "command-usage"}, ` ${e.usage}`)),
        h("span", {class: "command-description"}, e.description));
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => this.complete(index));
        return item;
      }));
    node.hidden = false;
    const chosen = node.querySelector(".selected");
    if (chosen) chosen.scrollIntoView({block: "nearest"});
  }

  hide() {
    if (this.node.parentElement === this.composer.form) this.node.hidden = true;
    this.selected = 0;
  }

  // Fill the box with the chosen command (and a space when it takes more words).
  complete(index) {
    const entry = this.matches[index];
    if (!entry) return;
    const box = this.composer.box;
    box.value = `${entry.completion} `;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    this.hide();
    this.composer.refresh();
    this.update();
  }

  // Arrow keys move, Tab and Enter complete (Enter sends when the line is already complete).
  onKey(event) {
    if (!this.open || event.isComposing) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.selected = (this.selected + step + this.matches.length) % this.matches.length;
      this.show();
      return true;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.hide();
      return true;
    }
    if (event.key === "Tab" || (event.key === "Enter" && !event.shiftKey)) {
      const entry = this.matches[this.selected];
      const typed = this.composer.box.value.trim().toLowerCase();
      if (event.key === "Enter" && entry && entry.completion.toLowerCase() === typed) {
        this.hide();
        return false; // the line is complete: Enter sends it
      }
      event.preventDefault();
      this.complete(this.selected);
      return true;
    }
    return false;
  }
}
