"""A direction with nothing to draw, or a referent nobody defined: one short question, never a guess.

"a shot of him" in a new thread, "the woman from the casting tape", "that thing we talked
about on the call", "make it sing": each reads as a shot or a change to a keyword reader, and
each makes a picture nobody asked for. What is left of a direction once the words that carry
no picture (pronouns, filler, praise, shared-history references) are taken out decides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from agents.reading.exemplars import ExemplarSet
from agents.reading.vocabulary import MOODS, vocabulary
from memory.canon import names_in
from memory.pack import only_fit, pronoun_fits, pronouns_in

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+")


def _words(text: str) -> list[str]:
    """The words, lower case, a letter typed three times or more said once ("gooo", "sooo")."""
    return [re.sub(r"(\w)\1{2,}", r"\1", w.lower()) for w in _WORD.findall(text)]


# Words that carry no picture on their own.
_EMPTY = vocabulary(
    """
    a an the this that these those it its he him his she her hers they them their one ones thing
    things stuff something anything everything shot frame picture image pic version take please pls
    plz thanks again but and or so just bit little lot more less some kind sort of like as before
    earlier usual same different draw make do give get show let us me we you i our my want need
    needs needed would could can should will try maybe hmm hm um uh er ok okay yeah yes no not quite
    really very much together now then there here know thingy whatever wow cool nice good great
    better best bad worse pop sing oomph jazz zhuzh zing up vibe vibes feel energy
    magic special interesting fun work working right wrong idea something's what's that's it's idk
    dunno with for to in on at about from into over last week yesterday today time times thingie
    discussed agreed planned mentioned usual eh meh differently otherwise somehow anyway
    what mean meant spice spicy spicier kick sauce flavour flavor juice sparkle wow-factor
    go ahead epic vibey vibe-y awesome amazing dope sick rad stunning gorgeous beautiful striking
    cinematic iconic memorable impressive lit fire banger killer hit your yours w w/ expensive pricey
    premium fancy slick polished professional pro high-end look looks looking mock mockup u ur
    ready are when lets let's surprise surprising nuts wild crazy bananas lol lmao haha go creative
    freestyle choose pick decide up call whatever's wanna gonna go-to
    is am are was were be been being think honestly honest literally basically totally seriously
    fix change tweak adjust improve rework nah nope hmmm umm sth smth lemme gimme
    love loved lovely adore dig hate meh ya yknow y'know ish opener opening finale ending intro outro
    teaser trailer climax bump reckon suggest suggestion thoughts opinion ideas scene sequence part
    missing lacking off sort sorted feeling vibing
    gotta hit hits harder way than tbh keep keeps pushing yet agency client clients feedback notes note
    feels flat aspirational land lands landing impact impactful elevate elevated stronger bigger
    engaging relatable hates hated clean cleaner tidy neater sharper
    """
)
# Adjectives of feeling or intensity that, like moods, draw nothing on their own.
_FEELINGS = vocabulary(
    """
    dramatic dark darker bright brighter intense emotional energetic vibrant bold powerful soft moodier
    edgy raw fresh clean punchy dynamic atmospheric stylish stylized stylised artsy arty
    noir noirish neo-noir gothic western sci-fi scifi horror thriller arthouse indie cyberpunk retro
    vintage giallo kitsch campy lofi lo-fi
    """
)


def _feeling(word: str) -> bool:
    """A mood, genre or intensity, "-ish" or not ("noir-ish", "moody-ish"): no picture on its own."""
    bare = re.sub(r"-?ish$", "", word)
    return any(w in MOODS or w in _FEELINGS for w in (word, bare))


# "the guy from the pitch meeting", "the thing we talked about", "the one from yesterday"
_SHARED_HISTORY = re.compile(
    r"\b(?:the|that|this)\s+(?P<head>(?:\w+\s+)?(?:guy|man|woman|girl|boy|kid|lady|person|people|one|thing|"
    r"place|location|look|idea|shot|set|room|house|actor|actress|character|reference|ref|sketch|photo|pic|"
    r"image|board|version|frame|vibe|mood|moodboard|deck|way|setup|angle|spot|recce|scout)s?)\s*,?\s+"
    r"(?:(?:from|in|on|at)\s+(?:the\s+|our\s+|that\s+|last\s+|this\s+|yesterday|before|earlier|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?-i:[A-Z][a-z]+)['’]s\s)|"
    r"(?:(?:that|which)\s+)?(?:we|you|i|they|he|she|everyone|everybody|someone|(?:the|our|my|your)\s+\w+|"
    r"[a-z]+)\s+"
    r"(?:really\s+|all\s+|just\s+)?(?:talked|discussed|mentioned|saw|liked|used|had|did|said|spoke|chatted|"
    r"scouted|shot|found|picked|chose|agreed|loved|pitched|sketched|storyboarded|made|built|booked|wanted|sent|"
    r"shared|posted|dropped|emailed|uploaded|showed|drew|suggested|circled|flagged|hated|disliked|rejected|"
    r"preferred|binned|killed|nixed|vetoed|moaned|complained|tweeted|pinned|starred|bookmarked)|"
    r"(?:from\s+)?(?:yesterday|last\s+(?:time|week|night)))",
    re.IGNORECASE,
)


# "the DP's favourite framing", "Kai's usual angle", "my go-to lens": a taste nobody wrote down
_SOMEONES_TASTE = re.compile(
    r"\b(?:the\s+)?(?:[\w-]+['’]s|my|our|his|her|their|your)\s+(?:favou?rite|fave|fav|usual|go-to|signature|pet|"
    r"preferred)\s+(?P<head>(?:\w+\s+)?(?:framing|frame|shot|angle|lens|look|setup|set-up|composition|move|grade|"
    r"style|lighting|take|version|one))\b",
    re.IGNORECASE,
)
# "like we talked about on the call", "the way we discussed": what was said somewhere Slate wasn't
_AS_DISCUSSED = re.compile(
    r"\b(?:like|as|the\s+way|how)\s+(?:we|you|i|they|(?:the|our)\s+\w+)\s+(?:\w+\s+)?"
    r"(?:talked|discussed|said|agreed|planned|spoke|chatted|pitched|mentioned|decided)\b",
    re.IGNORECASE,
)
# "the lamp we picked up at the flea market", "the spot by the quarry we used for the teaser",
# "the dress from last week's fitting": any thing, pointed at by what the team did with it
_THE_THING_WE = re.compile(
    r"\b(?:the|that|this)\s+(?P<head>(?:[\w-]+\s+){0,1}[\w-]+)\s+(?:(?:by|near|at|in|on|from)\s+(?:the\s+)?[\w-]+\s+)?"
    r"(?:that\s+|which\s+)?(?:we|you|they)\s+(?:\w+\s+)?(?:picked|bought|got|found|rented|borrowed|used|shot|built|"
    r"scouted|chose|saw|liked|made|tested|tried)\b|"
    r"\b(?:the|that|this)\s+(?P<thing>(?:[\w-]+\s+){0,1}[\w-]+)\s+from\s+(?:last\s+\w+['’]s|yesterday['’]s|the|our|that|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day['’]s|this\s+morning['’]s|today['’]s)\s+"
    r"(?:fitting|meeting|call|recce|scout|shoot|test|session|pitch|read-?through|rehearsal|review|screening)\b",
    re.IGNORECASE,
)
# someone by a role nobody has defined: "the new PA", "the body double" (whose?)
_NEW_ROLE = re.compile(
    r"\bthe\s+(?P<head>new\s+(?:intern|pa|runner|assistant|hire|recruit|character|actor|actress|lead|girl|guy|kid|"
    r"neighbou?r|boss|teacher|nanny|driver)|(?:body|stunt|photo)\s+double)\b",
    re.IGNORECASE,
)
# a group pointed back at: "those guys again", "these two"
_THOSE = re.compile(
    r"\b(?:those|these)\s+(?:guys|lads|girls|two|three|people|folks|idiots|kids)\b", re.IGNORECASE
)
_THE_OTHER = re.compile(
    r"\bthe\s+other\s+(?P<head>guy|man|woman|girl|boy|kid|lady|person|one|location|place|set|room|version|angle)\b",
    re.IGNORECASE,
)
# Material nobody has shown Slate: "like the reference", "that vibe from the moodboard"
_UNSEEN_MATERIAL = re.compile(
    r"\b(?:like|from|as\s+in|same\s+(?:\w+\s+)?as|off|per|match(?:ing)?)\s+(?:the|our|that|this)\s+(?:\w+\s+)?"
    r"(?P<head>reference|ref|refs|moodboard|mood\s+board|deck|lookbook|sketch|storyboard|pitch|treatment|brief|"
    r"email|notes|thumbnail|thumbnails|animatic|mockup|mock-up|recce|scout|photos?|stills|previs|concept\s+art|"
    r"test\s+footage|dailies|rushes|(?:camera|screen|lens|lighting|costume|make-?up|hair)\s+tests?|test\s+shoot|"
    r"key\s+art|poster|one-sheet|trailer|teaser|cold\s+open|pilot|promo|title\s+sequence|opening\s+titles|"
    r"sizzle(?:\s+reel)?|pitch\s+deck|spec\s+spot|last\s+campaign)\b(?!['’])|"
    r"\b(?P<usual>the\s+usual)\b|\bsame\s+as\s+(?P<before>before|earlier|last\s+time|the\s+last\s+one|yesterday)\b",
    re.IGNORECASE,
)
# Coverage that answers a shot ("give me the reverse", "the reverse angle", "the matching single")
# means the shot it answers, which a new thread doesn't have
_REVERSE = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|now|and|then|so)\W+)?(?:(?:give\s+me|gimme|get|do|let'?s\s+(?:get|do|see)|can\s+we\s+(?:get|see))\s+)?"
    r"(?:the|a|that)\s+(?:reverse(?:\s+(?:shot|angle))?|matching\s+single|answering\s+shot|other\s+side)\W*$",
    re.IGNORECASE,
)
# Heads that name a person: someone named in the direction may be who is meant ("Rook, the guy
# from the pitch"); anything else (a place, a frame, a look) stays undefined whoever is named.
_PERSON_HEADS = re.compile(r"\b(?:guy|man|woman|girl|boy|kid|lady|person|people|actor|actress|character)$")


def question_for_new_shot(
    text: str,
    cast: Iterable[str],
    film_words: bool,
    named: Iterable[str] = (),
    pronouns: Mapping[str, str] | None = None,
) -> str | None:
    """The question to ask instead of making this first shot, or None when there is something to draw.

    ``film_words``: the reader found a size, angle, place, light or weather in it (those are a
    picture even with no one in it: "wide of the harbour at dusk"). ``named``: people the reader
    found named in it, in the canon or not, or whom the thread resolves a pronoun to ("Lena"
    before "her" resolves it). ``pronouns``: the canon's pronouns, so "Rook hands her the letter"
    still asks who "her" is.
    """
    cast, pronouns = list(cast), pronouns or {}
    names = names_in(text, cast) + list(named)
    history = _history(text)
    if history and history.groupdict().get("before"):
        return "Same as which shot? This thread has no shot yet — say which (e.g. “like shot 2, tighter”)."
    if history and _undefined(history, names):
        return _what_is(text, history, cast)
    if _REVERSE.search(text) and not names:
        return "The reverse of which shot? This thread has no shot yet — say which, or describe the frame."
    if role := _NEW_ROLE.search(text):  # a person by a role the canon lacks, whoever is named besides
        return _what_is(text, role, cast)
    those = _THOSE.search(text)
    if those and not names and len(cast) >= 2:
        return (
            f"Which ones are “{those.group()}”? This thread has no shot yet — name them ({_cast_list(cast)})."
        )
    group = _GROUP.search(text)  # "the two of them": which two, when the canon has more and none is named
    count = (group.group("count") or "two").lower() if group else ""
    if group and not names and len(cast) > _GROUP_SIZES[count]:
        return f"Which {count}? This thread has no shot yet — name them ({_cast_list(cast)})."
    if group and not names and len(cast) == _GROUP_SIZES[count]:
        names = list(cast)  # the canon's two are "the two of them"
    words = _words(_INTENSIFIED.sub(" ", text))
    pronoun = _unresolved_pronoun(text)
    said = pronouns_in(pronoun or "")
    # A pronoun is resolved by someone named whom it fits. Unresolved, Slate asks who when it would
    # otherwise guess between characters of the canon ("close on him when he finds out" with Rook
    # and Idris), has nothing else to draw ("her at the window"), or has nobody in the canon it
    # could mean ("she's up on the rooftop watching the crowd", "He turns from the window"):
    # someone Slate would only invent. An insert of a part of someone ("his hands shaking on the
    # wheel, ECU") needs nobody's identity, and a POV's owner isn't in the frame.
    resolved = any(pronoun_fits(pronouns.get(n, ""), said) for n in names)
    could_be = [n for n in cast if pronoun_fits(pronouns.get(n, ""), said)]
    nobody_fits = not could_be and not _A_PART_OF.search(text)
    guessing = len(could_be) >= 2 or _says_little(text) or nobody_fits
    if pronoun and not resolved and guessing and not _ONLY_POV.search(text):
        # Offer whom the pronoun fits; when it fits nobody, say so rather than offer "her" a he/him.
        offer = _cast_list(could_be) if could_be or not cast else f"nobody in the canon is “{pronoun}” yet"
        return (
            f"Who is “{pronoun}”? This thread has no shot yet — name the character ({offer}) "
            "and what the frame shows."
        )
    if names:
        return None
    content = [  # "something moody", a bare "3": nothing to draw
        w for w in words if w not in _EMPTY and not _feeling(w) and not w.isdigit()
    ]
    if film_words or content:
        return None
    someone = next((n for n in cast if n), "a lighthouse keeper")
    return (
        "What should the shot show? Name who is in it, where, and the framing — "
        f"e.g. “wide, {someone} on the pier at dusk”."
    )


_PEOPLE = (
    r"(?:wom[ae]n|m[ae]n|girls?|boys?|child|children|kids?|bab(?:y|ies)|lad(?:y|ies)|guys?|persons?|people|"
    r"soldiers?|guards?|officers?|cops?|nurses?|doctors?|priests?|kings?|queens?|princes?|princess(?:es)?|knights?|"
    r"drivers?|waiters?|waitress(?:es)?|bartenders?|strangers?|figures?|crowds?|couples?|family|families|"
    r"mothers?|fathers?|mums?|moms?|dads?|sons?|daughters?|brothers?|sisters?|twins?|teens?|teenagers?|"
    r"students?|teachers?|workers?|farmers?|fishermen|fisherman|sailors?|pilots?|detectives?|thie(?:f|ves)|"
    r"hunters?|riders?|runners?|dancers?|singers?|musicians?|players?|villagers?|locals?|passengers?|"
    r"travell?ers?|clerks?|mechanics?|medics?|chefs?|brides?|grooms?|widows?|witch(?:es)?|wizards?|monks?|nuns?|hero(?:es)?|villains?|killers?|victims?|"
    r"patients?|prisoners?|captains?|keepers?|ferrym[ae]n|owners?|neighbou?rs?|friends?|lovers?|grandmas?|"
    r"grandpas?|grandmothers?|grandfathers?|someone|somebody|everyone|everybody|nobody|anyone)"
)
# Someone said before the pronoun, who it can refer to: "a young woman at the window, her hair wet"
_SOMEONE_FIRST = re.compile(
    rf"\b(?:(?:a|an|the|some|two|three|several|one|another|this|that|old|young|our)\s+(?:[\w-]+\s+){{0,2}}?)?"
    rf"{_PEOPLE}\b",
    re.IGNORECASE,
)
_ONLY_POV = re.compile(
    r"^\W*(?:(?:her|his|their)\s+(?:POV|point[\s-]*of[\s-]*view)|POV)\b(?!.*\b(?:him|them|he|they)\b)",
    re.IGNORECASE,
)
_A_PART_OF = re.compile(
    r"\b(?:his|her|their)\s+(?:\w+\s+)?(?:hands?|fingers?|feet|foot|eyes?|mouth|lips|back|shadow|silhouette|"
    r"boots?|shoes?|knuckles|fists?|wrists?|neck|nape)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(him|her|them|he|she|they|his|their)\b", re.IGNORECASE)


def _history(text: str) -> re.Match[str] | None:
    """Where the direction points at something only the team has seen or said."""
    return (
        _SHARED_HISTORY.search(text)
        or _THE_OTHER.search(text)
        or _UNSEEN_MATERIAL.search(text)
        or _SOMEONES_TASTE.search(text)
        or _AS_DISCUSSED.search(text)
        or _THE_THING_WE.search(text)
    )


def _what_is(text: str, history: re.Match[str], cast: Iterable[str]) -> str:
    said = re.split(r"[,;.!?]|\s[-—–]+\s", text[history.start() :].replace(", from", " from"))[0].strip()
    said = re.sub(
        r"^(?:like|as\s+in|from|off|per|match(?:ing)?)\s+(?=the\s|our\s|that\s|this\s)", "", said, flags=re.I
    )
    return (
        f"What is “{said}”? I don't know it — say who or what it is "
        f"(the canon has {_cast_list(cast)}), or describe the frame."
    )


def question_for_change(text: str, cast: Iterable[str]) -> str | None:
    """The question a change in a thread with a shot gets when it points at something Slate has
    not seen ("more like the camera test from last week"), or None. Earlier shots and versions
    of this thread are Slate's own; a person named in the canon is known."""
    history = _history(text)
    if history is None or history.groupdict().get("before") or history.groupdict().get("usual"):
        return None
    return _what_is(text, history, cast) if _undefined(history, names_in(text, cast)) else None


