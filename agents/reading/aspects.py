"""Frames named as ratios ("2.39:1", "--ar 9:16", "sixteen by nine" dictated) or in the words
people use for a delivery.

"vertical for socials", "tall for tiktok", "a square one for the poster", "open it up to
scope": each names a preset. A word names a frame only where it is about the frame — "the
town square" is a place and "at 5:30" a time, not frames.
"""

from __future__ import annotations

import re

from config.presets import ASPECT_RATIOS

_FRAME_NOUNS = (
    r"(?:frame|format|crop|version|cut|edit|one|aspect|ratio|image|picture|post|deliverable|master)"
)
_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"2\.39(?::1)?|2\.40|\bscope\b|anamorphic|cinemascope|letterbox(?:ed)?|"
        r"\btwo\s+(?:point\s+)?three\s+nine\b|\btwo\s+(?:point\s+)?four(?:\s+oh)?\b(?=\s*(?:to\s+one\b|[,.;]|$))",
        "2.39:1",
    ),
    (r"1\.85(?::1)?|\bflat\s+widescreen\b|\bone\s+(?:point\s+)?eight\s+five\b", "1.85:1"),
    (
        r"9:16|\bnine\s+(?:by|to|x)\s+sixteen\b|\bvertical\b|\bportrait\s+"
        + _FRAME_NOUNS
        + r"|\bportrait\s*$|\btall\s+(?:for|version|one|frame)\b|"
        r"\bmake\s+it\s+tall\b|\bphone\s+(?:screen|version|format|story|stories|wallpaper)\b|"
        r"\b(?:tiktok|reels|shorts|stories|socials|snapchat)\b|\b(?:ig|insta|instagram)\s+reel\b|\bfor\s+(?:a\s+)?reel\b",
        "9:16",
    ),
    (r"16:9|\bsixteen\s+(?:by|to|x)\s+nine\b|\bwidescreen\b|\bhd\b", "16:9"),
    (r"4:3|\bfour\s+(?:by|to|x)\s+three\b|\bacademy\b|\btv\s+ratio\b|\bold\s+tv\b", "4:3"),
    (
        r"1:1|\bsquare\s+(?:"
        + _FRAME_NOUNS[3:-1]
        + r"|for)\b|\b(?:make|go|in|as|to|it|crop)\s+(?:it\s+)?square\b|"
        r"\bsquare\s*(?:[,.;!]|$)(?<!the square)|\bsquare\s+(?:it|this|that)\b|"
        r"\b(?:instagram|ig|insta)\s+(?:post|grid|feed)\b",
        "1:1",
    ),
)
_PLACE_BEFORE = re.compile(
    r"\b(?:the|a|town|market|village|city|main|public|central|times)\s+$", re.IGNORECASE
)
_RATIO = re.compile(
    r"(?P<key>\b(?:aspect(?:\s+ratio)?|ratio|ar)\s*[:=]?\s*|--ar\s+)?(?<![\w.:])"
    r"(?P<w>\d+(?:\.\d+)?)\s*(?P<sep>[:x×/])\s*(?P<h>\d+(?:\.\d+)?)(?![\w:]|\.\d)",
    re.IGNORECASE,
)
_CLOCK_BEFORE = re.compile(r"\b(?:at|by|around|about|until|till|before|after|from|since)\s*$", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s*(?:[ap]\.?m\b|o'?clock\b|h\b|hrs?\b)", re.IGNORECASE)


class UnknownAspect(ValueError):
    """A ratio written out that no frame preset matches; the message names the presets."""


def read_aspect(text: str) -> str | None:
    """The preset a direction names, as a ratio ("16:9", "aspect 2.39:1") or in words ("scope").

    A ratio written out that is no preset ("1000:1", "21:9") raises ``UnknownAspect``: the tools
    take only presets, and framing it as something else without a word would be wrong.
    """
    for match in _RATIO.finditer(text):
        if not match.group("key") and (match.group("sep") != ":" or _is_clock(text, match)):
            continue  # "3/4 profile", "1920x1080 plate" and "at 5:30" are not asked-for aspects
        written = f"{match.group('w')}:{match.group('h')}"
        width, height = float(match.group("w")), float(match.group("h"))
        for name, ratio in ASPECT_RATIOS.items():
            if width > 0 and height > 0 and abs(width / height / ratio - 1) < 0.005:
                return name
        raise UnknownAspect(
            f"{written} isn't an aspect ratio I can frame: use one of {', '.join(ASPECT_RATIOS)}."
        )
    named = sorted(
        (found.start(), aspect)
        for pattern, aspect in _WORDS
        for found in re.finditer(pattern, text, re.IGNORECASE)
        if not _place_not_frame(text, found)
    )
    return named[0][1] if named else None  # the first one said: "square frame for socials" is 1:1


def _place_not_frame(text: str, found: re.Match[str]) -> bool:
    """ "the town square", "waiting in the square." name a place."""
    said = found.group().lower()
    return (
        said.startswith("square")
        and said.endswith(("square", ",", ".", ";", "!"))
        and bool(_PLACE_BEFORE.search(text[: found.start()]))
    )


def _is_clock(text: str, match: re.Match[str]) -> bool:
    """A time of day ("at 5:30", "10:05", "6:45 pm"), not a frame."""
    return bool(
        _CLOCK_BEFORE.search(text[: match.start()])
        or _CLOCK_AFTER.match(text[match.end() :])
        or re.fullmatch(r"0\d", match.group("h"))
    )
