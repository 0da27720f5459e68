"""Regions of the frame named the way directors say them: "the left third", "the sky", "top-left".

Each name reads as a box of fractions of the frame (tools/regions.py draws the mask from it).
"""

from __future__ import annotations

import re

from tools.engine import Box

THIRD, TWO_THIRDS = 1 / 3, 2 / 3

# Longer phrases first, so "top left corner" wins over "left".
NAMED_REGIONS: tuple[tuple[str, Box], ...] = (
    (r"top[\s-]*left(?:\s+(?:corner|quarter))?", (0.0, 0.0, 0.5, 0.5)),
    (r"top[\s-]*right(?:\s+(?:corner|quarter))?", (0.5, 0.0, 1.0, 0.5)),
    (r"bottom[\s-]*left(?:\s+(?:corner|quarter))?", (0.0, 0.5, 0.5, 1.0)),
    (r"bottom[\s-]*right(?:\s+(?:corner|quarter))?", (0.5, 0.5, 1.0, 1.0)),
    (r"left\s+third", (0.0, 0.0, THIRD, 1.0)),
    (r"(?:centre|center|middle)\s+third", (THIRD, 0.0, TWO_THIRDS, 1.0)),
    (r"right\s+third", (TWO_THIRDS, 0.0, 1.0, 1.0)),
    (
        r"top\s+third|sky|(?:across|along|at)\s+the\s+top|top\s+of\s+the\s+(?:frame|shot|image)",
        (0.0, 0.0, 1.0, THIRD),
    ),
    (
        r"bottom\s+third|foreground|ground|floor|(?:across|along|at)\s+the\s+bottom|bottom\s+of\s+the\s+(?:frame|shot|image)",
        (0.0, TWO_THIRDS, 1.0, 1.0),
    ),
    (r"left\s+half|(?:frame|screen)\s+left|left\s+side", (0.0, 0.0, 0.5, 1.0)),
    (r"right\s+half|(?:frame|screen)\s+right|right\s+side", (0.5, 0.0, 1.0, 1.0)),
    (r"top\s+half|upper\s+half", (0.0, 0.0, 1.0, 0.5)),
    (r"bottom\s+half|lower\s+half", (0.0, 0.5, 1.0, 1.0)),
    (r"(?:the\s+)?(?:centre|center|middle)(?:\s+of\s+(?:the\s+)?frame)?", (0.25, 0.25, 0.75, 0.75)),
)


def find_region(text: str) -> tuple[Box, str] | None:
    """The region ``text`` names, with the words that named it. A band and a column said together
    ("the sky on the left third", "bottom half, frame right") are the part where they cross; two
    regions apart ("the sky … the ground") are no one region."""
    found: list[tuple[int, int, Box]] = []
    for pattern, box in NAMED_REGIONS:  # longer phrases first: "top left corner" before "left"
        for match in re.finditer(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            if all(match.end() <= start or match.start() >= end for start, end, _ in found):
                found.append((match.start(), match.end(), box))
    if not found:
        return None
    start, end, box = min(found)
    others = sorted(found)[1:]
    for other_start, other_end, other in others:
        crossed = _crossing(box, other)
        if crossed is not None and other_start - end <= 20:  # said together, not in another clause
            box, end = crossed, other_end
            others = [o for o in others if o[2] != other]
            break
    if any(_apart(box, other) for _, _, other in others):
        return None  # "branches against a white sky; snow on the ground": the whole frame changes
    return box, text[start:end]


def _apart(one: Box, other: Box) -> bool:
    """Two regions with nothing in common: a change that names both is about the whole frame."""
    return one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]


def _crossing(one: Box, other: Box) -> Box | None:
    """Where a full-width band and a full-height column cross, or None for any other pair."""
    for band, column in ((one, other), (other, one)):
        if band[0] == 0 and band[2] == 1 and column[1] == 0 and column[3] == 1 and band != column:
            return (column[0], band[1], column[2], band[3])
    return None