# "the other character", when the canon has nobody else; "swap the two of them" with one in frame
_THE_OTHER_PERSON = re.compile(
    r"\bthe\s+other\s+(?:character|guy|girl|man|woman|person|actor|actress|lead)\b", re.IGNORECASE
)
_SWAP_THEM = re.compile(
    r"\b(?:swap|switch|flip|trade|exchange)\s+(?:the\s+two\s+of\s+them|them|the\s+two|their\s+(?:places|positions|"
    r"sides|spots)|places|sides)\b",
    re.IGNORECASE,
)
_SEVERAL = re.compile(
    r"\b(?:two|three|four|pair|couple|both|several|group|crowd|people|men|women|kids|dancers|soldiers|guards)\b|"
    r"\band\b|&",
    re.IGNORECASE,
)


def question_for_missing(text: str, cast: Iterable[str], shown: str) -> str | None:
    """The question a change in a thread gets when who it is about isn't there: "the other
    character" with one character in the canon, "swap them" in a shot (``shown``: its
    description) of one person or none."""
    cast = list(cast)
    if _THE_OTHER_PERSON.search(text) and len(cast) <= 1 and not names_in(text, cast):
        known = f"The canon has only {cast[0]}" if cast else "The canon has no characters yet"
        return f"Which other character? {known} — name them, or register them first."
    if _SWAP_THEM.search(text) and not names_in(text, cast):
        there = names_in(shown, cast)
        if len(there) < 2 and not _SEVERAL.search(shown):
            who = f"Only {there[0]} is in this shot" if there else "Nobody is named in this shot"
            return f"Swap whom? {who} — say who goes where."
    return None


