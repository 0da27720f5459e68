"""Coverage: the shot list a director would propose for a scene, in edit order.

Each heading opens on an establishing shot (exterior) or a master (interior) that plays the
first action. Dialogue is covered by over-the-shoulder pairs where two people face each other
and both speak more than once, then by singles, tighter as the scene goes on; every on-screen
speaker gets at least one single. Props the action names get inserts; an action paragraph
that names one character just after a line is their reaction; a character on the move gets a
tracking shot; a montage beat is a handheld shot of its own. Off-screen lines (V.O.) play on
whoever hears them. Durations follow ``shots.duration``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.script.cast import named_in
from agents.script.props import props_in
from agents.script.scene import Action, CastMember, Line, Scene, titled
from agents.script.shots import LENS_FOR, BoardShot, duration

MOVING = re.compile(
    r"\b(?:runs?|running|sprints?|jumps?|leaps?|vaults?|races?|chases?|flees?|crosses|walks?|limps?|paces?|"
    r"pushes through|cuts? into|ducks?|drops?|climbs?|rolls?|drives?|arrives?|enters?|slips? in|hurries)\b",
    re.I,
)
PRONOUN = re.compile(r"^(?:He|She|They|His|Her|Their)\b")
MAX_INSERTS_PER_ACTION = 2


@dataclass
class _Cover:
    """The coverage being built: shots so far and what each speaker has had."""

    scene: Scene
    shots: list[BoardShot] = field(default_factory=list)
    spoke: dict[str, int] = field(default_factory=dict)  # lines said so far, by speaker
    singled: set[str] = field(default_factory=set)
    shown_props: set[str] = field(default_factory=set)
    last_speaker: str | None = None

    def add(self, shot: BoardShot) -> None:
        self.shots.append(shot)


def propose(scene: Scene) -> list[BoardShot]:
    """The board's shots for ``scene``, in edit order."""
    cover = _Cover(scene)
    opened: set[int] = set()
    for event in _events(scene):
        heading = event.heading
        if heading not in opened:
            opened.add(heading)
            first = event if isinstance(event, Action) else None
            cover.add(_opening(scene, heading, first, len(opened) == 1))
            if first is not None:
                _inserts(cover, first)
                continue
        if isinstance(event, Action):
            _action(cover, event)
        else:
            _line(cover, event)
    _singles_for_everyone(cover)
    return cover.shots


def _events(scene: Scene) -> list[Action | Line]:
    """Actions and lines in script order (an action knows the last line before it)."""
    events: list[Action | Line] = []
    actions = list(scene.actions)
    for line in scene.lines:
        while actions and (actions[0].after_line is None or actions[0].after_line < line.index):
            events.append(actions.pop(0))
        events.append(line)
    return events + actions


def _present(scene: Scene, heading: int) -> list[CastMember]:
    """Who is seen under a heading: named in its action or speaking there on screen."""
    seen = []
    for member in scene.cast:
        if member.off_screen:
            continue
        acts = any(a.heading == heading and named_in(a.text, member) for a in scene.actions)
        speaks = any(
            s.heading == heading and s.speaker == member.name and not s.off_screen for s in scene.lines
        )
        if acts or speaks:
            seen.append(member)
    return seen


def _label(scene: Scene, name: str) -> str:
    member = scene.member(name)
    return member.label if member else titled(name)


def _where(scene: Scene, heading: int) -> str:
    h = scene.headings[heading]
    return titled(h.location) + (f", {h.time_of_day}" if h.time_of_day else "")


