"""The continuity pack: what a direction needs from the canon, in one structure.

Given a direction and the thread it was written in, the pack names the characters in the
shot (by name, alias, pronoun resolved from the thread, or description), the look in force,
the continuity facts that bear on it, earlier shots it refers to ("like shot 12", "the castle
from the opening"), and what generation takes from all that: prompt fragments, negative
words, reference stills with their regions, LoRA weights and a seed hint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from memory.canon import Canon, fold, names_in
from memory.ledger.models import Character, ContinuityFact, Style, Version
from tools.engine import Box

PRONOUNS = {
    **{"she": "she", "her": "she", "hers": "she", "he": "he", "him": "he", "his": "he"},
    **{"they": "they", "them": "they", "their": "they", "theirs": "they"},
}
SHOT_NUMBER = re.compile(r"\bshot\s*#?\s*(\d+)\b", re.IGNORECASE)
SCENE = re.compile(r"\b(?:scene|sc\.?)\s*(\d+[a-z]?)\b", re.IGNORECASE)
THE_NOUN = re.compile(r"\bthe\s+([a-z][a-z-]+)\b", re.IGNORECASE)
LOOK_NAMED = re.compile(r"\b(?:look|style|grade)\s*[:\"“']\s*([^\"”',.;]+)", re.IGNORECASE)
# "the usual look", "our house style": the project's default look, or its only one
USUAL_LOOK = re.compile(
    r"\b(?:the|our|my)\s+usual(?:\s+(?:look|grade|style|treatment))?\b|\bhouse\s+(?:look|style|grade)\b",
    re.IGNORECASE,
)
LAST_APPROVED = re.compile(r"\b(?:the\s+)?last\s+approved(?:\s+(?:shot|frame|one))?\b", re.IGNORECASE)
SIDES = {"left": (0.0, 0.0, 0.5, 1.0), "right": (0.5, 0.0, 1.0, 1.0)}
SHOT_MATCH = 0.55  # cosine distance under which "the castle from the opening" names a shot
LOOK_MATCH = 0.6


@dataclass(frozen=True)
class CharacterInShot:
    name: str
    description: str
    costume: str
    palette: tuple[str, ...]
    reference_sha256: tuple[str, ...]
    lora: tuple[str, float] | None
    region: Box | None
    how_found: str  # "name", "alias", "pronoun", "description"


@dataclass(frozen=True)
class ShotReference:
    shot: int
    version: int
    prompt: str
    seed: int
    image_sha256: str


@dataclass(frozen=True)
class ContinuityPack:
    characters: tuple[CharacterInShot, ...] = ()
    look: Style | None = None
    facts: tuple[ContinuityFact, ...] = ()
    shots: tuple[ShotReference, ...] = ()
    scene: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def prompt_fragments(self) -> tuple[str, ...]:
        """Canon to add to the prompt: who looks how, wearing what, in which look."""
        parts = [canon_fragment(c.name, c.description, c.costume) for c in self.characters]
        if self.look is not None:
            parts.append(f"look: {self.look.description}")
        return tuple(parts)

    @property
    def negative(self) -> tuple[str, ...]:
        return (self.look.negative,) if self.look is not None and self.look.negative else ()

    @property
    def seed_hint(self) -> int | None:
        return self.shots[0].seed if self.shots else None


def canon_fragment(name: str, description: str, costume: str = "") -> str:
    """How the canon says who someone is in a prompt: "Rook: a knight, wearing silver armour"."""
    return f"{name}: {description}" + (f", wearing {costume}" if costume else "")


def build_pack(
    canon: Canon, project_id: int, direction: str, thread: Sequence[str] = (), scene: str | None = None
) -> ContinuityPack:
    """Everything the canon says about this direction. ``thread`` is earlier messages, oldest first."""
    scene = scene or _scene(direction) or next((s for s in map(_scene, reversed(thread)) if s), None)
    cast = canon.characters(project_id)
    found = _characters_in(direction, thread, cast)
    characters = tuple(
        _in_shot(canon, project_id, c, how, scene, _region(direction, c, found)) for c, how in found
    )
    return ContinuityPack(
        characters=characters,
        look=_look(canon, project_id, direction, thread),
        facts=_facts(canon, project_id, direction, [c.name for c, _ in found]),
        shots=_shots(canon, project_id, direction),
        scene=scene,
    )


def _scene(text: str) -> str | None:
    match = SCENE.search(text)
    return match.group(1) if match else None


def _mentions(text: str, character: Character) -> str | None:
    for label, names in (("name", [character.name]), ("alias", character.aliases)):
        if names_in(text, names):
            return label
    return None


def _characters_in(
    direction: str, thread: Sequence[str], cast: list[Character]
) -> list[tuple[Character, str]]:
    found: list[tuple[Character, str]] = []
    for character in sorted(cast, key=lambda c: _first_position(direction, c)):
        how = _mentions(direction, character)
        if how:
            found.append((character, how))
    if not found:
        found += _by_pronoun(direction, thread, cast)
    if not found:
        found += _by_description(direction, cast)
    return found


def _first_position(text: str, character: Character) -> int:
    positions = [
        m.start() for n in [character.name, *character.aliases] for m in re.finditer(re.escape(n), text, re.I)
    ]
    return min(positions, default=len(text))


def pronouns_in(text: str) -> set[str]:
    """The third-person pronouns ``text`` uses, as "she" or "he"."""
    return {PRONOUNS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in PRONOUNS}


def pronoun_fits(pronouns: str, said: set[str]) -> bool:
    """Whether a character whose pronouns are ``pronouns`` ("she/her"; "" unknown) can be ``said``."""
    return not pronouns or any(pronouns.startswith(w) for w in said)


def only_fit(cast_pronouns: Mapping[str, str], said: set[str]) -> str | None:
    """The one character of the canon the pronouns can mean (one whose pronouns aren't given could
    be anyone, so is counted as a fit)."""
    fitting = [name for name, pronouns in cast_pronouns.items() if pronoun_fits(pronouns, said)]
    return fitting[0] if said and len(fitting) == 1 else None


def _by_pronoun(direction: str, thread: Sequence[str], cast: list[Character]) -> list[tuple[Character, str]]:
    """ "make her jacket red": the most recent character in the thread whom the pronoun fits."""
    words = pronouns_in(direction)
    if not words:
        return []
    for message in reversed(thread):
        mentioned = sorted(
            (c for c in cast if _mentions(message, c)), key=lambda c: -_last_position(message, c)
        )
        for character in mentioned:
            if pronoun_fits(character.pronouns, words):
                return [(character, "pronoun")]
    return []


def _last_position(text: str, character: Character) -> int:
    positions = [
        m.start() for n in [character.name, *character.aliases] for m in re.finditer(re.escape(n), text, re.I)
    ]
    return max(positions, default=-1)


def _by_description(direction: str, cast: list[Character]) -> list[tuple[Character, str]]:
    """ "the knight": a character whose description names them so, if exactly one does."""
    found = []
    for noun in THE_NOUN.findall(direction):
        matches = [c for c in cast if re.search(rf"\b{re.escape(noun)}s?\b", c.description, re.IGNORECASE)]
        if len(matches) == 1 and matches[0] not in [c for c, _ in found]:
            found.append((matches[0], "description"))
    return found


def _region(direction: str, character: Character, found: list[tuple[Character, str]]) -> Box | None:
    """Each character's reference goes to its own part of the frame when several share it."""
    if len(found) < 2:
        return None
    for name in [character.name, *character.aliases]:
        side = re.search(
            rf"{re.escape(name)}\W+(?:\w+\W+){{0,3}}?(?:on|at)\s+(?:the\s+)?(left|right)", direction, re.I
        )
        if side:
            return SIDES[side.group(1).lower()]
    index = [c.id for c, _ in found].index(character.id)
    width = 1.0 / len(found)
    return (index * width, 0.0, (index + 1) * width, 1.0)


