"""The ledger's tables (SQLAlchemy 2 declarative).

A Project is one Slack channel. A Shot lives in one Slack thread and has numbered Versions;
each Version carries the full generation record so it can be regenerated, and points at
its parent when it is a revision. Approvals are append-only events: the audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    default_model: Mapped[str | None] = mapped_column(String(100))
    default_aspect: Mapped[str | None] = mapped_column(String(16))  # a new shot's frame when none is said
    default_steps: Mapped[int | None]  # denoising steps for new shots; None: the model's own
    default_look: Mapped[str | None] = mapped_column(String(100))  # a look's key, when a direction names none
    do_not_train: Mapped[bool] = mapped_column(default=False)  # exported frames ask not to be trained on
    created_at: Mapped[datetime] = mapped_column(default=_now)


class Character(Base):
    """A character of the project's canon: who they are, what they wear when, how they look."""

    __tablename__ = "characters"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100))  # the name folded for lookups: "Maya" == "maya"
    description: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[list[str]] = mapped_column(default=list)
    pronouns: Mapped[str] = mapped_column(String(32), default="")
    palette: Mapped[list[str]] = mapped_column(default=list)
    costumes: Mapped[dict[str, Any]] = mapped_column(default=dict)  # scene or story time -> costume
    lora_path: Mapped[str | None] = mapped_column(Text)
    lora_scale: Mapped[float] = mapped_column(default=0.8)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class Style(Base):
    """A named look: lens, grade, palette, grain, light and what to keep out."""

    __tablename__ = "styles"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    negative: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)


class ReferenceImage(Base):
    """A still that defines a character or a look; the image itself is in the content store."""

    __tablename__ = "reference_images"
    __table_args__ = (UniqueConstraint("owner_kind", "owner_id", "image_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    owner_kind: Mapped[str] = mapped_column(String(16))  # "character" or "style"
    owner_id: Mapped[int]
    image_sha256: Mapped[str] = mapped_column(String(64))
    caption: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)


class ContinuityFact(Base):
    """Something established in the story ("the sword broke in scene 14"), and where."""

    __tablename__ = "continuity_facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(100), default="")
    established_in: Mapped[str] = mapped_column(String(200), default="")
    added_by: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)


class ContinuityOverride(Base):
    """A director's decision to go against established continuity, kept for the record."""

    __tablename__ = "continuity_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(Text)
    issue: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=_now)


class Shot(Base):
    __tablename__ = "shots"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        UniqueConstraint("channel_id", "thread_ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    scene: Mapped[str | None] = mapped_column(String(32))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300), default="")
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=_now)

    versions: Mapped[list[Version]] = relationship(back_populates="shot", order_by="Version.number")


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("shot_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shot_id: Mapped[int] = mapped_column(ForeignKey("shots.id", ondelete="CASCADE"))
    number: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    direction: Mapped[str] = mapped_column(Text, default="")
    prompt: Mapped[str] = mapped_column(Text)
    negative_prompt: Mapped[str] = mapped_column(Text, default="")
    seed: Mapped[int]
    model: Mapped[str] = mapped_column(String(100))
    engine: Mapped[str] = mapped_column(String(32))
    scheduler: Mapped[str] = mapped_column(String(64), default="")
    mode: Mapped[str] = mapped_column(String(16), default="txt2img")
    strength: Mapped[float | None]
    steps: Mapped[int]
    guidance: Mapped[float]
    width: Mapped[int]
    height: Mapped[int]
    references: Mapped[list[str]] = mapped_column(default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_previz: Mapped[bool] = mapped_column(default=False)
    image_sha256: Mapped[str] = mapped_column(String(64))
    # The 3D scene the frame was rendered from (a Blender .blend in the image store), when there is one.
    scene_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    # The camera move's animatic (a GIF in the image store), when the shot has a move.
    animatic_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    created_by: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)

    shot: Mapped[Shot] = relationship(back_populates="versions", lazy="joined")
    approvals: Mapped[list[Approval]] = relationship(order_by="Approval.id", lazy="selectin")


class Approval(Base):
    """A review status change on a version: who, when, from, to (``decision``), and the note.
    Rows are only ever added, never changed: the version's status is its latest row."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str] = mapped_column(String(32), default="")
    decision: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)


class RoleGrant(Base):
    """Someone's role in a project (director, approver, artist, viewer), as granted and by whom.
    Appended, never changed: a person's role is their latest grant."""

    __tablename__ = "role_grants"
    __table_args__ = (Index("ix_role_grants_project_user", "project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=_now)


class Job(Base):
    """One piece of work a person asked for (a direction, later a button), kept until it ends.

    Written before Slack is acknowledged, so a process that dies mid-way finds it on start-up
    and finishes it or says what was lost. ``ts`` (the asking message's, as Slack numbers them)
    orders the jobs of a thread, whatever order Slack delivered them in.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_thread_state", "channel_id", "thread_ts", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32), default="")  # the asking message's ts: the thread's order
    user_id: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the Slack event, to take it on again
    placeholder_ts: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued running done failed cancelled
    attempts: Mapped[int] = mapped_column(default=0)
    version_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    files: Mapped[dict[str, Any]] = mapped_column(default=dict)  # version id -> Slack file id shown
    reply: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