def _opening(scene: Scene, heading: int, first: Action | None, is_first: bool) -> BoardShot:
    h = scene.headings[heading]
    cast = [m.label for m in _present(scene, heading) if first is None or named_in(first.text, m)]
    exterior = h.int_ext != "INT"
    size = "EWS" if exterior and is_first else "WS"
    move = (
        "crane"
        if exterior and is_first
        else ("tracking" if first and MOVING.search(first.text) else "static")
    )
    what = first.text if first is not None else f"the {h.location.lower()}"
    return BoardShot(
        size=size,
        angle="high" if exterior and is_first else "eye level",
        lens_mm=LENS_FOR[size],
        move=move,
        cast=cast,
        description=f"{'Establishing' if exterior else 'Master'}: {_where(scene, heading)}. {what}",
        duration_s=duration(0, [first.words] if first else []),
        kind="establishing" if exterior else "master",
        heading=heading,
    )


def _inserts(cover: _Cover, action: Action) -> int:
    people = {n.upper() for m in cover.scene.cast for n in (m.name, *m.aliases)}
    made = 0
    for prop in props_in(action.text, people):
        if prop in cover.shown_props or made >= MAX_INSERTS_PER_ACTION:
            continue
        cover.shown_props.add(prop)
        size = (
            "ECU"
            if len(prop.split()) == 1 and prop in {"key", "ring", "earbud", "coins", "stopwatch"}
            else "CU"
        )
        cover.add(
            BoardShot(
                size=size,
                lens_mm=LENS_FOR[size],
                description=f"Insert: the {prop}. {action.text}",
                kind="insert",
                heading=action.heading,
                props=[prop],
                duration_s=duration(0, []),
            )
        )
        made += 1
    return made


def _action(cover: _Cover, action: Action) -> None:
    scene = cover.scene
    named = [m for m in _present(scene, action.heading) if named_in(action.text, m)]
    if action.montage:
        cover.add(
            BoardShot(
                size="MWS" if MOVING.search(action.text) else "MS",
                lens_mm=35,
                move="handheld",
                cast=[m.label for m in named],
                description=f"Montage: {action.text}",
                duration_s=duration(0, [action.words]),
                kind="montage",
                heading=action.heading,
            )
        )
        _inserts(cover, action)
        return
    inserts = _inserts(cover, action)
    if not named and PRONOUN.match(action.text) and action.after_line is not None:
        named = _listener(cover, action)
    if MOVING.search(action.text) and named:
        shot = BoardShot(size="MWS", lens_mm=35, move="tracking", kind="action")
    elif len(named) == 1 and action.after_line is not None:
        shot = BoardShot(size="CU", lens_mm=85, kind="reaction")
    elif named or not inserts:
        shot = BoardShot(size="MS", lens_mm=35, kind="action")
    else:
        return  # the inserts carry it
    cover.add(
        shot.model_copy(
            update={
                "cast": [m.label for m in named],
                "description": f"{shot.kind.title()}: {action.text}",
                "duration_s": duration(0, [action.words]),
                "heading": action.heading,
            }
        )
    )


def _listener(cover: _Cover, action: Action) -> list[CastMember]:
    """Who "He doesn't look up" means: the one on screen who did not just speak."""
    present = _present(cover.scene, action.heading)
    others = [m for m in present if m.name != cover.last_speaker]
    return others[:1] or present[:1]


