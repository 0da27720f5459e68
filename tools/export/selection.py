"""Which version of which shot goes into an export, read from the ledger.

A shot goes in with its approved (or final) version; with ``include_pending`` a shot with
none goes in with its newest version still in review. An omitted shot never goes in. What
was left out is said, not silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memory.ledger import Ledger
from memory.ledger.models import Project, Shot, Version
from memory.ledger.review import APPROVED, FINAL, LABELS, OMITTED, rows_of, status_of
from tools.export.cut import Approval, Cut, ExportError, Take, scene_key

RECORD_FIELDS = (
    "prompt", "negative_prompt", "seed", "steps", "guidance", "width", "height", "model", "engine",
    "scheduler", "mode", "strength",
)  # fmt: skip
EDITORIAL = (APPROVED, FINAL)


def select_cut(
    ledger: Ledger,
    project_id: int,
    *,
    scene: str | None = None,
    shots: Iterable[int] | None = None,
    include_pending: bool = False,
    default_seconds: float = 3.0,
    fps: float = 24.0,
) -> Cut:
    """The project's (or one scene's, or some shots') takes in cut order; ``ExportError`` says
    why when there is nothing to hand over."""
    wanted = sorted(set(shots)) if shots is not None else None
    with ledger.reading() as session:
        project = session.get(Project, project_id)
        if project is None:
            raise ExportError("There is no such project.")
        found = _shots(session, project_id, scene, wanted)
        takes, left_out = [], []
        for shot in found:
            version, why = _chosen(session, shot, include_pending)
            if version is None:
                left_out.append(f"Shot {shot.number} ({why})")
                continue
            takes.append(_take(session, version, project.name or project.channel_id, default_seconds))
    scope = f"Scene {scene}" if scene else (_shots_scope(wanted) if wanted else "All shots")
    if not takes:
        hint = "; add `include pending` to export them anyway" if left_out and not include_pending else ""
        listed = f" ({', '.join(left_out)})" if left_out else ""
        raise ExportError(f"Nothing in {scope.lower()} is approved yet{listed}{hint}.")
    takes.sort(key=lambda t: (scene_key(t.scene), t.shot))
    name = project.name or project.channel_id
    return Cut(name, scope, tuple(takes), fps, tuple(left_out), bool(project.do_not_train))


def _shots(session: Session, project_id: int, scene: str | None, wanted: list[int] | None) -> list[Shot]:
    query = select(Shot).where(Shot.project_id == project_id).order_by(Shot.number)
    shots = list(session.scalars(query))
    if scene is not None:
        in_scene = [s for s in shots if (s.scene or "").strip().upper() == scene.strip().upper()]
        if not in_scene:
            known = sorted({s.scene for s in shots if s.scene}, key=scene_key)
            listed = f"scenes: {', '.join(known)}" if known else "no shot has a scene yet"
            raise ExportError(f"There is no scene {scene} in this project ({listed}).")
        shots = in_scene
    if wanted is not None:
        numbers = {s.number for s in shots}
        missing = [n for n in wanted if n not in numbers]
        if missing:
            raise ExportError(f"There is no shot {', '.join(map(str, missing))} in this project.")
        shots = [s for s in shots if s.number in wanted]
    return shots


def _chosen(session: Session, shot: Shot, include_pending: bool) -> tuple[Version | None, str]:
    """The version that represents the shot, or None and why not."""
    statuses = [(v, status_of(rows_of(session, v.id))) for v in shot.versions]
    approved = [v for v, s in statuses if s in EDITORIAL]
    if approved:
        return approved[-1], ""
    live = [(v, s) for v, s in statuses if s != OMITTED]
    if not live:
        return None, LABELS[OMITTED].lower()
    newest, status = live[-1]
    return (newest, "") if include_pending else (None, LABELS.get(status, status).lower())


def _take(session: Session, version: Version, project: str, default_seconds: float) -> Take:
    rows = rows_of(session, version.id)
    status = status_of(rows)
    approval = None
    if rows:
        last = rows[-1]
        approval = Approval(status, last.user_id, _iso(last.created_at), last.note)
    extra = version.extra or {}
    parent = session.get(Version, version.parent_id) if version.parent_id else None
    return Take(
        project=project,
        scene=version.shot.scene,
        shot=version.shot.number,
        title=version.shot.title,
        version=version.number,
        version_id=version.id,
        status=status,
        approval=approval,
        record={name: getattr(version, name) for name in RECORD_FIELDS},
        spec={k.removeprefix("spec_"): str(v) for k, v in extra.items() if k.startswith("spec_")},
        description=str(extra.get("description") or version.shot.title or version.direction),
        dialogue=tuple(str(line) for line in extra.get("dialogue") or ()),
        duration_s=_duration(extra.get("duration_s"), default_seconds),
        image_sha256=version.image_sha256,
        scene_sha256=version.scene_sha256,
        is_previz=version.is_previz,
        created_by=version.created_by,
        created_at=_iso(version.created_at),
        parent=_take(session, parent, project, default_seconds) if parent is not None else None,
    )


def _duration(recorded: object, default_seconds: float) -> float:
    """The record's length when it is a usable one, else the project's default."""
    try:
        seconds = float(recorded)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default_seconds
    return seconds if 0 < seconds < 3600 else default_seconds


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def _shots_scope(numbers: list[int]) -> str:
    return f"Shot {numbers[0]}" if len(numbers) == 1 else f"Shots {', '.join(map(str, numbers))}"
