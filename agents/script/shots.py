"""A shot of a board: what the coverage proposes and the team edits, in the ShotSpec's words."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agents.spec import Angle, Move, ShotSize

Kind = Literal[
    "establishing", "master", "OTS", "single", "two-shot", "insert", "reaction", "action", "montage"
]
LENS_FOR: dict[str, int] = {"EWS": 18, "WS": 24, "MWS": 35, "MS": 35, "MCU": 50, "CU": 85, "ECU": 100}

# The duration rule (README, "From script to board"): dialogue at 2.5 words a second; each action
# paragraph a shot covers adds 1 s and a quarter second a word; never under 2 s; to the half second.
WORDS_PER_SECOND = 2.5
ACTION_BASE_S = 1.0
ACTION_WORD_S = 0.25
MIN_SHOT_S = 2.0


class BoardShot(BaseModel):
    """One panel of the board, in edit order."""

    size: ShotSize
    angle: Angle = "eye level"
    lens_mm: int = Field(50, ge=4, le=1200)
    move: Move = "static"
    cast: list[str] = Field(default_factory=list)  # the names directions use (the canon's where known)
    lines: list[int] = Field(default_factory=list)  # indices of the scene's lines it covers
    dialogue: list[str] = Field(default_factory=list)  # those lines as "NAME: line"
    description: str = ""
    duration_s: float = MIN_SHOT_S
    kind: Kind = "single"
    heading: int = 0
    props: list[str] = Field(default_factory=list)

    def framing(self) -> str:
        """ "MCU · OTS · 50mm · push in": how a board lists a shot."""
        angle = f"{self.angle} angle" if self.angle in ("low", "high") else self.angle
        return " · ".join([self.size, angle, f"{self.lens_mm}mm", self.move])


def duration(spoken_words: int, action_words: list[int]) -> float:
    """Seconds a shot holds by the stated rule."""
    seconds = spoken_words / WORDS_PER_SECOND + sum(ACTION_BASE_S + ACTION_WORD_S * w for w in action_words)
    return max(MIN_SHOT_S, round(seconds * 2) / 2)
