"""response_url: how an app answers an interaction or a slash command after its ack.

Every button press, shortcut and slash command carries one URL, good for 5
uses within 30 minutes. The app POSTs JSON `{text, blocks, response_type,
replace_original, delete_original, thread_ts}` to it, and Slack:

- deletes the original message (`delete_original`), or
- replaces its text and blocks (`replace_original`): only a bot's own message
  or the ephemeral message the person saw, or
- shows a new message: `response_type: "in_channel"` posts it into the channel
  as the bot, for everyone; otherwise (the default) it is ephemeral, for the
  person who acted only.

The same rules show a slash command's ack body (`show`).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from localslack.blocks import MESSAGE_BLOCKS
from localslack.params import ApiError
from localslack.shapes import bot_message
from localslack.state import BOT_ID, TEAM_ID, WorkspaceState

MAX_USES = 5
TTL_S = 30 * 60.0
Reply = tuple[int, dict]


@dataclass
class ResponseTarget:
    """Where one response_url's answers go: the person, the channel and the original message."""

    user: str
    channel: str
    message_ts: str | None = None
    is_ephemeral: bool = False
    issued: float = field(default_factory=time.monotonic)
    uses: int = 0


class ResponseUrls:
    """Issues response URLs and applies what the app posts to them."""

    def __init__(
        self,
        state: WorkspaceState,
        *,
        base_url: Callable[[], str],
        post: Callable[[str, dict], dict],
        delete: Callable[[str, str], None],
        check_blocks: Callable[[Any, int], Any],
    ) -> None:
        self.state = state
        self.base_url = base_url
        self.post = post
        self.delete = delete
        self.check_blocks = check_blocks
        self.max_uses = MAX_USES
        self.ttl_s = TTL_S
        self._lock = threading.Lock()
        self._targets: dict[str, ResponseTarget] = {}
        self._seq = 0

    def issue(self, kind: str, target: ResponseTarget) -> str:
        """A URL like Slack's `https://hooks.slack.com/actions/T…/123/abc` (`kind`: actions / commands)."""
        with self._lock:
            now = time.monotonic()
            self._targets = {k: t for k, t in self._targets.items() if now - t.issued <= self.ttl_s}
            self._seq += 1
            path = f"{kind}/{TEAM_ID}/{self._seq}{secrets.randbelow(10**6):06d}/{secrets.token_urlsafe(18)}"
            self._targets[path] = target
        return self.base_url() + path

    def answer(self, path: str, body: bytes) -> Reply:
        """One POST to a response URL (path without the leading slash): HTTP status and JSON body."""
        with self._lock:
            target = self._targets.get(path)
            if target is None or time.monotonic() - target.issued > self.ttl_s:
                return 404, {"ok": False, "error": "expired_url"}
            if target.uses >= self.max_uses:
                return 404, {"ok": False, "error": "used_url"}
        try:
            content = json.loads(body or b"{}")
        except ValueError:
            return 400, {"ok": False, "error": "invalid_payload"}
        if not isinstance(content, dict):
            return 400, {"ok": False, "error": "invalid_payload"}
        try:
            self._apply(target, content)
        except ApiError as error:
            return 400, error.body()
        with self._lock:
            target.uses += 1
        return 200, {"ok": True}

    def show(self, user: str, channel: str, content: dict, *, thread_ts: str | None = None) -> dict | None:
        """A new message from the bot: in the channel for `in_channel`, else only for `user`.

        None when `content` has nothing to show (no text, blocks or attachments).
        """
        message = self._content(content)
        if message is None:
            return None
        thread_ts = thread_ts or content.get("thread_ts") or None
        if thread_ts:
            message["thread_ts"] = thread_ts
        if content.get("response_type") == "in_channel":
            return self.post(channel, message)
        message["recipient"] = user
        return self.state.add_ephemeral(channel, message)

    # ---- internals -------------------------------------------------------

    def _apply(self, target: ResponseTarget, content: dict) -> None:
        if content.get("delete_original"):
            self._change_original(target, None)
        elif content.get("replace_original"):
            message = self._content(content)
            if message is None:
                raise ApiError("no_text")
            changes = {
                "text": message.get("text", ""),
                "blocks": message.get("blocks"),
                "attachments": message.get("attachments"),
            }
            self._change_original(target, changes)
        elif self.show(target.user, target.channel, content) is None:
            raise ApiError("no_text")

    def _change_original(self, target: ResponseTarget, changes: dict | None) -> None:
        """Replace (changes) or delete (None) the message the interaction came from."""
        if target.message_ts is None:
            raise ApiError("message_not_found")
        if target.is_ephemeral:
            if changes is None:
                done = self.state.delete_ephemeral(target.channel, target.message_ts, target.user)
            else:
                done = self.state.update_ephemeral(target.channel, target.message_ts, target.user, changes)
            if not done:
                raise ApiError("message_not_found")
            return
        original = self.state.message(target.channel, target.message_ts)
        if original is None:
            raise ApiError("message_not_found")
        if original.get("bot_id") != BOT_ID:
            raise ApiError("cant_update_message" if changes is not None else "cant_delete_message")
        if changes is None:
            self.delete(target.channel, target.message_ts)
        else:
            self.state.update_message(target.channel, target.message_ts, changes)

    def _content(self, content: dict) -> dict | None:
        """A bot message from `text` / `blocks` / `attachments`, blocks checked as for chat.postMessage."""
        text = content.get("text")
        blocks = self.check_blocks(content.get("blocks"), MESSAGE_BLOCKS)
        attachments = content.get("attachments")
        if not (text or blocks or attachments):
            return None
        message = bot_message(str(text or ""))
        if blocks:
            message["blocks"] = blocks
        if attachments:
            message["attachments"] = attachments
        return message
