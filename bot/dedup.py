"""Middleware: each Slack event that asks for work becomes one job, once.

Slack resends an event (same ``event_id``) when it saw no 2xx within 3 seconds, and a timeout
retry can arrive while the first delivery is still being worked on. The job is written in the
same ledger transaction that claims the event id, before Bolt acknowledges the delivery: a
redelivery of an event whose job exists is acknowledged and dropped (start-up finishes that
job if the process died), and one whose first delivery died before the write is taken on.
Events Slate only acknowledges (plain channel messages) are not stored at all.

Work is a mention, or a person's message in their DM with Slate: Slack never sends
``app_mention`` for a direct message (``message.im`` only), and everything written there is
addressed to Slate. Replies in a DM's threads are the assistant's (``bot/assistant.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltResponse

from bot.runner import direction_text
from memory.ledger import JobBook, ThreadRef

log = logging.getLogger(__name__)


def asks_for_work(event: object) -> bool:
    """A mention, or a person's top-level message (with or without files) in a DM with Slate."""
    if not isinstance(event, dict):
        return False
    if event.get("type") == "app_mention":
        return True
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and event.get("subtype") in (None, "file_share")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and not event.get("thread_ts")
    )


def event_jobs(jobs: JobBook) -> Callable[..., BoltResponse | None]:
    def middleware(body: dict, context: dict, next: Callable[[], None]) -> BoltResponse | None:
        event = body.get("event") if body.get("type") == "event_callback" else None
        event_id = body.get("event_id")
        if not asks_for_work(event) or not event_id:
            return next()
        thread = ThreadRef(
            team_id=context.get("team_id") or body.get("team_id") or "",
            channel_id=str(event.get("channel", "")),
            thread_ts=str(event.get("thread_ts") or event.get("ts", "")),
        )
        text = direction_text(event, context.get("bot_user_id"))
        job = jobs.claim(event_id, thread, str(event.get("user", "")), text, event)
        if job is None:
            log.info("event %s already taken on; acknowledging the redelivery without acting", event_id)
            return BoltResponse(status=200, body="")
        context["job"] = job
        return next()

    return middleware
