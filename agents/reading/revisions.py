"""Which capability a direction in a thread with a shot asks for: variations, an upscale, or a change.

"give me a few more like this", "roll the dice again", "blow it up for the poster" are not
changes to the picture; "more fog" and "make the sign bigger" are. The kind is read by
similarity to exemplar phrasings (``agents.reading.exemplars``) and must be backed by a word
the capability needs — a variation names more takes or another go, an upscale names size or
resolution — so a change that merely sounds like one stays a change. How strong a variation
is, and how many, are read by vocabulary.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from agents.reading.exemplars import ExemplarSet, Nearest, clauses, decide, normalised
from memory.embeddings import TextEmbedder

CHANGE, VARY, UPSCALE = "change", "vary", "upscale"
EXEMPLARS: dict[str, tuple[str, ...]] = {
    VARY: (
        "give me a few variations",
        "more like this",
        "a few more options like this one",
        "show me some alternates",
        "try a couple of other takes",
        "another go at this",
        "reroll it",
        "roll again with a new seed",
        "spin a few more versions",
        "riff on this a bit",
        "go wilder with it, several versions",
        "explore some alternatives",
        "same idea, different takes",
        "do it again, a few times",
        "a few more like it",
        "roll the dice again",
        "a couple of alternates, nothing drastic",
        "keep going, more of these",
        "again, a couple more times",
        "hit me with some other options",
    ),
    UPSCALE: (
        "upscale this",
        "make it bigger",
        "blow it up for print",
        "higher resolution please",
        "I need this at full size for the poster",
        "max resolution on this one",
        "sharper and larger, it's going on a billboard",
        "give me a print-quality version",
        "more pixels",
        "enlarge it",
    ),
    CHANGE: (
        "make her coat red",
        "tighter",
        "more fog",
        "make the sign bigger",
        "again but at night",
        "push in on her",
        "from a lower angle",
        "lose the hat",
        "warmer light, less contrast",
        "try it in the rain",
        "make him bigger in the frame",
        "blow out the windows",
        "sharper focus on the letter",
        "give me another angle, from above",
        "the same but from behind her",
        "a bigger moon",
        "more people in the background",
        "let's try it wider",
        "now with the lanterns lit",
        "she should be smiling",
        "do it again but she's older",
        "keep the framing",
        "love it",
    ),
}
# What each capability must mention, whatever the wording around it.
MUST_MENTION: dict[str, re.Pattern[str]] = {
    VARY: re.compile(
        r"\b(?:more|another|other|again|options?|takes?|alts?|alternat\w*|variations?|variants?|versions?|seeds?|"
        r"re-?rolls?|roll|dice|riff|explore|spins?|goes|few|couple|several|\d+|x\d+|two|three|four|five|six)\b",
        re.IGNORECASE,
    ),
    UPSCALE: re.compile(
        r"\b(?:bigger|larger|enlarge\w*|blow\s+(?:it|this|that)\s+up|res(?:olution)?|print\w*|poster|billboard|"
        r"one-sheet|pixels?|full[\s-]*size|max(?:imum)?\s+res\w*|\d+\s*x|x\s*\d+|[248]k)\b",
        re.IGNORECASE,
    ),
}
THRESHOLD = 0.42
MARGIN = 0.05
# A change to something in the picture ("make the sign bigger", "her face larger") is a change,
# however near an upscale it sounds.
_SOMETHING_IN_IT = re.compile(
    r"\b(?:the|her|his|their|its|that|this)\s+(?!(?:shot|frame|image|picture|one|version|take|res\w*|print)\b)"
    r"[a-z]+\s+(?:bigger|larger)\b|\b(?:bigger|larger)\s+(?!(?:for|please|pls|version|file|image|res\w*)\b)[a-z]+",
    re.IGNORECASE,
)


# Shorthand MiniLM never learnt: spelled out before embedding.
_SPELLED = {
    "alts": "alternates",
    "alt": "alternate",
    "vars": "variations",
    "opts": "options",
    "res": "resolution",
}
_SHORTHAND = re.compile(rf"\b(?:{'|'.join(_SPELLED)})\b", re.IGNORECASE)


@dataclass(frozen=True)
class RevisionReading:
    """The capability asked for, with its nearest exemplar (the reason, in words)."""

    kind: str
    nearest: Nearest


class RevisionReader:
    """Embeds the exemplars once; ``read`` costs one sentence embedding, shared with the request reader."""

    def __init__(self, embedder: TextEmbedder | None = None) -> None:
        self._exemplars = ExemplarSet(EXEMPLARS, embedder)

    def read(self, text: str, names: tuple[str, ...] = ()) -> RevisionReading:
        """The whole direction, then each of its clauses: the first that clearly asks for variations or
        an upscale decides ("love it. a few more like this, keep the framing" asks for variations)."""
        spelled = _SHORTHAND.sub(lambda m: _SPELLED[m.group(0).lower()], normalised(text, names))
        parts = list(dict.fromkeys([spelled, *clauses(spelled)]))
        readings = self._exemplars.nearest_each(parts)
        for part, nearest in zip(parts, readings, strict=True):
            winner, _ = decide(nearest, CHANGE, THRESHOLD, MARGIN)
            mention = MUST_MENTION.get(winner.label)
            if winner.label == CHANGE or (mention is not None and not mention.search(part)):
                continue
            if winner.label == UPSCALE and _SOMETHING_IN_IT.search(part):
                continue
            return RevisionReading(winner.label, winner)
        return RevisionReading(CHANGE, readings[0][CHANGE])


@functools.cache
def shared_revision_reader() -> RevisionReader:
    """One reader per process: the exemplars are embedded once, on first use."""
    return RevisionReader()
