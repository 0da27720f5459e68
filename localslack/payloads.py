"""The JSON shapes of Slack's interactive payloads: block_actions, view_submission, view_closed,
message_action, slash commands and the app_home_opened event.

Field names and nesting follow what Slack sends (and slack_bolt's own tests
use), so Bolt's matchers and argument injection (`body`, `action`, `view`,
`command`, `shortcut`) see what they would see in production.
"""

from __future__ import annotations

import time

from localslack.shapes import VERIFICATION_TOKEN
from localslack.state import APP_ID, TEAM_DOMAIN, TEAM_ID, format_ts


def now_ts() -> str:
    """An `action_ts` / `event_ts`: the clock as a Slack ts."""
    return format_ts(time.time_ns() // 1000)


def user_ref(user: dict) -> dict:
    return {"id": user["id"], "username": user["name"], "name": user["name"], "team_id": TEAM_ID}


def team_ref() -> dict:
    return {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def channel_ref(channel: dict) -> dict:
    return {"id": channel["id"], "name": channel["name"]}


def shown_message(message: dict) -> dict:
    """A stored message as payloads carry it: without the workspace's own bookkeeping keys."""
    return {k: v for k, v in message.items() if k not in ("channel", "recipient")}


def block_actions(
    user: dict,
    *,
    container: dict,
    trigger_id: str,
    actions: list[dict],
    channel: dict | None = None,
    message: dict | None = None,
    view: dict | None = None,
    response_url: str | None = None,
) -> dict:
    """A press in a message (channel, message, state, response_url) or in a view (view)."""
    payload: dict = {
        "type": "block_actions",
        "user": user_ref(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id,
        "team": team_ref(),
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if channel is not None:
        payload["channel"] = channel_ref(channel)
    if message is not None:
        payload["message"] = shown_message(message)
    if view is not None:
        payload["view"] = view
    else:
        payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = actions
    return payload


def view_submission(user: dict, view: dict, trigger_id: str) -> dict:
    return {
        "type": "view_submission",
        "team": team_ref(),
        "user": user_ref(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(user: dict, view: dict, *, is_cleared: bool) -> dict:
    return {
        "type": "view_closed",
        "team": team_ref(),
        "user": user_ref(user),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "view": view,
        "is_cleared": is_cleared,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def message_action(
    user: dict, channel: dict, message: dict, *, callback_id: str, trigger_id: str, response_url: str
) -> dict:
    """A message shortcut ("…" menu on a message)."""
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": now_ts(),
        "team": team_ref(),
        "user": user_ref(user),
        "channel": channel_ref(channel),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": shown_message(message),
    }


def slash_command(
    user: dict, channel: dict, *, command: str, text: str, trigger_id: str, response_url: str
) -> dict[str, str]:
    """The form fields of a slash command (all strings, as they travel urlencoded)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel["id"],
        "channel_name": channel["name"],
        "user_id": user["id"],
        "user_name": user["name"],
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def dm_channel_id(user_id: str) -> str:
    """The bot's DM with a user (the App Home's Messages tab): D + the user id's tail."""
    return "D" + user_id[1:]


def app_home_opened_event(user_id: str, view: dict | None) -> dict:
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": dm_channel_id(user_id),
        "tab": "home",
        "event_ts": now_ts(),
    }
    if view is not None:
        event["view"] = view
    return event
