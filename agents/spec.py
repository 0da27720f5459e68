"""The shot spec: what the agent understood a direction to ask for, in film grammar.

It is shown with every shot so the team can see the reading, recorded with the version
(``spec_*`` keys of its record), and revised by relative directions — "tighter", "from a lower
angle", "swap Rook for Maya" — against the version the thread is looking at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, Field

from agents.reading.shot import read_shot, said_size
from agents.reading.vocabulary import MOODS
from memory.pack import only_fit, pronouns_in
from tools.frame_facts import SHOT_NAMES

ShotSize = Literal["ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS"]
Angle = Literal["eye level", "low", "high", "overhead", "dutch", "OTS", "POV"]
Move = Literal[
    "static", "dolly in", "dolly out", "push in", "pull out", "pan", "tilt", "crane", "handheld", "steadicam",
    "tracking", "zoom",
]  # fmt: skip
TimeOfDay = Literal["dawn", "day", "golden hour", "dusk", "night"]

SIZES: tuple[ShotSize, ...] = ("ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS")  # tight → wide
SIZE_WORDS = SHOT_NAMES
_ANGLE_OF = {
    "low angle": "low",
    "high angle": "high",
    "overhead": "overhead",
    "dutch": "dutch",
    "OTS": "OTS",
    "POV": "POV",
}
_MOVES: tuple[tuple[str, Move], ...] = (
    (r"dolly(?:ing)?\s+in|track(?:ing)?\s+in", "dolly in"),
    (r"dolly(?:ing)?\s+(?:out|back)", "dolly out"),
    (r"push(?:ing)?\s+in|creep(?:ing)?\s+in", "push in"),
    (r"pull(?:ing)?\s+(?:out|back)", "pull out"),
    (r"crane|jib|boom\s+(?:up|down)", "crane"),
    (r"hand-?held", "handheld"),
    (r"steadi-?cam|gimbal", "steadicam"),
    (r"tracking|track(?:s|ing)?\s+(?:with|alongside)|follow(?:s|ing)?\s+(?:her|him|them)", "tracking"),
    (r"whip[\s-]*pan|\bpan(?:s|ning)?\b", "pan"),
    (r"\btilt(?:s|ing)?\s+(?:up|down)\b", "tilt"),
    (r"crash\s+zoom|\bzoom(?:s|ing)?\s+in\b|snap\s+zoom", "zoom"),
    (r"locked[\s-]*off|static|on\s+sticks|tripod", "static"),
)
# "35mm", "on an 85", or a focal length alone as a fragment ("bram. 85. sweaty.")
_FOCAL = r"(?:14|16|18|21|24|25|27|28|32|35|40|50|65|75|85|100|135|150|200)"  # the lengths crews name bare
_LENS = re.compile(
    r"\b(\d{2,3})\s*(?:mm|mil|millimet(?:er|re)s?)\b|\bon\s+(?:an?|the)\s+(\d{2,3})\b(?!\s*(?:%|percent|degrees))|"
    rf"(?:^|[.,;]\s*)({_FOCAL})\s*(?=[.,;]|$)|"
    # "go 135", "use the 50 on this one", "swap to an 85", "85 lens"
    rf"\b(?:go|use|try|swap\s+to|switch\s+to|put\s+on|shoot\s+(?:it\s+)?(?:on|with)|with)\s+(?:an?\s+|the\s+)?"
    rf"({_FOCAL})\b(?!\s*(?:%|percent|degrees|frames|fps|people|extras|feet|ft|metres|meters|m\b|x\b))|"
    rf"\b({_FOCAL})\s+lens\b",
    re.IGNORECASE,
)
_EXTRA_TIME: tuple[tuple[str, TimeOfDay], ...] = (
    (r"\b(?:1[0-2]|[1-4])\s*(?:am|a\.m\.)|\bwitching hour\b|\bsmall hours\b", "night"),
    (r"\b[5-6]\s*(?:am|a\.m\.)", "dawn"),
    (r"\b(?:[7-9]|1[01])\s*(?:pm|p\.m\.)", "night"),
    (r"\bmoon[\s-]*(?:light|lit)\b|\bby\s+moon\b|\bunder\s+the\s+moon\b", "night"),  # moonlight is night's
)
_EXTRA_WEATHER = ((r"\bthunder\w*", "storm"), (r"\bclear\s+(?:sky|skies|day|night)\b|\bcloudless\b", "clear"))
_EXTRA_LIGHT = (
    (r"\btop[\s-]*light", "top light"),
    (r"\bwindow[\s-]*light", "window light"),
    (r"\bfluorescents?\b", "fluorescent"),
    (r"\bsodium[\s-]*vapou?r\b", "sodium vapour"),
    (r"\blamp[\s-]*(?:light|lit)\b|\blamps?\b", "lamplight"),
    (r"\bhard[\s-]*top[\s-]*light\b", "hard light"),
)
_NOT_NAMES = {
    "Can",
    "Could",
    "Give",
    "Get",
    "Let",
    "Make",
    "Show",
    "Please",
    "Try",
    "Do",
    "Now",
    "Then",
    "Okay",
    "OK",
}


class ShotSpec(BaseModel):
    """A direction read as a cinematographer would write it on a shot list."""

    shot_size: ShotSize | None = None
    angle: Angle | None = None
    lens_mm: int | None = Field(None, ge=4, le=1200)
    camera_move: Move | None = None
    characters: list[str] = Field(default_factory=list)
    subject: str = ""  # the thing framed when no one is named: "ECU on the ring" → "ring"
    setting: str = ""
    time_of_day: TimeOfDay | None = None
    weather: list[str] = Field(default_factory=list)
    lighting: list[str] = Field(default_factory=list)
    mood: str = ""
    aspect_ratio: str | None = None

    def summary(self) -> str:
        """One line for the thread: "WS · low angle · 35mm · dolly in · Maya, Rook · throne room · dusk"."""
        parts = [
            self.shot_size or "",
            f"{self.angle} angle" if self.angle in ("low", "high") else (self.angle or ""),
            f"{self.lens_mm}mm" if self.lens_mm else "",
            self.camera_move or "",
            ", ".join(self.characters),
            self.subject,
            self.setting,
            self.time_of_day or "",
            ", ".join(self.weather + self.lighting),
            self.mood,
            self.aspect_ratio or "",
        ]
        return " · ".join(p for p in parts if p)

    def as_extra(self) -> dict[str, str]:
        """The spec as the version record's ``spec_*`` strings."""
        values = self.model_dump(exclude_defaults=True)
        return {
            f"spec_{k}": ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in values.items()
        }

    def merged(self, newer: ShotSpec) -> ShotSpec:
        """This reading with everything ``newer`` says on top ("like shot 4, but in the snow")."""
        said = newer.model_dump(exclude_defaults=True)
        return self.model_copy(update=said)

    @classmethod
    def from_extra(cls, extra: dict[str, str]) -> ShotSpec:
        values: dict[str, object] = {}
        for key, value in extra.items():
            if not key.startswith("spec_"):
                continue
            field = key.removeprefix("spec_")
            if field in ("characters", "weather", "lighting"):
                values[field] = [v.strip() for v in value.split(",") if v.strip()]
            elif field == "lens_mm":
                values[field] = int(value)
            else:
                values[field] = value
        return cls.model_validate(values)