def _undefined(history: re.Match[str], names: list[str]) -> bool:
    """A referent to shared history is undefined unless it is a person and someone is named besides
    whoever it quotes ("the one Sam sent": Sam sent it, Sam isn't it)."""
    head = history.groupdict().get("head") or history.groupdict().get("thing") or ""
    if not _PERSON_HEADS.search(head.lower()):
        return True
    return not [n for n in names if n.lower() not in history.group(0).lower()]


def pronoun_referent(text: str, cast_pronouns: Mapping[str, str], earlier: str = "") -> str | None:
    """Whom an unresolved pronoun means when nobody in the thread was named: the canon's one
    character, when the pronoun fits them ("close on her" in a project whose cast is Maya), or —
    when the direction says more than the pronoun — the only character it fits ("she slams the
    door and runs, handheld" with one woman in the canon). "a shot of him" alone still asks."""
    if names_in(text, cast_pronouns) or names_in(earlier, cast_pronouns):
        return None
    pronoun = _unresolved_pronoun(text)
    if pronoun is None or (len(cast_pronouns) != 1 and _says_little(text)):
        return None
    return only_fit(cast_pronouns, pronouns_in(pronoun))


_GROUP = re.compile(
    r"\b(?:the\s+(?P<count>two|three|four)\s+of\s+them|(?P<both>both)\s+of\s+them)\b", re.IGNORECASE
)
_GROUP_SIZES = {"two": 2, "three": 3, "four": 4}


