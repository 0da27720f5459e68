"""``app_mention``: a direction addressed to Slate, in a channel or a thread.

Bolt acknowledges the event at once and runs this listener on its worker pool, off the
request thread. The listener only translates: Slack payload → ``Direction`` → the director
→ messages and files back into the same thread.
"""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from agents import Direction, Director, DirectorReply
from bot.blocks import WORKING, failure, shot_caption, shot_filename
from bot.text import plain_text
from memory.ledger import Ledger, ThreadRef

log = logging.getLogger(__name__)

FAILED = "Something went wrong while making this shot."


def direction_from_event(event: dict, team_id: str, bot_user_id: str | None) -> Direction:
    """A top-level mention starts a thread on itself; a reply belongs to its thread."""
    thread = ThreadRef(
        team_id=team_id,
        channel_id=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
    )
    return Direction(
        text=plain_text(event.get("text", ""), bot_user_id), user_id=event.get("user", ""), thread=thread
    )


def post_reply(client: WebClient, placeholder: dict, direction: Direction, reply: DirectorReply) -> None:
    thread = direction.thread
    for outcome in reply.outcomes:
        client.files_upload_v2(
            channel=thread.channel_id,
            thread_ts=thread.thread_ts,
            content=outcome.png,
            filename=shot_filename(outcome),
            title=outcome.label,
            initial_comment=shot_caption(outcome),
        )
    client.chat_update(channel=placeholder["channel"], ts=placeholder["ts"], text=reply.text or "Done.")


def register(app: App, director: Director, ledger: Ledger) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient, context: BoltContext) -> None:
        direction = direction_from_event(event, context.team_id or "", context.bot_user_id)
        placeholder = client.chat_postMessage(
            channel=direction.thread.channel_id, thread_ts=direction.thread.thread_ts, text=WORKING
        )
        status = "failed"
        try:
            reply = director.handle(direction)
        except Exception:
            log.exception("direction in %s failed", direction.thread)
            client.chat_update(channel=placeholder["channel"], ts=placeholder["ts"], text=failure(FAILED))
        else:
            status = "done"  # recorded: a redelivery must not make it again, even if posting fails
            post_reply(client, placeholder, direction, reply)
        finally:
            if context.get("event_id"):
                ledger.finish_event(context["event_id"], status)