_SPOKEN_FOCALS = {
    "twelve": 12,
    "fourteen": 14,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "twenty four": 24,
    "twenty eight": 28,
    "thirty five": 35,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty five": 85,
    "a hundred": 100,
    "one hundred": 100,
    "one thirty five": 135,
    "two hundred": 200,
}
_SPOKEN_WORDS = "|".join(w.replace(" ", r"[\s-]+") for w in sorted(_SPOKEN_FOCALS, key=len, reverse=True))
# "let's go on the thirty five", "an eighty-five mil": a lens said in words, as on set
_SPOKEN_FOCAL = re.compile(
    rf"(?P<lead>\b(?:on|with|use|swap\s+to|switch\s+to)\s+(?:the|an?)\s+)({_SPOKEN_WORDS})\b|"
    rf"\b({_SPOKEN_WORDS})(?=\s*(?:mil\b|mm\b|millimet\w+|lens\b))",
    re.IGNORECASE,
)


def _focal(said: re.Match[str]) -> str:
    words = re.sub(r"[\s-]+", " ", (said.group(2) or said.group(3)).lower())
    return f"{said.group('lead') or ''}{_SPOKEN_FOCALS[words]}"


def read_spec(text: str, cast: Iterable[str] = (), aspect_ratio: str | None = None) -> ShotSpec:
    """Read a new-shot direction. Only what the direction says is filled in."""
    reading = read_shot(text, list(cast) or None)
    lens = _LENS.search(_SPOKEN_FOCAL.sub(_focal, text))
    mood = re.search(rf"\b({'|'.join(sorted(MOODS, key=len, reverse=True))})\b", text, re.IGNORECASE)
    angle = next((_ANGLE_OF[a] for a in reading.angles if a in _ANGLE_OF), None)
    if angle is None and re.search(r"\beye[\s-]*level\b", text, re.IGNORECASE):
        angle = "eye level"
    time = reading.time_of_day or next((t for p, t in _EXTRA_TIME if re.search(p, text, re.IGNORECASE)), None)
    return ShotSpec(
        shot_size=said_size(text) or None,
        angle=angle,
        lens_mm=int(next(g for g in lens.groups() if g)) if lens else None,
        camera_move=next((move for pattern, move in _MOVES if re.search(pattern, text, re.IGNORECASE)), None),
        characters=[c for c in reading.characters if c not in _NOT_NAMES],
        subject=reading.subject,
        setting=reading.setting,
        time_of_day=time or None,
        weather=_with(list(reading.weather), _EXTRA_WEATHER, text),
        lighting=_with(list(reading.lighting), _EXTRA_LIGHT, text),
        mood=mood.group(1).lower() if mood else "",
        aspect_ratio=aspect_ratio,
    )


