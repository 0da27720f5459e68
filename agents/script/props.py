"""Props the action names: what the script capitalises, and what a character handles.

A script points at its props in capitals ("a brass KEY"); the rest are the objects of the
verbs of handling ("picks up a helmet"). Characters and sounds are not props.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from agents.script.cast import PEOPLE, caps_runs, fold
from agents.script.scene import Action

HANDLING = (
    r"picks? up|puts? down|puts?|holds? up|holds?|hands?(?:\s+(?:him|her|them))?|takes? out|takes?|lifts?|"
    r"slides?|opens?|unties?|unrolls?|drags?|grips?|tears?|pulls? out|pulls?|sets? down|sets?|lays?|wraps?|"
    r"feeds?|raises?|pours?|carves?|snatches?|grabs?|throws?|drops?|loads?|unfolds?|reads?|lights?|"
    r"winds?|clutches?|pockets?|smooths?|running|turns?|switches? off|switches? on|reaches for|strikes?"
)
DETERMINER = r"(?:a|an|the|his|her|their|its|some|one|another|a\s+small|a\s+thin)"
STOP = {
    "to", "on", "in", "at", "across", "into", "from", "of", "with", "and", "off", "under", "over", "along",
    "against", "for", "as", "by", "out", "up", "down", "then", "until", "beside", "onto", "round", "around",
    "through", "back", "again", "away", "instead", "inside", "behind", "toward", "towards", "near", "half",
}  # fmt: skip
HANDLED = re.compile(rf"\b(?:{HANDLING})\s+{DETERMINER}\s+(?P<words>[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)")
NOT_PROPS = {"door", "doorway", "way", "corner", "breath", "look", "moment", "hand", "hands", "head", "eyes"}


def find_props(actions: Sequence[Action], names: Iterable[str]) -> list[str]:
    """The scene's props in lower case, in the order the action names them."""
    people = {fold(n) for n in names}
    found: list[str] = []
    for action in actions:
        for prop in props_in(action.text, people):
            if prop not in found:
                found.append(prop)
    return found


def props_in(text: str, people: set[str]) -> list[str]:
    """The props one action line names, capitalised first."""
    props: list[tuple[int, str]] = []
    for run, said, _sentence, at in caps_runs(text):
        words = fold(run).split()
        if said is not None or not words or words[-1] in PEOPLE or _is_person(words, people):
            continue
        props.append((at, run.lower()))
    for match in HANDLED.finditer(text):
        if re.match(r"\s+[A-Z]{2}", text[match.end() :]):
            continue  # "a sealed LETTER": the capitals name it
        words = []
        for word in match["words"].split():
            if word in STOP:
                break
            words.append(word)
        if words and words[-1] not in NOT_PROPS:
            prop = " ".join(words)
            if not any(prop in p or p.split()[-1] == words[-1] for _, p in props):
                props.append((match.start("words"), prop))
    return [p for _, p in sorted(props)]


def _is_person(words: list[str], people: set[str]) -> bool:
    key = " ".join(words)
    return any(key == p or key in p.split() or p in key.split() for p in people)
