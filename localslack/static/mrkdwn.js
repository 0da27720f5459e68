// Slack's text formats as HTML: mrkdwn, plain_text objects and rich_text blocks.
// Everything from a message is escaped first; only the tags made here are markup.

import {escapeHtml, safeUrl} from "./dom.js";
import {emojiChar, emojify} from "./emoji.js";
import {S, channelName, userName} from "./store.js";

// Slack escapes &, < and > in message text; the rest is literal.
function unslack(text) {
  return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const BEFORE = String.raw`(^|[\s(\[{"'“‘>\-–—/])`;
const AFTER = String.raw`(?=$|[\s)\]}"'”’.,;:!?<&\-–—/])`;
const STYLES = [
  ["\\*", "b"],
  ["_", "i"],
  ["~", "s"],
];
const STYLE_PATTERNS = STYLES.map(([mark, tag]) => [
  new RegExp(`${BEFORE}${mark}(?=[^\\s${mark}])([^${mark}\\n]*?[^\\s${mark}])${mark}${AFTER}`, "g"),
  tag,
]);

// *bold*, _italic_, ~strike~ and :emoji: in one escaped line.
function inline(html) {
  let out = html;
  for (const [pattern, tag] of STYLE_PATTERNS) out = out.replace(pattern, `$1<${tag}>$2</${tag}>`);
  return emojify(out);
}

export function mrkdwn(text) {
  const tokens = [];
  const keep = (html) => `\u0001${tokens.push(html) - 1}\u0002`;
  let s = String(text ?? "").replace(/[\u0001\u0002]/g, "");
  s = s.replace(/```\n?([\s\S]*?)```\n?/g, (_, code) => keep(`<pre class="pre">${escapeHtml(unslack(code))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeHtml(unslack(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => keep(angle(inner)));
  s = escapeHtml(unslack(s));
  s = quoteLines(s.split("\n"));
  while (/\u0001\d+\u0002/.test(s)) s = s.replace(/\u0001(\d+)\u0002/g, (_, i) => tokens[Number(i)]);
  return s;
}

// Lines starting with ">" (sent as "&gt;") form a quote with a bar, without the ">".
function quoteLines(lines) {
  const out = [];
  let quote = null;
  for (const line of lines) {
    const quoted = line.match(/^&gt;\s?(.*)$/);
    if (quoted) {
      (quote = quote || []).push(inline(quoted[1]));
      continue;
    }
    if (quote) {
      out.push({quote});
      quote = null;
    }
    out.push(inline(line));
  }
  if (quote) out.push({quote});
  let html = "";
  out.forEach((part, index) => {
    if (typeof part === "object") {
      html += `<blockquote>${part.quote.join("<br>")}</blockquote>`;
    } else {
      const next = out[index + 1];
      html += part + (next !== undefined && typeof next !== "object" ? "<br>" : "");
    }
  });
  return html;
}

// <@U…>, <#C…|name>, <!here>, <url|label>: Slack's entities in angle brackets.
function angle(inner) {
  const bar = inner.indexOf("|");
  const target = unslack(bar < 0 ? inner : inner.slice(0, bar));
  const label = bar < 0 ? "" : unslack(inner.slice(bar + 1));
  if (/^@[UWB][A-Z0-9]+$/.test(target)) return mention(target.slice(1), label);
  if (/^#[CGD][A-Z0-9]+$/.test(target)) return channelLink(target.slice(1), label);
  if (target.startsWith("!")) return special(target.slice(1), label);
  const href = safeUrl(target);
  if (href && !href.startsWith("/")) {
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${emojify(escapeHtml(label || target))}</a>`;
  }
  return escapeHtml(label || `<${unslack(inner)}>`);
}

export function mention(userId, label = "") {
  const name = label ? label.replace(/^@/, "") : userName(userId);
  const me = userId === S.me ? " me" : "";
  return `<span class="mention${me}" data-user="${escapeHtml(userId)}">@${escapeHtml(name)}</span>`;
}

function channelLink(channelId, label = "") {
  const name = label || channelName(channelId) || channelId;
  return `<a href="#" class="channel-link" data-goto-channel="${escapeHtml(channelId)}">#${escapeHtml(name)}</a>`;
}

function special(target, label) {
  const [kind] = target.split("^");
  if (["here", "channel", "everyone"].includes(kind)) return `<span class="mention broadcast">@${kind}</span>`;
  if (kind === "subteam") return `<span class="mention">${escapeHtml(label || "@group")}</span>`;
  if (kind === "date") return escapeHtml(label || target.split("^")[1] || "");
  return escapeHtml(label || `<!${target}>`);
}

// A text object: mrkdwn, or plain_text (whose :emoji: Slack shows unless emoji is false).
export function textObject(t) {
  if (!t) return "";
  if (typeof t === "string") return plainText(t);
  if (t.type === "mrkdwn") return mrkdwn(t.text);
  return plainText(t.text, t.emoji !== false);
}

export function plainText(text, withEmoji = true) {
  const html = escapeHtml(text ?? "").replace(/\n/g, "<br>");
  return withEmoji ? emojify(html) : html;
}

// The words of a text object without markup (titles, labels, alt text).
export function textOf(t) {
  if (!t) return "";
  return typeof t === "string" ? t : String(t.text ?? "");
}

// ---- rich_text (what Slack's composer sends) ------------------------------

export function richText(block) {
  return (block.elements || []).map(richPart).join("");
}

function richPart(part) {
  switch (part.type) {
    case "rich_text_section":
      return `<div class="rt-section">${richInline(part.elements)}</div>`;
    case "rich_text_quote":
      return `<blockquote>${richInline(part.elements)}</blockquote>`;
    case "rich_text_preformatted":
      return `<pre class="pre">${richInline(part.elements, true)}</pre>`;
    case "rich_text_list": {
      const tag = part.style === "ordered" ? "ol" : "ul";
      const items = (part.elements || []).map((item) => `<li>${richInline(item.elements)}</li>`).join("");
      const start = part.offset ? ` start="${Number(part.offset) + 1}"` : "";
      return `<${tag} class="rt-list indent-${Number(part.indent) || 0}"${start}>${items}</${tag}>`;
    }
    default:
      return part.elements ? `<div class="rt-section">${richInline(part.elements)}</div>` : "";
  }
}

function richInline(elements, pre = false) {
  return (elements || []).map((el) => styled(richElement(el, pre), el.style)).join("");
}

function richElement(el, pre) {
  switch (el.type) {
    case "text": {
      const html = escapeHtml(el.text || "");
      return pre ? html : html.replace(/\n/g, "<br>");
    }
    case "link": {
      const href = safeUrl(el.url);
      const text = escapeHtml(el.text || el.url || "");
      return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
    }
    case "user":
      return mention(el.user_id);
    case "usergroup":
      return `<span class="mention">@${escapeHtml(el.usergroup_id)}</span>`;
    case "channel":
      return channelLink(el.channel_id);
    case "broadcast":
      return `<span class="mention broadcast">@${escapeHtml(el.range)}</span>`;
    case "emoji": {
      const char = emojiChar(el.name, el.unicode);
      return char ? `<span class="emoji" title=":${escapeHtml(el.name)}:">${char}</span>` : `:${escapeHtml(el.name)}:`;
    }
    case "date":
      return escapeHtml(el.fallback || "");
    case "color":
      return `<span class="color-chip" style="background:${/^#[0-9a-f]{3,8}$/i.test(el.value) ? el.value : "#ccc"}"></span>${escapeHtml(el.value)}`;
    default:
      return escapeHtml(el.text || "");
  }
}

function styled(html, style) {
  if (!style) return html;
  let out = html;
  if (style.code) out = `<code>${out}</code>`;
  if (style.bold) out = `<b>${out}</b>`;
  if (style.italic) out = `<i>${out}</i>`;
  if (style.strike) out = `<s>${out}</s>`;
  return out;
}
