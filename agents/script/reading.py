"""Read a scene: screenplay text (Fountain or plain) into a ``Scene``.

``screenplain`` parses the Fountain (after ``normalize`` has made plain text into Fountain);
this module walks its paragraphs into headings, action beats and lines, then the cast and
props are found (``agents.script.cast``, ``agents.script.props``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from screenplain.parsers.fountain import parse_lines
from screenplain.types import Action as FountainAction
from screenplain.types import Dialog, DualDialog, Slug, Transition

from agents.script.cast import CanonName, find_cast
from agents.script.headings import read_heading
from agents.script.normalize import EXTENSION, cue_name, prepare
from agents.script.props import find_props
from agents.script.scene import Action, Heading, Line, Scene

MONTAGE_START = re.compile(r"^(?:BEGIN\s+)?(?:MONTAGE|SERIES OF SHOTS)\b.*?:?$", re.I)
MONTAGE_END = re.compile(r"^END\s+(?:OF\s+)?(?:MONTAGE|SERIES OF SHOTS)\b", re.I)
INTERCUT = re.compile(r"^INTERCUT\b", re.I)
BEAT = re.compile(r"^\s*(?:--|-|•|\*)\s+")
OFF_SCREEN = re.compile(r"\((?:V\.?\s*O\.?|O\.?\s*S\.?|O\.?\s*C\.?)\)", re.I)


class NotAScene(ValueError):
    """The text has no scene heading: said so, not guessed at."""


def read_scene(text: str, canon: Sequence[CanonName] = ()) -> Scene:
    """The scene (or run of headings) in ``text``; ``canon`` matches its cast to known characters."""
    prepared = prepare(text)
    paragraphs = parse_lines(prepared.lines).paragraphs
    headings: list[Heading] = []
    actions: list[Action] = []
    lines: list[Line] = []
    transitions = list(prepared.transitions)
    montage = False
    for paragraph in paragraphs:
        if isinstance(paragraph, Slug):
            previous = headings[-1].time_of_day if headings else None
            number = str(paragraph.scene_number) if paragraph.scene_number else ""
            said = str(paragraph.line) + (f" #{number}#" if number else "")
            headings.append(read_heading(said, previous))
            montage = False
        elif not headings:
            continue  # a title page, FADE IN or notes before the first heading
        elif isinstance(paragraph, Transition):
            transitions.append(str(paragraph.line))
        elif isinstance(paragraph, DualDialog):
            lines.append(_line(paragraph.left, len(lines), len(headings) - 1))
            lines.append(_line(paragraph.right, len(lines), len(headings) - 1, dual=True))
        elif isinstance(paragraph, Dialog):
            lines.append(_line(paragraph, len(lines), len(headings) - 1))
        elif isinstance(paragraph, FountainAction):
            montage = _add_action(paragraph, actions, len(headings) - 1, len(lines) - 1, montage)
    if not headings:
        raise NotAScene(
            "I found no scene heading. A scene starts with one, e.g. `INT. THRONE ROOM - DUSK` "
            "or `EXT. HARBOUR - NIGHT`."
        )
    cast = find_cast(lines, actions, canon)
    names = {n for c in cast for n in (c.name, *c.aliases)}
    lines = [_renamed(line, cast) for line in lines]
    return Scene(
        headings=headings,
        actions=actions,
        lines=lines,
        cast=cast,
        props=find_props(actions, names),
        transitions=transitions,
        source_lines=_formatted_lines(headings, actions, lines),
    )


def _line(dialog: Dialog, index: int, heading: int, dual: bool = False) -> Line:
    cue = str(dialog.character).strip()
    spoken = [str(text).strip() for parenthetical, text in dialog.blocks if not parenthetical]
    asides = tuple(str(text).strip() for parenthetical, text in dialog.blocks if parenthetical)
    return Line(
        index=index,
        speaker=cue_name(EXTENSION.sub("", cue)),
        text=" ".join(s for s in spoken if s),
        cue=cue,
        parentheticals=asides,
        off_screen=OFF_SCREEN.search(cue) is not None,
        heading=heading,
        dual=dual,
    )


def _add_action(
    paragraph: FountainAction, actions: list[Action], heading: int, after: int, montage: bool
) -> bool:
    """One action paragraph as beats; returns whether a montage is running after it."""
    beats: list[str] = []
    for raw in (str(line) for line in paragraph.lines):
        text = raw.strip()
        if not text:
            continue
        if MONTAGE_END.match(text):
            montage = False
        elif MONTAGE_START.match(text) and len(text.split()) <= 6:
            montage = True
        elif INTERCUT.match(text):
            continue
        elif BEAT.match(text) or not beats:
            beats.append(BEAT.sub("", text))
        else:
            beats[-1] = f"{beats[-1]} {text}"
    for beat in beats:
        actions.append(
            Action(
                index=len(actions),
                text=beat,
                heading=heading,
                montage=montage,
                after_line=after if after >= 0 else None,
            )
        )
    return montage


def _renamed(line: Line, cast) -> Line:  # type: ignore[no-untyped-def]
    """A typo'd cue (GUSS) speaks as the cast member it is (GUS)."""
    for member in cast:
        if line.speaker in member.aliases:
            return Line(**{**line.__dict__, "speaker": member.name})
    return line


def _formatted_lines(headings: list[Heading], actions: list[Action], lines: list[Line]) -> int:
    """Lines as a printed script sets them: action 60 characters wide, dialogue 35, a cue and
    a blank line around each element (the basis of the 55-lines-a-page count)."""
    count = 2 * len(headings)
    count += sum(len(textwrap.wrap(a.text, 60)) + 1 for a in actions)
    count += sum(2 + len(textwrap.wrap(line.text, 35)) + len(line.parentheticals) for line in lines)
    return count
