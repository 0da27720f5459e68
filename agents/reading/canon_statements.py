"""Canon said in passing: a character introduced, a fact of the story, in the words people use.

"Tomas is Maya's brother: 19, shaved head", "meet Dara, an old ferryman", "we've got a new
character — Ilse, mid-forties": a person the canon doesn't have, introduced with who they are,
is registered, not drawn. "for the record, the clock tower burned down in scene 5" is a fact.
A name the canon already has doing something ("Maya is walking into the hall") stays a shot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NAME = r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
_INTRODUCED = re.compile(
    r"^\s*(?i:meet|introducing|introduce|say\s+hello\s+to|(?:we've|we\s+have|there's|there\s+is)\s+(?:got\s+)?"
    r"a\s+new\s+character|(?:new\s+)?character|add\s+a\s+character|new\s+in\s+the\s+cast|"
    r"(?:a\s+)?new\s+(?:face|cast\s+member|castmember)(?:\s+(?:for|in)\s+the\s+(?:cast|canon|show|film))?)"
    rf"\s*(?:[:,—–-]+\s*)?(?i:called\s+|named\s+)?{_NAME}(?:\s*[:,—–-]+|\s+(?i:is|who\s+is)\b)?\s*(?P<desc>.*)$"
)
_ADDED = re.compile(rf"^\s*(?i:add)\s+{_NAME}\s+(?i:to\s+the\s+(?:cast|canon))\s*[:,—–-]?\s*(?P<desc>.+)$")
_JOINS = re.compile(
    rf"^\s*{_NAME}\s+(?i:joins\s+the\s+(?:cast|canon)|is\s+(?:joining\s+the\s+cast|a\s+new\s+character))"
    r"\s*[:,—–-]*\s*(?P<desc>.*)$"
)
_DASHED = re.compile(rf"^\s*{_NAME}\s*(?:[—–:]|\s-)\s*(?P<desc>.+)$")
# "there's a girl called Pip, …", "we also have Sefa in the cast, …": a person named in passing
_CALLED = re.compile(
    rf"^\s*(?i:there'?s|there\s+is|we\s+(?:also\s+)?(?:have|need|get)|(?:also\s+)?(?:a|an))\s+(?:(?i:a|an)\s+)?"
    rf"(?:\w+\s+){{0,3}}?(?i:called|named)\s+{_NAME}\s*[:,—–-]*\s*(?P<desc>.*)$"
)
_IN_THE_CAST = re.compile(
    rf"^\s*(?i:we\s+(?:also\s+)?(?:have|got)|there'?s\s+also|also)\s+{_NAME}\s+(?i:in\s+the\s+(?:cast|canon|story|film|show))"
    r"\s*[:,—–-]*\s*(?P<desc>.*)$"
)
# Words people open a remark with, dropped before reading it: "oh and Wren is …", "let's say …"
_FILLER = re.compile(
    r"^\s*(?:(?:oh|ok(?:ay)?|so|and|also|btw|by\s+the\s+way|right|alright|oh\s+yeah|one\s+more\s+thing|"
    r"let'?s\s+say|say|plus)\b[\s,:—–-]*)+",
    re.IGNORECASE,
)
# After an explicit cue ("add a character: ansel, …") a lower-case name is still a name.
_CUED_LOWER = re.compile(
    r"^\s*(?i:add\s+a\s+(?:new\s+)?character|new\s+character|introducing|meet)\s*[:,—–-]+\s*"
    r"(?P<name>[a-z][\w'’-]+)\s*[:,—–-]+\s*(?P<desc>.+)$"
)
_IS_WHO = re.compile(rf"^\s*{_NAME}\s+(?:is|will\s+be|plays)\s+(?P<desc>.+)$")
_RELATIONS = (
    "brother|sister|mother|mom|mum|father|dad|son|daughter|cousin|uncle|aunt|niece|nephew|wife|husband|"
    "partner|friend|rival|boss|mentor|lover|grandmother|grandfather|twin|neighbour|neighbor|bodyguard"
)
# What a description of a person (not an action) has: a relation, an age, looks, clothes.
_PERSON_CUES = re.compile(
    rf"\b(?:{_RELATIONS})\b|\b\d{{1,2}}\b|\b(?:years?\s+old|\w+-year-old|teen\w*|twenties|thirties|forties|"
    r"fifties|sixties|seventies|mid-\w+|hair\w*|bald|beard\w*|shaved|eyes|tall|short|wiry|lanky|stocky|"
    r"tattoo\w*|scar\w*|freckle\w*|moustache\w*|mustache\w*|braids|glasses|elderly|wears|wearing|dressed|"
    r"always\s+in|she/her|he/him|they/them)\b",
    re.IGNORECASE,
)
_ACTION_START = re.compile(r"^\s*(?:\w+ing|in|at|on|by|inside|outside|standing|walking)\b", re.IGNORECASE)
PRONOUNS = re.compile(r"[,;]?\s*\(?\b(she/her|he/him|they/them)\b\)?", re.IGNORECASE)
COSTUME = re.compile(
    r"[,;]?\s*\b(?:wears|wearing|dressed in|usually in|always in)\s+(?P<costume>[^.;]+)", re.IGNORECASE
)
# Cues that open a fact as they are; the bare nouns ("fact", "note", "remember") only with a colon,
# so "remember the castle from the opening" stays a direction.
_FACT_CUE = re.compile(
    r"^\s*(?:(?i:for\s+the\s+record|keep\s+in\s+mind|bear\s+in\s+mind|note\s+that|remember\s+that|fyi|"
    r"from\s+now\s+on|going\s+forward|heads\s+up|just\s+so\s+you\s+know|canonically|"
    r"worth\s+(?:remembering|noting|knowing)|don'?t\s+forget|do\s+not\s+forget|for\s+continuity)\b\s*[:,—–-]*"
    r"|(?i:fact|(?:for\s+)?continuity(?:\s+note)?|remember|note(?:\s+for\s+continuity)?|established|canon)"
    r"\s*[:—–-]+)\s*(?i:that\s+)?(?P<fact>.+)$"
)
_WHERE = re.compile(r"\b((?:scene|act|episode)\s*\d+[a-z]?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CharacterStatement:
    name: str
    description: str
    pronouns: str = ""
    costume: str = ""


@dataclass(frozen=True)
class FactStatement:
    text: str
    established_in: str = ""


def read_character(text: str, cast: Iterable[str]) -> CharacterStatement | None:
    """A new character introduced in ``text``, or None (a known name doing something is a shot)."""
    known = {n.lower() for n in cast}
    text = _FILLER.sub("", text, count=1)
    lower = _CUED_LOWER.match(text)
    if lower is not None:
        text = text[: lower.start("name")] + lower.group("name").capitalize() + text[lower.end("name") :]
    match = _INTRODUCED.match(text) or _ADDED.match(text) or _JOINS.match(text) or _IN_THE_CAST.match(text)
    called = _CALLED.match(text)  # "a girl called Pip runs down the pier" is a shot: it must describe her
    if match is None and called is not None and _PERSON_CUES.search(called.group("desc")):
        match = called
    if match is None:
        said = _IS_WHO.match(text) or _DASHED.match(text)
        if said is None or said.group("name").lower() in known or _ACTION_START.match(said.group("desc")):
            return None
        if not _PERSON_CUES.search(said.group("desc")):
            return None
        match = said
    name, description = match.group("name").strip(), match.group("desc")
    if name.lower() in known and match.re in (_IS_WHO, _DASHED):
        return None
    pronouns = ""
    if found := PRONOUNS.search(description):
        pronouns = found.group(1).lower()
        description = PRONOUNS.sub("", description)
    costume = ""
    if found := COSTUME.search(description):
        costume = found.group("costume").strip(" ,.;")
        description = description[: found.start()] + description[found.end() :]
    return CharacterStatement(name, description.strip(" ,.;:—–-"), pronouns, costume)


def read_fact(text: str) -> FactStatement | None:
    """A fact of the story said with a cue ("for the record, …", "keep in mind …"), or None."""
    match = _FACT_CUE.match(_FILLER.sub("", text, count=1))
    if match is None:
        return None
    fact = match.group("fact").strip(" ,.;")
    where = _WHERE.search(fact)
    return FactStatement(fact, where.group(1) if where else "")
