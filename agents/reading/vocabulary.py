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
