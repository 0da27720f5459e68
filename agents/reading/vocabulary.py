"""Word lists written as prose, so they read (and diff) as lists of words."""

from __future__ import annotations

import re


def vocabulary(text: str) -> frozenset[str]:
    """The words of ``text``, separated by commas or white space."""
    return frozenset(word for word in re.split(r"[\s,]+", text) if word)
