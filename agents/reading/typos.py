"""Film words typed in a hurry: "clsoe up", "meduim shot", "hanheld" read as what was meant.

Only two slips are mended, the ones fast typing makes: two neighbouring letters swapped and
one inner letter dropped, in words of five letters or more. Anything else is left as written
(a substitution turns "night" into "light"), so a name or an unusual word is never "corrected".
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.reading.vocabulary import vocabulary

FILM_WORDS = vocabulary(
    """
    close closeup medium extreme establishing angle overhead tracking dolly handheld steadicam
    silhouette silhouetted backlit candlelight moonlight firelight torchlight golden twilight sunset
    sunrise morning evening midnight camera portrait vertical upscale variation variations version
    shoulder insert reverse profile static locked crane wide tight candle candles lantern
    """
)
# Words spelled as said, not slips: read as the word in any length ("nite", "tonite", "thru").
_AS_SAID = {
    "nite": "night",
    "nites": "nights",
    "tonite": "tonight",
    "2nite": "tonight",
    "nyte": "night",
    "thru": "through",
    "lite": "light",
    "xtreme": "extreme",
    "xcu": "ECU",
    "xls": "EWS",
}
_SAID = re.compile(rf"\b(?:{'|'.join(_AS_SAID)})\b", re.IGNORECASE)
# Film words a dictation app hears as other words: "hi angle", "the thrown room"
_HEARD = {
    r"\bhi[\s-]+angle\b": "high angle",
    r"\blo[\s-]+angle\b": "low angle",
    r"\bthrown\s+room\b": "throne room",
    r"\bclothes[\s-]+up\b": "close-up",
}
_WORD = re.compile(r"[A-Za-z]{5,}")


@lru_cache(maxsize=4096)
def _meant(word: str) -> str | None:
    lower = word.lower()
    if lower in FILM_WORDS:
        return None
    for known in FILM_WORDS:
        if len(known) == len(lower) and _one_swap(lower, known):
            return known
        if len(known) == len(lower) + 1 and _one_inner_drop(lower, known):
            return known
    return None


def _one_swap(typed: str, known: str) -> bool:
    diff = [i for i, (a, b) in enumerate(zip(typed, known, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and typed[diff[0]] == known[diff[1]]
        and (typed[diff[1]] == known[diff[0]])
    )


def _one_inner_drop(typed: str, known: str) -> bool:
    return any(known[:i] + known[i + 1 :] == typed for i in range(1, len(known) - 1))


def corrected(text: str) -> str:
    """``text`` with film words spelled as said ("nite") or as a dictation app heard them ("hi
    angle"), and swapped- or dropped-letter film words mended; all else untouched."""

    def mend(match: re.Match[str]) -> str:
        word = match.group()
        meant = _meant(word)
        if meant is None or word[:1].isupper() and not word.isupper() and match.start() > 0:
            return word  # a capitalised word inside a sentence may be a name
        return meant.upper() if word.isupper() else meant

    said = _SAID.sub(lambda m: _AS_SAID[m.group().lower()], text)
    for heard, meant in _HEARD.items():
        said = re.sub(heard, meant, said, flags=re.IGNORECASE)
    return _WORD.sub(mend, said)
