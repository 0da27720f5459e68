"""Read a director's free-text shot direction into the facts a storyboard frame needs.

Pure and dependency-free: the shot spec (agents/spec.py) starts from this one reading of
"wide shot, Maya walks into the throne room at dusk"; the engines then draw the spec, never the
prompt. It is a heuristic reader, not a language
model: it prefers leaving a field empty to inventing one, and a known cast list overrides its
guess at who is in the shot.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from tools.frame_facts import DEFAULT_SHOT_SIZE, FrameFacts


def _vocabulary(text: str) -> frozenset[str]:
    """A comma-separated word list (kept as prose so it reads, and diffs, as a list of words)."""
    return frozenset(word.strip() for word in text.split(",") if word.strip())


# (value, pattern). Order breaks ties between matches starting at the same place, so the more
# specific phrase ("medium close-up") wins over its parts ("medium", "close-up").
_SIZES = (
    # each also as a Spanish, French or Italian speaker says it in English ("a general plan",
    # "a close shot", "a plan américain")
    (
        "ECU",
        r"\b(?:extreme|xtreme|very|big)[\s-]*close[\s-]*ups?\b|\b(?:ECU|XCU|BCU)\b|\bplano\s+detalle\b|"
        r"\btr[eè]s\s+gros\s+plan\b|\bdetail\s+plan\b",
    ),
    (
        "EWS",
        r"\b(?:extreme|very)[\s-]*(?:wide|long)\b|\bestablishing\b|\b(?:EWS|XWS|ELS|XLS)\b|"
        r"\b(?:gran\s+plano\s+general|plan\s+d['’]ensemble|very\s+general\s+plan)\b",
    ),
    ("MCU", r"\bmedium[\s-]*close(?:[\s-]*ups?)?\b|\bMCU\b|\bplano\s+medio\s+corto\b"),
    (
        "MWS",
        r"\bmedium[\s-]*(?:wide|long|full)\b|\bcowboy\b|\bamerican\s+(?:shot|plan)\b|\b(?:MWS|MLS|MFS)\b|"
        r"\bplan\s+am[ée]ricain\b|\bplano\s+americano\b",
    ),
    (
        "CU",
        r"\bclose[\s-]*ups?\b|\bcloseups?\b|\b(?:close|tight)\s+on\b|\bCU\b|\bchoker\b|(?<=,\s)close(?=\s*(?:[,.;:]|$))|"
        r"\bclose\s+shot\b|\bprimer\s+plano\b|\bgros\s+plan\b|\bprimo\s+piano\b",
    ),
    (
        "WS",
        r"\b(?:wide|long|full)[\s-]+(?:shot|angle|frame|framing|master|lens)\b|\bwide\s+on\b"
        r"|^\W*wide\b|\bwide(?=\s*(?:[,.;:]|$))|\bwide\s+of\b|\b(?:WS|LS|FS)\b|"
        r"\bgeneral\s+plan\b|\bplano\s+general\b|\bplan\s+(?:large|g[ée]n[ée]ral)\b|\bcampo\s+lungo\b",
    ),
    (
        "MS",
        r"\b(?:medium|mid)[\s-]*shot\b|\bwaist[\s-]*shot\b|\bmedium\b|\bMS\b|\ba\s+mid\b(?=\s+(?:on|of)\b)|"
        r"\bplano\s+medio\b|\bplan\s+moyen\b|\bmedium\s+plan\b",
    ),
)
_ANGLES = (
    ("low angle", r"\blow[\s-]*angle\b|\bworm'?s[\s-]*eye\b|\blooking\s+up\s+at\b|\bfrom\s+below\b"),
    (
        "high angle",
        r"\bhigh[\s-]*angle\b|\blooking\s+down\s+(?:at|on)\b|\baerial\b|"
        r"(?<!light )(?<!lights )(?<!lamp )(?<!sun )(?<!glow )\bfrom\s+above\b",  # not light from above
    ),
    (
        "overhead",
        r"\boverhead\b(?!\s+(?:fluorescents?|lights?|lamps?|lighting|bulbs?|strips?|practicals?))|\btop[\s-]*down\b|"
        r"\b(?:bird|god)'?s[\s-]*eye\b|\btop\s+shot\b",
    ),
    ("dutch", r"\bdutch\b|\bcanted\b|\btilted\s+(?:frame|horizon|angle)\b"),
    (
        "OTS",
        r"\bOTS\b|\bover[\s-]+(?:the|his|her|their|\w+'s)[\s-]+shoulders?\b|\bdirty\s+(?:single|over|ots|mcu|cu)\b",
    ),
    ("POV", r"\bPOV\b|\bpoint[\s-]*of[\s-]*view\b"),
)
_TIMES = (
    ("golden hour", r"\b(?:golden|magic)[\s-]*hour\b|\bsunset\b|\bsundown\b"),
    ("dawn", r"\bdawn\b|\bsunrise\b|\bdaybreak\b|\bfirst\s+light\b|\bearly\s+morning\b"),
    ("dusk", r"\bdusk\b|\btwilight\b|\bblue\s+hour\b|\bevening\b|\bnightfall\b"),
    (
        "night",
        r"\bnight(?:time)?\b|\bmidnight\b|\bmoonlit\b|\bafter\s+dark\b|\bdead\s+of\s+night\b|\bsmall\s+hours\b",
    ),
    ("day", r"\bday(?:time|light)?\b|\bmorning\b|\bnoon\b|\bmidday\b|\bafternoon\b|\bsunny\b"),
)
_WEATHER = (
    ("rain", r"\brain(?:s|ing|y|ier|fall|soaked)?\b|\bdownpour\b|\bdrizzl\w*"),
    ("snow", r"\bsnow(?:s|ing|y|ier|fall)?\b|\bblizzard\b"),
    ("fog", r"\bfog(?:gy|gier)?\b|\bmist(?:y|ier)?\b|\bhaz[ey]\b|\bhazier\b"),
    ("storm", r"\bstorm(?:y|s|ier)?\b|\bthunder\w*|\blightning\b"),
    ("wind", r"\bwind(?:y|ier|swept)?\b|\bgale\b"),
    ("overcast", r"\bovercast\b|\bcloud(?:y|ier)\b"),
)
_LIGHTING = (
    ("backlit", r"\bback[\s-]*(?:lit|light|lighting)\b"),
    ("silhouette", r"\bsilhouett\w*"),
    ("rim light", r"\brim[\s-]*(?:light|lit)\b"),
    ("candlelight", r"\bcandle[\s-]*(?:light|lit)\b|\bcandles?\b"),
    (
        "firelight",
        r"\bfire[\s-]*(?:light|lit)\b|\btorch[\s-]*(?:light|lit)\b|\btorches\b|"
        r"\b(?:by|at|around|beside)\s+the\s+(?:fire|fireplace|hearth|campfire)\b|\bfireside\b",
    ),
    ("moonlight", r"\bmoon[\s-]*(?:light|lit)\b"),
    ("neon", r"\bneon\b"),
    ("high key", r"\bhigh[\s-]*key\b"),
    ("low key", r"\blow[\s-]*key\b"),
    ("hard light", r"\b(?:hard|harsh)[\s-]*light\b"),
    ("hard sun", r"\b(?:hard|harsh|direct|blazing|midday|noon)\s+sun(?:light|shine)?\b"),
    ("lantern light", r"\blantern(?:s|[\s-]*light|[\s-]*lit)?\b"),
    ("soft light", r"\bsoft[\s-]*(?:light|lit)\b|\bdiffused\b"),
    ("practicals", r"\bpracticals?\b"),
    ("tungsten", r"\btungsten\b"),
    ("sodium", r"\bsodium\b"),
    ("streetlight", r"\bstreet[\s-]*lights?\b|\bstreet[\s-]*lamps?\b"),
    ("flashlight", r"\bflash[\s-]*lights?\b|\btorch\s+beam\b"),
    (
        "TV glow",
        r"\b(?:tv|television)[\s-]*(?:glow|light|lit)\b|\b(?:glow\s+of|lit\s+(?:only\s+)?by)\s+the\s+(?:tv|television)\b",
    ),
    (
        "screen glow",
        r"\b(?:screen|monitor|phone|laptop)[\s-]*(?:glow|light|lit)|\bglow\s+of\s+the\s+screen|"
        r"\blit\s+(?:only\s+)?by\s+(?:the\s+|a\s+|her\s+|his\s+)?(?:screen|monitor|phone|laptop)",
    ),
    ("bounce", r"\bbounce(?:d)?(?:\s+light)?\b"),
    ("headlights", r"\bhead[\s-]*lights?\b|\bhigh[\s-]*beams?\b|\b(?:car|truck|van)['’]?s?\s+lights\b"),
    ("bare bulb", r"\b(?:bare\s+)?(?:light\s*)?bulbs?\b"),
    ("fridge light", r"\bfridge[\s-]*light\b|\blight\s+of\s+the\s+(?:open\s+)?fridge\b"),
    ("slatted light", r"\b(?:venetian\s+)?blinds\b|\bslats?\b|\bslatt\w+"),
    ("god rays", r"\bgod[\s-]*rays\b|\bshafts?\s+of\s+light\b|\bvolumetric\b"),
)
_INT = r"\bINT\b\.?|\binterior\b|\binside\b|\bindoors?\b"
_EXT = r"\bEXT\b\.?|\bexterior\b|\boutside\b|\boutdoors?\b"
# Places that settle INT/EXT when the direction doesn't say ("the throne room" is inside).
_INDOOR = _vocabulary(
    """
    room, hall, chamber, corridor, hallway, landing, kitchen, office, bedroom, bathroom, bar, tavern, pub,
    inn,
    diner, restaurant, cafe, church, cathedral, chapel, temple, library, lab, laboratory, cell,
    apartment, flat, cabin, cockpit, basement, attic, warehouse, studio, classroom, lobby, elevator,
    lift, stairwell, garage, ballroom, dungeon, crypt, vault, theatre, theater, gym, hospital, ward,
    courtroom, station, booth, saloon, barracks, chapel, cellar, hangar, carriage, deck, cabin, hut,
    shop, store, market, bakery, theatre, stage, arcade
    """
)
_OUTDOOR = _vocabulary(
    """
    street, road, forest, woods, field, beach, desert, mountain, mountains, river, sea, ocean, bay, sky,
    countryside, riverside, roadside, seaside, hillside, lakeside, quayside, dockside, fireside,
    rooftop, roof, courtyard, garden, park, city, village, alley, battlefield, plain, plains, cliff,
    cliffs, lake, harbour, harbor, dock, docks, highway, square, meadow, valley, shore, coast, jungle,
    canyon, bridge, ridge, hill, hills, parking, quay, pier, wharf, marsh, flats, dune, dunes, moor,
    lighthouse, battlements, ramparts, cemetery, graveyard, crossroads, platform, port, stop, plaza,
    island, glacier, tundra, swamp, orchard, vineyard, farm, ranch, yard, lot, runway, track
    """
)
_SLUG = re.compile(
    r"\b(?:(?:INT|EXT|I/E)\b|(?i:int|ext)\.)\.?(?:\s*/\s*(?:INT|EXT)\.?)?\s+([^\n,.–—-]+?)\s*(?:[-–—,]|\n|\.|$)"
)
_PLACE = re.compile(
    r"\b(?P<prep>in|into|inside|within|at|through|across|on|onto|outside|enters?|entering|along"
    r"|around|beneath|under|beside|down|up|over|past|of|behind|crossing|toward|towards|beyond|near|by|from)"
    r"\s+(?:the|a|an)\s+(?=[A-Za-z]|\d+(?:st|nd|rd|th)\b)",
    re.I,
)
_PHRASE = re.compile(r"(?:[A-Za-z]|\d+(?:st|nd|rd|th)\b)[\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*){0,5}")
_PROPER_PLACE = re.compile(
    r"\b(?:in|into|inside|within|across|through|outside)\s+(?P<words>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b(?!['’]s)"
)
_OWNED_PLACE = re.compile(
    r"\b(?:in|into|inside|at|through|outside|on|behind)\s+(?:(?:my|her|his|their|our)\s+)?[A-Za-z][\w-]*['’]s\s+"
    r"(?P<words>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})"
)
# A wide framing said just before a place: the place is what the frame is of
_WIDE_ON = re.compile(
    r"(?:^|[\s,.;:])(?:e?ws|wide(?:\s+shot)?|extreme\s+wide|establishing(?:\s+shot)?|aerial)\s+(?:of\s+|on\s+)?$",
    re.IGNORECASE,
)
_BARE_PLACE = re.compile(
    r"\b(?:in|at|into|out\s+of)\s+(?P<place>bed|home|sea|church|school|hospital|prison|jail|class|court|"
    r"town|college|uni|camp)\b(?!['’-])",
    re.IGNORECASE,
)
_AT_SOMEONES = re.compile(
    r"\bat\s+(?:my\s+|her\s+|his\s+|their\s+|our\s+|the\s+)?(?P<place>[A-Za-z]+['’]s)(?!\s*[a-z])"
)
_LEADING_PLACE = re.compile(
    r"^\W*(?:(?:an?|the)\s+)?(?P<words>[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,3}?)"
    r"(?=\s+(?:at|in|on|under|during|by|before|after|with)\b|\s*[,.;:—–]|\s*$)",
    re.IGNORECASE,
)
# A clause of its own that is just a place: "Night. Rooftop. Wide." — "the abandoned gas station"
_FRAGMENT = re.compile(
    r"(?:^|[,.;:]\s*)(?:(?i:the|an?)\s+)?(?P<words>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,2})\s*(?=[,.;:]|$)"
)
# "close on the letter" names a subject more often than a place
_WEAK_PREPS = {"on", "onto", "of", "up", "over", "past", "near", "by", "behind", "toward", "towards", "from"}
# Structures and vehicles a shot is set in or on, whose INT/EXT the word alone doesn't settle
_STRUCTURES = _vocabulary(
    """
    tower, courthouse, depot, stairs, staircase, train, car, truck, van, bus, boat, ship, plane, taxi,
    tram, subway, terminal, castle, palace, mansion, farmhouse, barn, mill, factory, prison, school,
    museum, gallery, motel, hotel, casino, stadium, arena, tunnel, arches, pool, laundromat, church,
    house, tent, camp, canal, towpath, garden, balcony, terrace, porch, gate, wall, walls, trench,
    lighthouse, cockpit, bridge, sewer, mine, quarry, ruins, temple, shrine, observatory, greenhouse,
    laundrette, launderette, shed, allotment, cottage, bungalow, villa
    """
)
_PLACE_NOUNS = _INDOOR | _OUTDOOR | _STRUCTURES
# Heads of compound place words nobody listed: "boathouse", "storeroom", "boatyard", "stairwell"
_COMPOUND_HEADS = (
    "house", "room", "yard", "hall", "shed", "shop", "store", "field", "ground", "front", "port", "works",
    "mill", "barn", "tower", "hut", "cabin", "office", "kitchen", "garden", "deck", "well", "park",
    "station", "wood", "woods", "hold", "loft",
)  # fmt: skip


def _is_place(word: str) -> bool:
    """A place noun, listed or a compound of one ("boathouse", "gatehouse", "engine room")."""
    word = word.lower()
    return word in _PLACE_NOUNS or any(
        word.endswith(head) and len(word) - len(head) >= 3 for head in _COMPOUND_HEADS
    )


_PLACE_PHRASE = re.compile(  # a lookahead, so "the lever and the warehouse" yields both phrases
    r"\b(?=(?:the|a|an)\s+(?P<words>[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})\b)", re.IGNORECASE
)
_PLACE_STOP = _vocabulary(
    """
    at, in, into, with, while, as, and, or, during, under, before, after, where, for, to, toward,
    towards, from, on, then, but, when, same, by, near, behind, who, which, that, lit, holding, looking,
    facing
    """
)
# Said after a place with no comma between (dictated, or typed in a hurry): "the courtyard night
# rain fifty millimetre" — the place ends where the time, weather or lens begins
_AFTER_A_PLACE = _vocabulary(
    """
    night, dusk, dawn, day, morning, evening, noon, midnight, sunset, sunrise, rain, raining, snow,
    snowing, fog, foggy, storm, mist, misty, overcast, twelve, fourteen, sixteen, eighteen, twenty,
    thirty, forty, fifty, sixty, seventy, eighty, hundred, aspect, lens
    """
)
_NOT_PLACES = _vocabulary(
    """
    shoulder, shoulders, face, eyes, eye, hand, hands, camera, lens, frame, end, same, moment, start,
    beginning, background, foreground, fg, bg, mg, midground, distance, shot, scene, light, dark, rain,
    snow, fog, mist, storm,
    wind, night, day, dusk, dawn, sunset, middle, centre, center, left, right, edge, way, air, the, a,
    an, bit, lot, little, touch, tad, notch, hair, smidge, while, tick, second, minute, tv, glow, screen,
    haze, shadows, shade, silhouette, top, bottom
    """
)

# "in a blue cloak" says what someone wears, not where they are
_GARMENTS = _vocabulary(
    """
    cloak, coat, jacket, dress, gown, armour, armor, suit, robe, uniform, hat, hood, cape, mask, shirt,
    boots, raincoat, sweater, apron, scarf, overcoat, tuxedo, costume
    """
)
_INSTANTS = _vocabulary("moment, instant, second, minute, beat, time, point")
_ING_PLACES = _vocabulary("building, clearing, landing, ceiling, railing, siding, mooring")
_NOT_SUBJECTS = _vocabulary(
    """
    shoulder, shoulders, camera, lens, frame, end, moment, start, beginning, distance, same, fg, bg, mg,
    foreground, background, midground
    """
)
_ACRONYMS = _vocabulary(
    """
    INT, EXT, ECU, XCU, BCU, CU, MCU, MS, MWS, MLS, MFS, WS, LS, FS, EWS, XWS, ELS, XLS, OTS, POV, VFX,
    SFX, FX, CGI, DOF, FG, BG, MG, OS, OC, VO, TV, DP, AD, LED, HDR, RGB, SUV, FBI, CIA, USA, UK, EU,
    NYC, OK, AM, PM, ID, CCTV, HUD, UI, AI, GPS, ER, ICU, DSLR, IMAX, RED, ARRI
    """
)
_STOP = _vocabulary(
    """
    a, an, the, and, or, but, nor, if, so, yet, i, he, she, they, we, you, it, him, her, them, us, me,
    his, hers, their, theirs, our, its, my, your, this, that, these, those, there, here, then, now,
    something, somebody, nothing, everything, anyone, anything, shoot, draw, render, need, want, can,
    could, do, get, put, go, fade, hey, hi, hello, sorry, thanks, once, silence, fyi, btw, asap, tbh, imo,
    pls, plz, thx, meanwhile,
    later, meanwhile, suddenly, slowly, quickly, finally, camera, cam, shot, shots, angle, frame,
    framing, scene, cut, pan, tilt, track, tracking, dolly, push, pull, zoom, crane, handheld,
    steadicam, static, locked, lock, hold, open, opening, close, closeup, closer, medium, mid, wide,
    wider, extreme, establishing, cowboy, tight, low, high, overhead, dutch, over, same, again, make,
    keep, let, use, give, show, more, less, new, another, try, please, okay, ok, yes, no, maybe, also,
    just, still, very, much, start, end, begin, take, version, like, as, with, on, in, at, into, from,
    to, of, for, by, up, down, out, off, inside, outside, interior, exterior, day, night, dusk, dawn,
    morning, evening, afternoon, noon, midnight, sunset, sunrise, golden, magic, hour, twilight, rain,
    snow, fog, mist, storm, wind, january, february, march, april, may, june, july, august, september,
    october, november, december, monday, tuesday, wednesday, thursday, friday, saturday, sunday, left,
    right, center, centre, foreground, background, screen, insert, reverse, master, coverage, single,
    two, three, act, reel, sequence, episode, add, remove, change, replace, redo, match, follow, after,
    before, during, while, when, where, what, who, why, how, which, because, same, previous, next, last,
    first, slate, previz, lens, focus, backlit, silhouette, eye, level, point, view, pov, ots, ecu, cu,
    mcu, ms, mws, ws, ews, int, ext, everyone, everybody, someone, nobody, all, both, each
    """
)
_TITLES = _vocabulary(
    """
    king, queen, prince, princess, captain, general, doctor, detective, sheriff, lord, lady, sir
    """
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")  # letters first, so "Zoë" and "José" stay whole
_VIEWER = re.compile(
    r"\b([A-Za-z][a-z]+)['’]s\s+(?:POV|point[\s-]*of[\s-]*view|shoulder)\b|"
    r"\b([A-Z][a-z]+)\s+POV\b|\b(?:OTS|POV)\s+from\s+([A-Z][a-z]+)\b"
)


def said_size(text: str) -> str:
    """The shot size the direction names, or "" (``read_shot`` falls back to the default size)."""
    return _first(_SIZES, text)


# "MS 🎬 Ines 🎬 greenhouse": symbols between words separate the parts like full stops
_SYMBOLS_BETWEEN = re.compile(r"(?<=\S)\s+[^\w\s,.;:!?'\"()/&+=%#@<>\[\]-]+\s+(?=\S)")


def read_shot(text: str, cast: Iterable[str] | None = None) -> FrameFacts:
    """Parse one direction. With a cast list, only those names count as characters."""
    text = _SYMBOLS_BETWEEN.sub(". ", text)
    size = _first(_SIZES, text)
    setting, place_spans = _setting(text, size or DEFAULT_SHOT_SIZE)
    return FrameFacts(
        shot_size=size or DEFAULT_SHOT_SIZE,
        angles=_all(_ANGLES, text),
        characters=_cast_in(text, cast) if cast else _guess_names(text, place_spans),
        viewer=_viewer(text),
        time_of_day=_first(_TIMES, text),
        int_ext=_int_ext(text) or _int_ext_of(setting),
        weather=_all(_WEATHER, text),
        lighting=_all(_LIGHTING, text),
        setting=setting,
        subject=_subject(text, setting),
    )


def _matches(table: tuple[tuple[str, str], ...], text: str) -> list[tuple[int, int, str]]:
    found = []
    for rank, (value, pattern) in enumerate(table):
        for m in re.finditer(pattern, text, re.I):
            if m.group() == "Ms":  # "Ms Patel", not a medium shot
                continue
            found.append((m.start(), rank, value))
    return sorted(found)


def _first(table: tuple[tuple[str, str], ...], text: str) -> str:
    found = _matches(table, text)
    return found[0][2] if found else ""


def _all(table: tuple[tuple[str, str], ...], text: str) -> tuple[str, ...]:
    """Every value the text mentions, in the table's canonical order."""
    seen = {value for _, _, value in _matches(table, text)}
    return tuple(value for value, _ in table if value in seen)