def _says_little(text: str) -> bool:
    """Two words or fewer beyond pronouns and filler: "a shot of her", "her, crying"."""
    return len([w for w in _words(text) if w not in _EMPTY]) <= 2


def _unresolved_pronoun(text: str) -> str | None:
    """A third-person pronoun said before anyone it could refer to ("her at the window"; not
    "a woman at the window, her hair wet")."""
    pronoun = _PRONOUN.search(text)
    if pronoun is None:
        return None
    someone = _SOMEONE_FIRST.search(text)
    if someone is not None and someone.start() < pronoun.start():
        return pronoun.group(1).lower() if _acted_on(text, someone.end(), pronoun) else None
    if _person_before(text[: pronoun.start()]):
        return None
    return pronoun.group(1).lower()


# "her" as an object, not a possessive: "grabs her by the arm", "pins her.", "carries her as a
# shield"; "turns her head" is hers
_OBJECT_HER = re.compile(
    r"\s*(?:$|[^\w\s]|(?:by|to|in|on|at|against|up|down|out|off|back|away|into|onto|with|from|over|across|"
    r"through|toward|towards|around|as)\b)",
    re.IGNORECASE,
)


def her_is_object(text: str, end: int) -> bool:
    """The "her" ending at ``end`` is the person acted on ("lifts her up"), not a possessive."""
    return _OBJECT_HER.match(text, end) is not None


