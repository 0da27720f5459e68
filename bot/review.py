"""Review in the thread: Approve, Request changes (a modal for the note), Make this change.

A status change is written by ``memory.ledger.review`` (which also decides who may make it);
here it is shown: the version's status line is edited in place, on the message that was
pressed and on any other message whose version it superseded. A refusal is said to the
person alone and nothing is written.
"""

from __future__ import annotations

import json
import logging
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.board import board_reviewed
from bot.kit import input_value, modal, plain, text_input
from bot.parts import BotParts, Where, tell, where_pressed, where_submitted
from bot.version_message import note_blocks, parse_action, status_line, with_status
from memory.ledger.review import Refused, StatusChange

log = logging.getLogger(__name__)

REQUEST_CHANGES_VIEW = "slate.request_changes"


def register(app: App, parts: BotParts) -> None:
    @app.action(re.compile(r"^slate\.approve\.\d+$"))
    def on_approve(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        _, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        where = where_pressed(body)
        try:
            changes = parts.review.set_status(version_id, where.user_id, "approved")
        except Refused as refused:
            tell(client, where, str(refused))
            return
        show_changes(client, parts, where, changes, body.get("message"))

    @app.action(re.compile(r"^slate\.request_changes\.\d+$"))
    def on_request_changes(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        _, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        where = where_pressed(body)
        if parts.refuse(client, where, "request_changes"):  # before the person types a note, not after
            return
        version = parts.ledger.version(version_id)
        label = f"Shot {version.shot.number} · v{version.number}" if version else "this version"
        client.views_open(trigger_id=body["trigger_id"], view=request_changes_modal(version_id, label, where))

    @app.view(REQUEST_CHANGES_VIEW)
    def on_changes_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        note = input_value(view["state"]["values"], "note")
        if not note.strip():
            ack(response_action="errors", errors={"note": "Say what should change."})
            return
        ack()
        meta = json.loads(view.get("private_metadata") or "{}")
        where = where_submitted(view, body)
        try:
            changes = parts.review.set_status(meta["version_id"], where.user_id, "changes_requested", note)
        except Refused as refused:
            tell(client, where, str(refused))
            return
        show_changes(client, parts, where, changes, None)
        requested = changes[-1]
        version = parts.ledger.version(requested.version_id)
        label = f"Shot {version.shot.number} · v{version.number}" if version else "the version"
        client.chat_postMessage(
            channel=where.channel_id,
            thread_ts=where.thread_ts,
            text=f"{label}: changes requested — {note}",
            blocks=note_blocks(requested, label, requested.id),
        )

    @app.action(re.compile(r"^slate\.make_change\.\d+$"))
    def on_make_change(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        where = where_pressed(body)
        _, change_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        change = parts.review.change(change_id)
        version = parts.ledger.version(change.version_id) if change else None
        if change is None or version is None:
            tell(client, where, "That note's version no longer exists.")
            return
        if parts.refuse(client, where, "direct"):
            return
        parts.start_job(where, f"back to v{version.number}, {change.note}", {"from_note": change.id})


def request_changes_modal(version_id: int, label: str, where: Where) -> dict:
    meta = where.meta(version_id=version_id)
    note = text_input(
        "note",
        f"What should change in {label}?",
        multiline=True,
        max_length=2000,
        placeholder=plain("tighter on her eyes, warmer light"),
    )
    return modal(REQUEST_CHANGES_VIEW, "Request changes", "Request", meta, [note])


def show_changes(
    client: WebClient, parts: BotParts, where: Where, changes: list[StatusChange], pressed: dict | None
) -> None:
    """Edit each changed version's status line where it is shown (the pressed message first)."""
    for change in changes:
        line = status_line(change.to_status, change)
        if pressed is not None:
            blocks = with_status(pressed.get("blocks") or [], change.version_id, line)
            if blocks is not None:
                _update(client, where.channel_id, pressed["ts"], pressed.get("text", ""), blocks)
                pressed = {**pressed, "blocks": blocks}
                continue
        _update_elsewhere(client, parts, where, change.version_id, line)
    if changes:
        board_reviewed(client, parts.ledger, where.channel_id, where.thread_ts)  # a board shot's status


def _update_elsewhere(client: WebClient, parts: BotParts, where: Where, version_id: int, line: str) -> None:
    job = parts.jobs.showing(where.channel_id, where.thread_ts, version_id)
    if job is None:
        return
    try:
        replies = client.conversations_replies(channel=where.channel_id, ts=where.thread_ts, limit=1000)
    except SlackApiError:
        return
    message = next((m for m in replies.get("messages", []) if m.get("ts") == job.placeholder_ts), None)
    blocks = with_status((message or {}).get("blocks") or [], version_id, line)
    if message is not None and blocks is not None:
        _update(client, where.channel_id, message["ts"], message.get("text", ""), blocks)


def _update(client: WebClient, channel: str, ts: str, text: str, blocks: list[dict]) -> None:
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        log.warning("could not show a status change on %s: %s", ts, error.response.get("error"))
