"""A board shot said as a direction: the words the director agent reads like anyone's.

Generate all sends each board shot down the path every direction takes, so the shot must say
its framing in words ``agents.spec.read_spec`` reads back to the same size, angle, lens and
move. The action's own words could say otherwise ("pans", "wide"), so a direction that reads
back differently drops them and keeps only what the board says.
"""

from __future__ import annotations

import re

from agents.script.scene import Scene, titled
from agents.script.shots import BoardShot
from agents.spec import read_spec

ANGLE_WORDS = {"low": "low angle", "high": "high angle", "eye level": "eye level"}


def shot_direction(shot: BoardShot, scene: Scene, number: int | None = None) -> str:
    """ "scene 12, MCU, OTS, 50mm, static, Maya and Rook: …, throne room, dusk, interior"."""
    heading = scene.headings[min(shot.heading, len(scene.headings) - 1)]
    framing = ", ".join(
        [shot.size, ANGLE_WORDS.get(shot.angle, shot.angle), f"{shot.lens_mm}mm", _move_words(shot.move)]
    )
    opening = f"scene {scene.number}, " if scene.number else ""
    who = " and ".join(shot.cast) or _whose(shot, scene)
    place = f"{heading.location.lower()}" + (f" at {heading.time_of_day}" if heading.time_of_day else "")
    where = f"{'exterior' if heading.int_ext == 'EXT' else 'interior'}, in the {place}"
    full = f"{opening}{framing}{', ' + who if who else ''}: {_plain(shot.description)}, {where}"
    bare = f"{opening}{framing}{', ' + who if who else ''}, {where}"
    return full if _reads_back(full, shot) else bare


_PRONOUN = re.compile(r"\b(?:she|he|they|her|his|their)\b", re.IGNORECASE)


def _whose(shot: BoardShot, scene: Scene) -> str:
    """Whose hands an insert of nobody shows ("She snaps open the POCKET WATCH"): the one who
    spoke last before the action, or was named last in the action before it — said, so the
    direction read on its own doesn't ask who "she" is."""
    if not _PRONOUN.search(shot.description):
        return ""
    action = next((a for a in scene.actions if a.text and a.text in shot.description), None)
    if action is None:
        return ""
    if action.after_line is not None and action.after_line < len(scene.lines):
        return titled(scene.lines[action.after_line].speaker)
    named = [m.name for a in scene.actions[: action.index + 1] for m in scene.cast if m.name in a.text]
    return titled(named[-1]) if named else ""


def _move_words(move: str) -> str:
    return {"static": "static, locked off"}.get(move, move)


def _plain(text: str) -> str:
    """The description without the spoken words (a line saying "cancel it" is no instruction
    to Slate) and without the script's capitals ("MAYA" is Maya)."""
    text = re.sub(r":?\s*\u201c[^\u201d]*\u201d", "", text).strip(" .:")
    return re.sub(r"\b(?!OTS\b|POV\b)([A-Z][A-Z'’]+)\b", lambda m: titled(m.group(1)), text)


def _reads_back(text: str, shot: BoardShot) -> bool:
    spec = read_spec(text)
    return (spec.shot_size, spec.angle, spec.lens_mm, spec.camera_move) == (
        shot.size,
        shot.angle,
        shot.lens_mm,
        shot.move,
    )