def _in_shot(
    canon: Canon, project_id: int, character: Character, how: str, scene: str | None, region: Box | None
) -> CharacterInShot:
    costume = character.costumes.get(scene or "", "") or character.costumes.get("default", "")
    references = canon.references(project_id, "character", character.id)
    return CharacterInShot(
        name=character.name,
        description=character.description,
        costume=costume,
        palette=tuple(character.palette),
        reference_sha256=tuple(r.image_sha256 for r in references),
        lora=(character.lora_path, character.lora_scale) if character.lora_path else None,
        region=region,
        how_found=how,
    )


def _look(canon: Canon, project_id: int, direction: str, thread: Sequence[str]) -> Style | None:
    styles = canon.styles(project_id)
    if not styles:
        return None
    for text in [direction, *reversed(thread)]:
        for style in styles:
            if names_in(text, [style.name]):
                return style
        named = LOOK_NAMED.search(text)
        if named:
            return next((s for s in styles if s.key == fold(named.group(1))), None)
    if USUAL_LOOK.search(direction) and (usual := _usual_look(canon, project_id, styles)):
        return usual
    hits = canon.vectors.query_texts(project_id, "styles", [direction], k=1)[0]
    if hits and hits[0].distance < LOOK_MATCH:
        return next((s for s in styles if s.id == hits[0].metadata["style_id"]), None)
    default = canon.ledger.project_by_id(project_id).default_look  # `/slate look use <name>`
    return next((s for s in styles if s.key == default), None) if default else None


def _usual_look(canon: Canon, project_id: int, styles: Sequence[Style]) -> Style | None:
    default = canon.ledger.project_by_id(project_id).default_look
    if default:
        return next((s for s in styles if s.key == default), None)
    return styles[0] if len(styles) == 1 else None


def _facts(canon: Canon, project_id: int, direction: str, names: list[str]) -> tuple[ContinuityFact, ...]:
    facts = {f.id: f for f in canon.facts(project_id)}
    if not facts:
        return ()
    keys = {fold(n) for n in names}
    chosen = [f for f in facts.values() if fold(f.subject) in keys or names_in(direction, [f.subject])]
    for hit in canon.vectors.query_texts(project_id, "facts", [direction], k=6)[0]:
        fact = facts.get(int(hit.metadata["fact_id"]))
        if fact is not None and fact not in chosen and hit.distance < 0.75:
            chosen.append(fact)
    return tuple(chosen)


def _shots(canon: Canon, project_id: int, direction: str) -> tuple[ShotReference, ...]:
    """ "shot 4" by number; "the castle from the opening" by what the shot showed."""
    versions: list[Version] = []
    for number in SHOT_NUMBER.findall(direction):
        version = canon.shot_version(project_id, int(number))
        if version is not None:
            versions.append(version)
    if not versions and LAST_APPROVED.search(direction):
        version = canon.last_approved_version(project_id)
        versions += [version] if version is not None else []
    if not versions and re.search(r"\b(?:like|same|from|as in)\b", direction, re.IGNORECASE):
        hits = canon.vectors.query_texts(project_id, "shots", [direction], k=1)[0]
        if hits and hits[0].distance < SHOT_MATCH:
            version = canon.ledger.version(int(hits[0].metadata["version_id"]))
            versions += [version] if version is not None else []
    return tuple(ShotReference(v.shot.number, v.number, v.prompt, v.seed, v.image_sha256) for v in versions)