def _int_ext(text: str) -> str:
    has_int = re.search(_INT, text, re.I) is not None
    has_ext = re.search(_EXT, text, re.I) is not None
    return "INT/EXT" if has_int and has_ext else "INT" if has_int else "EXT" if has_ext else ""


def _int_ext_of(setting: str) -> str:
    words = setting.lower().split()
    head = words[-1] if words else ""
    return "INT" if head in _INDOOR else "EXT" if head in _OUTDOOR else ""


def _setting(text: str, size: str) -> tuple[str, list[tuple[int, int]]]:
    """The place the shot is in, and the text spans naming places (so they aren't read as cast).

    Candidates rank slug line first, then strong prepositions ("into the throne room"), then weak
    ones ("on the bridge"; "of the castle" only in wide shots, where it is the place, and "on the
    ring" never in close-ups, where it is the subject).
    """
    spans: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    slug = _SLUG.search(text)
    if slug:
        spans.append(slug.span(1))
        found.append((0, slug.start(), slug.group(1).strip().lower()))
    for m in _PLACE.finditer(text):
        words = _place_words(_PHRASE.match(text, m.end()).group().split())
        if not words or words[-1].endswith(("'s", "’s")) or any(w.lower() in _GARMENTS for w in words):
            continue
        if words[0].lower() in _INSTANTS and not _is_place(_inner_place(" ".join(words)).split()[-1]):
            continue  # "on the moment he sees it" is a when, not a where
        proper = words[0][:1].isupper()
        if proper:
            spans.append((m.end(), m.end() + len(" ".join(words))))
        prep = m.group("prep").lower()
        if _names_place(prep, size):
            phrase = " ".join(words) if proper else " ".join(words).lower()
            found.append((_place_rank(prep, phrase, proper), m.start(), phrase))
    for m in _OWNED_PLACE.finditer(text):  # "at Maya's kitchen table": the kitchen is the place
        words = m.group("words").split()
        while words and not _is_place(words[-1]):
            words.pop()
        if words:
            found.append((1, m.start(), " ".join(words).lower()))
    for m in _BARE_PLACE.finditer(text):  # "lying awake in bed", "at sea"
        found.append((2, m.start(), m.group("place").lower()))
    for m in _AT_SOMEONES.finditer(text):  # "at grandma's": her place
        found.append((1, m.start(), m.group("place")))
    for m in _LEADING_PLACE.finditer(text):  # "empty swimming pool at night"
        words = [w for w in m.group("words").split() if w.lower() not in _STOP]
        if words and _is_place(words[-1]):
            found.append((3, m.start(), " ".join(words).lower()))
    for m in _PROPER_PLACE.finditer(text):
        spans.append(m.span("words"))
        found.append((1, m.start(), m.group("words")))
    for m in _FRAGMENT.finditer(text):  # "Night. Rooftop. Wide." / "wide, harbor, night"
        words = m.group("words").split()
        if _is_place(words[-1]):
            found.append((3, m.start(), " ".join(words).lower()))
    for m in _PLACE_PHRASE.finditer(text):  # "the bus depot at 2am", "the warehouse floods with light"
        words = list(
            itertools.takewhile(lambda w: w.lower() not in _STOP or _is_place(w), m.group("words").split())
        )
        while len(words) > 1 and not _is_place(words[-1]) and _is_place(words[-2]):
            words.pop()  # "the warehouse floods": the place, less the verb after it
        if words and _is_place(words[-1]) and not any(w.lower() in _GARMENTS for w in words):
            framed = _WIDE_ON.search(text[: m.start()]) is not None  # "WS the miller's cottage across …"
            found.append((1 if framed else 4, m.start(), " ".join(words).lower()))
    found.sort()
    return (_inner_place(found[0][2]) if found else ""), spans