def _line(cover: _Cover, line: Line) -> None:
    scene = cover.scene
    previous = cover.shots[-1] if cover.shots else None
    said = f"{line.speaker}: {line.text}"
    member = scene.member(line.speaker)
    if line.dual and previous is not None and previous.lines:
        previous.cast.append(_label(scene, line.speaker))
        previous.lines.append(line.index)
        previous.dialogue.append(said)
        previous.size, previous.lens_mm, previous.kind = "MS", 35, "two-shot"
        previous.duration_s = max(previous.duration_s, duration(line.words, []))
        return
    if line.off_screen or member is None or member.off_screen:
        _heard(cover, line, said)
        return
    if (
        previous is not None
        and cover.last_speaker == line.speaker
        and previous.lines
        and previous.kind != "insert"
    ):
        previous.lines.append(line.index)
        previous.dialogue.append(said)
        previous.duration_s = duration(sum(scene.lines[i].words for i in previous.lines), [])
        return
    cover.last_speaker = line.speaker
    cover.spoke[line.speaker] = cover.spoke.get(line.speaker, 0) + 1
    partner = _partner(scene, line)
    speaker = _label(scene, line.speaker)
    many_lines = sum(1 for said in scene.lines if said.speaker == line.speaker) > 1
    share = line.index / max(1, len(scene.lines) - 1)
    if partner and cover.spoke[line.speaker] == 1 and many_lines and _speaks_often(scene, partner.name):
        shot = BoardShot(
            size="MCU",
            angle="OTS",
            lens_mm=50,
            cast=[speaker, partner.label],
            description=f"OTS over {partner.label}'s shoulder onto {speaker}",
            kind="OTS",
        )
    else:
        close = share >= 0.66 and len(scene.lines) >= 4
        last = line.index == len(scene.lines) - 1 and len(scene.lines) >= 4
        size = "CU" if close else "MCU"
        shot = BoardShot(
            size=size,
            lens_mm=LENS_FOR[size],
            move="push in" if last else "static",
            cast=[speaker],
            description=f"Single on {speaker}",
            kind="single",
        )
        cover.singled.add(line.speaker)
    aside = f" ({'; '.join(p.strip('()') for p in line.parentheticals)})" if line.parentheticals else ""
    cover.add(
        shot.model_copy(
            update={
                "lines": [line.index],
                "dialogue": [said],
                "description": f"{shot.description}{aside}: \u201c{line.text}\u201d",
                "duration_s": duration(line.words, []),
                "heading": line.heading,
            }
        )
    )


def _speaks_often(scene: Scene, name: str) -> bool:
    return sum(1 for said in scene.lines if said.speaker == name) > 1


def _partner(scene: Scene, line: Line) -> CastMember | None:
    """Whom a line is said to: the other on-screen speaker nearest it under the same heading."""
    nearby = sorted(scene.lines, key=lambda other: abs(other.index - line.index))
    for other in nearby:
        if other.speaker != line.speaker and other.heading == line.heading and not other.off_screen:
            member = scene.member(other.speaker)
            if member is not None and not member.off_screen:
                return member
    return None


def _heard(cover: _Cover, line: Line, said: str) -> None:
    """An off-screen line plays on whoever is there to hear it."""
    scene = cover.scene
    listeners = [m for m in _present(scene, line.heading) if m.name != line.speaker]
    cover.add(
        BoardShot(
            size="MCU" if listeners else "WS",
            lens_mm=50 if listeners else 24,
            cast=[m.label for m in listeners[:2]],
            lines=[line.index],
            dialogue=[said],
            description=f"{' and '.join(m.label for m in listeners[:2]) or 'The room'} "
            f"{'hears' if len(listeners[:2]) == 1 else 'hear'} "
            f"{_label(scene, line.speaker)} (off screen): \u201c{line.text}\u201d",
            duration_s=duration(line.words, []),
            kind="reaction",
            heading=line.heading,
        )
    )


def _singles_for_everyone(cover: _Cover) -> None:
    """A speaker covered only over a shoulder gets a clean single of their last OTS line too."""
    for member in cover.scene.speaking:
        if member.off_screen or member.name in cover.singled:
            continue
        ots = [
            i for i, s in enumerate(cover.shots) if s.kind == "OTS" and s.cast and s.cast[0] == member.label
        ]
        if not ots:
            continue
        at = ots[-1]
        source = cover.shots[at]
        half = max(2.0, round(source.duration_s) / 2)  # the line's time shared between the two
        source.duration_s = half
        cover.shots.insert(
            at + 1,
            source.model_copy(
                update={
                    "angle": "eye level",
                    "size": "CU",
                    "lens_mm": 85,
                    "cast": [member.label],
                    "kind": "single",
                    "description": f"Single on {member.label} (cut in from the OTS): {source.dialogue[0]}",
                    "duration_s": half,
                }
            ),
        )
        cover.singled.add(member.name)