def _with(found: list[str], table: tuple[tuple[str, str], ...], text: str) -> list[str]:
    """``found`` plus the words ``table`` recognises in ``text`` that the shot reader doesn't."""
    extra = [word for pattern, word in table if re.search(pattern, text, re.IGNORECASE)]
    return found + [w for w in extra if w not in found]


def revise_spec(spec: ShotSpec, change: str, cast: Mapping[str, str] | Iterable[str] = ()) -> ShotSpec:
    """The spec after a relative direction: sizes step, angles and settings change, names swap, and
    a shot of several people closes on one ("CU on her reaction"). ``cast`` is the canon's names, or
    its names and their pronouns."""
    updates: dict[str, object] = {}
    said = read_spec(change, cast)
    size = spec.shot_size or "MS"
    if said.shot_size:  # "wider — make it an EWS": the named size wins over a step
        updates["shot_size"] = said.shot_size
    elif re.search(r"\b(?:tighter|closer|push in|punch in)\b", change, re.I):
        updates["shot_size"] = SIZES[max(0, SIZES.index(size) - 1)]
    elif re.search(r"\b(?:wider|looser|pull (?:out|back)|further back)\b", change, re.I):
        updates["shot_size"] = SIZES[min(len(SIZES) - 1, SIZES.index(size) + 1)]
    if re.search(
        r"\blower angle\b|\bfrom below\b|\b(?:get|go|come|drop)\s+lower\b|\blook(?:ing)?\s+up\s+at\b",
        change,
        re.I,
    ):
        updates["angle"] = "low"
    elif re.search(
        r"\bhigher angle\b|\bfrom above\b|\b(?:get|go|come)\s+higher\b|\blook(?:ing)?\s+down\s+(?:at|on)\b",
        change,
        re.I,
    ):
        updates["angle"] = "high"
    if swap := SWAP.search(change):
        out, into = swap.group("out"), swap.group("into")
        updates["characters"] = [into if c.lower() == out.lower() else c for c in spec.characters] or [into]
    for field in ("shot_size", "angle", "lens_mm", "camera_move", "time_of_day", "mood"):
        value = getattr(said, field)
        if value and field not in updates:
            updates[field] = value
    pronouns = cast if isinstance(cast, Mapping) else {}
    if "characters" not in updates and (
        one := _closed_on(spec, change, str(updates.get("shot_size", size)), pronouns)
    ):
        updates["characters"] = [one]
    for field in ("weather", "lighting"):
        extra = [w for w in getattr(said, field) if w not in getattr(spec, field)]
        if extra:
            updates[field] = getattr(spec, field) + extra
    return spec.model_copy(update=updates)


