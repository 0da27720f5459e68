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

from agents.reading.vocabulary import vocabulary
from agents.script.cast import caps_runs
from memory.canon import names_in
from memory.numbers import SPOKEN_NUMBER, spoken_number

_NAME = r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
_INTRODUCED = re.compile(
    r"^\s*(?i:meet|introducing|introduce|say\s+hello\s+to|(?:we've|we\s+have|there's|there\s+is)\s+(?:got\s+)?"
    r"a\s+new\s+character|(?:new\s+)?character|add\s+a\s+character|new\s+in\s+the\s+cast|"
    r"(?:a\s+)?new\s+(?:face|cast\s+member|castmember)(?:\s+(?:for|in)\s+the\s+(?:cast|canon|show|film))?)"
    rf"\s*(?:[:,—–-]+\s*)?(?i:called\s+|named\s+)?{_NAME}(?:\s*[:,—–-]+|\s+(?i:is|who\s+is)\b)?\s*(?P<desc>.*)$"
)
# "correction on Ines — she's NOT a nurse, she's a field surgeon": who a known character is, said again
_CORRECTED = re.compile(
    rf"^\s*(?i:correction|update|fix|amend(?:ment)?|change)\s+(?i:on|to|for|re:?|about)\s+{_NAME}\s*(?:[:—–,]|\s-)\s*"
    r"(?P<desc>.+)$"
)
# "Register Ansel, the butler: 60s, …", "Add Noor: radio operator, 30s"
_REGISTERED = re.compile(
    rf"^\s*(?i:(?:please\s+)?(?:register|add|log|save))\s+{_NAME}\s*(?:[:—–,]|\s-)\s*(?P<desc>.+)$", re.DOTALL
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
# Said so Slate doesn't draw: "no shot yet, just so u know who she is" — not part of who she is
_NOT_A_SHOT = re.compile(
    r"[\s,;.—–-]*\b(?:no\s+shot(?:\s+(?:yet|for\s+now|needed))?|not\s+a\s+shot|nothing\s+to\s+(?:shoot|draw)(?:\s+yet)?|"
    r"don'?t\s+(?:shoot|draw|make|generate)\s+(?:it|her|him|them|anything|a\s+shot)(?:\s+yet)?|"
    r"just\s+so\s+(?:you|u|ya)\s+know\s+who\s+(?:she|he|they)\s+(?:is|are))\b[^.;]*",
    re.IGNORECASE,
)
# A fact's cue before a person introduced: "fyi Yara (the ferryman's daughter) is in this, …"
_ASIDE = re.compile(r"^\s*(?:fyi|heads\s+up|quick\s+note|note|just\s+so\s+you\s+know)\b[\s,:—–-]*", re.I)


def _unprefaced(text: str) -> str:
    """The remark less what it opens with: filler ("oh and …") and an aside cue ("fyi …")."""
    return _ASIDE.sub("", _FILLER.sub("", text, count=1), count=1)


# After an explicit cue ("add a character: ansel, …") a lower-case name is still a name.
_CUED_LOWER = re.compile(
    r"^\s*(?i:add\s+a\s+(?:new\s+)?character|new\s+character|introducing|meet)\s*[:,—–-]+\s*"
    r"(?P<name>[a-z][\w'’-]+)\s*[:,—–-]+\s*(?P<desc>.+)$"
)
_IS_WHO = re.compile(
    rf"^\s*{_NAME}\s*(?:\((?P<who>[^)]*)\))?(?:\s+(?:is|will\s+be|plays(?!\s+[A-Z]))|['’]s|\s*=)\s+(?P<desc>.+)$"
)
# "Ansel Moreau plays Hale, the lighthouse keeper — …": the character is who is played
_PLAYS = re.compile(
    r"^\s*(?P<actor>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:plays|is\s+playing|will\s+play|is\s+cast\s+as)\s+"
    rf"{_NAME}\s*[:,—–-]*\s*(?P<desc>.+)$"
)
# "bram's the ferryman, Yara's dad, …": typed in lower case, a name is still told by what follows
_LOWER_IS_WHO = re.compile(
    r"^\s*(?P<name>[a-z][a-z’'-]{2,})(?:['’]s|\s+is|\s*=)\s+(?:the|a|an|our|my|your|[a-z][\w-]*['’]s)\s+(?P<desc>.+)$"
)
_NOT_A_NAME = vocabulary(
    """
    it this that there here what who which everything everyone everybody someone nobody one she he
    they shot frame scene light sky room place look mood plan idea story film show
    """
)
# "Yara (the ferryman's daughter) is in this — she's 12, …": in the story, then who she is
_IS_IN_IT = re.compile(
    rf"^\s*{_NAME}\s*(?:\((?P<who>[^)]*)\))?\s*(?:is|'s)\s+(?:also\s+)?(?i:in\s+(?:this|it|the\s+(?:story|film|show|"
    r"script|episode|scene|cast)))\b\s*[:,;—–-]*\s*(?P<desc>.*)$"
)
# "Idris, everyone calls him the Captain, 50s, grey beard": a name, then only who the person is
_NAME_THEN_WHO = re.compile(rf"^\s*(?=[A-Z][a-z]){_NAME}\s*(?:\((?P<who>[^)]*)\))?\s*,\s*(?P<desc>.+)$")
ALIASES = re.compile(
    r"[,;]?\s*\b(?:(?:everyone|everybody|people|they|the\s+\w+)(?:\s+\w+){0,3}\s+calls?\s+(?:him|her|them)|"
    r"a\.?k\.?a\.?|also\s+known\s+as|known\s+as|nicknamed|goes\s+by)\s+(?:the\s+)?"
    r"[\"'“]?(?P<alias>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)[\"'”]?",
    re.IGNORECASE,
)
_RELATIONS = (
    "brother|sister|mother|mom|mum|father|dad|son|daughter|cousin|uncle|aunt|niece|nephew|wife|husband|"
    "partner|friend|rival|boss|mentor|lover|grandmother|grandfather|twin|neighbour|neighbor|bodyguard"
)
# What a description of a person (not an action) has: a relation, an age, looks, clothes.
_PERSON_CUES = re.compile(
    rf"\b(?:{_RELATIONS})\b|\b\d{{1,2}}(?:ish)?\b|\b\d0s\b|\b(?:years?\s+old|\w+-year-old|teen\w*|twenties|thirties|forties|"
    r"fifties|sixties|seventies|mid-\w+|hair\w*|bald|beard\w*|shaved|eyes|tall|short|wiry|lanky|stocky|"
    r"tattoo\w*|scar\w*|freckle\w*|moustache\w*|mustache\w*|braids|glasses|elderly|wears|wearing|dressed|"
    r"always\s+in|she/her|he/him|they/them|goatee|stubble|cheeks?|nose|teeth|tooth|forearms?|specs|spectacles|"
    r"curlers|freckled|wrinkled|pale|skinny|slim|plump|heavy[\s-]?set|build|eyepatch|limp|woman|man)\b",
    re.IGNORECASE,
)
# Framing or staging words: "Rook, 40s, grey beard, at the bar, close up" is a shot of him.
_FRAMING = re.compile(
    r"\b(?:shot|close[\s-]?up|closeup|wide|medium|cu|mcu|ms|ws|ecu|angle|pan|tilt|dolly|tracking|crane|lens|"
    r"\d+\s*mm|at\s+(?:the|a|dawn|dusk|night|noon)|in\s+the\s+\w+|walks?|runs?|sits?|stands?|looks?)\b",
    re.IGNORECASE,
)
_ACTION_START = re.compile(r"^\s*(?:\w+ing|in|at|on|by|inside|outside|standing|walking)\b", re.IGNORECASE)
PRONOUNS = re.compile(r"[,;]?\s*\(?\b(she/her|he/him|they/them)\b\)?", re.IGNORECASE)
COSTUME = re.compile(
    r"[,;.]?\s*\b(?:(?:wears|wearing|dressed in|usually in|always in|(?:enters|arrives|appears)\s+in)\s+|"
    r"(?:costume|wardrobe|outfit)\s*:\s*)(?P<costume>[^.;]+)",
    re.IGNORECASE,
)
# Cues that open a fact as they are; the bare nouns ("fact", "note", "remember") only with a colon,
# so "remember the castle from the opening" stays a direction.
_FACT_CUE = re.compile(
    r"^\s*(?:(?i:for\s+the\s+record|keep\s+in\s+mind|bear\s+in\s+mind|note\s+that|remember\s+that|fyi|"
    r"from\s+now\s+on|going\s+forward|heads\s+up|just\s+so\s+you\s+know|canonically|"
    r"worth\s+(?:remembering|noting|knowing)|don'?t\s+forget|do\s+not\s+forget|for\s+continuity|"
    r"lock\s+(?:this|it|that)\s+in|set\s+in\s+stone)\b\s*[:,—–-]*"
    r"|(?i:(?:(?:record|add|log|save|note|keep)\s+(?:a|this|the|one|another)\s+)?fact|(?:for\s+)?continuity(?:\s+note)?|"
    r"remember|note(?:\s+for\s+continuity)?|canon|"
    r"established(?:\s+(?:in|from)\s+(?:sc(?:ene)?|act|ep(?:isode)?)\.?\s*\d+\w*)?|"
    r"(?:world|story|house|show|series)\s+rules?|rules?\s+of\s+the\s+(?:world|story|show)|lore)"
    r"\s*[:—–-]+)\s*(?i:that\s+)?(?P<fact>.+)$"
)
_WHERE = re.compile(
    rf"\b((?:scene|sc\.?|act|episode|ep\.?)\s*(?:\d+[a-z]?|(?P<spoken>{SPOKEN_NUMBER})))\b", re.IGNORECASE
)
# A standing truth of the story said with no cue: it holds beyond one frame ("it snows every
# night in the valley", "from scene 12 on he has a beard") or is an event that changes what
# later shots may show ("Rook loses his left hand in sc 42"). Framing words make it a shot.
_STANDING = re.compile(
    r"\b(?:every\s+(?:night|day|morning|evening|time|scene|shot|winter|summer|year|exterior|interior)|whenever|"
    r"(?:always|never)\s+(?:\w+[^s\W]s|is|are|has|have|was|were|does|did|can|will|gets?)\b|no\s+exceptions|"
    r"from\s+(?:then|there|now|here|that\s+point)\s+on\w*|onwards?\b|for\s+the\s+rest\s+of|throughout|"
    r"the\s+whole\s+(?:of\s+)?(?:act|film|show|episode|season|story)|all\s+(?:of\s+)?act\s*(?:\d+|one|two|three|four|five)\b|"
    r"keep\s+(?:that|this|it)\s+(?:straight|consistent|in\s+mind)|permanently|for\s+good|"
    r"all\s+(?:the\s+way\s+)?through\s+(?:act|the\s+(?:film|show|episode|season|story|act))|"
    r"\b(?:has|have|had|hasn'?t|haven'?t|hadn'?t)\s+(?:\w+\s+){0,4}?since\s+(?:the|that|then|\w+\s+(?:war|fire|flood|storm))\b|"
    r"\bever\s+since\b|\b(?:keeps?|has|wears?)\s+(?:it|them|\w+)\s+(?:after\s+that|from\s+then\s+on|for\s+good)\b|\b(?:lost|loses|has\s+no|is\s+missing|missing)\s+(?:his|her|their|an?|one)\s+(?:left\s+|right\s+)?"
    r"(?:hand|arm|leg|foot|eye|ear|finger|thumb)s?\b|\buntil\s+the\s+\w+\s+in\s+(?:sc(?:ene)?|act|ep(?:isode)?)\.?\s*\d+|"
    r"\b(?:nobody|no\s+one|no-one)\b[^.;]*?\b(?:owns?|has|have|is\s+allowed|can|knows?|drives?|uses?|wears?|"
    r"carries|speaks?|lives?|goes)\b|"
    r"from\s+(?:sc(?:ene)?|act|ep(?:isode)?)\.?\s*\d+\s+on\w*|"
    r"\bno\s+\w+(?:\s+\w+)?\s+(?:anywhere|in\s+this\s+(?:world|story|film|show|town|village|valley))\b|"
    r"\bin\s+everything\s+(?:after|since|from\s+then)\b)",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(?:loses|lost|dies|died|is\s+killed|gets\s+killed|burns\s+down|burned\s+down|is\s+destroyed|collapses|"
    r"breaks|is\s+broken|shaves|cuts\s+(?:off\s+)?(?:his|her|their)|is\s+blinded|goes\s+blind|is\s+shot|"
    r"is\s+stabbed|marries|leaves|arrives|is\s+born|floods|sinks|falls|goes\s+(?:from|to)|passes\s+(?:from|to)|"
    r"is\s+given\s+to|changes\s+hands|hands\s+(?:it|\w+\s+\w+)\s+to|gives|inherits|steals|finds|buys|sells)\b[^.;]*?\bin\s+"
    r"(?:sc(?:ene)?|act|ep(?:isode)?)\.?\s*\d+",
    re.IGNORECASE,
)
SHOT_WORDS = re.compile(
    r"\b(?:shot|close[\s-]?up|closeup|wide(?!-)|medium|cu|mcu|ms|ws|ecu|ews|angle|pan|tilt|dolly|tracking|crane|"
    r"\d+\s*mm|frame|framing|show\s+me|give\s+me|can\s+i\s+(?:get|see)|on\s+(?:him|her|them))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CharacterStatement:
    name: str
    description: str
    pronouns: str = ""
    costume: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LookStatement:
    name: str
    description: str
    negative: str = ""


@dataclass(frozen=True)
class FactStatement:
    text: str
    established_in: str = ""
    thing: str = ""  # what it is about when no one is named: "the lighthouse hasn't had a lamp …"


# "two new faces for the market scene: Bram, a one-eyed knife grinder, and Odile, the old …"
_LISTED = re.compile(
    r"^\W*(?:(?:\w+|a\s+couple\s+of|a\s+few)\s+)?(?:more\s+)?(?:new\s+)?(?:faces|characters|people|cast\s+members|"
    r"additions\s+to\s+the\s+cast)\b[^:]*:\s*(?P<list>.+)$",
    re.IGNORECASE,
)
# where the next person of a list begins: ", and Odile, …", "; Odile — …", ", Odile (…)"
_NEXT_PERSON = re.compile(r"(?:,?\s+and\s+|;\s*|,\s+)(?=[A-Z][\w'’-]+\s*[,—–(:])")


# "Please add the character in this to the canon: "ODILE (50s), …"", "Register these two from the
# pilot: TEO - nineteen, … And his sister INES, …": script pages pasted to be kept as canon
_PASTED_CAST = re.compile(
    r"^\W*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:add|register|save|log|keep|put|store)\s+"
    r"(?:the\s+(?:characters?|people|person|cast)|these(?:\s+(?:two|three|four|characters|people))?|them|this\s+"
    r"(?:one|character|person|guy|girl)|everyone|everybody)\b[^:]{0,60}:\s*(?P<page>.+)$",
    re.IGNORECASE | re.DOTALL,
)


_SLUG_LINE = re.compile(r"\b(?:INT|EXT|I/E)\b\.?[^.\n]*?[-–—]\s*[A-Z]+\b\.?")


def _pasted_cast(text: str, cast: list[str]) -> list[CharacterStatement]:
    """The characters of a pasted page, each introduced in capitals as screenplays do: what
    follows the name up to the next one is who they are, with the words leading into the next
    name ("And his sister INES") kept as theirs."""
    pasted = _PASTED_CAST.match(text)
    if pasted is None:
        return []
    page = _SLUG_LINE.sub(" ", pasted.group("page").strip().strip("\"“”'"))
    runs = [(run, said, at) for run, said, _, at in caps_runs(page) if len(run.split()) <= 3]
    people = []
    for i, (run, said, at) in enumerate(runs):
        end = runs[i + 1][2] if i + 1 < len(runs) else len(page)
        lead = ""
        if i > 0:
            before = page[runs[i - 1][2] : at]
            lead = re.split(r"[.;]\s+", before)[-1] if re.search(r"[.;]\s+", before) else ""
        after = page[at + len(run) : end]
        after = re.sub(r"^\s*\([^)]*\)", "", after)
        if i + 1 < len(runs) and re.search(r"[.;]\s+", after):
            after = after[: [m.end() for m in re.finditer(r"[.;]\s+", after)][-1]]
        lead = re.sub(r"^\W*(?:and|also|then|plus)\s+", "", lead.strip(), flags=re.I).strip(" ,")
        if people:  # "his sister INES": the sister of whoever the page named before her
            lead = re.sub(r"^(?:his|her|their)\b", f"{people[-1].name}'s", lead, flags=re.I)
        described = ", ".join(p for p in (said or "", lead, after.strip(' ,.;:—–-"”')) if p)
        person = read_character(f"new character: {run.title()} — {described}", cast)
        if person is not None:
            people.append(person)
    return people


_LIST_HEADER = re.compile(
    r"^(?:(?:the|our|new|main|ep(?:isode)?\s*\d+|act\s*\d+)\s+)*(?:cast|characters|people|faces|who'?s\s+who)\b[^,—–:]*[:\W]*$",
    re.IGNORECASE,
)


def read_characters(text: str, cast: Iterable[str]) -> list[CharacterStatement]:
    """The new characters ``text`` introduces: one, or several listed after one cue ("two new
    faces for the market scene: Bram, a one-eyed knife grinder, and Odile, the spice seller"), or
    those of a script page pasted to be kept."""
    cast = list(cast)
    if pasted := _pasted_cast(text, cast):
        return pasted
    lines = [re.sub(r"^[\W_]+", "", line).strip() for line in re.split(r"\n|•|·", text)]  # "🧔 Dov — …"
    lines = [line for line in lines if line]
    if len(lines) >= 3 and _LIST_HEADER.match(lines[0]):  # "cast for ep 2 👇"
        lines = lines[1:]
    if len(lines) >= 2:  # a cast list pasted from a doc, a person a line
        people = [read_character(f"new character: {line}", cast) for line in lines]
        if all(people):
            return [p for p in people if p is not None]
    listed = _LISTED.match(_FILLER.sub("", text, count=1))
    if listed:
        parts = [p for p in _NEXT_PERSON.split(listed.group("list")) if p.strip()]
        people = [read_character(f"new character: {part.strip()}", cast) for part in parts]
        if len(people) >= 2 and all(people):
            return [p for p in people if p is not None]
    one = read_character(text, cast)
    return [one] if one else []


def read_character(text: str, cast: Iterable[str]) -> CharacterStatement | None:
    """A new character introduced in ``text``, or None (a known name doing something is a shot)."""
    known = {n.lower() for n in cast}
    text = _unprefaced(_NOT_A_SHOT.sub("", text))
    lower = _CUED_LOWER.match(text)
    if lower is not None:
        text = text[: lower.start("name")] + lower.group("name").capitalize() + text[lower.end("name") :]
    text = _ASIDE_AFTER_NAME.sub(r"\g<name> — \g<aside>, ", text, count=1)
    text = _TRAILING_QUESTION.sub("", text)
    registered = _REGISTERED.match(text)
    if registered and registered.group("name").lower() in known:
        registered = None  # "add Rook, by the door" in a thread puts him in the shot
    if _A_RULE_FOR_FRAMES.search(text):  # "Mira is 5'1" and Joss 6'5" — keep that obvious whenever …"
        return None
    match = (
        _PLAYS.match(text)
        or _CORRECTED.match(text)
        or registered
        or _INTRODUCED.match(text)
        or _ADDED.match(text)
        or _JOINS.match(text)
        or _IN_THE_CAST.match(text)
    )
    called = _CALLED.match(text)  # "a girl called Pip runs down the pier" is a shot: it must describe her
    if match is None and called is not None and _PERSON_CUES.search(called.group("desc")):
        match = called
    if match is None and (in_it := _IS_IN_IT.match(text)) and in_it.group("name").lower() not in known:
        match = in_it
    who = _NAME_THEN_WHO.match(text)
    if match is None and who and who.group("name").lower() not in known and _described(who.group("desc")):
        match = who
    lower = _LOWER_IS_WHO.match(text)
    if (
        match is None
        and lower
        and lower.group("name") not in _NOT_A_NAME | known
        and (_related(lower.group("desc")) or _newly_described(lower.group("desc")))
    ):
        start = lower.start("name")
        return read_character(text[:start] + text[start].upper() + text[start + 1 :], cast)
    if match is None:
        said = _IS_WHO.match(text) or _DASHED.match(text)
        match = said if said is not None and _says_who(said, known) else _in_passing(text, known)
        if match is None:
            return None
    name, description = match.group("name").strip(), match.group("desc")
    if name.lower() in known and match.re in (_IS_WHO, _DASHED):
        return None
    who = match.groupdict().get("who")
    description = f"{who.strip()}, {description}" if who else description
    if actor := match.groupdict().get("actor"):
        description = f"{description} (played by {actor})"
    aliases = [found.group("alias").strip() for found in ALIASES.finditer(description)]
    description = ALIASES.sub("", description)
    pronouns = ""
    if found := PRONOUNS.search(description):
        pronouns = found.group(1).lower()
        description = PRONOUNS.sub("", description)
    costume = ""
    if found := COSTUME.search(description):
        costume = found.group("costume").strip(" ,.;")
        description = description[: found.start()] + description[found.end() :]
    description = re.sub(r"^[\s,.;:—–-]+", "", _IN_THE_WORK.sub("", description)).strip(" ,.;:—–-")
    pronouns = pronouns or _described_pronouns(f"{description}, {costume}")
    return CharacterStatement(name, description, pronouns, costume, tuple(aliases))


# Words that say who someone is ("Teo's sister", "a retired fencing master who … her sword"): a
# character introduced so is "she" or "he" to the reading, as the team would take them, until said
_SHE = re.compile(
    r"\b(?:she|her|hers|herself|woman|girl|lady|sister|(?:grand|step|god)?(?:mother|daughter)|mum|mom|wife|aunt|niece|"
    r"queen|princess|gran|granny|grandma|widow|bride|actress|waitress|nun|matriarch|heroine)\b",
    re.IGNORECASE,
)
_HE = re.compile(
    r"\b(?:he|him|his|himself|man|boy|guy|brother|(?:grand|step|god)?(?:father|son)|dad|husband|uncle|nephew|king|"
    r"prince|grandad|grandpa|widower|groom|monk|patriarch|hero)\b",
    re.IGNORECASE,
)
# Words about someone else: "Teo's sister", the "husband" of "her husband" (whose "her" is hers)
_OTHERS = re.compile(r"\b(?-i:[A-Z][\w-]*)['’]s\s+[\w-]+|\b(?P<own>his|her|their)\s+[\w'’-]+(?:\s+[\w'’-]+)?")


def _described_pronouns(description: str) -> str:
    """ "she/her" or "he/him" when the description says only one ("Teo's sister, older, braids";
    "always in his dead brother's jacket"), else "" — the words about another person ("Teo's",
    "her brother's") don't count, and a description that says both settles nothing."""
    own = _OTHERS.sub(lambda m: f" {m.group('own') or ''} ", description)
    relation = re.match(
        r"^\s*(?:(?:his|her|their|the|a|an|\w+['’]s)\s+)?(?:(?:older|younger|little|big|kid|twin|baby|half-)\s*)?(\w+)",
        description,
    )
    head = relation.group(1) if relation else ""
    if _SHE.fullmatch(head) or _HE.fullmatch(head):  # "Teo's sister …": who she is to him decides
        return "she/her" if _SHE.fullmatch(head) else "he/him"
    she, he = bool(_SHE.search(own)), bool(_HE.search(own))
    return "she/her" if she and not he else "he/him" if he and not she else ""


# Another name for someone the canon has: "everyone on the boat calls idris 'the captain'",
# "Maya goes by Em", "if I say captain, that's Idris", "the Captain = Idris".
_ALIAS = (
    r"(?:[\"'“‘][^\"'”’]{1,30}[\"'”’]|the\s+[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]*)?|"
    r"(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?)"
)
_CALLS = re.compile(
    r"\b(?:everyone|everybody|people|they|we|the\s+\w+|all\s+\w+|(?:his|her|their)\s+\w+)(?:\s+\w+){0,3}?\s+"
    rf"calls?\s+(?P<name>[\w'’-]+)\s+(?P<alias>{_ALIAS})",
    re.IGNORECASE,
)
_CALLS_THEM = re.compile(
    r"\b(?:everyone|everybody|people|they|we|the\s+\w+|all\s+\w+)(?:\s+\w+){0,3}?\s+calls?\s+(?:him|her|them)\s+"
    rf"(?P<alias>{_ALIAS})",
    re.IGNORECASE,
)
_GOES_BY = re.compile(
    r"^\W*(?P<name>[\w'’-]+)\s+(?:(?:is\s+)?(?:also\s+)?(?:called|known\s+as|nicknamed)|goes\s+by|a\.?k\.?a\.?)\s+"
    rf"(?P<alias>{_ALIAS})",
    re.IGNORECASE,
)
_MEANS = re.compile(
    r"\b(?:if|when(?:ever)?)\s+(?:i|we|anyone|someone)\s+(?:say|says|write|writes|mention)\s+"
    r"(?P<alias>[\"'“‘][^\"'”’]+[\"'”’]|(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)\s*,?\s+"
    r"(?:that'?s|thats|it'?s|its|i\s+mean|we\s+mean|(?:that|it)\s+means)\s+(?P<name>[\w'’-]+)|"
    r"^\W*(?P<alias2>(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)\s*(?:=|means|is\s+(?:just\s+)?another\s+name\s+for)\s*"
    r"(?P<name2>[\w'’-]+)\W*$",
    re.IGNORECASE,
)


# "wren uses they/them just so u know, … they're our lead courier", "Idris is he/him"
_USES_PRONOUNS = re.compile(
    r"^\W*(?P<name>[A-Za-z][\w'’-]+)\s+(?:uses|goes\s+by|prefers|is|=)\s+\(?(?P<pronouns>she/her|he/him|they/them)\b\)?"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_WHO_AFTER = re.compile(
    r"\b(?:they'?re|they\s+are|she'?s|he'?s|(?:is|as)\b)\s+(?P<who>(?:our|the|a|an|my)\s+[^.;!?]+)",
    re.IGNORECASE,
)


def read_pronouns(text: str, cast: Iterable[str]) -> CharacterStatement | None:
    """Someone's pronouns said on their own ("wren uses they/them"), with who they are when said
    ("they're our lead courier"); for a name the canon has, only the pronouns."""
    said = _USES_PRONOUNS.match(_unprefaced(text))
    if said is None or said.group("name").lower() in _NOT_A_NAME:
        return None
    known = {n.lower(): n for n in cast}
    name = known.get(said.group("name").lower()) or said.group("name").capitalize()
    who = [m.group("who").strip(" ,.;") for m in _WHO_AFTER.finditer(said.group("rest"))]
    return CharacterStatement(
        name, "" if name in known.values() else (who[-1] if who else ""), said.group("pronouns").lower()
    )


def read_alias(text: str, cast: Iterable[str]) -> CharacterStatement | None:
    """Another name for a character the canon has ("everyone calls idris 'the captain'"), as
    what to add to them, or None. The alias loses its quotes and article and keeps its case
    as said, capitalised when typed in lower case."""
    known = {n.lower(): n for n in cast}
    text = _unprefaced(text)
    named = names_in(text, cast)
    calls_them = _CALLS_THEM.search(text)
    if calls_them and len(named) == 1 and not SHOT_WORDS.search(text):  # "Hale - everyone calls him Doc"
        alias = re.sub(r"^the\s+", "", calls_them.group("alias").strip(" \"'“”‘’"), flags=re.I)
        if alias.lower() not in {*known, *_NOT_A_NAME}:
            return CharacterStatement(named[0], "", aliases=(alias[0].upper() + alias[1:],))
    for pattern in (_CALLS, _GOES_BY, _MEANS):
        for found in pattern.finditer(text):
            said = {k.rstrip("2"): v for k, v in found.groupdict().items() if v}
            name = known.get(said.get("name", "").lower())
            alias = re.sub(r"^(?:the\s+)", "", said.get("alias", "").strip(" \"'“”‘’"), flags=re.I)
            if name and alias and alias.lower() not in {*known, *_NOT_A_NAME} and not SHOT_WORDS.search(text):
                alias = alias[0].upper() + alias[1:] if alias.islower() else alias
                return CharacterStatement(name, "", aliases=(alias,))
    return None


# A name said anywhere in a sentence ("our antagonist is Varga: …", "teo's uncle Casimir turns up in
# act 3 — …"), or in lower case after who they are to someone ("idris has a sister, yara — 19, …").
_NAME_ANYWHERE = re.compile(
    rf"(?<=[a-z,:—–-]\s)(?P<name>[A-Z][a-z][\w-]*)(?![\w'’-])|"
    rf"\b(?:{_RELATIONS})\s*,\s*(?P<lower>[a-z][a-z-]{{2,}})(?![\w'’-])"
)
_NOT_NAMES_ANYWHERE = vocabulary(
    """
    act scene sc ep episode int ext day night dawn dusk monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december i
    """
)


def _says_who(said: re.Match[str], known: set[str]) -> bool:
    """ "Name is/— …" introduces a new person when the name is new and what follows describes one."""
    description = said.group("desc")
    if said.group("name").lower() in known or _ACTION_START.match(description):
        return False
    return _PERSON_CUES.search(description) is not None


def _in_passing(text: str, known: set[str]) -> re.Match[str] | None:
    """A person the canon lacks, named anywhere in a sentence that only says who they are: looks,
    age, relations — two cues at least — and nothing about a frame. The description is what
    follows the name."""
    for found in _NAME_ANYWHERE.finditer(text):
        group = "name" if found.group("name") else "lower"
        name, start = found.group(group), found.start(group)
        if name.lower() in known | _NOT_A_NAME | _NOT_NAMES_ANYWHERE:
            continue
        if _described(text[found.end() :]) and not SHOT_WORDS.search(text):
            who = re.sub(r"[()]", " ", text[:start])
            who = _whose(re.sub(r"(?:\s+(?:is|was|called|named))?[\s,:;—–-]*$", "", who).strip(), known)
            after = _who_they_are(text[found.end() :], name)
            said = f"{name.capitalize()} ({who}) {after}" if who else f"{name.capitalize()} {after}"
            return re.match(r"(?s)^(?P<name>\S+)\s*(?:\((?P<who>[^)]*)\))?\s*(?P<desc>.*)$", said)
        return None  # the first unknown name is whom the sentence is about
    return None


def _whose(said: str, known: set[str]) -> str:
    """Who someone is to another, from the words just before their name: "when maya gets home her
    kid sister" → "Maya's kid sister", "idris has a sister" → "Idris's sister"."""
    has = re.search(r"\b([\w'’-]+)\s+has\s+(?:a|an|one)\s+((?:[\w-]+\s+){0,2}?[\w-]+)$", said)
    if has and has.group(1).lower() in known:
        return f"{has.group(1).capitalize()}'s {has.group(2)}"
    words = said.split()
    if len(words) <= 4:
        return said
    last = words[-4:]
    determiner = re.compile(r"(?i:his|her|their|the|a|an)|[\w-]+['’]s")
    lead = next((i for i, w in enumerate(last) if determiner.fullmatch(w)), 1)
    tail = last[lead:]
    owner = next((w for w in map(str.lower, words[: len(words) - len(tail)]) if w in known), None)
    if owner and tail[0].lower() in ("his", "her", "their"):
        tail = [f"{owner.capitalize()}'s", *tail[1:]]
    return " ".join(tail)


def _who_they_are(after: str, name: str) -> str:
    """What follows a name said in passing, less what they are doing: "is already there waiting —
    yara's 16, freckles" → "16, freckles"."""
    after = re.sub(r"^[\s,:;—–-]*(?:(?:tho|though|but|and)\b)?", "", after)
    dashed = re.split(r"\s[—–-]+\s|\s*[—–]\s*", after, maxsplit=1)
    if (
        len(dashed) == 2
        and not _described(dashed[0])
        and _described(dashed[1])
        and not ALIASES.search(dashed[0])
    ):
        pronoun = rf"(?:{re.escape(name)}|she|he|they)"
        return re.sub(rf"^\s*{pronoun}(?:['’]s|\s+is|\s+are|['’]re)\s+", "", dashed[1], flags=re.IGNORECASE)
    return after


# A rule for every frame they share is a fact of the story, not who someone is
_A_RULE_FOR_FRAMES = re.compile(
    r"\b(?:keep|make\s+sure|always\s+show|show)\b[^.]*(?:\b(?:whenever|every\s+time|any\s+time)\s+(?:they|we\s+see\s+them)\s+"
    r"(?:share|appear|are\s+(?:on\s+screen|together|in\s+(?:a\s+|the\s+)?(?:frame|shot)))|\bin\s+every\s+(?:shot|scene|frame)\b)",
    re.IGNORECASE,
)
# "Kai (everyone on the boat calls him Kiddo) — 19, …": the aside is part of who they are
_ASIDE_AFTER_NAME = re.compile(rf"^\s*{_NAME}\s*\((?P<aside>[^)]*)\)\s*(?:[—–:,]|\s-)\s*")
# "… round wire glasses. Also how many shots have we got approved?": asked besides, not who they are
_TRAILING_QUESTION = re.compile(r"(?<=[.!])\s+(?:also|and|btw|oh|plus)?[^.!?]*\?\s*$", re.IGNORECASE)
# where a person is from, not where a shot is: "aka the Widow in the script"
_IN_THE_WORK = re.compile(
    r"\bin\s+the\s+(?:script|show|film|book|pilot|story|series|novel|episode|draft)\b", re.I
)


def _described(text: str) -> bool:
    """Only who a person is: two cues at least (not just numbers), and nothing about a frame."""
    text = _IN_THE_WORK.sub(" ", text)
    cues = {cue.lower() for cue in _PERSON_CUES.findall(text)}
    return len(cues) >= 2 and not all(cue.isdigit() for cue in cues) and not _FRAMING.search(text)


def _newly_described(text: str) -> bool:
    """Who a person is, said as someone new: "suri's the new deckhand, teenager, braids"."""
    return re.match(r"new\s", text, re.IGNORECASE) is not None and _described(text)


def _related(text: str) -> bool:
    """Who a person is, by their relation to someone as well: "the ferryman, Yara's dad, grey beard"."""
    return _described(text) and re.search(rf"\b(?:{_RELATIONS})\b", text, re.IGNORECASE) is not None


# "…, btw, keep that in mind": words to Slate, not part of the fact
_TRAILING_ASIDE = re.compile(
    r"(?:[\s,;.—–-]+(?:btw|fyi|by\s+the\s+way|(?:please\s+)?keep\s+(?:that|this|it)\s+in\s+mind|my\s+bad|"
    r"(?:please\s+)?(?:fix|update|change)\s+(?:that|this|it)|sorry|also|and|plus|then|"
    r"(?:just\s+)?so\s+you\s+know|for\s+continuity|thanks|thx|ty|pls|please|ok\??|okay\??))+\s*[.!]*$",
    re.IGNORECASE,
)


# "actually teo's coat is brown not green, my bad", "correction: ines has hazel eyes": what the
# canon holds, put right — said of someone or something, with what it is not
_CORRECTION = re.compile(
    r"^\W*(?:(?:actually|correction|no\s+wait|wait\s+no|sorry|scratch\s+that|small\s+fix|quick\s+fix|"
    r"to\s+be\s+clear|for\s+the\s+record)\b[\s,:;—–-]*)+(?P<fact>.+)$",
    re.IGNORECASE,
)
_PUT_RIGHT = re.compile(
    r"\b(?:is|are|was|has|have|'s|’s|wears?)\b.*\b(?:not|isn'?t|wasn'?t|never|instead\s+of|rather\s+than)\b|"
    r"\b(?:typo|my\s+bad|i\s+meant|was\s+wrong|in\s+the\s+(?:bible|canon|notes))\b",
    re.IGNORECASE,
)
_FRAME_PLACES = re.compile(r"\b(?:left|right|foreground|background|frame|centre|center|camera)\b", re.I)


# "Petra's costume for the whole heist = navy boiler suit + red beanie"
_COSTUME_SAID = re.compile(
    r"^\s*[\w'’-]+['’]s\s+(?:costume|outfit|wardrobe|clothes|kit)\b[^=:]*?(?:=|:|\bis\b|\bwill\s+be\b)\s*\S",
    re.IGNORECASE,
)


# "from the studio: …" passes on someone's message; "from the script: …" quotes the story's truth
_FORWARDED = re.compile(
    r"^from\s+(?!(?:the\s+|our\s+)?(?:script|screenplay|pilot|book|novel|story|bible|show\s+bible|page|draft)\b)"
    r"(?:the\s+|our\s+)?"
    r"[\w@.-]+(?:\s+[\w@.-]+)?\s*(?::|$)",
    re.IGNORECASE,
)


def read_fact(text: str) -> FactStatement | None:
    """A fact said with a cue ("for the record, …"), a correction of the canon, or a standing truth
    said plainly, or None."""
    text = _FILLER.sub("", text, count=1)
    match = _FACT_CUE.match(text)
    corrected = _CORRECTION.match(text)
    if (
        match is None
        and corrected is not None
        and _PUT_RIGHT.search(corrected.group("fact"))
        and not SHOT_WORDS.search(text)
        and not _FRAME_PLACES.search(text)
    ):
        match = corrected
    if match is not None:
        fact = match.group("fact").strip(" ,.;")
        if len(fact.split()) < 3 or fact.endswith(":") or _FORWARDED.match(fact):  # "FYI from the studio: …"
            return None  # says nothing yet, or passes on someone's message
    elif (
        (_STANDING.search(text) or _EVENT.search(text) or _COSTUME_SAID.match(text))
        and not SHOT_WORDS.search(text)
    ) or _A_RULE_FOR_FRAMES.search(
        text
    ):  # "… keep the height difference obvious whenever they share a frame"
        fact = text.strip(" ,.;")
    else:
        return None
    fact = _TRAILING_ASIDE.sub("", fact).strip(" ,.;") or fact
    where = _WHERE.search(fact) or _WHERE.search(text)  # "established in sc 22: …" says when in its cue
    thing = _THING.match(fact)
    return FactStatement(fact, _where(where) if where else "", thing.group(1).lower() if thing else "")


def _where(said: re.Match[str]) -> str:
    """Where a fact holds from, with a dictated number as digits ("scene twelve" → "scene 12")."""
    spoken = said.group("spoken")
    return said.group(1).replace(spoken, str(spoken_number(spoken))) if spoken else said.group(1)


def cued_fact(text: str) -> FactStatement | None:
    """A fact only where it is said as one ("record a fact: …", "for continuity, …"): what is left
    of a refused message is kept as a fact only when the person asked for that."""
    return read_fact(text) if _FACT_CUE.match(_FILLER.sub("", text, count=1)) else None


# The thing a fact is about, said first: "the lighthouse hasn't had …", "our harbour is always …"
_THING = re.compile(
    r"^\s*(?:the|our|this)\s+((?:[a-z-]+\s+){0,2}?[a-z-]+)\s+(?:is|are|was|were|has|have|hasn'?t|haven'?t|had|"
    r"never|always|gets|stays|can'?t|cannot|doesn'?t|don'?t|won'?t|isn'?t|aren'?t)\b",
    re.IGNORECASE,
)


# "look: Salt Flats — …", "new look called Tinderbox. …", "define a style 'Undertow' = …",
# "lookbook entry "Vigil": …", "call this look Rust Belt: …", "grade for the dreams, name it Lullaby: …"
_LOOK_INTENT = re.compile(
    r"^\W*(?:(?:let'?s\s+)?(?:define|create|add|save|make|set\s+up|setup|call\s+this|new)\s+(?:a\s+|the\s+|this\s+)?"
    r"(?:new\s+)?(?:look|style|grade)\b|(?:look|style|grade)\s*:|(?:look|style|grade)\s+(?=[\"“'‘][^\"”'’]+[\"”'’]\s*:)|"
    r"lookbook\s+entry\b|(?:save|keep|store|bank)\s+(?:this|that|it)\s+as\s+"
    r"a\s+(?:look|style)\b)|\b(?:name|call)\s+it\b(?=\s+[\"'“‘]?(?-i:[A-Z]))",
    re.IGNORECASE,
)
_NAMING = re.compile(r"\b(?:name|call)\s+it\b", re.IGNORECASE)
_LOOK_NAME = re.compile(
    r"^\s*(?:(?:called|named|(?:name|call)\s+it)\s+)?(?:[\"'“‘](?P<quoted>[^\"'”’]+)[\"'”’]|(?P<name>[^:—–=(.]+?))"
    r"\s*(?:[:—–=(]|\s-\s|\.\s)\s*(?P<desc>.+)$",
    re.IGNORECASE,
)
# "act 2 exteriors should all feel like faded polaroids - washed cyan shadows, soft grain": a look
# for a part of the film, named by that part, when what it asks for is grade and texture.
_SCOPED_LOOK = re.compile(
    r"^\s*(?:all\s+(?:the\s+)?|the\s+|our\s+)?(?P<name>(?:(?:act|scene|ep(?:isode)?|reel)\s*\d+\w*\s*)?"
    r"(?:\w+\s+){0,2}?(?:exteriors|interiors|flashbacks?|dreams?|night\s+scenes|day\s+scenes|scenes|sequences?|"
    r"everything|film|show|episode|act\s*\d+\w*|the\s+past|memories|the\s+future))\s+"
    r"(?:(?:should|must|will|need\s+to|have\s+to|are\s+to)\s+(?:all\s+|always\s+)?"
    r"(?:feel|look|be\s+graded|be\s+shot|read)\s+(?:like\s+|as\s+)?|(?:are|is)\s+(?:all\s+|always\s+)?|"
    r"(?:all\s+)?(?:get|have|share|use|keep)\s+(?=(?:the\s+same\s+|one\s+|a\s+|that\s+|this\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:treatment|look|grade|style|feel|palette)\b)|"
    r"\s*[=:]\s*)(?P<desc>.+)$",
    re.IGNORECASE,
)
# "our night look is sodium vapour orange, crushed blacks": a look the team calls by a name
_CALLED_LOOK = re.compile(
    r"^\s*(?:our|the|my|this\s+show'?s|the\s+show'?s|the\s+film'?s)\s+(?P<name>(?:[\w'’-]+\s+){1,3}?)"
    r"(?:look|grade|style|palette|treatment)\s+(?:is|=|:|will\s+be|should\s+be|has\s+to\s+be|goes)\s*"
    r"(?:like\s+)?(?P<desc>.+)$",
    re.IGNORECASE,
)
_GRADE_WORDS = re.compile(
    r"\b(?:grain\w*|grade\w*|palette|shadows|highlights|contrast|\w*saturat\w*|lut|film\s+stock|kodak|fuji|"
    r"polaroids?|halation|bleach|teal|cyan|sepia|blacks|pastel\w*|muted|flares?|anamorphic|vignett\w*|tones?|"
    r"colou?rs?|warm|cool|cold|faded|washed|monochrome|kodachrome|ektachrome|technicolou?r|gate\s+weave|black\s+and\s+white|16mm|35mm|super\s*8|vhs)\b",
    re.IGNORECASE,
)
_LOOK_NEGATIVE = re.compile(
    r"(?:[,;.)]|\s[-—–])?\s*(?:\b(?:it|this|that|they|the\s+look)\s+)?\b(?:no|nothing|avoid|never(?:\s+(?:show|have|a|an))?|must\s+never\s+(?:have|show)|"
    r"should\s+never\s+(?:have|show|read\s+as|look)|don'?t\s+(?:ever\s+)?show|not\s+allowed\s*:?)\s+(?:any\s+)?(?P<neg>[^.]+?)(?:\s+ever)?\.?$",
    re.IGNORECASE,
)


# "the same treatment - faded kodachrome …": the words that only say a look follows
_SAME_TREATMENT = re.compile(
    r"^(?:(?:the\s+same|one|a|that|this)\s+(?:treatment|look|grade|style|feel|palette)\s*(?:[:=,;—–-]+\s*|\s-\s*)|"
    r"(?:that|this)\s+)",
    re.IGNORECASE,
)
_NAMED_LAST = re.compile(
    r"[\s,;.—–-]*\b(?:name|call)\s+(?:it|this|that)\s+[\"'“‘]?(?P<name>[A-Z][\w'’ -]*?)[\"'”’]?\s*[.!]*$"
)


def read_look(text: str) -> LookStatement | None:
    """A named look ("look: Harbour Night — sodium orange, …"), or a part of the film's grade, or None."""
    text = _FILLER.sub("", text, count=1)
    last = _NAMED_LAST.search(text)
    if last and not _LOOK_INTENT.search(text[: last.start()]):  # "flashbacks all get …, call it Memory"
        scoped = read_look(text[: last.start()])
        return (
            LookStatement(last.group("name").strip(), scoped.description, scoped.negative) if scoped else None
        )
    intent = _LOOK_INTENT.search(text)
    naming = list(_NAMING.finditer(text))  # "new look for the winter exteriors, name it Frostbite: …"
    start = naming[-1].start() if intent and naming and naming[-1].start() >= intent.end() else None
    named = _LOOK_NAME.match(text[start if start is not None else intent.end() :]) if intent else None
    if named:
        name, description = (named.group("quoted") or named.group("name")).strip(), named.group("desc")
        name = re.sub(r"^(?:(?:look|style)\s+)?(?:called|named)\s+", "", name, flags=re.IGNORECASE)
    else:
        scoped = _SCOPED_LOOK.match(text) or _CALLED_LOOK.match(text)
        if scoped is None or len(_GRADE_WORDS.findall(scoped.group("desc"))) < 2:
            return None
        name, description = (
            scoped.group("name").strip(),
            _SAME_TREATMENT.sub("", scoped.group("desc"), count=1),
        )
    negative = ""
    if found := _LOOK_NEGATIVE.search(description):
        negative = found.group("neg").strip(" ,.;")
        description = description[: found.start()]
    if not name.strip(" \"'“”‘’"):  # "look: — teal" names nothing
        return None
    name = name.title() if name.islower() and named else name[0].upper() + name[1:]
    return LookStatement(name, description.strip(" ,.;:—–-)"), negative) if name and description else None


@dataclass(frozen=True)
class ReferenceStatement:
    """Stills to keep: for whom (a character or a look of the canon; "" when the name is unknown),
    the name as said, and what the stills show."""

    owner: str
    said: str
    caption: str = ""
    explicit: bool = True  # says "refs"/"reference"/"keep these", not only "this is …"


# What asks to keep stills: "refs", "reference", "these are …", "keep these", "file it", "save as".
_REFERENCE_CUE = re.compile(
    r"\b(?:refs?|refrence|references?|ref\s+sheet)\b|\bthese\s+(?:\d+\s+|two\s+|three\s+)?(?:are|r|=)\b|"
    r"^\W*this\s+is\b|\bkeep\s+(?:these|this|them|it)\b|\bstick\s+these\b|\bfile\s+(?:it|these|them)\b|"
    r"\bsave\s+(?:these\s+|this\s+|it\s+)?as\b",
    re.IGNORECASE,
)
_REFERENCE_WORDS = re.compile(
    r"\b(?:keep|save|file|stick|use|add|these(?:\s+\d+|\s+two|\s+three)?|this|them|it|is|are|r|as|for|her|his|"
    r"their|refs?|refrence|references?|ref\s+sheet|sheet|on|to|pls|please|attached|look|style)\b",
    re.IGNORECASE,
)
_EXPLICIT_REFERENCE = re.compile(
    r"\b(?:refs?|refrence|references?|ref\s+sheet)\b|\bkeep\s+(?:these|them)\b|\bthese\s+(?:\d+\s+)?(?:are|r)\b",
    re.IGNORECASE,
)
_UNKNOWN_OWNER = re.compile(
    r"\b(?:refs?|references?|stills?)\s+for\s+(?:the\s+)?(?P<look>[^,.;]+?)\s+(?:look|style)\b|"
    r"\b(?:refs?|references?)\s+(?:for|of)\s+(?:the\s+)?(?P<name>[A-Za-z][\w'’-]+)|^\W*this\s+is\s+(?P<this>[A-Z][\w'’-]+)\W*$|"
    r"\bthese\s+(?:\d+\s+)?(?:are|r)\s+(?P<these>[A-Z][\w'’-]+)\W*$",
    re.IGNORECASE,
)


def read_reference(text: str, owners: Iterable[str]) -> ReferenceStatement | None:
    """Stills a message asks to keep, for the character or look of ``owners`` it names, or None.

    "maya in profile, keep these 2 as her refs", "grade refs for harbour night", "these 2 r idris":
    the owner is the one canon name said; the rest, less the asking words, is the caption.
    """
    if not _REFERENCE_CUE.search(text):
        return None
    named = sorted(names_in(text, owners), key=len, reverse=True)
    if not named:
        unknown = _UNKNOWN_OWNER.search(text)
        said = next((g.strip() for g in unknown.groups() if g), "") if unknown else ""
        return ReferenceStatement("", said[:1].upper() + said[1:]) if said else None
    owner = named[0]
    rest = re.sub(rf"(?<!\w){re.escape(owner)}(?:['’]s)?(?!\w)", " ", text, flags=re.IGNORECASE)
    rest = _REFERENCE_WORDS.sub(" ", rest)
    caption = re.sub(r"\s+", " ", re.sub(r"\s*([,.;:—–-])(?:\s*[,.;:—–-])*", r"\1", rest)).strip(" ,.;:—–-")
    caption = re.sub(r"^(?:the|a|an)(?:\s+|$)", "", caption, flags=re.IGNORECASE)
    explicit = _EXPLICIT_REFERENCE.search(text) is not None
    return ReferenceStatement(
        owner, owner, caption if re.search(r"[a-z]{3}", caption, re.I) else "", explicit
    )