def _acted_on(text: str, someone_end: int, pronoun: re.Match[str]) -> bool:
    """The pronoun is the object of what the person before it does ("a guard shoves him up against
    the wall"): it is someone else, still unnamed. A comma between them ("a woman at the window,
    her hair wet") or a possessive ("the woman turns her head") makes it the same person."""
    between = text[someone_end : pronoun.start()]
    if re.search(r"[^\w\s'’-]", between) or not 1 <= len(between.split()) <= 3:
        return False
    said = pronoun.group(1).lower()
    return said in {"him", "them"} or (said == "her" and her_is_object(text, pronoun.end()))


_DETERMINED = re.compile(
    r"\b(?:a|an|the|some|two|three|several|another|this|that|our)\s+(?P<words>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})",
    re.IGNORECASE,
)
_AGENT_SUFFIX = re.compile(
    r"(?:ist|ian|ess|man|men|woman|women|wife|smith|maker|keeper|monger|ier|eer|ster|hand|mate)s?$|"
    r"^(?:sergeant|servant|actor|doctor|tailor|sailor|author|director|inspector|vendor|survivor|warrior|officer|"
    r"agent|tenant|merchant|peasant|student|resident|patient|parent|client|assistant|attendant|guard|nurse|"
    r"soldier|driver|rider|runner|dancer|singer|player|worker|farmer|hunter|stranger|teenager|villager|"
    r"passenger|traveller|traveler|prisoner|lover|mother|father|brother|sister|daughter|grandmother|grandfather)s?$",
    re.IGNORECASE,
)
_PERSONS = ExemplarSet(
    {
        "person": (
            *("a person", "a woman", "a man", "a child", "a worker", "an officer", "a stranger"),
            *("someone", "a relative", "a professional"),
        ),
        "thing": (
            *("a thing", "an object", "a place", "a moment", "a building", "a room", "a time of day"),
            *(
                "a feeling",
                "a tool",
                "a vehicle",
                "a piece of furniture",
                "a landscape",
                "an event",
                "an animal",
            ),
        ),
    }
)