def _place_rank(prep: str, phrase: str, proper: bool) -> int:
    """Strong prepositions before a place noun (or a name) first; "in the beam", "on the water",
    which name no place, only when nothing better is said."""
    placed = proper or _is_place(_inner_place(phrase).split()[-1])
    if prep in _WEAK_PREPS:
        return 2 if placed else 5
    return 1 if placed else 3


def _inner_place(phrase: str) -> str:
    """ "window of the laundromat" -> "laundromat", "far end of the pier" -> "pier": the place is
    the phrase after "of" when that names one."""
    head, of, tail = phrase.rpartition(" of ")
    tail = re.sub(r"^(?:the|a|an)\s+", "", tail, flags=re.IGNORECASE)
    words = tail.split()
    if of and words and _is_place(words[-1]):
        return tail
    placed = [i for i, word in enumerate(words) if _is_place(word)] if of else []
    if placed:  # "neon of the laundrette sign": the laundrette
        return " ".join(words[: placed[-1] + 1])
    return phrase


def _names_place(prep: str, size: str) -> bool:
    if prep == "of":
        return size in ("WS", "EWS")
    return not (prep in ("on", "onto") and size in ("ECU", "CU"))


def _place_words(words: list[str]) -> list[str]:
    """Trim a place phrase at the first word that starts a new clause or names someone."""
    kept: list[str] = []
    proper = words[0][:1].isupper()
    span = words[: 6 if "of" in words[:4] else 4]  # "the far end of the pier", "pink neon of the laundrette"
    for index, word in enumerate(span):
        bare = word.strip("'’").lower()
        gerund = kept and bare.endswith("ing") and bare not in _ING_PLACES
        if bare in _PLACE_STOP or (kept and word[:1].isupper() != proper) or word.endswith("ly") or gerund:
            break
        if kept and bare in _AFTER_A_PLACE and _is_place(kept[-1]):
            break
        kept.append(word)
        following = span[index + 1].lower() if index + 1 < len(span) else ""
        if word.endswith(("'s", "’s")) and following not in _PLACE_NOUNS:  # "the harbour master's office"
            break
    while kept and kept[-1].lower() in _NOT_PLACES:
        kept.pop()
    return kept


