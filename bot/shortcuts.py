"""The message shortcut "Make a shot from this": any message (a script excerpt, a note) directs.

The message's text becomes a direction in that message's thread, as if the person had
mentioned Slate there with it, with the same placeholder and queue a mention gets.
"""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.parts import BotParts, Where, tell
from bot.text import plain_text

MAKE_SHOT = "make_shot_from_message"


def register(app: App, parts: BotParts) -> None:
    @app.shortcut(MAKE_SHOT)
    def on_make_shot(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        message = shortcut.get("message") or {}
        where = Where(
            (shortcut.get("team") or {}).get("id", ""),
            (shortcut.get("channel") or {}).get("id", ""),
            message.get("thread_ts") or message.get("ts") or shortcut.get("message_ts", ""),
            (shortcut.get("user") or {}).get("id", ""),
        )
        text = plain_text(message.get("text") or "", context.bot_user_id)
        if not text:
            tell(client, where, "That message has no text to make a shot from.")
            return
        if parts.refuse(client, where, "direct"):
            return
        parts.start_job(where, text, {"from_message": message.get("ts", "")})
