"""The JSON shapes Slack uses for messages and Events API payloads.

Kept in one place so the Web API, the event delivery and the UI all build the
same dicts a real workspace would send (see docs/slack-behaviour.md).
"""

from __future__ import annotations

import re
import secrets
import string
import time
import uuid

from localslack.state import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID

VERIFICATION_TOKEN = "local-verification-token"
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_AT_NAME = re.compile(r"(?<![<\w@])@([A-Za-z0-9][A-Za-z0-9._-]*)")
_ALNUM = string.ascii_uppercase + string.digits


def _random_id(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


def new_event_id() -> str:
    return _random_id("Ev", 10)


def rich_text_blocks(text: str) -> list[dict]:
    """The rich_text block Slack's clients attach to a typed message, with mentions as user elements."""
    elements: list[dict] = []
    position = 0
    for match in _MENTION.finditer(text):
        if match.start() > position:
            elements.append({"type": "text", "text": text[position : match.start()]})
        elements.append({"type": "user", "user_id": match.group(1)})
        position = match.end()
    if position < len(text):
        elements.append({"type": "text", "text": text[position:]})
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": _random_id("", 4), "elements": [section]}]


def names_to_mentions(text: str, ids_by_name: dict[str, str]) -> str:
    """Turn '@slate' typed in the UI into '<@U0SLATEBOT>', as Slack's composer does; unknown names stay."""
    lowered = {name.lower(): user_id for name, user_id in ids_by_name.items()}

    def replace(match: re.Match) -> str:
        user_id = lowered.get(match.group(1).lower())
        return f"<@{user_id}>" if user_id else match.group(0)

    return _AT_NAME.sub(replace, text)


def user_message(user: str, text: str, thread_ts: str | None = None) -> dict:
    """A message as typed by a person in Slack's client."""
    message = {
        "type": "message",
        "user": user,
        "text": text,
        "team": TEAM_ID,
        "client_msg_id": str(uuid.uuid4()),
        "blocks": rich_text_blocks(text),
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
    return message


def bot_message(text: str) -> dict:
    """The fields Slack puts on every message a bot token posts."""
    return {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "text": text,
        "team": TEAM_ID,
        "bot_profile": {
            "id": BOT_ID,
            "app_id": APP_ID,
            "name": "Slate",
            "deleted": False,
            "team_id": TEAM_ID,
            "icons": {},
        },
    }


def message_event(message: dict) -> dict:
    """The `message` event for a freshly stored message (no reactions or edits yet)."""
    event = {k: v for k, v in message.items() if k not in ("reactions", "edited", "reply_count")}
    event["event_ts"] = message["ts"]
    event["channel_type"] = "channel"
    return event


def app_mention_event(message: dict) -> dict:
    """The `app_mention` event Slack sends alongside `message` when the bot is mentioned."""
    keys = (
        "user",
        "text",
        "ts",
        "team",
        "blocks",
        "client_msg_id",
        "thread_ts",
        "parent_user_id",
        "channel",
        "files",
    )
    event = {"type": "app_mention", **{k: message[k] for k in keys if k in message}}
    event["event_ts"] = message["ts"]
    return event


def event_envelope(event: dict, event_id: str) -> dict:
    """The event_callback body; authorizations[0] matches what auth.test says about the bot."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "context_team_id": TEAM_ID,
        "context_enterprise_id": None,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_urlsafe(24),
    }


def mentions(text: str) -> list[str]:
    """User ids mentioned as <@U…> in a message's text."""
    return _MENTION.findall(text or "")