_THING = re.compile(r"\b(?:the|a|an|his|her|their|its)\s+([a-z][\w'’-]*)(?:[ \t]+([a-z][\w'’-]*))?")


def _subject(text: str, setting: str) -> str:
    """The first object phrase that isn't the place ("the brass key", "the door" of "the door creaks")."""
    for m in _THING.finditer(text):
        first, second = m.group(1), m.group(2) or ""
        if first in _STOP or first in _NOT_SUBJECTS or first in setting.lower().split():
            continue
        if second and (second in _STOP or second.endswith(("s", "ed", "ing", "ly"))):
            second = ""
        return f"{first} {second}".strip()
    return ""


def _viewer(text: str) -> str:
    m = _VIEWER.search(text)
    name = next((g for g in m.groups() if g), "") if m else ""
    return "" if name.lower() in _STOP else name


# "odile — rook's gran — knitting by the stove": Rook is said only to say who Odile is
_WHOSE_RELATION = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:brother|sister|mother|mom|mum|father|dad|son|daughter|cousin|uncle|aunt|niece|nephew|"
    r"wife|husband|partner|girlfriend|boyfriend|gran|granny|grandma|grandmother|grandpa|grandfather|nan|twin|"
    r"editor|boss|mentor|assistant|bodyguard|kid|child|widow|ex)\b",
    re.I,
)


