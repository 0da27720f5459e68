"""Continuity lint: flag a direction that contradicts what the story has established.

It checks what a script supervisor checks first — which side a mark is on, a prop's state,
a garment's colour, a character's costume in the scene — and says what it found and where it
was established. It flags; the director decides (and an override is recorded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memory.pack import CharacterInShot, ContinuityPack
from memory.story_facts import BODY_PARTS, after_loss, binds, infer, scene_number, tells_a_loss

COLOURS = (
    "red|blue|green|yellow|black|white|grey|gray|silver|gold|golden|purple|violet|orange|brown|pink|crimson|"
    "scarlet|navy|teal|ivory|emerald|maroon"
)
BROKEN = re.compile(
    r"\b(broke|broken|breaks|shattered|shatters|snapped|snaps|destroyed|lost|loses|burned|burnt|"
    r"burns\s+(?:down|to\s+the\s+ground)|"
    r"dead|died|killed|missing|taken\s+down|"
    r"removed|stolen|sold|sank|sunk|demolished|collapsed|blown\s+up|smashed|wrecked|went\s+dark|"
    r"extinguished|ruined|ruins|rubble|remains|stump)\b",
    re.I,
)
# The state said as it holds afterwards: "burns to the ground" → the farmhouse is burnt down
_PARTICIPLES = {
    **{"burns": "burnt down", "broke": "broken", "breaks": "broken", "sank": "sunk", "died": "dead"},
    **{"burned": "burnt", "snaps": "snapped", "shatters": "shattered", "loses": "lost"},
}
GARMENTS = (
    "armou?r|cloak|cape|coat|jacket|dress|gown|robe|shirt|tunic|hood|helmet|hat|crown|boots|scarf|"
    "uniform|suit|mask|slicker|raincoat|parka|sweater|jumper|hoodie|beret|cap|tie|apron|shawl|veil|skirt|"
    "trousers|jeans|overcoat|waistcoat|vest|blazer|cardigan|poncho|sari|kimono|headscarf|bonnet|gloves"
)


@dataclass(frozen=True)
class ContinuityIssue:
    kind: str  # "side", "state", "colour", "costume"
    message: str


def check_direction(direction: str, pack: ContinuityPack) -> list[ContinuityIssue]:
    issues: list[ContinuityIssue] = []
    names = [c.name for c in pack.characters]
    # someone found by another name ("the colonel") is held to what the facts say of their name
    direction = " ".join([direction, *(c.name for c in pack.characters if c.how_found == "alias")])
    for fact in pack.facts:
        text, since = _with_names(fact.text, [fact.subject, *names]), fact.established_in
        where = f" (established {since})" if since else ""
        issues += _side_conflicts(direction, text, where)
        if binds(text, since, direction):
            issues += _state_conflicts(direction, text, where)
        issues += [
            ContinuityIssue(
                found.kind, found.message + ("" if where.strip(" ()") in found.message else where)
            )
            for found in infer(text, since, direction)
        ]
        issues += _colour_conflicts(direction, text, f"Established{where}: {text}")
        issues += _scene_costume_conflicts(direction, text, since)
    for character in pack.characters:
        issues += _costume_conflicts(direction, character, pack.scene)
        issues += _body_conflicts(direction, character)
    return _unique(issues)


def _with_names(text: str, names: list[str]) -> str:
    """A fact typed in lower case ("odile lost her left hand") with the names as the canon spells
    them, so the rules that look for a name find it."""
    for name in (n for n in names if n):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", name, text, flags=re.IGNORECASE)
    return text


def _body_conflicts(direction: str, character: CharacterInShot) -> list[ContinuityIssue]:
    """Who a character is holds in every shot: "Rook — 40s, lost his left hand" in the canon, and
    "Rook holds a cup in both hands" is flagged as a fact of the story would be."""
    said = f"{character.name}, {character.description}"
    return [
        ContinuityIssue(
            found.kind,
            f"{found.message.split(': ')[0]}: the canon describes them as “{character.description}”",
        )
        for found in after_loss(said, "", direction)
    ]


def _side_conflicts(direction: str, fact: str, where: str) -> list[ContinuityIssue]:
    """ "scar on her left cheek" established, "scar on her right cheek" asked. A lost left hand
    leaves the right one free: a loss is after_loss's to judge."""
    if tells_a_loss(fact):
        return []
    issues = []
    for side, thing in re.findall(r"\b(left|right)\s+(\w+)", fact, re.I):
        other = "right" if side.lower() == "left" else "left"
        if re.search(rf"\b{other}\s+{re.escape(thing)}\b", direction, re.I):
            issues.append(ContinuityIssue("side", f"It's the {side.lower()} {thing}{where}: {fact}"))
    return issues


def _state_conflicts(direction: str, fact: str, where: str) -> list[ContinuityIssue]:
    """ "the sword broke in scene 14": a later shot showing the sword may contradict it."""
    state = BROKEN.search(fact)
    if not state:
        return []
    nouns = _changed_things(fact, state) - BODY_PARTS  # a lost hand: after_loss knows which and whose
    issues = []
    for noun in nouns:
        if re.search(rf"\b{re.escape(noun)}\b", direction, re.I) and not BROKEN.search(direction):
            said = _PARTICIPLES.get(state.group(1).lower().split()[0], state.group(1).lower())
            issues.append(ContinuityIssue("state", f"The {noun} is {said}{where}: {fact}"))
    return issues


