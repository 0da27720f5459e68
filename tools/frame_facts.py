"""The facts a 2D storyboard frame draws and captions: size, angles, cast, conditions, place.

Filled from the shot's blocking by the previz engine, and by the director's reading of a direction
(agents/reading/shot.py) — the tools draw facts, they never read language.
"""

from __future__ import annotations

from dataclasses import dataclass

SHOT_NAMES: dict[str, str] = {
    "ECU": "extreme close-up",
    "CU": "close-up",
    "MCU": "medium close-up",
    "MS": "medium shot",
    "MWS": "medium wide shot",
    "WS": "wide shot",
    "EWS": "extreme wide shot",
}
DEFAULT_SHOT_SIZE = "MS"


@dataclass(frozen=True)
class FrameFacts:
    """What a 2D previz frame shows and captions; empty strings mean "not said"."""

    shot_size: str = DEFAULT_SHOT_SIZE
    angles: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    viewer: str = ""
    time_of_day: str = ""
    int_ext: str = ""
    weather: tuple[str, ...] = ()
    lighting: tuple[str, ...] = ()
    setting: str = ""
    subject: str = ""  # the thing framed when no one is named: "ECU on the ring" -> "ring"
    move: str = ""  # the camera move, marked with storyboard arrows ("" or "static": none)

    @property
    def shot_name(self) -> str:
        return SHOT_NAMES[self.shot_size]

    @property
    def angle(self) -> str:
        """All camera-angle words in one phrase, "eye level" when none was given."""
        return ", ".join(self.angles) or "eye level"
