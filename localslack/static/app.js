// The local workspace's page: polls /ui/state, draws the sidebar, the channel, the thread,
// App Home and the top modal, and turns a person's acts into the workspace's POSTs.

import {hideToast, postJson} from "./api.js";
import {answerConfirm, clearPending, closeOverflowMenu, renderBlocks} from "./blocks.js";
import {Composer} from "./compose.js";
import {$, beginRender, h, memo, placeChildren, sweep} from "./dom.js";
import {avatar, introNode, messageNodes, replyCountNode} from "./messages.js";
import {close as closeModal, modalOpen, renderModal} from "./modal.js";
import {S, botId, page, userName} from "./store.js";

const POLL_MS = 700;
const USER_KEY = "slate.localslack.user";

// ---- where the page starts ------------------------------------------------------

function threadFromHash() {
  const found = location.hash.match(/^#thread=([0-9.]+)$/);
  return found ? found[1] : null;
}

function startingUser() {
  const fromUrl = new URLSearchParams(location.search).get("user");
  try {
    return fromUrl || localStorage.getItem(USER_KEY) || null;
  } catch {
    return fromUrl || null;
  }
}

function rememberUser(id) {
  try {
    localStorage.setItem(USER_KEY, id);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

S.me = startingUser();
S.channelId = new URLSearchParams(location.search).get("channel") || null;
S.thread = threadFromHash();

// ---- polling ------------------------------------------------------------------

let timer = null;
let inFlight = false;
let again = false;
let reachable = true;
let wantDm = false;

async function poll() {
  if (inFlight) {
    again = true;
    return;
  }
  clearTimeout(timer);
  inFlight = true;
  const asked = {me: S.me, channel: S.channelId};
  try {
    const params = new URLSearchParams({since: String(S.version)});
    if (asked.me) params.set("user", asked.me);
    if (asked.channel) params.set("channel", asked.channel);
    const response = await fetch(`/ui/state?${params}`, {cache: "no-store"});
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const next = await response.json();
    reachable = true;
    if (asked.me !== S.me || asked.channel !== S.channelId) again = true; // switched meanwhile: ask anew
    else if (next.changed) accept(next);
  } catch {
    if (reachable) S.version = -1; // redraw everything once it answers again
    reachable = false;
    showConnection();
  } finally {
    inFlight = false;
    repin();
    if (again) {
      again = false;
      poll();
    } else {
      timer = setTimeout(poll, reachable ? POLL_MS : POLL_MS * 3);
    }
  }
}

page.pollNow = () => {
  clearTimeout(timer);
  poll();
};

function accept(next) {
  next.channel = next.channel || {id: S.channelId || "", name: ""};
  S.state = next;
  S.version = next.version;
  if (next.me && next.me !== S.me) {
    S.me = next.me;
    rememberUser(next.me);
  }
  if (next.channel && next.channel.id) S.channelId = next.channel.id;
  S.contextSig = JSON.stringify([next.me, next.users, next.channels]);
  clearPending();
  if (wantDm) {
    wantDm = false;
    const dm = visibleDms()[0];
    if (dm && dm.id !== S.channelId) {
      goToChannel(dm.id);
      return;
    }
  }
  render();
}

// ---- drawing --------------------------------------------------------------------

function render() {
  if (!S.state) return;
  beginRender();
  renderTopbar();
  renderSidebar();
  renderChannel();
  renderThread();
  renderHome();
  renderModal(S.state.views || []);
  sweep();
}

function showConnection() {
  const status = $("bot-status");
  const connected = reachable && S.state && S.state.bot_connected;
  const text = !reachable ? "Workspace server unreachable" : connected ? "Slate is connected" : "Slate is not connected";
  status.className = !reachable ? "unreachable" : connected ? "connected" : "disconnected";
  status.title = text;
  status.querySelector(".label").textContent = text;
}

function renderTopbar() {
  const state = S.state;
  $("topbar-team").textContent = state.team ? state.team.name : "Slate Local";
  showConnection();
  const people = state.people || [];
  const switcher = $("user-switcher");
  const signature = JSON.stringify(people);
  if (switcher.dataset.signature !== signature) {
    switcher.replaceChildren(...people.map((p) =>
      h("option", {value: p.id}, p.title ? `${p.real_name || p.name} · ${p.title}` : p.real_name || p.name)));
    switcher.dataset.signature = signature;
  }
  if (switcher.value !== S.me) switcher.value = S.me;
  const me = people.find((p) => p.id === S.me);
  switcher.title = me ? `Acting as ${me.real_name || me.name}${me.title ? `, ${me.title}` : ""}` : "";
  const meAvatar = $("me-avatar");
  meAvatar.replaceChildren(memo(`me:${S.me}`, S.contextSig, () => avatar(S.me, "small")));
}

function visibleDms() {
  const state = S.state;
  if (!state) return [];
  return (state.dms || []).filter((d) => !d.user || d.user === state.me || d.user === state.bot_user_id);
}

function dmLabel(dm) {
  const other = dm && dm.user && dm.user !== S.me ? dm.user : botId();
  return userName(other);
}

function currentDm() {
  const state = S.state;
  const shown = state.channel || {};
  return (state.dms || []).find((d) => d.id === shown.id) || (shown.is_im ? {id: shown.id, user: botId()} : null);
}

function renderSidebar() {
  const state = S.state;
  $("team-name").textContent = state.team ? state.team.name : "Slate Local";
  const active = S.homeOpen ? "home" : S.channelId;
  const channelsSig = JSON.stringify([state.channels, active]);
  placeChildren($("channel-list"), (state.channels || []).map((c) =>
    memo(`side:c:${c.id}`, channelsSig, () => h("a", {href: "#", "data-channel": c.id, class: c.id === active ? "active" : ""},
      h("span", {class: "hash", "aria-hidden": "true"}, "#"), h("span", {class: "name"}, c.name)))));
  const dmsSig = JSON.stringify([state.dms, active, S.contextSig, state.bot_connected]);
  placeChildren($("dm-list"), visibleDms().map((d) =>
    memo(`side:d:${d.id}`, dmsSig, () => h("a", {href: "#", "data-channel": d.id, class: d.id === active ? "active" : ""},
      avatar(d.user && d.user !== S.me ? d.user : botId(), "tiny"),
      h("span", {class: "name"}, dmLabel(d)),
      h("span", {class: ["presence", state.bot_connected && "online"], "aria-hidden": "true"})))));
  const homeLink = document.querySelector("a[data-home]");
  homeLink.classList.toggle("active", S.homeOpen);
  $("home-link-avatar").replaceChildren(memo("side:home-avatar", S.contextSig, () => avatar(botId(), "tiny")));
}

function renderChannel() {
  const state = S.state;
  const dm = currentDm();
  const name = dm ? dmLabel(dm) : state.channel.name;
  const title = $("channel-title");
  const titleSig = `${state.channel.id}|${name}|${S.contextSig}`;
  if (title.dataset.signature !== titleSig) {
    title.replaceChildren(...(dm ? [avatar(dm.user && dm.user !== S.me ? dm.user : botId(), "small"), h("span", {}, name)]
      : [h("span", {class: "hash"}, "#"), h("span", {}, ` ${name}`)]));
    title.dataset.signature = titleSig;
  }
  document.title = `${dm ? name : `#${name}`} — ${state.team ? state.team.name : "Slate Local"}`;
  composers.channel.setPlaceholder(dm ? `Message ${name}` : `Message #${name}`);
  $("thread-channel").textContent = dm ? name : `#${name}`;
  const ephemeral = (state.ephemeral || []).filter((e) => !e.thread_ts);
  const nodes = [introNode(state), ...messageNodes(state.messages || [], ephemeral, {pane: "channel"})];
  placeMessages($("channel-messages"), nodes, state.channel.id);
}

function renderThread() {
  const state = S.state;
  const pane = $("thread");
  const parent = S.thread && !S.homeOpen && (state.messages || []).find((m) => m.ts === S.thread);
  pane.hidden = !parent;
  document.body.classList.toggle("thread-open", Boolean(parent));
  if (!parent) return;
  const replies = (state.threads || {})[S.thread] || [];
  const ephemeral = (state.ephemeral || []).filter((e) => e.thread_ts === S.thread);
  const nodes = [
    ...messageNodes([parent], [], {pane: "thread-parent", inThread: true}),
    replyCountNode(parent.reply_count || replies.length),
    ...messageNodes(replies, ephemeral, {pane: "thread", inThread: true}),
  ];
  placeMessages($("thread-messages"), nodes, `${state.channel.id}:${S.thread}`);
}

function renderHome() {
  const home = $("home");
  home.hidden = !S.homeOpen;
  $("channel-view").hidden = S.homeOpen;
  document.body.classList.toggle("home-open", S.homeOpen);
  $("home-avatar").replaceChildren(memo("home:avatar", S.contextSig, () => avatar(botId(), "small")));
  if (!S.homeOpen) return;
  const view = S.state.home;
  const nodes = view && view.blocks
    ? renderBlocks(view.blocks, {kind: "view", viewId: view.id}, `home:${view.id || ""}`)
    : [memo(`home:empty:${S.state.bot_connected}`, "", () => h("div", {class: "empty"},
      S.state.bot_connected ? "Opening Slate’s Home…" : "Slate is not connected, so it has published no Home yet."))];
  placeChildren($("home-blocks"), nodes);
}

// New nodes in a message list; it stays at the bottom if it was there, else where it was.
function placeMessages(container, nodes, place) {
  const switched = container.dataset.place !== place;
  const pinned = switched || container.pinned !== false;
  const top = container.scrollTop;
  placeChildren(container, nodes);
  container.dataset.place = place;
  if (pinned) {
    container.scrollTop = container.scrollHeight;
    container.pinned = true;
  } else {
    container.scrollTop = top;
  }
}

// Late growth (fonts, images) moves no scrollbar: a list pinned to the bottom goes back there.
function repin() {
  for (const container of [$("channel-messages"), $("thread-messages")]) {
    if (container.pinned !== false) container.scrollTop = container.scrollHeight;
  }
}

function keepPinned(container) {
  container.addEventListener("scroll", () => {
    container.pinned = container.scrollHeight - container.scrollTop - container.clientHeight < 10;
  });
  container.addEventListener("load", () => {
    if (container.pinned !== false) container.scrollTop = container.scrollHeight;
  }, true);
}

// ---- going places -----------------------------------------------------------------

const drafts = new Map();

function goToChannel(id) {
  closeDrawer();
  if (id === S.channelId && !S.homeOpen) return;
  const box = composers.channel.box;
  if (S.channelId) drafts.set(S.channelId, box.value);
  box.value = drafts.get(id) || "";
  composers.channel.grow();
  composers.channel.refresh();
  S.homeOpen = false;
  S.channelId = id;
  S.version = -1;
  closeThread({quiet: true});
  for (const link of document.querySelectorAll("#sidebar a")) link.classList.toggle("active", link.dataset.channel === id);
  if (S.state) render();
  page.pollNow();
}

page.goToChannel = goToChannel;

function openHome() {
  closeDrawer();
  S.homeOpen = true;
  closeThread({quiet: true});
  render();
  postJson("/ui/home", {user: S.me}); // Slack's app_home_opened, every time it is opened
}

function openThread(ts) {
  S.thread = ts;
  S.homeOpen = false;
  if (threadFromHash() !== ts) location.hash = `thread=${ts}`;
  render();
  const box = composers.thread.box;
  if (!$("thread").hidden) box.focus({preventScroll: true});
}

page.openThread = openThread;

function closeThread({quiet = false} = {}) {
  S.thread = null;
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  if (!quiet) render();
}

function switchUser(id) {
  if (!id || id === S.me) return;
  const wasDm = Boolean(S.state && currentDm());
  S.me = id;
  rememberUser(id);
  S.version = -1;
  if (wasDm) {
    S.channelId = null;
    wantDm = true;
  }
  composers.channel.clear(true);
  composers.thread.clear(true);
  if (S.homeOpen) postJson("/ui/home", {user: id});
  page.pollNow();
}

function openDrawer() {
  document.body.classList.add("drawer-open");
  $("backdrop").hidden = false;
  $("menu-toggle").setAttribute("aria-expanded", "true");
}

function closeDrawer() {
  document.body.classList.remove("drawer-open");
  $("backdrop").hidden = true;
  $("menu-toggle").setAttribute("aria-expanded", "false");
}

// ---- lightbox ---------------------------------------------------------------------

function openLightbox(img) {
  const box = $("lightbox");
  box.querySelector("img").src = img.currentSrc || img.src;
  box.querySelector("img").alt = img.alt;
  box.querySelector(".lightbox-caption").textContent = img.alt || "";
  box.hidden = false;
}

function closeLightbox() {
  const box = $("lightbox");
  if (box.hidden) return false;
  box.hidden = true;
  return true;
}

// ---- wiring -------------------------------------------------------------------------

const composers = {
  channel: new Composer($("channel-compose"), () => null),
  thread: new Composer($("thread-compose"), () => S.thread),
};

keepPinned($("channel-messages"));
keepPinned($("thread-messages"));
if (document.fonts) document.fonts.ready.then(repin);

document.addEventListener("click", (event) => {
  const target = event.target;
  const channelLink = target.closest("a[data-channel], a[data-goto-channel]");
  if (channelLink) {
    event.preventDefault();
    goToChannel(channelLink.dataset.channel || channelLink.dataset.gotoChannel);
    return;
  }
  if (target.closest("a[data-home]")) {
    event.preventDefault();
    openHome();
    return;
  }
  if (target.closest("#lightbox")) {
    closeLightbox();
    return;
  }
  const picture = target.closest("img.image, .file img");
  if (picture) openLightbox(picture);
});

$("thread-close").addEventListener("click", () => closeThread());
$("thread-back").addEventListener("click", () => closeThread());
$("home-back").addEventListener("click", () => S.channelId && goToChannel(S.channelId));
$("home-messages").addEventListener("click", (event) => {
  event.preventDefault();
  const dm = visibleDms()[0];
  if (dm) goToChannel(dm.id);
});
$("user-switcher").addEventListener("change", (event) => switchUser(event.target.value));
$("menu-toggle").addEventListener("click", () =>
  document.body.classList.contains("drawer-open") ? closeDrawer() : openDrawer());
$("backdrop").addEventListener("click", closeDrawer);
$("toast").querySelector(".toast-close").addEventListener("click", hideToast);
$("modal-root").addEventListener("mousedown", (event) => {
  if (event.target.id === "modal-root") event.preventDefault();
});

window.addEventListener("hashchange", () => {
  const ts = threadFromHash();
  if (ts === S.thread) return;
  S.thread = ts;
  if (ts) S.homeOpen = false;
  render();
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  if (answerConfirm(false) || closeLightbox() || closeOverflowMenu()) return;
  if (modalOpen()) {
    event.preventDefault();
    closeModal();
    return;
  }
  if (document.body.classList.contains("drawer-open")) closeDrawer();
});

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) page.pollNow();
});

poll();
