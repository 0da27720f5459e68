"""Slate's Slack app manifest (``bot/manifest.yml``), with the host filled in.

    python -m bot.manifest --url https://studio.example.com   # HTTP: events, interactivity, OAuth
    python -m bot.manifest --socket-mode                      # Socket Mode: no request URLs

Paste the output into "Create New App → From an app manifest" at https://api.slack.com/apps.
The same file gives the OAuth flow its bot scopes (``bot_scopes``) and the local workspace
the events to deliver (``event_types``), so what Slack is asked for is what Slate handles.
"""

from __future__ import annotations

import argparse
import copy
import sys
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

PLACEHOLDER_HOST = "https://YOUR-HOST"


@cache
def _template() -> dict[str, Any]:
    text = resources.files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def manifest(url: str | None = None, socket_mode: bool = False) -> dict[str, Any]:
    """The manifest; ``url`` (``https://host[:port][/prefix]``) replaces ``https://YOUR-HOST``.

    ``socket_mode`` drops every request URL (events, interactivity, the command's, OAuth's
    redirect) and turns Socket Mode on: Slack then sends everything over the app-level token's
    connection."""
    data = copy.deepcopy(_template())
    if socket_mode:
        settings = data["settings"]
        settings["socket_mode_enabled"] = True
        settings["event_subscriptions"].pop("request_url", None)
        settings["interactivity"].pop("request_url", None)
        for command in data["features"].get("slash_commands", []):
            command.pop("url", None)
        data["oauth_config"].pop("redirect_urls", None)
        return data
    if url is not None:
        data = _replace_host(data, _base_url(url))
    return data


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"--url must be the address Slate is served at, like https://host, not {url!r}")
    return url.rstrip("/")


def _replace_host(value: Any, base: str) -> Any:
    if isinstance(value, str):
        return value.replace(PLACEHOLDER_HOST, base)
    if isinstance(value, list):
        return [_replace_host(item, base) for item in value]
    if isinstance(value, dict):
        return {key: _replace_host(item, base) for key, item in value.items()}
    return value


def bot_events() -> tuple[str, ...]:
    """The bot events the manifest subscribes to, as Slack names them (``message.channels`` …)."""
    return tuple(_template()["settings"]["event_subscriptions"]["bot_events"])


def event_types() -> tuple[str, ...]:
    """The ``event.type`` values those subscriptions deliver (``message.im`` arrives as ``message``)."""
    return tuple(dict.fromkeys(name.split(".")[0] for name in bot_events()))


def bot_scopes() -> tuple[str, ...]:
    """The bot token scopes the app asks for when it is installed."""
    return tuple(_template()["oauth_config"]["scopes"]["bot"])


def slash_commands() -> tuple[dict[str, Any], ...]:
    """The slash commands the app declares (command, description, usage_hint)."""
    return tuple(_template()["features"]["slash_commands"])


def message_shortcuts() -> tuple[dict[str, Any], ...]:
    """The message shortcuts the app declares (name, callback_id, description)."""
    return tuple(s for s in _template()["features"].get("shortcuts", []) if s.get("type") == "message")


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.manifest", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="where Slate is served, e.g. https://studio.example.com")
    where.add_argument("--socket-mode", action="store_true", help="the Socket Mode variant, with no URLs")
    args = parser.parse_args(argv)
    try:
        data = manifest(args.url, socket_mode=args.socket_mode)
    except ValueError as error:
        parser.error(str(error))
    sys.stdout.write(dump(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
