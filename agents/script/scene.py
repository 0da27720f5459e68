"""A scene as the script gives it: where and when, what happens, who is in it and who says what.

Plain data, no Slack and no engine: the reader fills it in (``agents.script.reading``), the
coverage proposes shots from it (``agents.script.coverage``) and the board shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from agents.spec import TimeOfDay

IntExt = Literal["INT", "EXT", "INT/EXT"]


@dataclass(frozen=True)
class Heading:
    """One scene heading: ``INT. THRONE ROOM - DUSK`` → INT, THRONE ROOM, dusk."""

    text: str
    int_ext: IntExt
    location: str
    time_of_day: TimeOfDay | None  # the ShotSpec's words; CONTINUOUS keeps the previous heading's
    time_said: str = ""  # the heading's own word (NIGHT, CONTINUOUS, MOMENTS LATER)
    number: str | None = None  # a Fountain scene number (#12#)


@dataclass(frozen=True)
class Line:
    """One speech: a cue and what follows it, parentheticals kept apart."""

    index: int  # its place among the scene's lines, from 0
    speaker: str  # the cast member's name (the cue without extensions)
    text: str
    cue: str = ""  # the cue as written (MAYA (V.O.))
    parentheticals: tuple[str, ...] = ()
    off_screen: bool = False  # (V.O.) or (O.S.)
    heading: int = 0  # which heading it falls under
    dual: bool = False  # spoken over the line before it (Fountain's ^)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def as_dialogue(self) -> str:
        """How a version records it (``extra["dialogue"]``): "MAYA: line"."""
        return f"{self.speaker}: {self.text}"


@dataclass(frozen=True)
class Action:
    """One paragraph of action (or one ``--`` beat of a montage)."""

    index: int
    text: str
    heading: int = 0
    montage: bool = False
    after_line: int | None = None  # the last dialogue line before it, if any

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class CastMember:
    """A character of the scene and what the script says of them where it introduces them."""

    name: str  # as the cues write it (upper case)
    description: str = ""  # the introduction's parenthetical ("60s, forearms like bread dough")
    introduced: str = ""  # the sentence that introduces them
    aliases: list[str] = field(default_factory=list)  # the full name in the action, a typo'd cue
    speaks: bool = False
    off_screen: bool = False  # only heard (V.O.)
    canon: str | None = None  # the canon character this is, when the project knows them

    @property
    def label(self) -> str:
        """The name shots and directions use: the canon's where matched."""
        return self.canon or titled(self.name)


@dataclass
class Scene:
    """What one paste of script holds: its headings in order (a chase runs through several)."""

    headings: list[Heading]
    actions: list[Action]
    lines: list[Line]
    cast: list[CastMember]
    props: list[str]
    transitions: list[str] = field(default_factory=list)
    source_lines: int = 0  # formatted lines, for the page count

    @property
    def number(self) -> str | None:
        return next((h.number for h in self.headings if h.number), None)

    @property
    def pages(self) -> float:
        """Script pages at the industry's 55 formatted lines a page (at least an eighth)."""
        return max(0.125, self.source_lines / 55)

    def member(self, name: str) -> CastMember | None:
        return next((c for c in self.cast if c.name == name), None)

    @property
    def speaking(self) -> list[CastMember]:
        return [c for c in self.cast if c.speaks]


def titled(words: str) -> str:
    """Script capitals as a name is written: "HARBOUR MASTER'S OFFICE" -> "Harbour Master's Office"
    (``str.title`` would make it "Master'S")."""
    return re.sub(r"(['’])S\b", r"\1s", words.title())
