"""Scene headings: ``INT./EXT. CAR - COAST ROAD - MOVING - GOLDEN HOUR`` read into its parts."""

from __future__ import annotations

import re

from agents.script.scene import Heading, IntExt
from agents.spec import TimeOfDay

HEADING = re.compile(
    r"^\s*\.?(?P<ie>INT\.?\s*/\s*EXT\.?|EXT\.?\s*/\s*INT\.?|I/E\.?|INT\.?|EXT\.?|EST\.?)(?=[\s.])[\s.]*(?P<rest>.*)$",
    re.IGNORECASE,
)
SCENE_NUMBER = re.compile(r"\s*#(?P<n>[\w.-]+)#\s*$")
# The heading's time word → the ShotSpec's time of day; None keeps the previous heading's.
TIMES: dict[str, TimeOfDay | None] = {
    "DAY": "day", "MORNING": "day", "AFTERNOON": "day", "NOON": "day", "MIDDAY": "day", "LATE MORNING": "day",
    "DAWN": "dawn", "SUNRISE": "dawn", "EARLY MORNING": "dawn", "FIRST LIGHT": "dawn", "PRE-DAWN": "dawn",
    "DUSK": "dusk", "EVENING": "dusk", "TWILIGHT": "dusk", "LATE AFTERNOON": "golden hour",
    "SUNSET": "golden hour", "GOLDEN HOUR": "golden hour", "MAGIC HOUR": "golden hour",
    "NIGHT": "night", "MIDNIGHT": "night", "LATE NIGHT": "night", "EARLY EVENING": "dusk",
    "CONTINUOUS": None, "LATER": None, "MOMENTS LATER": None, "SAME": None, "SAME TIME": None,
    "A MOMENT LATER": None, "SECONDS LATER": None, "MINUTES LATER": None, "SIMULTANEOUS": None,
}  # fmt: skip
MODIFIERS = {"MOVING", "FLASHBACK", "DREAM", "PRESENT DAY", "INTERCUT", "MONTAGE", "SERIES OF SHOTS"}
_PARTS = re.compile(r"\s+[-–—]+\s+|\s+[-–—]+$|\s*[-–—]{2,}\s*")


def is_heading(line: str) -> bool:
    return HEADING.match(line) is not None and bool(HEADING.match(line)["rest"].strip())  # type: ignore[index]


def read_heading(line: str, previous: TimeOfDay | None = None) -> Heading:
    """The heading's INT/EXT, location and time of day (a CONTINUOUS one keeps ``previous``)."""
    text = line.strip()
    number_match = SCENE_NUMBER.search(text)
    number = number_match["n"] if number_match else None
    body = SCENE_NUMBER.sub("", text)
    match = HEADING.match(body)
    if match is None:
        raise ValueError(f"not a scene heading: {line!r}")
    int_ext = _int_ext(match["ie"])
    parts = [p.strip(" .,") for p in _PARTS.split(match["rest"].upper()) if p.strip(" .,")]
    parts = [re.sub(r"\s*\((?:FLASHBACK|DREAM|PRESENT DAY)\)\s*", "", p) for p in parts]
    said, time = "", previous
    if parts and parts[-1] in TIMES:
        said = parts.pop()
        time = TIMES[said] or previous
    elif parts and (slash := parts[-1].rsplit("/", 1))[-1].strip() in TIMES and len(slash) > 1:
        said = slash[-1].strip()
        time = TIMES[said] or previous
        parts[-1] = slash[0].strip()
    parts = [p for p in parts if p not in MODIFIERS]
    return Heading(
        text=text,
        int_ext=int_ext,
        location=" - ".join(parts),
        time_of_day=time,
        time_said=said,
        number=number,
    )


def _int_ext(said: str) -> IntExt:
    letters = re.sub(r"[^A-Z/]", "", said.upper())
    if "/" in letters:
        return "INT/EXT"
    return "EXT" if letters.startswith("EXT") or letters.startswith("EST") else "INT"
