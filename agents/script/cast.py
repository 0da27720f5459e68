"""Who is in a scene: the cues, the characters the action introduces in capitals, their aliases.

Screenplays introduce a character once in capitals, often with a parenthetical ("TOMAS (60s,
forearms like bread dough) kneads…"), and cue them by a short name ("DETECTIVE ROSA VANCE" is
cued VANCE). A cue written once and one letter off a regular one (GUSS for GUS) is a typo.
Characters are matched to the canon by name or alias, an article aside ("the Captain").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Protocol

from agents.script.scene import Action, CastMember, Line

_CAPS_WORD = r"(?:MC|Mc|Mac)?[A-Z][A-Z'’.-]*[A-Z.]|[A-Z]"
CAPS_RUN = re.compile(
    rf"(?<![\w'’])(?:{_CAPS_WORD})(?:[ \t]+(?:{_CAPS_WORD}))*(?![\w'’])(?:\s*\((?P<said>[^)]*)\))?"
)
ARTICLES = {"A", "AN", "THE", "TWO", "THREE", "SOME", "OLD", "YOUNG", "HER", "HIS", "THEIR"}
TITLES = {
    "DETECTIVE", "DET.", "SERGEANT", "SGT.", "OFFICER", "COACH", "GRANDAD", "GRANDPA", "GRANDMA", "GRANNY",
    "AUNT", "UNCLE", "DOCTOR", "DR.", "CAPTAIN", "CAPT.", "KEEPER", "FATHER", "SISTER", "BROTHER", "MOTHER",
    "LADY", "LORD", "KING", "QUEEN", "PRINCE", "PRINCESS", "SIR", "MR.", "MRS.", "MS.", "MISS", "PROFESSOR",
    "NURSE", "AGENT", "INSPECTOR", "CHIEF", "JUDGE", "MAJOR", "GENERAL", "LIEUTENANT", "PRIVATE",
}  # fmt: skip
# Nouns that make a capitalised group of extras a part of the cast ("two SECURITY MEN").
PEOPLE = {
    "MAN", "MEN", "WOMAN", "WOMEN", "GUARD", "GUARDS", "SOLDIER", "SOLDIERS", "OFFICERS", "KID", "KIDS",
    "CHILD", "CHILDREN", "BOY", "BOYS", "GIRL", "GIRLS", "CROWD", "POLICE", "COPS", "NURSES", "DOCTORS",
    "WAITER", "WAITERS", "STRANGER", "DRIVER", "PASSENGERS", "VILLAGERS", "THUGS", "WORKERS", "MOURNERS",
}  # fmt: skip
NOT_NAMES = {
    "INT", "EXT", "INSERT", "CLOSE", "ANGLE", "POV", "BACK", "V.O.", "O.S.", "CONTINUOUS", "MONTAGE", "BEGIN",
    "END", "INTERCUT", "OK", "TV", "I", "A", "SFX", "VFX", "FX", "CU", "ECU", "MCU", "WS", "LATER", "DAY",
    "NIGHT", "SUPER", "TITLE", "CARD", "FLASHBACK", "BANG", "BOOM",
}  # fmt: skip


class CanonName(Protocol):
    """What the reader needs of a canon character (``memory.ledger.models.Character`` has it)."""

    name: str
    aliases: list[str]


def fold(name: str) -> str:
    """A name as names are compared: case, dots and a leading article don't count."""
    words = re.sub(r"[.’']", "", name).upper().split()
    while words and words[0] in {"THE", "A", "AN"}:
        words = words[1:]
    return " ".join(words)


def find_cast(
    lines: Sequence[Line], actions: Sequence[Action], canon: Sequence[CanonName] = ()
) -> list[CastMember]:
    """Everyone in the scene, in the order they first appear."""
    cues = Counter(line.speaker for line in lines)
    members: dict[str, CastMember] = {}
    order: list[tuple[int, str]] = []
    for name in cues:
        members[name] = CastMember(name=name, speaks=True)
    first_line = {
        line.speaker: (_place(line.index, len(actions), lines, actions), 0) for line in reversed(lines)
    }
    for action in actions:
        for run, said, sentence, _at in caps_runs(action.text):
            _introduce(members, run, said, sentence, cues)
    _merge_typos(members, cues)
    for name, member in members.items():
        heard = [line for line in lines if line.speaker in (name, *member.aliases)]
        member.off_screen = bool(heard) and all(line.off_screen for line in heard) and not member.introduced
        first = min(
            [first_line.get(n, (10**6, 0)) for n in (name, *member.aliases)]
            + [
                (_place(None, a.index, lines, actions), _named_at(a.text, member))
                for a in actions
                if named_in(a.text, member)
            ]
        )
        order.append((first, name))
        member.canon = _canon_match(member, canon)
    return [members[name] for _, name in sorted(order)]