def _person_before(text: str) -> bool:
    """Someone said in words no list holds ("the bride", "a pianist"): by the word's form, else by
    whether MiniLM puts it nearer "a person" than "a thing" (the words embedded in one batch)."""
    words = [
        bare
        for match in _DETERMINED.finditer(text)
        for bare in (w.lower() for w in match.group("words").split())
        if bare not in _STOP_WORDS and bare not in _EMPTY
    ]
    if any(_AGENT_SUFFIX.search(word) for word in words):
        return True
    unknown = list(dict.fromkeys(w for w in words if w not in MOODS))
    readings = _PERSONS.nearest_each([f"the {word}" for word in unknown]) if unknown else []
    return any(nearest["person"].score > nearest["thing"].score + 0.03 for nearest in readings)


_STOP_WORDS = vocabulary(
    """
    old young little big tall short small tiny huge dark light bright pale thin fat lone lonely same other
    first last next wide close tight low high extreme medium slow fast quick long empty
    """
)


# Asking for "more" with no say of what: "punch it up", "amp it up a notch", "kick it up".
# ("punch in" is tighter; "crank up the contrast" names what.)
_INTENSIFIED = re.compile(
    r"\b(?:punch|amp|liven|beef|juice|pep|jazz|spruce|dial|crank|ramp|kick|turn|take|bump)\s+"
    r"(?:it|this|that|things|everything)\s+up\b(?:\s+a\s+(?:notch|bit|level|gear))?",
    re.IGNORECASE,
)


def is_content_free_change(text: str) -> bool:
    """A change that names nothing to change: "make it sing", "needs more oomph", "punch it up"."""
    rest = _INTENSIFIED.sub(" ", text)
    words = _words(rest)
    return all(w in _EMPTY for w in words) if words else rest != text


def _cast_list(cast: Iterable[str]) -> str:
    names = [n for n in cast if n]
    return ", ".join(names) if names else "no characters yet"
