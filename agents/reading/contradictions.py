"""Directions that ask for two things a frame can't be at once: "extreme wide close-up",
"locked-off handheld", "worm's-eye view looking down from the rafters". Slate asks which one
rather than silently keep whichever its reader finds first. A change over time ("locked off,
then it goes handheld") is a move, not a contradiction."""

from __future__ import annotations

import re

# Each pair: what one side says, what the other says, and how the question names them.
_PAIRS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(a, re.IGNORECASE), re.compile(b, re.IGNORECASE))
    for a, b in (
        # a size that is wide and close at once (a "wide-angle close-up" names a lens, not a size)
        (
            r"\bextreme(?:ly)?\s+wide(?!\s*[-\s]?(?:angle|lens))",
            r"\b(?:extreme\s+)?close[\s-]?up\b|\bECU\b|\bCU\b",
        ),
        (r"\bEWS\b", r"\bclose[\s-]?up\b|\bECU\b"),
        # a camera that is fixed and moving
        (
            r"\blocked[\s-]?off\b|\bon\s+sticks\b|\btripod\b|\bdead\s+still\s+camera\b|\bstatic\s+camera\b",
            r"\bhand[\s-]?held\b|\bsteadi[\s-]?cam\b|\bshaky[\s-]?cam\b",
        ),
        # a camera below the subject that looks down on them
        (
            r"\bworm['’]?s?[\s-]?eye\b|\blow[\s-]angle\b|\bfrom\s+(?:the\s+)?(?:floor|ground)\s+looking\s+up\b",
            r"\blooking\s+down\s+(?:on|at)\b|\bbird['’]?s?[\s-]?eye\b|\btop[\s-]down\b|\bfrom\s+the\s+rafters\b",
        ),
        # night made from day footage, kept as it was shot
        (
            r"\bday[\s-]+for[\s-]+night\b",
            r"\b(?:bright|high)\s+(?:noon|midday)\b|\bnoon\s+sun\b|\bno\s+grad(?:e|ing)\b|\bkeep\s+it\s+(?:day|bright)\b",
        ),
        (
            r"\b(?:at|by|in\s+the\s+dead\s+of)\s+night\b|\bmidnight\b",
            r"\b(?:midday|noon)\s+sun\b|\bblazing\s+sun\b",
        ),
    )
)
# Words that put the two sides at different moments: a move, a change, a cut
_OVER_TIME = re.compile(
    r"\b(?:then|into|until|till|before|after|becomes?|goes|turns?\s+(?:into|to)|switch(?:es|ing)?|"
    r"transitions?|starts?|ends?|to|cut\s+to|pulls?\s+(?:out|back)|push(?:es)?\s+in|reveal\w*)\b|→|->",
    re.IGNORECASE,
)


def contradiction(text: str) -> str | None:
    """The one short question a self-contradicting direction gets, or None."""
    if _OVER_TIME.search(text):
        return None
    for one, other in _PAIRS:
        first, second = one.search(text), other.search(text)
        if first and second and not _overlap(first, second):
            a, b = sorted((first, second), key=lambda m: m.start())
            return (
                f"“{a.group().strip()}” and “{b.group().strip()}” pull against each other — "
                "which should the frame be?"
            )
    return None


def _overlap(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()
