"""Which earlier version a revision starts from, however it is named.

"v2", "version two", "the first one", "the original", "the second take", "the previous one",
"the one before", "undo that last change": each names one version of the thread, by number, by
ordinal or relative to the current one. A revision that names one starts from it; one that
names none revises the current version.
"""

from __future__ import annotations

import re

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, **_ORDINAL_WORDS,
}  # fmt: skip
_WORD = "|".join(sorted(_NUMBERS, key=len, reverse=True))
_ORDINALS = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))  # "the second one"; never "one take"
_TAKE = r"(?:one|version|take|pass|draft|render|frame|image|attempt|go)"

_NUMBERED = re.compile(rf"\b(?:v|version\s*|take\s*)(?P<n>\d{{1,3}}|{_WORD})\b", re.IGNORECASE)
_ORDINAL = re.compile(rf"\b(?:the\s+)?(?P<n>{_ORDINALS})\s+{_TAKE}\b", re.IGNORECASE)
_ORIGINAL = re.compile(r"\bthe\s+original(?:\s+" + _TAKE + r")?\b", re.IGNORECASE)
_PREVIOUS = re.compile(
    rf"\b(?:the\s+)?(?:previous|prior|earlier)\s+{_TAKE}\b|\bthe\s+one\s+before(?:\s+(?:this|that|it))?\b|"
    r"\b(?:undo|revert|reverse|take\s+back)\s+(?:that|the|my|this)?\s*(?:last\s+)?(?:change|edit|note|one)\b",
    re.IGNORECASE,
)


_AN_EARLIER = re.compile(rf"\b(?:the|an|that)\s+earlier\s+{_TAKE}\b", re.IGNORECASE)


def unsettled_earlier(text: str, current: int | None) -> str | None:
    """The question "go back to the earlier version" gets when more than one is earlier: "earlier"
    isn't "previous", and picking one would silently throw the other's work away."""
    if current is None or current < 3 or not _AN_EARLIER.search(text) or _NUMBERED.search(text):
        return None
    earlier = ", ".join(f"v{n}" for n in range(1, current - 1))
    return f"Which earlier version — {earlier} or v{current - 1}? Say e.g. “back to v{current - 1}”."


def earlier_version(text: str, current: int | None) -> int | None:
    """The version ``text`` names to start from, if it names one before ``current``."""
    number = _named(text, current)
    if number is None or number < 1 or (current is not None and number >= current):
        return None
    return number


def _named(text: str, current: int | None) -> int | None:
    for pattern in (_NUMBERED, _ORDINAL):
        found = pattern.search(text)
        if found:
            word = found.group("n").lower()
            return int(word) if word.isdigit() else _NUMBERS.get(word)
    if _ORIGINAL.search(text):
        return 1
    if _PREVIOUS.search(text) and current is not None:
        return current - 1
    return None
