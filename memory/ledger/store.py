"""The Ledger: every write is one SQLite transaction taken with ``BEGIN IMMEDIATE``.

``BEGIN IMMEDIATE`` takes the write lock at the start, so two threads numbering versions
of the same shot serialise instead of racing to the same number; a failure anywhere in a
write rolls the whole of it back, so no version is ever half-recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from memory.ledger.migrate import add_missing_columns
from memory.ledger.models import Base, Job, Project, Shot, Version
from tools.engine import GenerationRecord


@dataclass(frozen=True)
class ThreadRef:
    """Where a shot lives in Slack: a team, a channel and the thread's parent ``ts``."""

    team_id: str
    channel_id: str
    thread_ts: str


@dataclass(frozen=True)
class NewVersion:
    thread: ThreadRef
    record: GenerationRecord
    image_sha256: str
    direction: str = ""
    title: str = ""
    is_previz: bool = False
    parent_id: int | None = None
    created_by: str = ""
    scene_sha256: str | None = None  # the .blend the frame was rendered from
    animatic_sha256: str | None = None  # the GIF of its camera move


BUSY_POLL_SECONDS = 0.0005
BUSY_GIVE_UP_SECONDS = 30.0


def _sqlite_engine(path: Path, begin: str = "BEGIN IMMEDIATE") -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A writer that finds the lock taken asks again every half millisecond (``_begin``) instead
    # of leaving it to SQLite's busy handler, whose sleeps grow to 100 ms: with the directing
    # process writing too, that sleep, not the work, was what Slack's acknowledgement waited on.
    timeout = 0.0 if begin == "BEGIN IMMEDIATE" else BUSY_GIVE_UP_SECONDS
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        _begin(connection, begin)

    return engine


def _begin(connection, begin: str) -> None:  # type: ignore[no-untyped-def]
    """Open the transaction, waiting in short steps while another process holds the write lock."""
    deadline = time.monotonic() + BUSY_GIVE_UP_SECONDS
    while True:
        try:
            connection.exec_driver_sql(begin)
            return
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(BUSY_POLL_SECONDS)


