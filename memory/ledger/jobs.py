"""The jobs book: the durable side of every piece of work, from Slack's delivery to its answer.

A job moves queued → running → done | failed | cancelled. The first write happens in the same
transaction that claims the Slack event, before Slack is acknowledged: a redelivery of an
event whose job exists is never taken on again, and a delivery that died before that write is
simply taken on. ``attempts`` counts starts, so start-up knows what to retry once and what to
give up on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from memory.ledger.models import Job
from memory.ledger.store import Ledger, ThreadRef

FINISHED = ("done", "failed", "cancelled")
# The job for a Slack event, unless its event id has one already; built once, run with each job's values.
CLAIM = sqlite_insert(Job.__table__).on_conflict_do_nothing(index_elements=["event_id"]).returning(Job.id)


class JobBook:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def claim(
        self, event_id: str, thread: ThreadRef, user_id: str, text: str, payload: dict[str, Any]
    ) -> Job | None:
        """The new job for this event, or None when the event was already taken on.

        One statement: the jobs table's unique ``event_id`` is the claim. Slack's acknowledgement
        waits on this write, so it skips the ORM's unit of work (7 of its 10 ms here)."""
        values = self._values(thread, user_id, text, payload, event_id)
        with self.ledger.transaction() as session:
            job_id = session.connection().execute(CLAIM, values).scalar()
        return None if job_id is None else Job(id=job_id, **values)

    def create(self, thread: ThreadRef, user_id: str, text: str, payload: dict[str, Any]) -> Job:
        """A job with no Slack event behind it (a button, a command, a replay)."""
        with self.ledger.transaction() as session:
            return self._add(session, thread, user_id, text, payload, None)

    def get(self, job_id: int) -> Job | None:
        with self.ledger.reading() as session:
            return session.get(Job, job_id)

    def set_placeholder(self, job_id: int, ts: str) -> None:
        """One statement (no ORM load): every mention writes this in the process that acks Slack."""
        with self.ledger.transaction() as session:
            session.connection().execute(
                update(Job.__table__)
                .where(Job.id == job_id)
                .values(placeholder_ts=ts, updated_at=datetime.now(UTC))
            )

    def set_files(self, job_id: int, files: dict[int, str]) -> None:
        """The Slack files showing the job's versions, so their message can be rebuilt and found."""
        with self.ledger.transaction() as session:
            job = session.get_one(Job, job_id)
            job.files = {**job.files, **{str(k): v for k, v in files.items()}}

    def showing(self, channel_id: str, thread_ts: str, version_id: int) -> Job | None:
        """The job whose message shows ``version_id`` in that thread (its placeholder became it)."""
        with self.ledger.reading() as session:
            jobs = session.scalars(
                select(Job).where(Job.channel_id == channel_id, Job.thread_ts == thread_ts).order_by(Job.id)
            )
            return next((j for j in jobs if str(version_id) in j.files and j.placeholder_ts), None)

    def files_in(self, channel_id: str) -> dict[int, str]:
        """Every version shown in this channel and the Slack file showing it (App Home's thumbnails)."""
        with self.ledger.reading() as session:
            rows = session.scalars(select(Job.files).where(Job.channel_id == channel_id))
            return {int(version): file for files in rows for version, file in (files or {}).items()}

    def start(self, job_id: int) -> Job | None:
        """Mark a job running and count the attempt; None when it has already ended."""
        with self.ledger.transaction() as session:
            job = session.get(Job, job_id)
            if job is None or job.state in FINISHED:
                return None
            job.state, job.attempts = "running", job.attempts + 1
            return job

    def finish(self, job_id: int, state: str, reply: str = "", error: str = "") -> None:
        if state not in FINISHED:
            raise ValueError(f"a job ends as one of {FINISHED}, not {state!r}")
        with self.ledger.transaction() as session:
            job = session.get_one(Job, job_id)
            job.state, job.reply, job.error = state, reply[:40000], error[:4000]

    def unfinished(self, before: datetime | None = None) -> list[Job]:
        """Jobs a previous process left queued or running (written before ``before``), oldest first."""
        query = select(Job).where(Job.state.not_in(FINISHED)).order_by(Job.id)
        if before is not None:
            query = query.where(Job.created_at < before)
        with self.ledger.reading() as session:
            return list(session.scalars(query))

    def earlier_unfinished(self, job_id: int) -> bool:
        """Whether a job asked earlier in the same thread is still to end: this one waits for it.

        "Earlier" is by the asking message's ``ts``: Slack delivers events concurrently, so the
        order they reach us in is not the order they were asked in."""
        job, other = Job.__table__.alias("job"), Job.__table__.c
        earlier = (other.ts < job.c.ts) | ((other.ts == job.c.ts) & (other.id < job.c.id))
        same_thread = (other.channel_id == job.c.channel_id) & (other.thread_ts == job.c.thread_ts)
        query = select(exists().where(job.c.id == job_id, same_thread, earlier, other.state.not_in(FINISHED)))
        with self.ledger.reading() as session:
            return bool(session.connection().execute(query).scalar())

    def exists_at(self, channel_id: str, ts: str) -> bool:
        """Whether the message at ``ts`` became a job (a thread's opening direction, say)."""
        with self.ledger.reading() as session:
            return bool(session.scalar(select(exists().where(Job.channel_id == channel_id, Job.ts == ts))))

    @staticmethod
    def _values(
        thread: ThreadRef, user_id: str, text: str, payload: dict[str, Any], event_id: str | None
    ) -> dict[str, Any]:
        """A new job's every column but its id, as written and as handed back."""
        now = datetime.now(UTC)
        return {
            "event_id": event_id,
            "team_id": thread.team_id,
            "channel_id": thread.channel_id,
            "thread_ts": thread.thread_ts,
            "ts": str(payload.get("ts", "")),
            "user_id": user_id,
            "text": text,
            "payload": payload,
            "placeholder_ts": None,
            "state": "queued",
            "attempts": 0,
            "version_ids": [],
            "files": {},
            "reply": "",
            "error": "",
            "created_at": now,
            "updated_at": now,
        }

    @classmethod
    def _add(
        cls,
        session: Session,
        thread: ThreadRef,
        user_id: str,
        text: str,
        payload: dict[str, Any],
        event_id: str | None,
    ) -> Job:
        job = Job(**cls._values(thread, user_id, text, payload, event_id))
        session.add(job)
        session.flush()
        return job
