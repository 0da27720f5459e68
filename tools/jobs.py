"""The generation job queue: a few GPU workers, shared fairly between directors.

Generation is slow and the GPU is scarce, so shots wait their turn here. The order is fair
rather than first-come: each user's jobs run in the order they were sent, but users take turns,
so one director who queues ten shots cannot starve another who queues one. Every change a user
could be shown ("queued, 2 ahead of you", "step 12/30", done, failed, cancelled) is a
``JobEvent``. A job is any callable taking a ``JobControl``; this module knows nothing of Slack,
diffusers or the agent.

Fairness is start-time fair queuing with unit-cost jobs: a user's k-th waiting job gets the tag
``max(now, user's next turn) + k``, where ``now`` is the tag of the job last started; the
smallest tag runs next, earliest submission first among equals. Tags are recomputed from the
queue rather than stored, so cancelling a waiting job moves that user's later jobs up.

A job may also wait its turn for something outside the queue (``ready``): the jobs of one
Slack thread run in the order they were asked, so a revision waits until the one before it has
made its version. A job that isn't ready is passed over, never blocks the others; call
``poke()`` when what it waits for may have changed.

Events are delivered synchronously, in the order they happened, on the thread that caused them
(usually a worker). Listeners should be quick — hand Slack calls to another thread or coalesce
progress — and must never wait on a job.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from tools.engine import GenerationCancelled, Progress

log = logging.getLogger(__name__)

T = TypeVar("T")
JobState = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: frozenset[str] = frozenset({"done", "failed", "cancelled"})


class QueueFull(RuntimeError):
    """The user already has as many shots waiting or running as one person may."""


class QueueClosed(RuntimeError):
    """The queue is shutting down and takes no new jobs."""


@dataclass(frozen=True)
class JobEvent:
    """One change to a job worth showing: its state, place in line, progress or error."""

    job_id: str
    state: JobState
    position: int | None = None
    progress: Progress | None = None
    error: str | None = None


EventCallback = Callable[[JobEvent], None]
Readiness = Callable[[], bool]
READY_POLL_SECONDS = 0.5  # how often a waiting worker looks again at jobs that weren't ready

_current_job: ContextVar[Job | None] = ContextVar("slate_current_job", default=None)


def cancel_requested() -> bool:
    """Whether the job running on this thread was cancelled: for work that waits on something
    other than ``JobControl.report`` (a remote worker, say) and must stop at once."""
    job = _current_job.get()
    return job is not None and job.cancel_requested


class Job(Generic[T]):
    """A handle on one submitted piece of work; the queue updates it, callers read and wait."""

    def __init__(
        self,
        queue: JobQueue,
        user: str,
        work: Callable[[JobControl], T],
        label: str,
        on_event: EventCallback | None,
        ready: Readiness | None = None,
        lane: tuple[str, str] | None = None,
    ) -> None:
        self.id: str = uuid.uuid4().hex[:12]
        self.user = user
        self.label = label
        self.state: JobState = "queued"
        self.result: T | None = None
        self.error: BaseException | None = None
        self.progress: Progress | None = None
        self.cancel_requested = False
        self._queue = queue
        self._work = work
        self._on_event = on_event
        self._ready = ready
        self.lane = lane[0] if lane else None
        self.lane_order = lane[1] if lane else ""
        self._finished = threading.Event()
        self._announced_position: int | None = None

    def __repr__(self) -> str:
        return f"Job({self.id!r}, user={self.user!r}, label={self.label!r}, state={self.state!r})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def wait(self, timeout: float | None = None) -> T:
        """Block until the job ends; return its result or raise what ended it."""
        if not self._finished.wait(timeout):
            raise TimeoutError(f"Job {self.id} did not finish within {timeout}s.")
        if self.state == "cancelled":
            raise GenerationCancelled(f"{self.label or 'The job'} was cancelled.")
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]  # None only when the work returned None

    def cancel(self) -> bool:
        """Cancel this job; False if it had already finished."""
        return self._queue.cancel(self.id)


class JobControl:
    """What the work sees of its job: a way to report progress, which is also where it stops."""

    def __init__(self, queue: JobQueue, job: Job) -> None:
        self._queue = queue
        self._job = job

    @property
    def job_id(self) -> str:
        return self._job.id

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_requested

    def report(self, progress: Progress) -> None:
        """Emit a progress event; raise ``GenerationCancelled`` if the job was cancelled.

        Matches ``ProgressCallback``, so ``engine.generate(request, control.report)`` works.
        """
        self._queue._report(self._job, progress)


class JobQueue:
    """A bounded pool of worker threads running jobs in fair order, with progress and cancel."""

    def __init__(
        self, workers: int = 1, max_per_user: int = 4, on_event: EventCallback | None = None
    ) -> None:
        if workers < 1:
            raise ValueError(f"A job queue needs at least one worker, not {workers}.")
        if max_per_user < 1:
            raise ValueError(f"max_per_user must be at least 1, not {max_per_user}.")
        self.max_per_user = max_per_user
        self._on_event = on_event
        self._cond = threading.Condition()
        self._queued: dict[str, deque[Job]] = {}  # per user, in submission order
        self._running: dict[str, Job] = {}
        self._seq: dict[str, int] = {}  # job id -> submission number, the tie-break
        self._submitted = 0
        self._now = 0  # tag of the job started last
        self._next_turn: dict[str, int] = {}  # user -> tag after their last started job
        self._closed = False
        self._outbox: deque[tuple[Job, JobEvent]] = deque()
        self._emitting = threading.RLock()
        self._threads = [
            threading.Thread(target=self._work_loop, name=f"slate-job-worker-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> JobQueue:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    # -- what callers use ---------------------------------------------------------------------

    def submit(
        self,
        user: str,
        work: Callable[[JobControl], T],
        *,
        label: str = "",
        on_event: EventCallback | None = None,
        ready: Readiness | None = None,
        lane: tuple[str, str] | None = None,
    ) -> Job[T]:
        """Queue ``work`` for ``user``; raise ``QueueFull`` if they are at their limit.

        ``ready``: the job starts only once this returns True (checked as workers look for work).
        ``lane``: (name, order) — jobs of one lane (a Slack thread) run one at a time, by order.
        """
        job: Job[T] = Job(self, user, work, label, on_event, ready, lane)
        with self._cond:
            if self._closed:
                raise QueueClosed("Slate is shutting down and isn't taking new shots right now.")
            # Work waiting behind its own thread (a burst of notes on one shot) takes no one's turn
            # and is not counted: the limit is on what one person can run at once.
            waiting = [j for j in self._queued.get(user, ()) if j._ready is None or _is_ready(j)]
            active = len(waiting) + sum(j.user == user for j in self._running.values())
            if active >= self.max_per_user and (ready is None or ready()):
                shots = "shot" if self.max_per_user == 1 else "shots"
                raise QueueFull(
                    f"You already have {self.max_per_user} {shots} in the queue; "
                    "wait for one to finish or cancel one."
                )
            self._seq[job.id] = self._submitted
            self._submitted += 1
            self._queued.setdefault(user, deque()).append(job)
            self._announce_positions()
            self._cond.notify()
        self._flush()
        return job

    def poke(self) -> None:
        """Something a waiting job's ``ready`` depends on may have changed: look again."""
        with self._cond:
            self._cond.notify_all()

    def position(self, job: Job) -> int | None:
        """How many jobs will start before this one (0 = next); None unless it is queued."""
        with self._cond:
            order = self._order()
        return order.index(job) if job in order else None

    def pending(self) -> list[Job]:
        """The queued jobs, in the order they will start."""
        with self._cond:
            return self._order()

    def running(self) -> list[Job]:
        with self._cond:
            return list(self._running.values())

    def cancel(self, job_id: str) -> bool:
        """Drop a queued job now, or stop a running one at its next progress report.

        False if no such job is queued or running (finished, or never existed).
        """
        with self._cond:
            if job_id in self._running:
                self._running[job_id].cancel_requested = True
                return True
            job = next((j for jobs in self._queued.values() for j in jobs if j.id == job_id), None)
            if job is None:
                return False
            self._drop_queued(job)
            self._announce_positions()
        self._flush()
        job._finished.set()
        return True

    def shutdown(self, wait: bool = True, cancel_pending: bool = True, cancel_running: bool = False) -> None:
        """Stop taking jobs; cancel the queued ones (or let them run) and optionally the running.

        With ``wait``, return once every worker has stopped.
        """
        dropped: list[Job] = []
        with self._cond:
            self._closed = True
            if cancel_pending:
                dropped = self._order()
                for job in dropped:
                    self._drop_queued(job)
                self._announce_positions()
            if cancel_running:
                for job in self._running.values():
                    job.cancel_requested = True
            self._cond.notify_all()
        self._flush()
        for job in dropped:
            job._finished.set()
        if wait:
            for thread in self._threads:
                if thread is not threading.current_thread():
                    thread.join()

    # -- order and events (call with the lock held) -------------------------------------------

    def _order(self) -> list[Job]:
        keyed: list[tuple[int, int, Job]] = []
        for user, jobs in self._queued.items():
            turn = max(self._now, self._next_turn.get(user, 0))
            keyed.extend((turn + k, self._seq[job.id], job) for k, job in enumerate(jobs))
        keyed.sort(key=lambda entry: entry[:2])
        return [job for _, _, job in keyed]

    def _tag(self, job: Job) -> int:
        turn = max(self._now, self._next_turn.get(job.user, 0))
        return turn + self._queued[job.user].index(job)

    def _announce_positions(self) -> None:
        """Queue a ``queued`` event for every waiting job whose place in line changed."""
        for position, job in enumerate(self._order()):
            if job._announced_position != position:
                job._announced_position = position
                self._post(job, "queued", position=position)

    def _drop_queued(self, job: Job) -> None:
        jobs = self._queued[job.user]
        jobs.remove(job)
        if not jobs:
            del self._queued[job.user]
        del self._seq[job.id]
        job.state = "cancelled"
        self._post(job, "cancelled")

    def _post(
        self,
        job: Job,
        state: JobState,
        position: int | None = None,
        progress: Progress | None = None,
        error: str | None = None,
    ) -> None:
        self._outbox.append((job, JobEvent(job.id, state, position, progress, error)))

    def _flush(self) -> None:
        """Deliver queued events in order; one thread at a time, re-entrant for listeners."""
        with self._emitting:
            while True:
                with self._cond:
                    if not self._outbox:
                        return
                    job, event = self._outbox.popleft()
                for listener in (self._on_event, job._on_event):
                    if listener is None:
                        continue
                    try:
                        listener(event)
                    except Exception:
                        log.exception("A job event listener failed on %s", event)

    # -- workers ------------------------------------------------------------------------------

    def _work_loop(self) -> None:
        while True:
            with self._cond:
                job = self._next_ready()
                while job is None and not (self._closed and not self._queued):
                    self._cond.wait(READY_POLL_SECONDS if self._queued else None)
                    job = self._next_ready()
                if job is None:
                    return
                self._start(job)
            self._flush()
            self._run(job)

    def _next_ready(self) -> Job | None:
        """The first job in fair order that may start now: one at a time per lane, and only the
        first waiting job of a lane is asked whether it is ready."""
        busy = {job.lane for job in self._running.values() if job.lane is not None}
        heads: dict[str, Job] = {}  # each lane's first job by its order
        for job in (j for jobs in self._queued.values() for j in jobs if j.lane is not None):
            if job.lane not in heads or job.lane_order < heads[job.lane].lane_order:
                heads[job.lane] = job  # type: ignore[index]
        for job in self._order():
            if job.lane is not None and (job.lane in busy or heads[job.lane] is not job):
                continue
            if job._ready is None or _is_ready(job):
                return job
        return None

    def _start(self, job: Job) -> None:
        tag = self._tag(job)
        self._now = tag
        self._next_turn[job.user] = tag + 1
        for user in [u for u, turn in self._next_turn.items() if turn <= self._now]:
            del self._next_turn[user]  # no credit left over: same as absent
        self._queued[job.user].remove(job)
        if not self._queued[job.user]:
            del self._queued[job.user]
        del self._seq[job.id]
        job.state = "running"
        job._announced_position = None
        self._running[job.id] = job
        self._post(job, "running")
        self._announce_positions()

    def _run(self, job: Job) -> None:
        token = _current_job.set(job)
        try:
            job.result = job._work(JobControl(self, job))
        except BaseException as exc:  # the worker must outlive whatever the work raises
            job.error = exc
        finally:
            _current_job.reset(token)
        with self._cond:
            del self._running[job.id]
            if job.cancel_requested or isinstance(job.error, GenerationCancelled):
                # Once cancel() said yes, nothing is delivered, even if the work had finished.
                job.state, job.result, job.error = "cancelled", None, None
                self._post(job, "cancelled", progress=job.progress)
            elif job.error is not None:
                job.state = "failed"
                log.error("Job %s (%s) failed", job.id, job.label, exc_info=job.error)
                message = str(job.error) or type(job.error).__name__
                self._post(job, "failed", progress=job.progress, error=message)
            else:
                job.state = "done"
                self._post(job, "done", progress=job.progress)
        self._flush()
        job._finished.set()

    def _report(self, job: Job, progress: Progress) -> None:
        with self._cond:
            if job.cancel_requested:
                raise GenerationCancelled(f"{job.label or 'The job'} was cancelled.")
            if job.state != "running" or progress == job.progress:
                return  # an unchanged step is not news
            job.progress = progress
            self._post(job, "running", progress=progress)
        self._flush()


def _is_ready(job: Job) -> bool:
    try:
        return bool(job._ready())  # type: ignore[misc]
    except Exception:
        log.exception("readiness check of %s failed; trying again later", job)
        return False