# Who a revision closes on: "on her", "of Rook", "just him", "her reaction", "Rook alone"
_FOCUS = (
    r"(?:\b(?:on|of|just|only)\s+(?P<after>{who})\b"
    r"|\b(?P<before>{who})(?:['’]s)?\s+(?:reaction|alone|single)\b)"
)
_SINGLE = re.compile(r"\b(?:reaction|single|alone|just|only)\b", re.IGNORECASE)
_TIGHT = ("ECU", "CU", "MCU")


def _closed_on(spec: ShotSpec, change: str, size: str, pronouns: Mapping[str, str]) -> str | None:
    """The one person of a shot of several that a revision frames alone: tight on them ("push in on
    her", "CU of Rook") or said as a single ("just him", "her reaction"); "her" must fit only one of
    them. "tighter, make her cloak red" closes on nobody."""
    if len(spec.characters) < 2 or (size not in _TIGHT and not _SINGLE.search(change)):
        return None
    who = "|".join([*(re.escape(c) for c in spec.characters), "her", "him", "his", "them", "their"])
    focus = re.search(_FOCUS.format(who=who), change, re.IGNORECASE)
    if focus is None:
        return None
    said = (focus.group("after") or focus.group("before")).lower()
    named = next((c for c in spec.characters if c.lower() == said), None)
    return named or only_fit({c: pronouns.get(c, "") for c in spec.characters}, pronouns_in(said))


def repainted_spec(spec: ShotSpec, change: str, cast: Iterable[str] = ()) -> ShotSpec:
    """The spec after a repaint of one region: what the region shows now (weather, light, time,
    who) is read from the change; the framing (size, angle, lens, move, aspect) never changes."""
    revised = revise_spec(spec, change, cast)
    kept = ("shot_size", "angle", "lens_mm", "camera_move", "aspect_ratio")
    return revised.model_copy(update={field: getattr(spec, field) for field in kept})


SWAP = re.compile(
    r"\b(?:swap|replace)\s+(?P<out>[A-Z][\w'-]*)\s+(?:for|with)\s+(?P<into>[A-Z][\w'-]*)", re.IGNORECASE
)


def revised_prompt(prompt: str, change: str, before: ShotSpec, after: ShotSpec) -> str:
    """The parent's prompt with the change applied: swaps replace names, size changes are spelled out."""
    if swap := SWAP.search(change):
        prompt = re.sub(rf"\b{re.escape(swap.group('out'))}\b", swap.group("into"), prompt)
        change = (change[: swap.start()] + change[swap.end() :]).strip(" ,.;")
    if after.shot_size and after.shot_size != before.shot_size:
        change = f"{change}, {SIZE_WORDS[after.shot_size]}".strip(" ,")
    if len(after.characters) == 1 and len(before.characters) > 1 and not swap:
        change = f"{change}, only {after.characters[0]} in frame"
    return f"{prompt}, {change}" if change else prompt