_SUBJECT = re.compile(
    r"(?:\b(?:the|her|his|their|its)|'s)\s+((?:[a-z]+\s+){0,2}?[a-z]+)\s+"
    r"(?:(?:was|is|were|has\s+been|had\s+been|got|gets)\s+)?$",
    re.I,
)
_SUBJECT_OF = re.compile(
    r"\b(?:the|her|his|their|its)\s+(?:[a-z]+\s+){0,2}?([a-z]+)\s+(?:over|of|on|in|at|by|across|near)\s+"
    r"(?:the\s+)?[a-z]+\s+(?:(?:was|is|were|has\s+been|had\s+been|got|gets)\s+)?$",
    re.I,
)
_OBJECT = re.compile(
    r"^\s+(?:the|her|his|their|its|an?)\s+((?:[a-z]+\s+){0,2}?[a-z]+)"
    r"(?=\s+(?:in|on|at|from|during|to|when|while|and)\b|[,.;]|$)",
    re.I,
)


def _changed_things(fact: str, state: re.Match[str]) -> set[str]:
    """What the state word is said of: after a transitive verb, its object ("Maya lost her left
    glove" -> glove; "the typewriter is missing the letter E" -> letter, the typewriter is there),
    otherwise its subject ("the great bell was taken down" -> bell)."""
    if obj := _OBJECT.match(fact[state.end() :]):
        return {obj.group(1).split()[-1].lower()}
    if subject := _SUBJECT_OF.search(fact[: state.start()]):  # "the stone bridge over the river"
        return {subject.group(1).lower()}
    if subject := _SUBJECT.search(fact[: state.start()]):
        return {subject.group(1).split()[-1].lower()}
    return set()


def _scene_costume_conflicts(direction: str, fact: str, since: str) -> list[ContinuityIssue]:
    """ "Maya wears the grey wedding dress for all of scene 14" and "sc 14, Maya in jeans and a
    leather jacket": other clothes in the scene the costume is set for."""
    worn = re.search(
        rf"\b(?P<who>(?-i:[A-Z][\w'’-]+))\s+wears\s+(?P<what>[^.;]*?\b(?P<garment>{GARMENTS}))\b", fact, re.I
    )
    scene = scene_number(since) or scene_number(fact)
    if not worn or scene is None or scene_number(direction) != scene:
        return []
    if not re.search(rf"\b{re.escape(worn.group('who'))}\b", direction, re.I):
        return []
    dressed = re.findall(_DRESSED_IN, direction, re.I)  # "in jeans and a leather jacket"; not "Maya's veil"
    others = {g.lower() for g in dressed} - {worn.group("garment").lower()}
    if not others:
        return []
    return [
        ContinuityIssue(
            "costume",
            f"{worn.group('who')} wears {worn.group('what').strip()} in scene {scene}, not the "
            f"{' or '.join(sorted(others))}: {fact}",
        )
    ]


_DRESSED_IN = (
    r"\b(?:in|wearing|wears|dressed\s+in|and)\s+(?:an?\s+|the\s+|her\s+|his\s+|their\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?({GARMENTS})\b"
)


def _colour_conflicts(direction: str, canon_text: str, source: str) -> list[ContinuityIssue]:
    issues = []
    for colour, garment in re.findall(rf"\b({COLOURS})\s+(?:\w+\s+)?({GARMENTS})\b", canon_text, re.I):
        asked = re.search(rf"\b({COLOURS})\s+(?:\w+\s+)?{re.escape(garment)}\b", direction, re.I)
        if asked and asked.group(1).lower() != colour.lower():
            issues.append(
                ContinuityIssue(
                    "colour",
                    f"The {garment.lower()} is {colour.lower()}, not {asked.group(1).lower()}. {source}",
                )
            )
    return issues


def _costume_conflicts(
    direction: str, character: CharacterInShot, scene: str | None
) -> list[ContinuityIssue]:
    if not character.costume:
        return []
    where = f"in scene {scene}" if scene else "by default"
    source = f"{character.name} wears {character.costume} {where}."
    issues = _colour_conflicts(direction, character.costume, source)
    worn = {g.lower() for g in re.findall(rf"\b({GARMENTS})\b", character.costume, re.I)}
    asked = re.findall(
        rf"\b{re.escape(character.name)}\b[^.;]*?\b(?:in|wearing)\s+(?:a|an|her|his|the)?\s*(?:\w+\s+)?({GARMENTS})\b",
        direction,
        re.I,
    )
    for garment in asked:
        if garment.lower() not in worn:
            issues.append(
                ContinuityIssue("costume", f"{source} The direction puts them in a {garment.lower()}.")
            )
    return issues


def _unique(issues: list[ContinuityIssue]) -> list[ContinuityIssue]:
    """One line per thing found: "The slicker is yellow, not red." once, however many records say so."""
    seen: dict[str, ContinuityIssue] = {}
    for issue in issues:
        seen.setdefault(re.split(r"(?<=\.)\s|:", issue.message, maxsplit=1)[0], issue)
    return list(seen.values())
