"""Drift scores: how well each version kept each character's face, kept for the project's record.

A version's scores are a measurement against the references of the day, so checking a version
again replaces its scores (in one transaction) rather than adding a second set.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import ForeignKey, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from memory.ledger.models import Approval, Base, Shot, Version
from memory.ledger.review import is_approved

if TYPE_CHECKING:
    from memory.drift import DriftReport
    from memory.ledger.store import Ledger


def _now() -> datetime:
    return datetime.now(UTC)


class DriftScore(Base):
    __tablename__ = "drift_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    character: Mapped[str] = mapped_column(String(100))
    score: Mapped[float]
    distance: Mapped[float | None]
    face_found: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)


class ConsistencyPoint(NamedTuple):
    shot: int
    version: int
    score: float


def record_drift(ledger: Ledger, version_id: int, report: DriftReport) -> list[DriftScore]:
    """Store one row per character of the report, replacing any earlier check of this version."""
    with ledger.transaction() as session:
        if session.get(Version, version_id) is None:
            raise LookupError(f"version {version_id} does not exist")
        session.execute(delete(DriftScore).where(DriftScore.version_id == version_id))
        rows = [
            DriftScore(
                version_id=version_id,
                character=character.name,
                score=character.score,
                distance=character.distance,
                face_found=character.face_found,
                note=character.note,
            )
            for character in report.characters
        ]
        session.add_all(rows)
        session.flush()
        return rows


def consistency_over_time(
    ledger: Ledger, project: int | str, character: str, include_missing: bool = False
) -> list[ConsistencyPoint]:
    """A character's scores across a project, in shot then version order.

    ``project`` is the project's id or its Slack channel id; ``character`` matches whatever
    case. Checks where the character's face wasn't in the frame score 0 and are left out,
    unless ``include_missing``.
    """
    query = (
        select(Shot.number, Version.number, DriftScore.score)
        .join(Version, DriftScore.version_id == Version.id)
        .join(Shot, Version.shot_id == Shot.id)
        .where(func.lower(DriftScore.character) == character.lower())
        .order_by(Shot.number, Version.number)
    )
    if isinstance(project, int):
        query = query.where(Shot.project_id == project)
    else:
        query = query.where(Shot.channel_id == project)
    if not include_missing:
        query = query.where(DriftScore.face_found.is_(True))
    with ledger.transaction() as session:
        return [ConsistencyPoint(*row) for row in session.execute(query)]


def last_approved_with(ledger: Ledger, project_id: int, character: str) -> Version | None:
    """The most recent approved version in which ``character``'s face was found."""
    with ledger.reading() as session:
        candidates = session.scalars(
            select(Version)
            .join(Shot)
            .join(DriftScore, DriftScore.version_id == Version.id)
            .join(Approval, Approval.version_id == Version.id)
            .where(
                Shot.project_id == project_id,
                func.lower(DriftScore.character) == character.lower(),
                DriftScore.face_found.is_(True),
                Approval.decision.in_(("approved", "final")),
            )
            .order_by(Approval.id.desc())
        )
        return next((v for v in candidates if is_approved(session, v.id)), None)
