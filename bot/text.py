"""Slack's message markup turned into the plain words a director wrote."""

from __future__ import annotations

import html
import re

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")


def plain_text(text: str, bot_user_id: str | None) -> str:
    """Drop mentions of the bot, keep other mentions as @ids, unwrap links, unescape entities."""

    def mention(match: re.Match[str]) -> str:
        return "" if match.group(1) == bot_user_id else f"@{match.group(1)}"

    text = _MENTION.sub(mention, text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
