"""Continuity that takes a step of reasoning: what a fact of the story rules out later on.

A script supervisor reads "Teo lost his right leg in scene 6" and stops "scene 9, Teo kicking
with his right foot"; reads "it snows through all of act 3" and stops "act 3, a hot summer
afternoon"; knows the dead don't pour tea. Each rule here is one such inference over a fact
and a direction, with story time: a fact established in scene N binds shots from scene N on
(a shot said to be earlier — a flashback — is free), a fact about an act binds that act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memory.numbers import SPOKEN_NUMBER, spoken_number

_NUMBER = rf"(\d+|{SPOKEN_NUMBER})\b"
# Story time in the units a production counts it in, finest first: a scene, an episode, an act
_UNITS = (
    re.compile(rf"\b(?:scene|sc\.?)\s*{_NUMBER}", re.IGNORECASE),
    re.compile(rf"\b(?:episode|ep\.?)\s*{_NUMBER}", re.IGNORECASE),
    re.compile(rf"\bact\s*{_NUMBER}", re.IGNORECASE),
)
_SCENE, _ACT = _UNITS[0], _UNITS[2]
_BEFORE = re.compile(r"\b(?:flashback|years\s+(?:earlier|before)|before\s+the\s+\w+|as\s+a\s+child)\b", re.I)


@dataclass(frozen=True)
class Inference:
    kind: str
    message: str


def _when(unit: re.Pattern[str], text: str) -> int | None:
    found = unit.search(text)
    if not found:
        return None
    return spoken_number(found.group(1))


def scene_number(text: str) -> int | None:
    """The scene a text says it is in ("sc 14", "scene twelve"), or None."""
    return _when(_SCENE, text)


def _act(text: str) -> int | None:
    return _when(_ACT, text)


def binds(fact: str, established_in: str, direction: str) -> bool:
    """Whether a fact established at a point of the story holds in the shot the direction asks for:
    from that scene, episode or act on, compared in the finest unit both say ("the farmhouse
    burns down in act 2" leaves "act one, WS of the farmhouse" free); a flashback is free."""
    said = [(unit, _when(unit, established_in) or _when(unit, fact)) for unit in _UNITS]
    if all(since is None for _, since in said):
        return True
    if _BEFORE.search(direction):
        return False
    for unit, since in said:
        shot = _when(unit, direction)
        if since is not None and shot is not None:
            return shot >= since
    return True


_DEATH = re.compile(
    r"\b(?P<who>[A-Z][\w'’-]+)(?:\s+and\s+(?P<also>[A-Z][\w'’-]+))?\s+(?:both\s+)?(?:dies|die|died|is\s+killed|"
    r"was\s+killed|are\s+killed|were\s+killed|gets\s+killed|is\s+dead|drowns|drown|drowned|is\s+shot\s+dead|"
    r"is\s+murdered|was\s+murdered|is\s+executed)\b"
)
_AS_DEAD = re.compile(
    r"\b(?:corpse|body|dead|grave|funeral|coffin|ghost|memory|dream|photo(?:graph)?|portrait|remembers?|"
    r"mourn\w*|wake|burial|buried)\b",
    re.IGNORECASE,
)


def after_death(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _DEATH.search(fact)
    if not found or not binds(fact, established_in, direction):
        return []
    if _AS_DEAD.search(direction):
        return []
    dead = [w for w in (found.group("who"), found.group("also")) if w]  # "Noor and Dov both drown"
    return [
        Inference("death", f"{who} is dead by now: {fact.rstrip('.')}")  # the lint says where
        for who in dead
        if re.search(rf"\b{re.escape(who)}\b", direction, re.I)
    ]


_PARTS = "hand|arm|leg|foot|eye|ear|finger|thumb"
BODY_PARTS = frozenset(_PARTS.split("|")) | {
    "hands",
    "arms",
    "legs",
    "feet",
    "eyes",
    "ears",
    "fingers",
    "thumbs",
}
_LOSS = re.compile(
    rf"\b(?P<who>[A-Z][\w'’-]+)\b[^.;]*?(?:\b(?:lost|loses|lose|is\s+missing|missing|has\s+no|no|without|amputated)\s+"
    rf"(?:his|her|their|an?|the|one)?\s*(?P<side>left|right)?\s*(?P<part>{_PARTS})s?\b|"
    r"\bone[\s-](?P<one>hand|arm|leg|eye)(?:ed)?\b|"
    # "Rook's left hand was cut off at the siege"
    rf"['’]s\s+(?P<cut_side>left|right)?\s*(?P<cut>{_PARTS})\s+(?:was|is|gets|got|had\s+been)\s+"
    r"(?:cut|chopped|hacked|blown|torn|shot)\s+off\b|['’]s\s+(?P<sev_side>left|right)?\s*(?P<sev>"
    rf"{_PARTS})\s+(?:was|is)\s+(?:severed|amputated)\b)"
)
_SUBPARTS = {
    "hand": ("hand", "fingers", "palm", "wrist", "fist"),
    "arm": ("arm", "hand", "elbow", "fist"),
    "leg": ("leg", "foot", "knee", "shin", "toes"),
    "foot": ("foot", "toes", "heel"),
    "eye": ("eye",),
    "ear": ("ear",),
    "finger": ("finger",),
    "thumb": ("thumb",),
}
_PLURAL = {"foot": "feet"}
# The loss shown as it is: "the patch over his right eye", "his empty sleeve", "the hook"
_SHOWN_LOST = re.compile(
    r"\b(?:patch|eyepatch|bandag\w*|empty\s+(?:sleeve|socket|eye\s+socket)|stump|hook|prosthe\w*|glass\s+eye|"
    r"missing|where\s+(?:his|her|their)\s+\w+\s+(?:was|used\s+to\s+be))\b",
    re.IGNORECASE,
)


def tells_a_loss(fact: str) -> bool:
    """The fact is that someone lost a part of their body ("Rook lost his left hand")."""
    return _LOSS.search(fact) is not None


def after_loss(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _LOSS.search(fact)
    if not found or not binds(fact, established_in, direction):
        return []
    who = found.group("who")
    side = (found.group("side") or found.group("cut_side") or found.group("sev_side") or "").lower()
    part = next(
        found.group(g) for g in ("part", "one", "cut", "sev") if found.group(g)
    ).lower()  # "one-armed"
    if not re.search(rf"\b{re.escape(who)}\b|\b(?:he|she|they|his|her|their)\b", direction, re.I):
        return []
    plural = _PLURAL.get(part, f"{part}s")
    uses = [
        rf"\b(?:both|two)\s+(?:of\s+)?(?:his|her|their\s+)?\s*{plural}\b",
        r"\b(?:two|both)[\s-]+handed\b",
    ]
    if part in ("hand", "arm"):
        uses += [r"\b(?:clap\w*|applaud\w*)\b", r"\b(?:both|two)\s+(?:of\s+)?(?:his|her|their\s+)?\s*hands\b"]
    if side:
        uses += [rf"\b{side}\s+{sub}s?\b" for sub in _SUBPARTS[part]]
    if not any(re.search(pattern, direction, re.I) for pattern in uses) or _SHOWN_LOST.search(direction):
        return []
    owners = {m.group(1) for m in re.finditer(rf"\b(?-i:([A-Z][\w-]+))['’]s\s+(?:\w+\s+)?{part}", direction)}
    if owners and who not in owners:  # "CU on Idris's left hand": someone else's
        return []
    has = f"only one {part}" if found.group("one") else f"no {(side + ' ') if side else ''}{part}"
    return [Inference("loss", f"{who} has {has}: {fact.rstrip('.')}")]


_PERIOD_WEATHER = re.compile(
    r"\b(?P<weather>rain\w*|snow\w*|storm\w*|pour\w*|blizzard|fog\w*|drizzl\w*)\b[^.;]*?"
    r"\b(?:through(?:out)?|all\s+of|the\s+whole\s+of|for\s+(?:all|the\s+whole)\s+of|during|for)\s+"
    r"(?:the\s+)?(?:whole\s+of\s+)?(?:all\s+of\s+)?act\s*(?P<act>\d+|one|two|three|four|five)\b",
    re.IGNORECASE,
)
_FAIR = re.compile(
    r"\b(?:sunshine|sunny|sunlit|sun-?drenched|bright\s+sun|blazing\s+sun|cloudless|clear\s+(?:blue\s+)?skies?|"
    r"blue\s+skies?|dry|parched|hot|heat\s*wave|sweltering|summer(?:y|time)?|sunbath\w*|baking|"
    r"green\s+(?:meadows?|fields?|grass|hills?)|wildflowers?|in\s+(?:full\s+)?(?:bloom|blossom))\b",
    re.IGNORECASE,
)


def against_period_weather(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _PERIOD_WEATHER.search(fact)
    if not found:
        return []
    act = found.group("act").lower()
    act_number = spoken_number(act)
    if _act(direction) != act_number:
        return []
    fair = _FAIR.search(direction)
    if not fair:
        return []
    return [Inference("weather", f"“{fair.group()}” in act {act_number}, but {fact.rstrip('.')}")]


_HAIR_CHANGE = re.compile(
    r"\b(?P<who>[A-Z][\w'’-]+)\s+(?:shaves|shaved|has\s+shaved|cuts|cut|crops|cropped|chops|chopped|loses)\s+"
    r"(?:off\s+)?(?:all\s+)?(?:of\s+)?(?:his|her|their)\s+(?:head|hair)(?:\s+(?:short|off))?",
)
_LONG_HAIR = re.compile(
    r"\blong\s+hair\b|\bbraid\w*|\bponytail\b|\bplaits?\b|\bcurls\b|\blocks\b|"
    r"\bhair\s+(?:whipping|flowing|streaming|blowing|tumbling|cascading|down\s+to)\b|"
    r"\b(?:brush\w*|comb\w*)\s+(?:out\s+)?(?:his|her|their)\s+hair\b",
    re.IGNORECASE,
)


def after_haircut(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _HAIR_CHANGE.search(fact)
    if not found or not binds(fact, established_in, direction):
        return []
    who = found.group("who")
    hair = _LONG_HAIR.search(direction)
    if not hair or not re.search(rf"\b{re.escape(who)}\b", direction, re.I):
        return []
    return [Inference("appearance", f"“{hair.group()}” — but {fact.rstrip('.')}")]


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SEASON_WEATHER = re.compile(
    rf"\bfrom\s+(?P<start>{_MONTH})\w*\s+(?:to|till|until|through)\s+(?P<end>{_MONTH})\w*\b[^.;]*?"
    r"\b(?P<weather>snow\w*|ice|icy|frozen|freez\w*|frost\w*|rain\w*|flood\w*)\b|"
    r"\b(?P<weather2>snow\w*|frozen|ice|frost\w*)\b[^.;]*?\b(?:all|the\s+whole|every|through(?:out)?\s+the)\s+winter\b",
    re.IGNORECASE,
)
_GROWING = re.compile(
    r"\b(?:wild\s*flowers?|flowers?\s+in\s+bloom|blossom\w*|in\s+bloom|lush|green\s+(?:grass|fields?|meadow)|"
    r"warm\s+sun\w*|sunbath\w*|summer\w*|heat\s*wave|swimming\s+in\s+the\s+(?:river|lake))\b",
    re.IGNORECASE,
)


def _month(word: str) -> int:
    return next(i for i, month in enumerate(_MONTHS) if month.startswith(word.lower()[:3]))


def against_season(fact: str, established_in: str, direction: str) -> list[Inference]:
    """ "from November to March the valley lies under snow": "february, wildflowers" can't be."""
    found = _SEASON_WEATHER.search(fact)
    growing = _GROWING.search(direction)
    if not found or not growing:
        return []
    said = re.search(rf"\b({_MONTH})\b", direction, re.IGNORECASE)
    if found.group("start"):
        if said is None:
            return []
        start, end, month = _month(found.group("start")), _month(found.group("end")), _month(said.group(1))
        inside = start <= month <= end if start <= end else (month >= start or month <= end)
    else:  # "all winter"
        inside = bool(re.search(r"\bwinter\b|\b(?:dec|jan|feb)\w*\b", direction, re.IGNORECASE))
    if not inside:
        return []
    when = said.group(1) if said else "winter"
    return [Inference("weather", f"“{growing.group()}” in {when}, but {fact.rstrip('.')}")]


# A state that holds from a point of the story, and what a shot would show against it
_STATES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (name, re.compile(held, re.IGNORECASE), re.compile(against, re.IGNORECASE))
    for name, held, against in (
        ("has a beard", r"\b(?:has|grows|wears|with)\s+(?:a\s+)?(?:full\s+|thick\s+|long\s+)?beard\b",
         r"\bclean[\s-]?shaven\b|\bbeardless\b|\bno\s+beard\b|\bsmooth[\s-]chinned\b"),
        ("is in a cast", r"\b(?:in\s+a|wears\s+a|has\s+a)\s+(?:plaster\s+)?cast\b|\bit'?s\s+in\s+a\s+cast\b",
         r"\bno\s+cast\b|\bwithout\s+(?:a|the|his|her|their)\s+cast\b|\bhand\s+over\s+hand\b"),
        ("is in a sling", r"\bin\s+a\s+sling\b",
         r"\bno\s+sling\b|\bwithout\s+(?:a|the|his|her|their)\s+sling\b"),
        ("needs a crutch", r"\bcrutch(?:es)?\b|\bcan'?t\s+walk\b",
         r"\bno\s+crutch(?:es)?\b|\bwithout\s+(?:a|the|his|her|their)\s+crutch\w*\b|\bsprint\w*\b|"
         r"\brun(?:s|ning)?\b|\bjump(?:s|ing)?\b|\bdanc(?:es|ing)\b"),
        ("is blind", r"\b(?:is|has\s+been|went|goes|been)\s+blind\b",
         r"\bread(?:s|ing)\b|\beyes\s+scanning\b|\bscans?\s+the\s+(?:page|note|letter)\b"),
    )
)  # fmt: skip
_UNTIL = re.compile(r"\buntil\s+(?:scene|sc\.?)\s*(\d+)", re.IGNORECASE)


def against_state(fact: str, established_in: str, direction: str) -> list[Inference]:
    """ "Tomas has a full beard from scene 12 on" and "scene 15, clean-shaven Tomas": a state that
    holds (to "until sc 12", when it says so) shown undone."""
    who = re.match(r"\W*(?:(?:in|from|at|since|after)\s+[^,]*?,?\s*)?(?-i:([A-Z][\w'’-]+))", fact)
    name = who.group(1) if who else ""
    if not name or not re.search(rf"\b{re.escape(name)}\b", direction, re.I):
        return []
    if not binds(fact, established_in, direction):
        return []
    until, shot = _UNTIL.search(fact), scene_number(direction)
    if until and shot is not None and shot > int(until.group(1)):
        return []
    return [
        Inference("state", f"{name} {state}: {fact.rstrip('.')}")
        for state, held, against in _STATES
        if held.search(fact) and against.search(direction)
    ]


# "In scene 6 Ansel gives his pocket watch to Mira for good": the giver no longer has it
_PARTED = re.compile(
    r"\b(?P<who>[A-Z][\w'’-]+)\s+(?:gives|gave|hands|handed|passes|passed|sells|sold|pawns|pawned|trades|traded)\s+"
    r"(?:away\s+)?(?:his|her|their|the)\s+(?P<thing>(?:[\w'’-]+\s+){0,2}?[\w-]+)\s+(?:to|away)\b"
)


def after_parting(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _PARTED.search(fact)
    if not found or not binds(fact, established_in, direction):
        return []
    who, thing = found.group("who"), found.group("thing").split()[-1]
    holds = rf"\b{re.escape(who)}\b[^.;]*?\b(?:his|her|their)\s+(?:[\w'’-]+\s+){{0,2}}{re.escape(thing)}s?\b"
    if not re.search(holds, direction, re.I):
        return []
    return [Inference("state", f"{who} gave the {thing} away: {fact.rstrip('.')}")]


RULES = (
    after_death,
    after_loss,
    against_period_weather,
    after_haircut,
    against_season,
    against_state,
    after_parting,
)


def infer(fact: str, established_in: str, direction: str) -> list[Inference]:
    """What the fact rules out in the direction, by every rule."""
    return [found for rule in RULES for found in rule(fact, established_in, direction)]