class Ledger:
    def __init__(self, path: Path) -> None:
        self.engine = _sqlite_engine(Path(path))
        Base.metadata.create_all(self.engine)
        add_missing_columns(self.engine, Base.metadata)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Reads take no write lock (WAL readers see a snapshot): a busy bot's lookups never queue
        # behind, or hold up, the writes that acknowledge Slack.
        self._reads = sessionmaker(_sqlite_engine(Path(path), begin="BEGIN"), expire_on_commit=False)
        # Writers of this process queue here rather than in SQLite's busy handler, which sleeps
        # in steps of up to 100 ms: under load that sleep, not the work, was the latency.
        self._writing = threading.RLock()
        self._project_ids: dict[tuple[str, str], int] = {}  # projects are never deleted: ids hold

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._writing, self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot; use ``transaction`` for anything that writes."""
        with self._reads.begin() as session:
            yield session

    # Projects and shots -------------------------------------------------------------

    def project(self, team_id: str, channel_id: str) -> Project:
        """The channel's project, made on first use. Read first: every button press and command
        asks for it, and only the first may take the write lock (mentions wait on that lock)."""
        with self.reading() as session:
            found = session.scalar(_project_of(team_id, channel_id))
        if found is not None:
            return found
        with self.transaction() as session:
            return self._project(session, team_id, channel_id)

    def project_id(self, team_id: str, channel_id: str) -> int:
        """The channel's project's id, remembered: every press, command and mention checks a
        role in it, in the process whose interpreter Slack's acknowledgements wait on."""
        key = (team_id, channel_id)
        if key not in self._project_ids:
            self._project_ids[key] = self.project(team_id, channel_id).id
        return self._project_ids[key]

    def set_project_model(self, team_id: str, channel_id: str, model: str | None) -> Project:
        """The model new shots in this channel use; None goes back to the configured default."""
        with self.transaction() as session:
            project = self._project(session, team_id, channel_id)
            project.default_model = model
            return project

    def set_project_defaults(
        self, team_id: str, channel_id: str, *, model: str | None, aspect: str | None, steps: int | None
    ) -> Project:
        """A project's settings for new shots (model, frame, steps); None: the configured default."""
        with self.transaction() as session:
            project = self._project(session, team_id, channel_id)
            project.default_model, project.default_aspect, project.default_steps = model, aspect, steps
            return project

    def project_by_id(self, project_id: int) -> Project:
        with self.reading() as session:
            return session.get_one(Project, project_id)

    def set_project_look(self, team_id: str, channel_id: str, look_key: str | None) -> Project:
        """The look new shots take when their direction names none (a look's folded name); None:
        no default."""
        with self.transaction() as session:
            project = self._project(session, team_id, channel_id)
            project.default_look = look_key
            return project

    def set_project_do_not_train(self, team_id: str, channel_id: str, do_not_train: bool) -> Project:
        """Whether the project's exported frames carry a C2PA do-not-train assertion."""
        with self.transaction() as session:
            project = self._project(session, team_id, channel_id)
            project.do_not_train = do_not_train
            return project

    def shot_for_thread(self, channel_id: str, thread_ts: str) -> Shot | None:
        with self.reading() as session:
            return session.scalar(
                select(Shot).where(Shot.channel_id == channel_id, Shot.thread_ts == thread_ts)
            )

    def shot_count(self, project_id: int) -> int:
        """How many shots the project has: they are numbered 1 to this."""
        with self.reading() as session:
            return session.scalar(select(func.count(Shot.id)).where(Shot.project_id == project_id)) or 0

    def shot_version(self, shot_id: int, number: int) -> Version | None:
        with self.reading() as session:
            return session.scalar(select(Version).where(Version.shot_id == shot_id, Version.number == number))

    def version(self, version_id: int) -> Version | None:
        with self.reading() as session:
            return session.get(Version, version_id)

    def latest_version(self, channel_id: str, thread_ts: str) -> Version | None:
        """The thread's current version: the one a revision in that thread starts from."""
        with self.reading() as session:
            return session.scalar(
                select(Version)
                .join(Shot)
                .where(Shot.channel_id == channel_id, Shot.thread_ts == thread_ts)
                .order_by(Version.number.desc())
                .limit(1)
            )

    def thread_directions(self, channel_id: str, thread_ts: str) -> list[str]:
        """What was asked in a thread so far, oldest first (one entry per recorded direction)."""
        with self.reading() as session:
            rows = session.scalars(
                select(Version.direction)
                .join(Shot)
                .where(Shot.channel_id == channel_id, Shot.thread_ts == thread_ts)
                .order_by(Version.number)
            )
            return list(dict.fromkeys(d for d in rows if d))

    def record_version(self, new: NewVersion) -> Version:
        return self.record_versions([new])[0]

    def record_versions(self, batch: list[NewVersion], job_id: int | None = None) -> list[Version]:
        """Add versions (and the shot, on a thread's first image) in one transaction: a batch
        of variations is recorded whole or not at all, and the job that made them (if any)
        knows them from the same commit on."""
        with self.transaction() as session:
            versions = [self._add_version(session, new) for new in batch]
            if job_id is not None:
                job = session.get_one(Job, job_id)
                job.version_ids = [*job.version_ids, *(v.id for v in versions)]
            return versions

    # Helpers (inside a transaction) -------------------------------------------------

    def _add_version(self, session: Session, new: NewVersion) -> Version:
        project = self._project(session, new.thread.team_id, new.thread.channel_id)
        shot = self._shot(session, project, new.thread, new.title)
        latest = session.scalar(select(func.max(Version.number)).where(Version.shot_id == shot.id))
        version = Version(
            shot_id=shot.id,
            number=(latest or 0) + 1,
            parent_id=new.parent_id,
            direction=new.direction,
            is_previz=new.is_previz,
            image_sha256=new.image_sha256,
            scene_sha256=new.scene_sha256,
            animatic_sha256=new.animatic_sha256,
            created_by=new.created_by,
            **asdict(new.record),  # every field of the generation record has its column
        )
        session.add(version)
        session.flush()
        version.shot = shot
        return version

    @staticmethod
    def _project(session: Session, team_id: str, channel_id: str) -> Project:
        project = session.scalar(_project_of(team_id, channel_id))
        if project is None:
            project = Project(team_id=team_id, channel_id=channel_id)
            session.add(project)
            session.flush()
        return project

    @staticmethod
    def _shot(session: Session, project: Project, thread: ThreadRef, title: str) -> Shot:
        shot = session.scalar(
            select(Shot).where(Shot.channel_id == thread.channel_id, Shot.thread_ts == thread.thread_ts)
        )
        if shot is None:
            number = (
                session.scalar(select(func.max(Shot.number)).where(Shot.project_id == project.id)) or 0
            ) + 1
            shot = Shot(
                project_id=project.id,
                number=number,
                title=title[:300],
                channel_id=thread.channel_id,
                thread_ts=thread.thread_ts,
            )
            session.add(shot)
            session.flush()
        return shot


def _project_of(team_id: str, channel_id: str):  # type: ignore[no-untyped-def]
    """The query for a channel's project."""
    return select(Project).where(Project.team_id == team_id, Project.channel_id == channel_id)
