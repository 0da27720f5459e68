"""What the action's verbs make the figures do: poses, facing, who looks at whom, whose eyes or
shoulder an OTS or POV is from.

The shot spec names the cast but not what they do; the action lives in the prompt ("Maya kneels
before Rook", "they face each other", "over Rook's shoulder"). These small vocabularies read it
into :class:`tools.blocking.Figure` and :class:`tools.blocking.Camera` fields. Pure and fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.blocking import Facing, Pose

# Checked in order within one clause: the first that matches is the pose ("sat down, sword
# raised" is sitting). Each is a regex alternation matched on word boundaries.
POSE_WORDS: tuple[tuple[str, Pose], ...] = (
    (r"lies|lying|lay|laid out|sprawl\w*|asleep|sleeping|sleeps|dead|unconscious|collapsed|fallen", "lying"),
    (r"kneel\w*|knelt|on (?:one|his|her|their|bended) knees?", "kneeling"),
    (r"sits?|sitting|sat|seated|perch(?:es|ed|ing)?", "sitting"),
    (
        r"runs?|running|ran|sprint\w*|dash(?:es|ing)?|charg(?:es|ing)|flee(?:s|ing)?|fled|rac(?:es|ing)",
        "running",
    ),
    (
        r"walks?|walking|walked|strides?|striding|strode|pac(?:es|ing)|wanders?|wandering|enters?|entering|"
        r"approach(?:es|ing)?|march(?:es|ing)?|steps? (?:in|out|forward)|crosses|crossing",
        "walking",
    ),
    (
        r"raises?|raising|raised|brandish\w*|lifts?|lifting|hoists?|"
        r"(?:holds?|holding|held) (?:up|aloft|high)",
        "raising",
    ),
    (r"points?|pointing|pointed|gestures? (?:at|to|toward)", "pointing"),
)
FACING_WORDS: tuple[tuple[str, Facing], ...] = (
    (
        r"turns? (?:her |his |their )?(?:back|away)|turned away|turning away|back to (?:the )?camera|"
        r"(?:walks?|walking|heads?|heading|looks?|looking|faces?|facing) away|from behind|"
        r"leaves|leaving|exits?",
        "away",
    ),
    (
        r"(?:faces?|facing|looks? (?:at|into)|straight (?:at|into)) (?:the )?(?:camera|lens)|to camera",
        "camera",
    ),
)
_LOOK_VERBS = (
    r"looks?|looking|looked|stares?|staring|glares?|glaring|gazes?|gazing|glances?|glancing|faces?|facing|"
    r"turns?|turning|watch(?:es|ing)?|eyes|points?|pointing|confronts?|confronting|addresses|talks?|"
    r"speaks?|kneels?|knelt|bows?|advances|walks?|runs?|charges"
)
_LOOK_LINK = r"(?:\s+(?:at|to|toward|towards|up at|down at|on|before|back at|over at|in on))?"
EACH_OTHER = r"\beach other\b|\bone another\b|\bface[\s-]to[\s-]face\b|\bface off\b|\bsquare off\b"


def pose_of(clause: str) -> Pose | None:
    for pattern, pose in POSE_WORDS:
        if re.search(rf"\b(?:{pattern})\b", clause, re.I):
            return pose
    return None


def facing_of(clause: str) -> Facing | None:
    for pattern, facing in FACING_WORDS:
        if re.search(rf"\b(?:{pattern})\b", clause, re.I):
            return facing
    return None


def looks(text: str, names: Sequence[str]) -> dict[str, str]:
    """Who faces whom: "Maya looks at Rook" (the nearest name before the verb, else the subject,
    faces the name after it); "they face each other" turns the first two to each other."""
    found: dict[str, str] = {}
    if len(names) < 2:
        return found
    name_re = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    for sentence in re.split(r"[.;!?]", text):
        if re.search(EACH_OTHER, sentence, re.I):
            said = [n for n in names if re.search(rf"\b{re.escape(n)}\b", sentence, re.I)]
            a, b = (said + [n for n in names if n not in said])[:2]
            found.setdefault(a, b)
            found.setdefault(b, a)
        pattern = rf"\b(?:{_LOOK_VERBS})\b{_LOOK_LINK}\s+(?P<whom>{name_re})\b"
        for match in re.finditer(pattern, sentence, re.I):
            whom = _canonical(match.group("whom"), names)
            before = [
                _canonical(m.group(0), names)
                for m in re.finditer(rf"\b(?:{name_re})\b", sentence[: match.start()], re.I)
            ]
            actors = [n for n in before if n != whom] or [n for n in names if n != whom][:1]
            if actors:
                found[actors[-1]] = whom
    return found


def viewer_of(text: str, names: Sequence[str]) -> str | None:
    """Whose shoulder or eyes the shot is from: "over Rook's shoulder", "Maya's POV", "POV of
    Maya", "through Maya's eyes", "from Maya's point of view"."""
    if not names:
        return None
    name_re = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    patterns = (
        rf"\bover\s+(?P<who>{name_re})'s\s+(?:left\s+|right\s+)?shoulders?",
        rf"\b(?P<who>{name_re})'s\s+(?:POV|point[\s-]of[\s-]view|eyes?[\s-]?line|perspective|shoulder)",
        rf"\b(?:POV|point[\s-]of[\s-]view)\s+(?:of|from)\s+(?P<who>{name_re})\b",
        rf"\bthrough\s+(?P<who>{name_re})'s\s+eyes\b",
        rf"\b(?:OTS|over[\s-]the[\s-]shoulder|POV)\s+(?:shot\s+)?(?:from|of|behind)\s+(?:behind\s+)?(?P<who>{name_re})\b",
    )
    for pattern in patterns:
        if match := re.search(pattern, text, re.I):
            return _canonical(match.group("who"), names)
    return None


def _canonical(said: str, names: Sequence[str]) -> str:
    return next(n for n in names if n.lower() == said.lower())
