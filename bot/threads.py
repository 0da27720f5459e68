"""What was said earlier in a thread, so "make her cloak red" knows who "her" is."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.text import plain_text

log = logging.getLogger(__name__)
HISTORY_LIMIT = 50


def thread_history(
    client: WebClient, channel: str, thread_ts: str, current_ts: str, bot_user_id: str | None
) -> tuple[str, ...]:
    """People's messages in the thread before this one, oldest first; the bot's own are left out."""
    if thread_ts == current_ts:
        return ()  # a top-level mention: the thread starts here
    try:
        replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=HISTORY_LIMIT)
    except SlackApiError as error:  # e.g. a missing channels:history scope: carry on without it
        log.warning("could not read thread %s: %s", thread_ts, error.response.get("error"))
        return ()
    messages = [m for m in replies.get("messages", []) if not m.get("bot_id") and m.get("ts") != current_ts]
    return tuple(text for m in messages if (text := plain_text(m.get("text", ""), bot_user_id)))
