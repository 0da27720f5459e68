"""The shot spec: what the agent understood a direction to ask for, in film grammar.

It is shown with every shot so the team can see the reading, recorded with the version
(``spec_*`` keys of its record), and revised by relative directions — "tighter", "from a lower
angle", "swap Rook for Maya" — against the version the thread is looking at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from tools.shot_reading import SHOT_SIZES, read_shot

ShotSize = Literal["ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS"]
Angle = Literal["eye level", "low", "high", "overhead", "dutch", "OTS", "POV"]
Move = Literal[
    "static", "dolly in", "dolly out", "push in", "pull out", "pan", "tilt", "crane", "handheld", "steadicam",
    "tracking", "zoom",
]  # fmt: skip
TimeOfDay = Literal["dawn", "day", "golden hour", "dusk", "night"]

SIZES: tuple[ShotSize, ...] = ("ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS")  # tight → wide
SIZE_WORDS = SHOT_SIZES
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
SIZE_SAID = r"\b(?:E?CU|MCU|MS|MWS|E?WS|XCU|close|wide|medium|establishing|cowboy|full)\b"
_LENS = re.compile(r"\b(\d{2,3})\s*mm\b", re.IGNORECASE)
_MOODS = (
    "tense|eerie|ominous|melancholic|melancholy|romantic|triumphant|hopeful|bleak|somber|sombre|dreamy|"
    "menacing|joyful|serene|chaotic|claustrophobic|intimate|epic|lonely|desperate|playful|mysterious"
)


class ShotSpec(BaseModel):
    """A direction read as a cinematographer would write it on a shot list."""

    shot_size: ShotSize | None = None
    angle: Angle | None = None
    lens_mm: int | None = Field(None, ge=4, le=1200)
    camera_move: Move | None = None
    characters: list[str] = Field(default_factory=list)
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


def read_spec(text: str, cast: Iterable[str] = (), aspect_ratio: str | None = None) -> ShotSpec:
    """Read a new-shot direction. Only what the direction says is filled in."""
    reading = read_shot(text, list(cast) or None)
    said_size = re.search(
        r"\b(?:E?CU|MCU|MS|MWS|E?WS|XCU|close|wide|medium|establishing|cowboy|full)\b", text, re.I
    )
    lens = _LENS.search(text)
    mood = re.search(rf"\b({_MOODS})\b", text, re.IGNORECASE)
    return ShotSpec(
        shot_size=reading.shot_size if said_size else None,
        angle=next((_ANGLE_OF[a] for a in reading.angles if a in _ANGLE_OF), None),
        lens_mm=int(lens.group(1)) if lens else None,
        camera_move=next((move for pattern, move in _MOVES if re.search(pattern, text, re.IGNORECASE)), None),
        characters=list(reading.characters),
        setting=reading.setting,
        time_of_day=reading.time_of_day or None,
        weather=list(reading.weather),
        lighting=list(reading.lighting),
        mood=mood.group(1).lower() if mood else "",
        aspect_ratio=aspect_ratio,
    )


def revise_spec(spec: ShotSpec, change: str, cast: Iterable[str] = ()) -> ShotSpec:
    """The spec after a relative direction: sizes step, angles and settings change, names swap."""
    updates: dict[str, object] = {}
    size = spec.shot_size or "MS"
    if re.search(r"\b(?:tighter|closer|push in|punch in)\b", change, re.I):
        updates["shot_size"] = SIZES[max(0, SIZES.index(size) - 1)]
    elif re.search(r"\b(?:wider|looser|pull (?:out|back)|further back)\b", change, re.I):
        updates["shot_size"] = SIZES[min(len(SIZES) - 1, SIZES.index(size) + 1)]
    if re.search(r"\blower angle\b|\bfrom below\b", change, re.I):
        updates["angle"] = "low"
    elif re.search(r"\bhigher angle\b|\bfrom above\b", change, re.I):
        updates["angle"] = "high"
    if swap := SWAP.search(change):
        out, into = swap.group("out"), swap.group("into")
        updates["characters"] = [into if c.lower() == out.lower() else c for c in spec.characters] or [into]
    said = read_spec(change, cast)
    for field in ("shot_size", "angle", "lens_mm", "camera_move", "time_of_day", "mood"):
        value = getattr(said, field)
        if value and field not in updates:
            updates[field] = value
    for field in ("weather", "lighting"):
        extra = [w for w in getattr(said, field) if w not in getattr(spec, field)]
        if extra:
            updates[field] = getattr(spec, field) + extra
    return spec.model_copy(update=updates)


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
    return f"{prompt}, {change}" if change else prompt
