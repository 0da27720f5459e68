"""Slack Web API methods answered from the in-memory workspace.

Each handler takes the merged request arguments and returns the body Slack
would send (without `ok`); failures raise `ApiError(code)`, which the
dispatcher turns into HTTP 200 `{"ok": false, "error": code}` like Slack.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from localslack import params as p
from localslack.assistant import AssistantApi
from localslack.blocks import MESSAGE_BLOCKS, check_blocks
from localslack.files import FilesApi
from localslack.oauth import OAuthApi
from localslack.params import ApiError
from localslack.ratelimit import RateLimiter
from localslack.responses import ResponseUrls
from localslack.shapes import bot_message
from localslack.state import BOT_ID, BOT_USER_ID, WorkspaceState, format_ts
from localslack.views import Triggers, ViewsApi, ViewStore

Handler = Callable[[dict], dict]
Reply = tuple[int, dict[str, str], dict]
# Methods that take only an app-level (xapp-) token; every other method refuses one.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


class WebApi:
    """Dispatch, token check and rate limits in front of one handler per method."""

    def __init__(
        self,
        state: WorkspaceState,
        *,
        bot_token: str,
        app_token: str,
        base_url: Callable[[], str],
        on_bot_message: Callable[[dict], None],
        socket_url: Callable[[], str],
    ) -> None:
        self.state = state
        self.bot_token = bot_token
        self.app_token = app_token
        self.base_url = base_url
        self.on_bot_message = on_bot_message
        self.rate_limits = RateLimiter()
        self.oauth = OAuthApi(state, bot_token=bot_token)
        self.files = FilesApi(state, base_url=base_url, post=self._store_bot_message)
        self.triggers = Triggers()
        self.assistant = AssistantApi(state)
        self.view_store = ViewStore(state, self.check_blocks)
        self.views = ViewsApi(state, self.view_store, self.triggers)
        self.responses = ResponseUrls(
            state,
            base_url=base_url,
            post=self._store_bot_message,
            delete=self.delete_message,
            check_blocks=self.check_blocks,
        )
        self.methods: dict[str, Handler] = {
            "apps.connections.open": lambda args: {"url": socket_url()},
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.delete": self.chat_delete,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "conversations.info": self.conversations_info,
            "users.info": self.users_info,
            "reactions.add": lambda args: self._react(args, add=True),
            "reactions.remove": lambda args: self._react(args, add=False),
            **self.oauth.methods(),
            **self.files.methods(),
            **self.views.methods(),
            **self.assistant.methods(),
        }

    def handle(self, method: str, args: dict, authorization: str | None) -> Reply:
        """Answer one call: (HTTP status, extra headers, JSON body)."""
        handler = self.methods.get(method)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        if method in self.oauth.methods():  # the app's client id and secret stand in for a token
            return self.oauth.answer(handler, args, authorization)
        token = args.get("token") or _bearer(authorization)
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        if token not in (self.bot_token, self.app_token):
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        if (token == self.app_token) != (method in APP_TOKEN_METHODS):
            return 200, {}, {"ok": False, "error": "not_allowed_token_type"}
        retry_after = self.rate_limits.check(method)
        if retry_after is not None:
            return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
        try:
            return 200, {}, {"ok": True, **handler(args)}
        except ApiError as error:
            return 200, {}, error.body()

    # ---- auth / directory ------------------------------------------------

    def auth_test(self, args: dict) -> dict:
        team = self.state.team
        return {
            "url": self.base_url(),
            "team": team["name"],
            "user": "slate",
            "team_id": team["id"],
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def users_info(self, args: dict) -> dict:
        user = self.state.user(p.text(args, "user"))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user}

    def conversations_info(self, args: dict) -> dict:
        channel = self.state.channel(self._channel(args))
        channel.pop("members", None)
        channel["is_member"] = self.state.is_member(channel["id"], BOT_USER_ID)
        return {"channel": channel}

    # ---- chat ------------------------------------------------------------

    def chat_post_message(self, args: dict) -> dict:
        channel = self._channel(args)
        if not self.state.is_member(channel, BOT_USER_ID):
            raise ApiError("not_in_channel")
        message = self._content(args, bot_message(p.text(args, "text")))
        thread_ts = p.ts(args, "thread_ts", "invalid_thread_ts")
        if thread_ts:
            parent = self.state.message(channel, thread_ts)
            if parent is None:
                # Stricter than Slack, which answers ok and the reply is never seen (python-slack-sdk #840).
                raise ApiError("thread_not_found")
            message["thread_ts"] = parent.get("thread_ts") or parent["ts"]  # a reply's ts means its thread
            if p.flag(args, "reply_broadcast"):
                message["subtype"] = "thread_broadcast"
        stored = self._store_bot_message(channel, message)
        return {"channel": channel, "ts": stored["ts"], "message": _without_channel(stored)}

    def _bots_own_message(self, args: dict, refusal: str) -> tuple[str, str, dict]:
        """(channel, ts, message) of the message ``args`` names; a bot may only change its own."""
        channel = self._channel(args)
        ts = p.ts(args, "ts", "message_not_found")
        current = self.state.message(channel, ts) if ts else None
        if current is None:
            raise ApiError("message_not_found")
        if current.get("bot_id") != BOT_ID:
            raise ApiError(refusal)
        return channel, ts, current

    def chat_update(self, args: dict) -> dict:
        channel, ts, _ = self._bots_own_message(args, "cant_update_message")
        changes = self._content(args, {})
        changes["edited"] = {"user": BOT_USER_ID, "ts": format_ts(time.time_ns() // 1000)}
        updated = self.state.update_message(channel, ts, changes)
        text = updated.get("text", "")
        return {"channel": channel, "ts": ts, "text": text, "message": _without_channel(updated)}

    def chat_post_ephemeral(self, args: dict) -> dict:
        channel = self._channel(args)
        user = p.text(args, "user")
        if self.state.user(user) is None:
            raise ApiError("user_not_found")
        if not self.state.is_member(channel, user):
            raise ApiError("user_not_in_channel")
        message = self._content(args, bot_message(p.text(args, "text")))
        message["recipient"] = user
        thread_ts = p.ts(args, "thread_ts", "invalid_thread_ts")
        if thread_ts:
            message["thread_ts"] = thread_ts
        return {"message_ts": self.state.add_ephemeral(channel, message)["ts"]}

    def chat_delete(self, args: dict) -> dict:
        channel, ts, _ = self._bots_own_message(args, "cant_delete_message")
        self.delete_message(channel, ts)
        return {"channel": channel, "ts": ts}

    def delete_message(self, channel: str, ts: str) -> None:
        """Delete a message as Slack does: one with replies stays, as a tombstone above its thread."""
        current = self.state.message(channel, ts)
        if current is not None and current.get("reply_count"):
            tombstone = {
                "subtype": "tombstone",
                "text": "This message was deleted.",
                "hidden": True,
                "user": "USLACKBOT",
                "bot_id": None,
                "blocks": None,
                "files": None,
            }
            self.state.update_message(channel, ts, tombstone)
        else:
            self.state.delete_message(channel, ts)

    # ---- conversations ---------------------------------------------------

    def conversations_history(self, args: dict) -> dict:
        """Top-level messages, newest first, between `oldest` and `latest`."""
        channel = self._channel(args)
        messages = list(reversed(self.state.top_level(channel)))
        oldest = p.ts(args, "oldest", "invalid_ts_oldest")
        latest = p.ts(args, "latest", "invalid_ts_latest")
        inclusive = p.flag(args, "inclusive")
        if oldest:
            messages = [m for m in messages if m["ts"] > oldest or (inclusive and m["ts"] == oldest)]
        if latest:
            messages = [m for m in messages if m["ts"] < latest or (inclusive and m["ts"] == latest)]
        start = p.decode_cursor(args.get("cursor"))
        if start:
            messages = [m for m in messages if m["ts"] <= start]
        page = _page(messages, p.integer(args, "limit", 100, maximum=999), args)
        page["pin_count"] = 0
        return page

    def conversations_replies(self, args: dict) -> dict:
        """The parent, then its replies oldest first; `ts` may name the parent or any reply."""
        channel = self._channel(args)
        ts = p.ts(args, "ts", "thread_not_found")
        message = self.state.message(channel, ts) if ts else None
        if message is None:
            raise ApiError("thread_not_found")
        messages = self.state.thread(channel, message.get("thread_ts") or message["ts"])
        start = p.decode_cursor(args.get("cursor"))
        if start:
            messages = [m for m in messages if m["ts"] >= start]
        return _page(messages, p.integer(args, "limit", 1000, maximum=1000), args)

    # ---- reactions -------------------------------------------------------

    def _react(self, args: dict, *, add: bool) -> dict:
        channel = self._channel(args)
        ts = p.ts(args, "timestamp", "message_not_found")
        name = p.text(args, "name").strip(":")
        if not name:
            raise ApiError("invalid_name")
        error = self.state.react(channel, ts or "", name, BOT_USER_ID, add)
        if error:
            raise ApiError(error)
        return {}

    # ---- helpers ---------------------------------------------------------

    def _channel(self, args: dict) -> str:
        channel = self.state.resolve_channel(args.get("channel"))
        if channel is None:
            raise ApiError("channel_not_found")
        return channel

    def _content(self, args: dict, message: dict) -> dict:
        """Copy text / blocks / attachments / metadata in; Slack refuses a message with none of them."""
        blocks = self.check_blocks(p.json_value(args, "blocks", "invalid_blocks"), MESSAGE_BLOCKS)
        attachments = p.json_value(args, "attachments", "invalid_attachments")
        if not (p.text(args, "text") or blocks or attachments):
            raise ApiError("no_text")
        if "text" in args:
            message["text"] = p.text(args, "text")
        if blocks is not None:
            message["blocks"] = blocks
        if attachments:
            message["attachments"] = attachments
        metadata = p.metadata(args)
        if metadata:
            message["metadata"] = metadata
        return message

    def check_blocks(self, blocks: object, limit: int) -> list | None:
        """Blocks as given, once Block Kit's rules pass (None when there are none)."""
        if blocks is None:
            return None
        return check_blocks(
            blocks, limit=limit, slack_file_ok=lambda ref: self.files.file_id_for(ref) is not None
        )

    def _store_bot_message(self, channel: str, message: dict) -> dict:
        """Store a bot post and let the facade deliver its `message` event, as Slack echoes them."""
        stored = self.state.add_message(channel, message)
        self.assistant.replied(channel, stored.get("thread_ts"))
        self.on_bot_message(stored)
        return stored


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _without_channel(message: dict) -> dict:
    return {k: v for k, v in message.items() if k != "channel"}


def _page(messages: list[dict], limit: int, args: dict) -> dict:
    """One page plus Slack's has_more / response_metadata.next_cursor; metadata only when asked."""
    page, rest = messages[:limit], messages[limit:]
    if not p.flag(args, "include_all_metadata"):
        for message in page:
            message.pop("metadata", None)
    for message in page:
        message.pop("channel", None)
    body: dict = {"messages": page, "has_more": bool(rest)}
    body["response_metadata"] = {"next_cursor": p.encode_cursor(rest[0]["ts"]) if rest else ""}
    return body
