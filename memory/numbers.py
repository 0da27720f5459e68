"""Numbers said in words, as scripts and dictation write them: "scene twelve", "act two",
"forty-two". Story time (``memory.story_facts``) and the director's reading (``agents.reading``)
both read them, so they are written once here, below both."""

from __future__ import annotations

import re

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_UNITS += " sixteen seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = {w: n for n, w in enumerate(_UNITS.split())} | {
    w: 20 + 10 * n for n, w in enumerate(_TENS.split())
}
# A number said in words: "twelve", "forty two", "forty-two"
SPOKEN_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS.split())})(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|"
    rf"{'|'.join(sorted(_UNITS.split(), key=len, reverse=True))})"
)


def spoken_number(said: str) -> int:
    """ "forty two" → 42, "twelve" → 12, "7" → 7 (digits, or a string ``SPOKEN_NUMBER`` matched)."""
    if said.strip().isdigit():
        return int(said)
    return sum(NUMBER_WORDS[w] for w in re.split(r"[\s-]+", said.lower()) if w)
