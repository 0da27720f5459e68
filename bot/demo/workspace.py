"""The demo's Slack: a local workspace that offers Slate's slash commands and message shortcuts
as Slack's client would (from the app's manifest and ``/slate``'s subcommand table)."""

from __future__ import annotations

import re

from bot.commands import SUBCOMMANDS
from bot.manifest import message_shortcuts, slash_commands
from localslack import LocalWorkspace
from localslack.ui import Command, Shortcut


def demo_workspace(signing_secret: str, host: str, port: int) -> LocalWorkspace:
    """The workspace (not yet started) the demo runs Slate against."""
    return LocalWorkspace(
        signing_secret=signing_secret,
        host=host,
        port=port,
        commands=workspace_commands(),
        shortcuts=workspace_shortcuts(),
    )


def workspace_commands() -> tuple[Command, ...]:
    """Slate's slash commands as the composer offers them, subcommands too (the words of each
    usage before its first placeholder: ``look use``, ``shots``)."""
    return tuple(
        Command(
            declared["command"],
            declared["description"],
            declared["usage_hint"],
            tuple((_literal_words(usage), usage, does) for usage, does in SUBCOMMANDS),
        )
        for declared in slash_commands()
    )


def workspace_shortcuts() -> tuple[Shortcut, ...]:
    return tuple(Shortcut(s["callback_id"], s["name"], s.get("description", "")) for s in message_shortcuts())


def _literal_words(usage: str) -> str:
    return re.split(r"\s[<\[@]", usage, maxsplit=1)[0]
