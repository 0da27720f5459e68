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

_SCENE = re.compile(r"\b(?:scene|sc\.?)\s*(\d+)", re.IGNORECASE)
_ACT = re.compile(r"\bact\s*(\d+|one|two|three|four|five)\b", re.IGNORECASE)
_ACT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_BEFORE = re.compile(r"\b(?:flashback|years\s+(?:earlier|before)|before\s+the\s+\w+|as\s+a\s+child)\b", re.I)


@dataclass(frozen=True)
class Inference:
    kind: str
    message: str


def _scene(text: str) -> int | None:
    found = _SCENE.search(text)
    return int(found.group(1)) if found else None


def _act(text: str) -> int | None:
    found = _ACT.search(text)
    if not found:
        return None
    word = found.group(1).lower()
    return int(word) if word.isdigit() else _ACT_WORDS[word]


def binds(fact: str, established_in: str, direction: str) -> bool:
    """Whether a fact established at a point of the story holds in the shot the direction asks for."""
    since = _scene(established_in) or _scene(fact)
    if since is None:
        return True
    if _BEFORE.search(direction):
        return False
    shot = _scene(direction)
    return shot is None or shot >= since


_DEATH = re.compile(
    r"\b(?P<who>[A-Z][\w'’-]+)\s+(?:dies|died|is\s+killed|was\s+killed|gets\s+killed|is\s+dead|drowns|"
    r"drowned|is\s+shot\s+dead|is\s+murdered|was\s+murdered|is\s+executed)\b"
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
    who = found.group("who")
    if not re.search(rf"\b{re.escape(who)}\b", direction, re.I) or _AS_DEAD.search(direction):
        return []
    return [Inference("death", f"{who} is dead by now: {fact.rstrip('.')}")]  # the lint says where


_PARTS = "hand|arm|leg|foot|eye|ear|finger|thumb"
_LOSS = re.compile(
    rf"\b(?P<who>[A-Z][\w'’-]+)\b[^.;]*?(?:\b(?:lost|loses|lose|is\s+missing|missing|has\s+no|no|without|amputated)\s+"
    rf"(?:his|her|their|an?|the|one)?\s*(?P<side>left|right)?\s*(?P<part>{_PARTS})s?\b|"
    r"\bone[\s-](?P<one>hand|arm|leg|eye)(?:ed)?\b)"
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


def after_loss(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _LOSS.search(fact)
    if not found or not binds(fact, established_in, direction):
        return []
    who, side = found.group("who"), (found.group("side") or "").lower()
    part = (found.group("part") or found.group("one")).lower()  # "one-armed": an arm, no side said
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
    if not any(re.search(pattern, direction, re.I) for pattern in uses):
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
    r"blue\s+skies?|dry|parched|hot|heat\s*wave|sweltering|summer\s+(?:afternoon|day)|sunbath\w*|baking)\b",
    re.IGNORECASE,
)


def against_period_weather(fact: str, established_in: str, direction: str) -> list[Inference]:
    found = _PERIOD_WEATHER.search(fact)
    if not found:
        return []
    act = found.group("act").lower()
    act_number = int(act) if act.isdigit() else _ACT_WORDS[act]
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


RULES = (after_death, after_loss, against_period_weather, after_haircut, against_season)


def infer(fact: str, established_in: str, direction: str) -> list[Inference]:
    """What the fact rules out in the direction, by every rule."""
    return [found for rule in RULES for found in rule(fact, established_in, direction)]
