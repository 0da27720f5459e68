"""Word lists written as prose, so they read (and diff) as lists of words."""

from __future__ import annotations

import re


def vocabulary(text: str) -> frozenset[str]:
    """The words of ``text``, separated by commas or white space."""
    return frozenset(word for word in re.split(r"[\s,]+", text) if word)


# The moods a direction names ("tense", "elegiac"): read into the spec's mood, and no picture on
# their own ("something moody" has nothing to draw).
MOODS = vocabulary(
    """
    tense eerie ominous melancholic melancholy romantic quiet triumphant hopeful bleak somber sombre
    dreamy menacing joyful serene chaotic claustrophobic intimate epic lonely desperate playful
    mysterious clinical sterile tender gritty nostalgic anxious uneasy hopeless peaceful calm
    frantic brooding moody gloomy haunting haunted uncanny surreal whimsical sad angry cosy cozy
    paranoid foreboding hostile numb weary wistful elegiac defiant giddy sinister tranquil
    bittersweet suspenseful dread
    """
)


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
)
_UNITS += " seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = {w: n for n, w in enumerate(_UNITS.split())} | {
    w: 20 + 10 * n for n, w in enumerate(_TENS.split())
}
# A number said in words, as dictation writes it: "twelve", "forty two", "forty-two"
SPOKEN_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS.split())})(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|"
    rf"{'|'.join(sorted(_UNITS.split(), key=len, reverse=True))})"
)


def spoken_number(said: str) -> int:
    """ "forty two" → 42, "twelve" → 12 (a string ``SPOKEN_NUMBER`` matched)."""
    return sum(NUMBER_WORDS[w] for w in re.split(r"[\s-]+", said.lower()) if w)
