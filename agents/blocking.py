"""From what the agent read to a 3D blocking: the shot spec and the canon's cast as a Blender scene.

The spec (agents/spec.py) says the camera (shot size, angle, lens), who is in the shot, where and
when; the canon says what each character looks like and wears. :func:`blocking_for` turns both,
plus the version's prompt (where a revision like "make her cloak red" lives), into a
:class:`tools.blocking.Blocking`, with small word vocabularies: colour words become RGB, prop words
a prop in hand, setting words an interior or exterior kit. Pure and fast: no Blender here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agents.blocking_verbs import facing_of, looks, pose_of, viewer_of
from agents.spec import ShotSpec
from memory.pack import canon_fragment
from tools.blocking import (
    RGB,
    SHOT_SIZES,
    Blocking,
    Camera,
    Facing,
    Figure,
    Part,
    Pose,
    Position,
    SetDressing,
    ShotSize,
    name_colour,
)

# Colour words → sRGB 0..1. Longer names first where one contains another ("navy blue").
COLOURS: dict[str, RGB] = {
    "crimson": (0.62, 0.05, 0.1),
    "scarlet": (0.85, 0.12, 0.06),
    "red": (0.8, 0.08, 0.06),
    "maroon": (0.42, 0.05, 0.08),
    "burgundy": (0.45, 0.06, 0.14),
    "pink": (0.95, 0.55, 0.7),
    "orange": (0.95, 0.45, 0.08),
    "amber": (0.95, 0.62, 0.1),
    "yellow": (0.95, 0.85, 0.12),
    "gold": (0.85, 0.65, 0.13),
    "golden": (0.85, 0.65, 0.13),
    "ochre": (0.8, 0.55, 0.15),
    "green": (0.1, 0.6, 0.15),
    "emerald": (0.05, 0.55, 0.3),
    "olive": (0.4, 0.42, 0.12),
    "teal": (0.0, 0.5, 0.5),
    "cyan": (0.1, 0.75, 0.85),
    "blue": (0.1, 0.25, 0.8),
    "navy": (0.06, 0.09, 0.35),
    "indigo": (0.22, 0.1, 0.5),
    "purple": (0.45, 0.12, 0.6),
    "violet": (0.55, 0.3, 0.8),
    "brown": (0.4, 0.24, 0.12),
    "tan": (0.72, 0.58, 0.4),
    "leather": (0.45, 0.3, 0.18),
    "black": (0.04, 0.04, 0.05),
    "white": (0.92, 0.92, 0.9),
    "ivory": (0.9, 0.87, 0.78),
    "grey": (0.5, 0.5, 0.52),
    "gray": (0.5, 0.5, 0.52),
    "silver": (0.72, 0.74, 0.78),
    "steel": (0.55, 0.58, 0.62),
}
GARMENTS = (
    r"cloaks?|coats?|capes?|robes?|dress(?:es)?|gowns?|armou?r|jackets?|shirts?|tunics?|hoods?|"
    r"uniforms?|suits?|mantles?|scarf|scarves|vests?|trousers|pants|skirts?|costume|clothes|outfit|"
    r"habit|cassock|jerkin|doublet|mail|plate|tabard|shawl|poncho|sweater|jumper|hoodie"
)
PROP_WORDS: tuple[tuple[str, str], ...] = (
    (r"swords?|blades?|sabres?|rapiers?|daggers?|knife", "sword"),
    (r"staffs?|staves|spears?|canes?|walking stick|quarterstaff", "staff"),
    (r"lanterns?|lamps?|torch(?:es)?|candles?", "lantern"),
    (r"books?|tomes?|journals?|letters?|scrolls?|maps?", "book"),
    (r"shields?", "shield"),
)
STAND_IN: RGB = (0.5, 0.5, 0.52)  # the neutral figure when nobody is named in a close shot
SPREAD: dict[int, tuple[Position, ...]] = {
    1: ("centre",),
    2: ("left", "right"),
    3: ("left", "centre", "right"),
    4: ("left", "centre", "right", "background"),
}
# Shot sizes said other ways → the nearest of ECU…EWS.
SIZE_ALIASES: dict[str, ShotSize] = {
    "XCU": "ECU",
    "BCU": "ECU",
    "OTS": "MCU",
    "POV": "MS",
    "TWO-SHOT": "MS",
    "TWO SHOT": "MS",
    "2-SHOT": "MS",
    "MEDIUM CLOSE": "MCU",
    "CLOSE": "CU",
    "MEDIUM": "MS",
    "MID": "MS",
    "COWBOY": "MWS",
    "MLS": "MWS",
    "FULL": "WS",
    "LS": "WS",
    "ELS": "EWS",
    "XWS": "EWS",
    "XLS": "EWS",
    "ESTABLISHING": "EWS",
}
ANGLE_OF = {
    "eye level": "eye",
    "low": "low",
    "high": "high",
    "overhead": "overhead",
    "OTS": "ots",
    "POV": "pov",
}
DUTCH_DEG = 15.0

# Setting words → the kit. The last interior/exterior word (the phrase's head) decides.
_INTERIOR = (
    r"throne|hall|palace|kitchen|tavern|inn|bar|pub|dining|office|study|library|bedroom|room|chamber|"
    r"corridor|hallway|cell|dungeon|church|cathedral|chapel|temple|house|cottage|cabin|hut|shop|"
    r"apartment|flat|lab|laboratory|interior|indoors?|inside|stairwell|attic|cellar|vault|crypt|barn|"
    r"tent|theatre|theater|warehouse|station|car\b|train|ship's|cockpit|bridge of"
)
_EXTERIOR = (
    r"harbou?r|docks?|quay|pier|port|street|alley|road|lane|forest|woods?|jungle|field|meadow|farm|"
    r"cliffs?|courtyard|battlements|ramparts|walls? of|beach|shore|coast|sea|ocean|mountains?|hills?|"
    r"desert|dunes?|garden|market|square|plaza|rooftops?|bridge|village|city|town|park|plains?|lake|"
    r"river|valley|canyon|moor|heath|graveyard|cemetery|ruins|camp|exterior|outdoors?|outside|"
    r"skyline|highway|parking|yard|orchard|swamp|marsh|glade|clearing|snowfield|tundra|"
    r"ship'?s? (?:wheel|helm)|helm\b|deck\b|mast\b|rigging"  # a ship's open deck: "at the ship's wheel"
)
_GRASS, _STONE, _SAND, _WOOD = (0.22, 0.36, 0.16), (0.46, 0.45, 0.43), (0.76, 0.68, 0.5), (0.42, 0.3, 0.2)
_FLOORS: tuple[tuple[str, RGB], ...] = (
    (
        r"forest|woods?|jungle|field|meadow|farm|garden|park|hills?|valley|moor|heath|orchard|glade|clearing|plains?|graveyard|cemetery",
        _GRASS,
    ),
    (r"beach|shore|coast|desert|dunes?", _SAND),
    (r"harbou?r|docks?|quay|pier|deck|tavern|inn|cabin|barn|attic", _WOOD),
    (r"snow|ice|tundra|frozen", (0.85, 0.87, 0.9)),
)


# Places the set kit builds (tools/blender/set_kit.py), by the words that name them.
PLACES: tuple[tuple[str, Part], ...] = (
    (r"streets?|alley(?:way)?s?|road|lane|avenue|boulevard|high street", "street"),
    (r"harbou?rs?|docks?|dockside|quay(?:side)?|piers?|wharf|marina|port", "harbour"),
    (r"forests?|woods?|woodland|jungle|grove|glade|clearing|thicket", "forest"),
    (r"rooftops?|roofs?", "rooftop"),
    (r"bridge(?! of)", "bridge"),
    (r"(?:the|a|an|old|stone|village|wishing) well(?!-)", "well"),
    (r"taverns?|inns?|pubs?|alehouse|saloon|tap ?room", "tavern"),
    (r"corridors?|hallways?|passage(?:way)?s?", "corridor"),
    (r"beach(?:es)?|shore(?:line)?|seaside|coast(?:line)?|sands", "beach"),
)


@dataclass(frozen=True)
class CastMember:
    """What the canon says a character looks like: the words a costume colour or prop comes from."""

    name: str
    description: str = ""
    costume: str = ""


def cast_member(character: object) -> CastMember:
    """A canon character (memory Character, a continuity pack's CharacterInShot) or a bare name."""
    if isinstance(character, CastMember):
        return character
    if isinstance(character, str):
        return CastMember(character)
    costume = getattr(character, "costume", "") or ""
    costumes = getattr(character, "costumes", None)
    if not costume and isinstance(costumes, dict):
        costume = str(costumes.get("default", "") or next(iter(costumes.values()), ""))
    palette = getattr(character, "palette", None) or []
    description = str(getattr(character, "description", "") or "")
    if palette and not _colour_in(description):
        description = f"{description}, in {' '.join(map(str, palette))}".strip(", ")
    return CastMember(str(getattr(character, "name", "")), description, str(costume))


def blocking_for(
    spec: ShotSpec,
    cast: Iterable[object] = (),
    width: int = 1024,
    height: int = 576,
    text: str = "",
) -> Blocking:
    """The 3D blocking for one version: ``spec`` its reading, ``cast`` the canon's characters (who
    wears what), ``text`` its prompt (a revision's "make her cloak red" is there), size its frame."""
    cast = list(cast)
    known: dict[str, CastMember] = {}
    for member in map(cast_member, cast):  # the first word on a character wins (the scene's costume)
        if member.name:
            known.setdefault(member.name.lower(), member)
    text = without_canon(text, cast)
    names = list(dict.fromkeys(spec.characters))
    size = shot_size_of(spec.shot_size, len(names))
    figures = _figures(names, known, text, size)
    camera = _camera(spec, size, names, text)
    if camera.angle == "ots" and len(figures) == 1:  # a shoulder to look over: a stand-in's
        figures.append(Figure("", costume=STAND_IN, position="right"))
    words = " ".join((spec.setting, text))
    weather = weather_of(spec.weather, words)
    return Blocking(
        camera=camera,
        figures=tuple(figures),
        set=set_for(spec.setting, text, weather),
        time_of_day=spec.time_of_day or "day",
        fog=fog_of(spec.weather, words),
        lighting=lighting_of(spec.lighting, words),
        weather=weather,
        framed_thing="" if figures and figures[0].name else spec.subject,
        width=width,
        height=height,
    )


def _camera(spec: ShotSpec, size: ShotSize, names: Sequence[str], text: str) -> Camera:
    """Size, lens, angle and dutch as read; who is framed: the one named, or the group (a
    two-shot frames both); OTS/POV: whose shoulder or eyes, and the one looked at."""
    angle = ANGLE_OF.get(spec.angle or "", "eye")
    viewer = viewer_of(text, names) if angle in ("ots", "pov") else None
    subject: str | None = names[0] if len(names) == 1 else None
    if angle in ("ots", "pov") and len(names) > 1:
        subject = next(n for n in names if n != viewer)
        viewer = viewer or next(n for n in reversed(names) if n != subject)
    return Camera(
        shot_size=size,
        lens_mm=float(spec.lens_mm or 35),
        angle=angle,  # type: ignore[arg-type]
        dutch_deg=DUTCH_DEG if spec.angle == "dutch" else 0.0,
        subject=subject,
        viewer=viewer,
        move=spec.camera_move or "static",  # the ShotSpec's moves are the blocking's (tools/camera_move.py)
    )


def without_canon(text: str, cast: Iterable[object]) -> str:
    """The prompt without the canon's own words about the cast ("Rook: …, wearing silver armour",
    as the continuity pack adds them): those are the cast's, already read from the canon; read as
    the direction's, their colours landed on the shot's subject. Every capability's prompt carries
    them (a revision's, an extension's, an upscale's parent's), so they go here, once. A swap
    renames the cast in the prompt, so each description is taken out under every cast name."""
    fragments: list[str] = []
    people = [(str(getattr(c, "name", "")), str(getattr(c, "description", ""))) for c in cast]
    names = [name for name, _ in people if name]
    for character, (_, description) in zip(cast, people, strict=True):
        if not description:
            continue
        costumes = dict(getattr(character, "costumes", None) or {})
        worn = [str(getattr(character, "costume", "") or ""), *map(str, costumes.values())]
        for name in names:  # under any cast name: a swap renamed "Maya: …" to "Rook: …" in the prompt
            fragments += [canon_fragment(name, description, costume) for costume in worn if costume]
            fragments.append(canon_fragment(name, description))
    for fragment in sorted(set(fragments), key=len, reverse=True):  # "…, wearing X" before its stem
        text = text.replace(fragment, "")
    return text


def shot_size_of(said: str | None, people: int = 1) -> ShotSize:
    """ECU…EWS as said, an alias mapped to the nearest, or a default for how many are in it."""
    if said:
        upper = said.strip().upper()
        if upper in SHOT_SIZES:
            return upper  # type: ignore[return-value]
        if upper in SIZE_ALIASES:
            return SIZE_ALIASES[upper]
    return "MWS" if people > 1 else "MS"


def colour_of(words: str, garment_only: bool = False) -> RGB | None:
    """The costume colour ``words`` name: the colour nearest a garment word, else (unless
    ``garment_only``) the first colour word."""
    found = _colour_in(words)
    if not found:
        return None
    garments = [m.start() for m in re.finditer(rf"\b(?:{GARMENTS})\b", words, re.I)]
    if garments:
        best = min(found, key=lambda f: min(abs(f[0] - g) for g in garments))
        return best[1]
    return None if garment_only else found[0][1]


def _colour_in(words: str) -> list[tuple[int, RGB]]:
    pattern = r"\b(" + "|".join(sorted(COLOURS, key=len, reverse=True)) + r")(?:-ish)?\b"
    return [(m.start(), COLOURS[m.group(1).lower()]) for m in re.finditer(pattern, words, re.I)]


def prop_of(words: str) -> str | None:
    for pattern, prop in PROP_WORDS:
        if re.search(rf"\b(?:{pattern})\b", words, re.I):
            return prop
    return None


def _figures(names: Sequence[str], known: dict[str, CastMember], text: str, size: ShotSize) -> list[Figure]:
    if not names:
        if size in ("WS", "EWS"):
            return []
        return [Figure("", costume=STAND_IN, position="centre")]  # a stand-in for the subject
    spots = SPREAD.get(len(names), SPREAD[4] + ("foreground",) * (len(names) - 4))
    clauses = _attributed(text, names)
    look_at = looks(text, names)
    figures = []
    for index, name in enumerate(names):
        member = known.get(name.lower(), CastMember(name))
        costume = colour_of(member.costume) or colour_of(member.description, garment_only=True)
        prop = prop_of(member.costume) or prop_of(member.description)
        pose: Pose = "standing"
        facing: Facing = "camera"
        for owner, clause in clauses:  # the prompt, in order: a later revision wins over the canon
            if owner != index:
                continue
            costume = colour_of(clause, garment_only=True) or costume
            prop = prop_of(clause) or prop
            pose = pose_of(clause) or pose
            facing = facing_of(clause) or facing
        figures.append(
            Figure(
                name=name,
                costume=costume or name_colour(name),
                position=spots[index],
                prop=prop,
                pose=pose,
                facing=facing,
                look_at=look_at.get(name) if facing != "away" else None,
            )
        )
    return figures


def _attributed(text: str, names: Sequence[str]) -> list[tuple[int, str]]:
    """The prompt in pieces, each with the figure it speaks of: split into clauses, and a clause
    naming several split at each name ("Maya's POV: Rook kneels" → Maya's, Rook kneels), the
    words before the first name going with it. A clause naming no one is the subject's (a pronoun
    or a bare "the cloak" means the one the shot is on)."""
    pieces: list[tuple[int, str]] = []
    if not names:
        return pieces
    name_re = re.compile(
        r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I
    )
    lowered = [n.lower() for n in names]
    for clause in re.split(r"[,;.!?]|\band\b|\bbut\b", text):
        if not clause.strip():
            continue
        mentions = list(name_re.finditer(clause))
        if not mentions:
            pieces.append((0, clause))
            continue
        for i, mention in enumerate(mentions):
            start = 0 if i == 0 else mention.start()
            end = mentions[i + 1].start() if i + 1 < len(mentions) else len(clause)
            pieces.append((lowered.index(mention.group(0).lower()), clause[start:end]))
    return pieces


def set_for(setting: str, text: str = "", weather: Sequence[str] | None = None) -> SetDressing:
    """Interior or exterior and the kit parts the setting's words call for. ``weather``: what
    :func:`weather_of` draws in the air (read from ``text`` when not given); with no place said, rain,
    snow or a storm falls on people outside."""
    words = f"{setting} {text}"
    said_ext = re.search(r"\bEXT\b\.?|\b(?i:exterior)\b", text)
    said_int = re.search(r"\bINT\b\.?|\b(?i:interior)\b", text)
    inside = _last(_INTERIOR, setting)
    outside = _last(_EXTERIOR, setting)
    if said_ext or said_int:
        interior = bool(said_int) and not said_ext
    elif inside is not None or outside is not None:  # the head word decides: "harbour master's office"
        interior = outside is None or (inside is not None and inside > outside)
    else:
        falling = weather_of((), text) if weather is None else weather
        interior = _first(_EXTERIOR, text) is None and not falling  # nothing said of the place: a plain room
    parts: list[Part] = ["floor"] + (["walls"] if interior else [])
    if re.search(r"\bthrone\b", words, re.I):
        parts += ["throne", "doorway"]
    if re.search(r"\b(?:kitchen|tavern|inn|pub|bar|dining|table|desk|feast|banquet)\b", words, re.I):
        parts.append("table")
    if re.search(r"\b(?:tower|stairs?|staircase|stairwell|steps)\b", words, re.I):
        parts.append("stairs")
    parts += [part for pattern, part in PLACES if re.search(rf"\b(?:{pattern})\b", words, re.I)]
    if re.search(r"\bwindows?\b", words, re.I):
        parts.append("window")
    if re.search(r"\b(?:door|doorway|gate|threshold|entrance)\b", words, re.I) and "doorway" not in parts:
        parts.append("doorway")
    floor = next((c for p, c in _FLOORS if re.search(rf"\b(?:{p})\b", setting or text, re.I)), None)
    default = SetDressing()
    return SetDressing(
        interior=interior,
        parts=tuple(dict.fromkeys(parts)),
        floor=floor or (default.floor if interior else _STONE),
        place=setting,
        walls=default.walls,
    )


def _last(pattern: str, words: str) -> int | None:
    found = [m.start() for m in re.finditer(rf"\b(?:{pattern})", words, re.I)]
    return found[-1] if found else None


def _first(pattern: str, words: str) -> int | None:
    match = re.search(rf"\b(?:{pattern})", words, re.I)
    return match.start() if match else None


# The spec's lighting words (agents/reading/shot.py) and a few said otherwise → what the previz draws.
LIGHT_OF: tuple[tuple[str, str], ...] = (
    (r"torch\w*|fire[\s-]*(?:light|lit)|firelight|braziers?|flames?", "torchlight"),
    (r"candle\w*|lamp[\s-]*(?:light|lit)|lamplight|practicals?|oil lamps?", "candlelight"),
    (r"moon[\s-]*(?:light|lit)|moonlight|moonlit", "moonlight"),
    (r"back[\s-]*(?:lit|light|lighting)|backlit|contre[\s-]*jour", "backlit"),
    (r"silhouett\w*", "silhouette"),
    (r"rim[\s-]*(?:light|lit)", "rim light"),
    (r"low[\s-]*key|chiaroscuro|noir", "low key"),
    (r"high[\s-]*key", "high key"),
    (r"neon", "neon"),
    (r"(?:hard|harsh)[\s-]*(?:light|sun)|hard light", "hard light"),
)
WEATHER_OF: tuple[tuple[str, str], ...] = (
    (r"rain(?!coat|bow)\w*|downpour|drizzl\w*", "rain"),  # a raincoat or a rainbow is no rain
    (r"snow\w*|blizzard", "snow"),
    (r"storm\w*|thunder\w*", "storm"),
)


def lighting_of(lighting: Sequence[str], words: str = "") -> tuple[str, ...]:
    """The lights the previz draws, from the spec's lighting and the prompt's words."""
    said = " ".join(lighting) + " " + words
    return tuple(light for pattern, light in LIGHT_OF if re.search(rf"\b(?:{pattern})\b", said, re.I))


def weather_of(weather: Sequence[str], words: str = "") -> tuple[str, ...]:
    """Rain, snow or a storm, drawn in the air (fog is :func:`fog_of`'s)."""
    said = " ".join(weather) + " " + words
    return tuple(w for pattern, w in WEATHER_OF if re.search(rf"\b(?:{pattern})\b", said, re.I))


def fog_of(weather: Sequence[str], words: str = "") -> float:
    """Fog, mist or haze thicken the air; a storm or rain greys it a little."""
    said = " ".join(weather) + " " + words
    if re.search(r"\b(?:thick|dense|heavy)\s+(?:fog|mist)|pea[\s-]*souper\b", said, re.I):
        return 0.8
    if re.search(r"\b(?:fog\w*|mist\w*|smog)\b", said, re.I):
        return 0.5
    if re.search(r"\b(?:haz[ey]\w*|smok[ey]\w*|dust\w*)\b", said, re.I):
        return 0.3
    if re.search(r"\b(?:storm\w*|rain\w*|drizzle|snow\w*)\b", said, re.I):
        return 0.15
    return 0.0
