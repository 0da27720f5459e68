"""``app_mention``: a direction addressed to Slate, in a channel or a thread.

Bolt acknowledges the event at once and runs this listener on its worker pool, off the
request thread. The listener only translates: Slack payload → ``Direction`` → the director
→ messages and files back into the same thread.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from agents import Direction, Director, DirectorReply
from bot.blocks import WORKING, failure, shot_caption, shot_filename
from bot.files import AttachmentError, image_attachments
from bot.progress import PlaceholderStatus
from bot.text import plain_text
from bot.threads import thread_history
from memory.ledger import Ledger, ThreadRef

log = logging.getLogger(__name__)

FAILED = "Something went wrong while making this shot."


def direction_from_event(
    event: dict, team_id: str, bot_user_id: str | None, attachments: tuple[bytes, ...] = ()
) -> Direction:
    """A top-level mention starts a thread on itself; a reply belongs to its thread."""
    thread = ThreadRef(
        team_id=team_id,
        channel_id=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
    )
    text = plain_text(event.get("text", ""), bot_user_id)
    return Direction(text=text, user_id=event.get("user", ""), thread=thread, attachments=attachments)


def post_reply(client: WebClient, placeholder: dict, direction: Direction, reply: DirectorReply) -> None:
    """Images first (one message for a batch), then the placeholder becomes the agent's answer."""
    if reply.outcomes:
        client.files_upload_v2(
            channel=direction.thread.channel_id,
            thread_ts=direction.thread.thread_ts,
            file_uploads=[
                {"content": o.png, "filename": shot_filename(o), "title": o.label} for o in reply.outcomes
            ],
            initial_comment="\n".join(shot_caption(o) for o in reply.outcomes),
        )
    client.chat_update(channel=placeholder["channel"], ts=placeholder["ts"], text=reply.text or "Done.")


def handle_mention(
    client: WebClient, director: Director, event: dict, team_id: str, bot_user_id: str | None
) -> str:
    """Placeholder, attachments, the director with live status, then the reply. "done" once recorded."""
    channel, thread_ts = event["channel"], event.get("thread_ts") or event["ts"]
    placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=WORKING)
    say = lambda text: client.chat_update(channel=placeholder["channel"], ts=placeholder["ts"], text=text)  # noqa: E731
    try:
        attachments = image_attachments(client, event)
    except AttachmentError as error:
        say(failure(str(error)))
        return "failed"
    direction = replace(
        direction_from_event(event, team_id, bot_user_id, attachments),
        history=thread_history(client, channel, thread_ts, event["ts"], bot_user_id),
    )
    try:
        with PlaceholderStatus(client, placeholder["channel"], placeholder["ts"]) as status:
            reply = director.handle(direction, on_event=status)
    except Exception:
        log.exception("direction in %s failed", direction.thread)
        say(failure(FAILED))
        return "failed"
    post_reply(client, placeholder, direction, reply)
    return "done"


def register(app: App, director: Director, ledger: Ledger) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient, context: BoltContext) -> None:
        status = "failed"
        try:
            # Finished either way: a redelivery of this event is never taken on again.
            status = handle_mention(client, director, event, context.team_id or "", context.bot_user_id)
        finally:
            if context.get("event_id"):
                ledger.finish_event(context["event_id"], status)
