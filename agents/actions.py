"""What a button under a version does: one capability on *that* version, nothing to read.

A button says exactly what it wants (vary v2 subtly, upscale v5), so no chat model is asked:
the action runs the desk capability on the version the button sits under, not the thread's
latest, through the same job queue, recording step and progress as a direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from agents.desk import ShotDesk, ShotOutcome
from agents.direction import Direction
from agents.reading.regions import find_region
from config.presets import AspectRatio
from tools.engine import GenerationError
from tools.jobs import EventCallback


@dataclass(frozen=True)
class ShotAction:
    kind: str  # a key of ACTIONS
    version_id: int
    aspect_ratio: str = ""  # extend
    region: str = ""  # vary_region, in words ("left third")
    change: str = ""  # vary_region: what the region shows instead


Run = Callable[[ShotDesk, Direction, ShotAction, int, EventCallback | None], list[ShotOutcome]]
Other = Callable[[ShotDesk, Direction, ShotAction, int], str]


def _vary(how: str) -> Run:
    return lambda desk, d, a, number, on: desk.vary(d, how, 1, on, from_version=number)


def _upscale(desk: ShotDesk, d: Direction, a: ShotAction, number: int, on: EventCallback | None):  # type: ignore[no-untyped-def]
    return desk.upscale(d, 2.0, on, from_version=number)


def _extend(desk: ShotDesk, d: Direction, a: ShotAction, number: int, on: EventCallback | None):  # type: ignore[no-untyped-def]
    if a.aspect_ratio not in get_args(AspectRatio):
        raise GenerationError(f"Extend to which aspect ratio? One of {', '.join(get_args(AspectRatio))}.")
    return desk.extend(d, a.aspect_ratio, on, from_version=number)


def _vary_region(desk: ShotDesk, d: Direction, a: ShotAction, number: int, on: EventCallback | None):  # type: ignore[no-untyped-def]
    found = find_region(a.region)
    if found is None:
        raise GenerationError(
            f"I don't know the region {a.region!r}: try left/centre/right third, a half, a corner, "
            "the sky, the foreground or the centre."
        )
    if not a.change.strip():
        raise GenerationError("Say what the region should show instead.")
    return desk.inpaint(d, found[0], a.change, on, from_version=number, region_said=found[1])


ACTIONS: dict[str, tuple[str, Run]] = {
    "vary_subtle": ("make a subtle variation", _vary("subtle")),
    "vary_strong": ("make a strong variation", _vary("strong")),
    "reroll": ("reroll", _vary("reroll")),
    "upscale": ("upscale", _upscale),
    "extend": ("extend the frame", _extend),
    "vary_region": ("repaint the region", _vary_region),
}


def _use_as_reference(desk: ShotDesk, d: Direction, a: ShotAction, number: int) -> str:
    """The version's frame becomes a reference still of a character or a look (``region`` names it:
    "character:Maya", "style:Noir")."""
    if desk.continuity is None:
        return "This Slate has no canon to add references to."
    kind, _, name = a.region.partition(":")
    if kind not in ("character", "style") or not name:
        return "Use it as a reference for which character or look?"
    version = desk.ledger.version(a.version_id)
    assert version is not None  # version_number found it
    canon = desk.continuity.canon
    try:
        canon.add_reference(
            version.shot.project_id,
            kind,
            name,
            desk.images.get(version.image_sha256),
            caption=f"Shot {version.shot.number} · v{number}",
            added_by=d.user_id,
        )
    except Exception as error:  # CanonError and image checks: say it, write nothing
        return f"Could not add it as a reference: {error}"
    label = "look" if kind == "style" else "character"
    return f"Shot {version.shot.number} · v{number} is now a reference still of the {label} {name}."


OTHER_ACTIONS: dict[str, Other] = {"use_as_reference": _use_as_reference}


def version_number(desk: ShotDesk, direction: Direction, version_id: int) -> int:
    """The button's version as a number in this thread's shot; refused if it is not this thread's."""
    version = desk.ledger.version(version_id)
    thread = direction.thread
    if version is None or (version.shot.channel_id, version.shot.thread_ts) != (
        thread.channel_id,
        thread.thread_ts,
    ):
        raise GenerationError("That version is not part of this thread's shot.")
    return version.number