def caps_runs(text: str) -> list[tuple[str, str | None, str, int]]:
    """Capitalised runs of words in action (names, props): each with its parenthetical, its
    sentence and where it starts. A run stops where a sentence does ("the THRONE. ROOK
    waits" is two runs); a title's dot (MS., DR.) does not stop it."""
    found = []
    for match in CAPS_RUN.finditer(text):
        whole = match.group(0).split("(")[0].strip()
        pieces = _sentences_of(whole)
        offset = match.start()
        for i, run in enumerate(pieces):
            words = run.split()
            at = text.find(run, offset)
            offset = at + len(run)
            if not words or all(len(w.strip(".")) < 2 or w in NOT_NAMES for w in words):
                continue
            said = match["said"] if i == len(pieces) - 1 else None
            found.append((run, said, _sentence(text, at), at))
    return found


def _sentences_of(run: str) -> list[str]:
    pieces: list[list[str]] = [[]]
    for word in run.split():
        pieces[-1].append(word)
        if word.endswith(".") and word not in TITLES:
            pieces.append([])
    return [" ".join(p).rstrip(".") for p in pieces if p]


def _place(line: int | None, action: int, lines: Sequence[Line], actions: Sequence[Action]) -> int:
    """Where a line or an action stands in the scene's order (actions know the line before them)."""
    if line is not None:
        before = [a.index for a in actions if a.after_line is None or a.after_line < line]
        return 2 * (len(before) + line) + 1
    after = actions[action].after_line
    return 2 * (action + (after + 1 if after is not None else 0))


def _named_at(text: str, member: CastMember) -> int:
    names = [member.name, *member.aliases]
    found = [
        m.start()
        for n in names
        if n
        for m in [re.search(rf"(?<![\w'’]){re.escape(n)}(?![\w])", text, re.I)]
        if m
    ]
    return min(found, default=0)


def named_in(text: str, member: CastMember) -> bool:
    """Whether the action names this character (any case, by name or alias)."""
    names = [member.name, *member.aliases]
    return any(re.search(rf"(?<![\w'’]){re.escape(n)}(?![\w])", text, re.IGNORECASE) for n in names if n)


def _introduce(
    members: dict[str, CastMember], run: str, said: str | None, sentence: str, cues: Counter
) -> None:
    words = [w for w in run.split()]
    while words and words[0] in ARTICLES:
        words = words[1:]
    if not words:
        return
    full = " ".join(words)
    match = _cue_for(full, members)
    if match is None and said is None and words[-1] not in PEOPLE:
        return  # a prop or a sound, not a person
    if match is None:
        bare = [w for w in words if w not in TITLES] or words
        name = full if words[-1] in PEOPLE else " ".join(bare)
        members.setdefault(name, CastMember(name=name))
        match = name
    member = members[match]
    if full != member.name and full not in member.aliases:
        member.aliases.append(full)
    if not member.introduced:
        member.introduced = sentence
        member.description = (said or "").strip()


def _cue_for(full: str, members: dict[str, CastMember]) -> str | None:
    """The cast member an action's name is: the same name, or the cue is one of its words."""
    key = fold(full)
    words = key.split()
    for name, member in members.items():
        if fold(name) == key or key in (fold(a) for a in member.aliases):
            return name
    for name in members:
        if fold(name) in words or (len(fold(name).split()) > 1 and fold(name) in key):
            return name
    return None


def _merge_typos(members: dict[str, CastMember], cues: Counter) -> None:
    """A cue written once that the action never introduces, a letter off a character who is
    introduced or cued more often, is that character."""
    for rare in [n for n, count in cues.items() if count == 1 and not members[n].introduced]:
        likely = [
            n
            for n, member in members.items()
            if n != rare
            and (cues[n] > 1 or member.introduced)
            and n[0] == rare[0]
            and SequenceMatcher(None, n, rare).ratio() >= 0.8
        ]
        if likely and rare in members:
            del members[rare]
            members[likely[0]].aliases.append(rare)


def _canon_match(member: CastMember, canon: Sequence[CanonName]) -> str | None:
    said = {fold(n) for n in (member.name, *member.aliases)}
    for character in canon:
        if said & {fold(n) for n in (character.name, *character.aliases)}:
            return character.name
    return None


_ENDS = re.compile(r"(?<!\bMS\.)(?<!\bMR\.)(?<!\bDR\.)(?<!\bMRS\.)(?<=[.!?])\s+")


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` around position ``at`` (a title's dot doesn't end one)."""
    start = 0
    for end in _ENDS.finditer(text):
        if end.start() >= at:
            return text[start : end.start()].strip()
        start = end.end()
    return text[start:].strip()
