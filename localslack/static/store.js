// What the page knows and who it acts as; app.js owns the changes, every renderer reads here.

export const S = {
  state: null, // the last full answer of /ui/state
  version: -1, // its version; -1 asks for everything
  me: null, // the person the page acts as (user id)
  channelId: null, // the channel or DM shown
  thread: null, // ts of the open thread
  homeOpen: false, // whether Slate's App Home is shown
  contextSig: "", // what every message's look also depends on (names, me)
};

// Set by app.js: what a renderer may ask the page to do.
export const page = {
  pollNow: () => {},
  openThread: (ts) => {},
  goToChannel: (id) => {},
};

export function user(id) {
  return (S.state && S.state.users && S.state.users[id]) || null;
}

export function userName(id) {
  const found = user(id);
  return found ? found.real_name || found.name || id : id;
}

export function channelName(id) {
  const state = S.state;
  const found = state && (state.channels || []).find((c) => c.id === id);
  return found ? found.name : null;
}

export function botId() {
  return (S.state && S.state.bot_user_id) || "U0SLATEBOT";
}
