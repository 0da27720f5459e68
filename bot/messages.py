"""Plain messages: a person's message in their DM with Slate is a direction; others are acknowledged.

Slack sends no ``app_mention`` for a direct message, so a DM is read as addressed to Slate:
its job was written before the ack (``bot/dedup.py``) and is taken on like a mention's.
Channel messages without a mention are acknowledged so Slack counts the delivery as handled
(an unhandled event would get a 404 and be retried).
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.parts import BotParts


def register(app: App, parts: BotParts) -> None:
    @app.event("message")
    def on_message(context: BoltContext, client: WebClient) -> None:
        job = context.get("job")
        if job is not None:
            parts.take_on(client, job, context.team_id or "")
