// A message as Slack's client shows it: avatar, name, time, blocks or text, files,
// reactions, the thread line; ephemeral ones say "Only visible to you".

import {postJson} from "./api.js";
import {fileSrc, renderBlocks, showMenu} from "./blocks.js";
import {clock, compareTs, h, longDate, memo, safeUrl} from "./dom.js";
import {emojiChar} from "./emoji.js";
import {sizeText} from "./inputs.js";
import {mrkdwn, textObject} from "./mrkdwn.js";
import {S, botId, page, user, userName} from "./store.js";

const COLORS = ["#e8912d", "#2bac76", "#1164a3", "#cd2553", "#9f69e7", "#d5631c", "#4d8fac", "#6b8e23"];
const GROUP_SECONDS = 5 * 60;

// ---- avatars ---------------------------------------------------------------

function colorFor(id) {
  return COLORS[[...String(id || "?")].reduce((sum, c) => sum + c.charCodeAt(0), 0) % COLORS.length];
}

function initials(name) {
  const words = String(name || "?").trim().split(/\s+/).filter(Boolean);
  return ((words[0] || "?")[0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
}

// An avatar: the person's picture, or coloured initials when there is none (or it fails).
export function avatar(userId, size = "", fallbackName = "") {
  const found = user(userId) || {};
  const name = found.real_name || found.name || fallbackName || userId;
  const color = found.color || (found.is_bot ? "#4a154b" : colorFor(userId));
  const box = h("span", {class: ["avatar", size], style: {background: color}, title: name, "aria-hidden": "true"});
  const letters = () => box.replaceChildren(h("span", {class: "initials"}, initials(name)));
  const src = safeUrl(found.avatar);
  if (src) {
    const img = h("img", {src, alt: ""});
    img.addEventListener("error", letters, {once: true});
    box.append(img);
  } else {
    letters();
  }
  return box;
}

// ---- one message -------------------------------------------------------------

function authorOf(m) {
  if (m.bot_id && !m.user) return botId();
  return m.user || (m.bot_id ? botId() : "");
}

function authorName(m) {
  if (m.bot_id) {
    return (user(m.user) && userName(m.user)) || (m.bot_profile && m.bot_profile.name) || m.username || "Slate";
  }
  return userName(m.user);
}

// opts: {pane, inThread, ephemeral, continued}
export function renderMessage(m, opts) {
  const surface = {kind: "message", channel: S.channelId, ts: m.ts};
  const isBot = Boolean(m.bot_id) || Boolean(user(m.user) && user(m.user).is_bot);
  const author = authorOf(m);
  const name = authorName(m);
  const node = h("div", {
    class: ["msg", opts.ephemeral && "ephemeral", opts.continued && "continued", isBot && "from-bot"],
    "data-ts": m.ts,
  });
  const gutter = h("div", {class: "msg-gutter"},
    opts.continued
      ? h("time", {class: "gutter-time", datetime: m.ts, title: longDate(m.ts)}, clock(m.ts))
      : avatar(author, "", name));
  const meta = !opts.continued && h("div", {class: "msg-meta"},
    h("span", {class: "msg-author"}, name),
    isBot && h("span", {class: "app-badge"}, "APP"),
    h("time", {datetime: m.ts, title: longDate(m.ts)}, clock(m.ts)));
  const note = opts.ephemeral && h("div", {class: "ephemeral-note"},
    h("span", {"aria-hidden": "true"}, "👁"), " Only visible to you");
  const content = h("div", {class: "msg-content"}, meta, note,
    messageBody(m, surface, `${opts.pane}:${m.ts}`),
    attachments(m.attachments, surface, `${opts.pane}:${m.ts}:att`),
    files(m.files, `${opts.pane}:${m.ts}`),
    reactions(m.reactions),
    !opts.inThread && !opts.ephemeral && threadSummary(m));
  node.append(gutter, content);
  const tools = !opts.ephemeral && toolbar(m, {reply: !opts.inThread && !m.reply_count});
  if (tools) node.append(tools);
  return node;
}

function messageBody(m, surface, key) {
  const edited = m.edited && h("span", {class: "edited", title: m.edited.ts ? longDate(m.edited.ts) : ""}, "(edited)");
  if (m.blocks && m.blocks.length) {
    return h("div", {class: "msg-body"}, renderBlocks(m.blocks, surface, key), edited);
  }
  if (!m.text && (m.files || m.attachments)) return edited || null;
  const text = h("div", {class: "msg-text", html: mrkdwn(m.text || "")});
  return h("div", {class: "msg-body"}, text, edited);
}

// Legacy attachments: a coloured bar with pretext, title, text, fields and blocks.
function attachments(list, surface, key) {
  if (!list || !list.length) return null;
  return list.map((a, index) => {
    const color = /^#?[0-9a-f]{3,8}$/i.test(a.color || "") ? (a.color.startsWith("#") ? a.color : `#${a.color}`)
      : ({good: "#2eb67d", warning: "#ecb22e", danger: "#e01e5a"}[a.color] || "#dddddd");
    const href = safeUrl(a.title_link);
    return h("div", {class: "legacy-attachment", style: {borderLeftColor: color}},
      a.pretext && h("div", {html: mrkdwn(a.pretext)}),
      a.title && h("div", {class: "att-title"}, href ? h("a", {href, target: "_blank", rel: "noopener noreferrer"}, a.title) : a.title),
      a.text && h("div", {html: mrkdwn(a.text)}),
      a.fields && h("div", {class: "fields"}, a.fields.map((f) => h("div", {class: "field"},
        h("b", {}, f.title || ""), h("div", {html: mrkdwn(f.value || "")})))),
      a.blocks && renderBlocks(a.blocks, surface, `${key}:${index}`),
      a.footer && h("div", {class: "att-footer", html: mrkdwn(a.footer)}));
  });
}

// Files shared with a message: images inline (they open in the lightbox), others as chips.
function files(list, key) {
  if (!list || !list.length) return null;
  return h("div", {class: "files"}, list.map((f) => memo(`${key}:file:${f.id}`, JSON.stringify(f), () => fileNode(f))));
}

function fileNode(f) {
  const src = `/ui/files/${encodeURIComponent(f.id)}`;
  const label = f.title || f.name || f.id;
  if (String(f.mimetype || "").startsWith("image/")) {
    const img = h("img", {src, alt: f.alt_txt || label, loading: "lazy"});
    return h("div", {class: "file image-file", "data-file-id": f.id}, h("div", {class: "file-title"}, label), img);
  }
  return h("div", {class: "file", "data-file-id": f.id},
    h("a", {class: "file-chip", href: src, download: f.name || "", target: "_blank"},
      h("span", {class: "file-icon", "aria-hidden": "true"}, fileIcon(f)),
      h("span", {class: "file-text"}, h("span", {class: "file-name"}, label),
        h("span", {class: "file-kind"}, [f.pretty_type || (f.filetype || "").toUpperCase(), sizeText(f.size)].filter(Boolean).join(" · ")))));
}

function fileIcon(f) {
  const kind = String(f.mimetype || "");
  if (kind.startsWith("video/")) return "🎞️";
  if (kind.startsWith("audio/")) return "🎵";
  if (kind === "application/pdf") return "📕";
  if (kind.startsWith("text/")) return "📄";
  if (/zip|tar|compressed/.test(kind)) return "🗜️";
  return "📎";
}

function reactions(list) {
  if (!list || !list.length) return null;
  return h("div", {class: "reactions"}, list.map((r) => {
    const char = emojiChar(r.name);
    const mine = (r.users || []).includes(S.me);
    return h("span", {class: ["reaction", mine && "mine"], title: `${(r.users || []).map(userName).join(", ")} reacted with :${r.name}:`},
      h("span", {class: "emoji"}, char || `:${r.name}:`), h("span", {class: "count"}, String(r.count || (r.users || []).length)));
  }));
}

// "3 replies · Last reply 14:02" with the repliers' faces; opens the thread.
function threadSummary(m) {
  if (!m.reply_count) return null;
  const faces = (m.reply_users || []).slice(0, 4).map((id) => avatar(id, "tiny"));
  const count = `${m.reply_count} ${m.reply_count === 1 ? "reply" : "replies"}`;
  return h("button", {type: "button", class: "replies-link", "data-thread": m.ts, onclick: () => page.openThread(m.ts)},
    h("span", {class: "reply-faces"}, faces),
    h("span", {class: "reply-count"}, count),
    m.latest_reply && h("span", {class: "reply-last"}, `Last reply ${clock(m.latest_reply)}`),
    h("span", {class: "reply-view"}, "View thread"));
}

// On hover: reply in a thread (a message with none yet) and the app's message shortcuts.
function toolbar(m, {reply}) {
  const shortcuts = (S.state && S.state.shortcuts) || [];
  if (!reply && !shortcuts.length) return null;
  const bar = h("div", {class: "msg-toolbar"});
  if (reply) {
    bar.append(h("button", {type: "button", class: "reply-start", title: "Reply in thread", "aria-label": "Reply in thread",
      onclick: () => page.openThread(m.ts)}, "💬", h("span", {class: "toolbar-label"}, " Reply")));
  }
  if (shortcuts.length) {
    const wrap = h("span", {class: "overflow-wrap"});
    const more = h("button", {type: "button", class: "message-shortcuts", title: "More actions", "aria-label": "More actions",
      "aria-haspopup": "menu"}, "⋮");
    more.addEventListener("click", (event) => {
      event.stopPropagation();
      showMenu(wrap, more, shortcuts.map((s) => ({
        label: escapeText(s.name),
        attrs: {"data-callback-id": s.callback_id, title: s.description || ""},
        choose: () => postJson("/ui/shortcut", {user: S.me, channel: S.channelId, message_ts: m.ts, callback_id: s.callback_id}),
      })));
    });
    wrap.append(more);
    bar.append(wrap);
  }
  return bar;
}

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

// ---- lists -------------------------------------------------------------------

// Messages and ephemeral ones by time; a message from the same author soon after
// the one before it is shown without its name again, as Slack does.
export function messageNodes(messages, ephemeral, {pane, inThread = false}) {
  const items = [
    ...messages.map((m) => ({m, ephemeral: false})),
    ...ephemeral.map((m) => ({m, ephemeral: true})),
  ].sort((a, b) => compareTs(a.m.ts, b.m.ts));
  let previous = null;
  return items.map(({m, ephemeral: isEphemeral}) => {
    const continued = Boolean(previous && !isEphemeral && !previous.ephemeral && authorOf(previous.m) === authorOf(m) &&
      parseFloat(m.ts) - parseFloat(previous.m.ts) < GROUP_SECONDS && !previous.m.reply_count);
    previous = {m, ephemeral: isEphemeral};
    const opts = {pane, inThread, ephemeral: isEphemeral, continued};
    const signature = `${JSON.stringify(m)}|${continued}|${S.contextSig}|${S.channelId}`;
    return memo(`${pane}:${isEphemeral ? "e" : "m"}:${m.ts}`, signature, () => renderMessage(m, opts));
  });
}

// The thread pane's line under the parent: "2 replies", a rule.
export function replyCountNode(count) {
  return memo(`thread:count:${count}`, String(count), () =>
    h("div", {class: "thread-count"}, h("span", {}, `${count} ${count === 1 ? "reply" : "replies"}`)));
}

export function introNode(state) {
  const channel = state.channel || {};
  const text = channel.is_im
    ? `This is the very beginning of your direct message history with ${userName(botId())}. Ask it anything about your shots.`
    : `This is the very beginning of the #${channel.name} channel. Mention @slate with a direction to make a shot.`;
  return memo(`intro:${channel.id}`, text + S.contextSig, () =>
    h("div", {class: "intro"}, channel.is_im ? avatar(botId(), "large") : h("div", {class: "intro-hash"}, "#"),
      h("h3", {}, channel.is_im ? userName(botId()) : `#${channel.name}`), h("p", {html: textObject({type: "mrkdwn", text})})));
}