def _cast_in(text: str, cast: Iterable[str]) -> tuple[str, ...]:
    """The cast named in the frame, in the order said; a name said only as whose relation someone
    is ("rook's gran") is not in it."""
    hits = []
    for name in dict.fromkeys(n.strip() for n in cast if n.strip()):
        found = list(re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.I))
        if found and not all(_WHOSE_RELATION.match(text, m.end()) for m in found):
            hits.append((found[0].start(), name))
    return tuple(name for _, name in sorted(hits))


def _guess_names(text: str, place_spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Capitalised words that are not vocabulary, places or sentence-initial common words."""
    lowered = {w.lower() for w in _WORD.findall(text) if w.islower()}
    names: list[str] = []
    run: list[str] = []
    prev_end, after_the = 0, False
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        possessive = word.endswith(("'s", "’s"))
        bare = word[:-2] if possessive else word.strip("'’-")
        after_the = (after_the and word[:1].isupper() and not text[prev_end:start].strip()) or (
            word.lower() == "the"
        )
        place_word = after_the and word.lower() != "the" and bare.lower() not in _TITLES
        if place_word or not _is_name(text, bare, start, lowered, place_spans):
            _flush(run, names)
        else:
            if run and text[prev_end:start].strip():  # "Maya, Rook" are two people
                _flush(run, names)
            run.append(bare if not bare.isupper() else bare.title())
            if possessive or len(run) == 3:
                _flush(run, names)
        prev_end = m.end()
    _flush(run, names)
    return tuple(dict.fromkeys(names))


def _is_name(text: str, word: str, start: int, lowered: set[str], place_spans: list[tuple[int, int]]) -> bool:
    low = word.lower()
    if not word[:1].isupper() or low in _STOP or len(word) < 2:
        return False
    if word.isupper() and (len(word) < 3 or word in _ACRONYMS):
        return False
    if any(a <= start < b for a, b in place_spans):
        return False
    before = text[:start].rstrip(" \t\"'(“‘*-•")
    if not before or before[-1] in ".!?:;\n":
        return not (low in lowered or low.endswith("ly"))
    return True


def _flush(run: list[str], names: list[str]) -> None:
    if run:
        names.append(" ".join(run))
        run.clear()
