"""The job queue with real threads. Jobs are held running by ``threading.Event`` gates, never
sleeps, so every order and position asserted here is determined, not raced."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from tools.engine import GenerationCancelled, Progress
from tools.jobs import Job, JobControl, JobEvent, JobQueue, QueueClosed, QueueFull

TIMEOUT = 5.0  # only reached when a test is already failing


class Gate:
    """Work that holds its worker until released, so a test decides what is running."""

    def __init__(self, result: str = "held") -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.result = result

    def __call__(self, control: JobControl) -> str:
        self.started.set()
        assert self.release.wait(TIMEOUT), "gate never released"
        return self.result

    def hold(self) -> None:
        assert self.started.wait(TIMEOUT), "gated job never started"


class Events:
    """A listener that keeps every event, for asserting what the bot would have shown."""

    def __init__(self) -> None:
        self.seen: list[JobEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: JobEvent) -> None:
        with self._lock:
            self.seen.append(event)

    def of(self, job: Job) -> list[JobEvent]:
        with self._lock:
            return [event for event in self.seen if event.job_id == job.id]

    def positions(self, job: Job) -> list[int | None]:
        return [event.position for event in self.of(job) if event.state == "queued"]


def recorder(ran: list[str], name: str):
    def work(control: JobControl) -> str:
        ran.append(name)
        return name

    return work


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def queue(events: Events) -> Iterator[JobQueue]:
    jobs = JobQueue(on_event=events)
    yield jobs
    jobs.shutdown(cancel_running=True)


def test_jobs_of_one_user_run_in_submission_order(queue: JobQueue) -> None:
    ran: list[str] = []
    jobs = [queue.submit("ana", recorder(ran, f"shot {n}")) for n in range(1, 4)]
    assert [job.wait(TIMEOUT) for job in jobs] == ["shot 1", "shot 2", "shot 3"]
    assert ran == ["shot 1", "shot 2", "shot 3"]
    assert all(job.state == "done" for job in jobs)


def test_users_take_turns_so_one_cannot_starve_another(queue: JobQueue) -> None:
    ran: list[str] = []
    gate = Gate()
    first = queue.submit("ana", gate, label="a1")
    gate.hold()
    a2 = queue.submit("ana", recorder(ran, "a2"), label="a2")
    a3 = queue.submit("ana", recorder(ran, "a3"), label="a3")
    b1 = queue.submit("ben", recorder(ran, "b1"), label="b1")
    assert [job.label for job in queue.pending()] == ["b1", "a2", "a3"]
    gate.release.set()
    for job in (first, a2, a3, b1):
        job.wait(TIMEOUT)
    assert ran == ["b1", "a2", "a3"]


def test_turns_rotate_across_several_users(queue: JobQueue) -> None:
    gate = Gate()
    queue.submit("ana", gate, label="a1")
    gate.hold()
    for user, labels in (("ana", ["a2", "a3"]), ("ben", ["b1", "b2"]), ("cai", ["c1"])):
        for label in labels:
            queue.submit(user, recorder([], label), label=label)
    assert [job.label for job in queue.pending()] == ["b1", "c1", "a2", "b2", "a3"]
    gate.release.set()


def test_positions_are_reported_and_updated_as_the_line_moves(queue: JobQueue, events: Events) -> None:
    gate_a, gate_b = Gate(), Gate()
    a1 = queue.submit("ana", gate_a)
    gate_a.hold()
    a2 = queue.submit("ana", recorder([], "a2"))
    a3 = queue.submit("ana", recorder([], "a3"))
    assert (queue.position(a1), queue.position(a2), queue.position(a3)) == (None, 0, 1)

    b1 = queue.submit("ben", gate_b)  # ben hasn't had a turn: he goes ahead of ana's second shot
    assert (queue.position(b1), queue.position(a2), queue.position(a3)) == (0, 1, 2)

    gate_a.release.set()
    gate_b.hold()  # b1 started: everyone behind it moves up one
    assert (queue.position(b1), queue.position(a2), queue.position(a3)) == (None, 0, 1)
    assert events.positions(a2) == [0, 1, 0]
    assert events.positions(a3) == [1, 2, 1]
    assert events.positions(b1) == [0]

    gate_b.release.set()
    a3.wait(TIMEOUT)
    assert queue.position(a3) is None
    assert queue.pending() == []


def test_progress_events_follow_the_job_from_queued_to_done(queue: JobQueue) -> None:
    own = Events()

    def work(control: JobControl) -> str:
        for step in range(1, 4):
            control.report(Progress(step, 3))
        return "frame"

    job = queue.submit("ana", work, label="wide", on_event=own)
    assert job.wait(TIMEOUT) == "frame"
    seen = [(event.state, event.position, event.progress) for event in own.of(job)]
    assert seen == [
        ("queued", 0, None),
        ("running", None, None),
        ("running", None, Progress(1, 3)),
        ("running", None, Progress(2, 3)),
        ("running", None, Progress(3, 3)),
        ("done", None, Progress(3, 3)),
    ]
    assert job.progress == Progress(3, 3)


def test_a_cancelled_queued_job_never_runs(queue: JobQueue, events: Events) -> None:
    ran: list[str] = []
    gate = Gate()
    queue.submit("ana", gate)
    gate.hold()
    doomed = queue.submit("ana", recorder(ran, "doomed"))
    after = queue.submit("ana", recorder(ran, "after"))

    assert doomed.cancel()
    assert doomed.state == "cancelled"
    assert queue.position(after) == 0
    assert events.positions(after) == [1, 0]
    with pytest.raises(GenerationCancelled):
        doomed.wait(0)  # already finished: no waiting
    assert not doomed.cancel()
    assert not queue.cancel("no-such-job")

    gate.release.set()
    assert after.wait(TIMEOUT) == "after"
    assert ran == ["after"]
    assert [event.state for event in events.of(doomed)] == ["queued", "cancelled"]


def test_a_running_job_stops_at_its_next_progress_report(queue: JobQueue, events: Events) -> None:
    stepped, go = threading.Event(), threading.Event()
    steps: list[int] = []

    def work(control: JobControl) -> str:
        for step in range(1, 31):
            control.report(Progress(step, 30))
            steps.append(step)
            stepped.set()
            assert go.wait(TIMEOUT)
        return "finished anyway"

    job = queue.submit("ana", work)
    assert stepped.wait(TIMEOUT)
    assert job.cancel()
    assert job.state == "running"  # until the work reaches its next report
    go.set()
    with pytest.raises(GenerationCancelled):
        job.wait(TIMEOUT)
    assert job.state == "cancelled"
    assert steps == [1]
    assert job.result is None and job.error is None
    assert events.of(job)[-1].state == "cancelled"
    assert queue.submit("ana", recorder([], "next")).wait(TIMEOUT) == "next"


def test_a_job_cancelled_after_its_last_report_is_still_cancelled(queue: JobQueue) -> None:
    gate = Gate()
    job = queue.submit("ana", gate)
    gate.hold()
    assert job.cancel()
    gate.release.set()
    with pytest.raises(GenerationCancelled):
        job.wait(TIMEOUT)


def test_a_listener_may_cancel_the_job_it_is_hearing_about(queue: JobQueue) -> None:
    steps: list[tuple[int, bool]] = []

    def cancel_on_first_step(event: JobEvent) -> None:
        if event.progress == Progress(1, 5):
            queue.cancel(event.job_id)

    def work(control: JobControl) -> None:
        for step in range(1, 6):
            control.report(Progress(step, 5))
            steps.append((step, control.cancelled))

    job = queue.submit("ana", work, on_event=cancel_on_first_step)
    with pytest.raises(GenerationCancelled):
        job.wait(TIMEOUT)
    assert steps == [(1, True)]  # the listener ran inside report(), before the work went on


def test_a_failing_job_reraises_in_wait_and_the_worker_survives(queue: JobQueue, events: Events) -> None:
    boom = ValueError("the prompt broke the sampler")

    def work(control: JobControl) -> None:
        raise boom

    job = queue.submit("ana", work)
    with pytest.raises(ValueError) as raised:
        job.wait(TIMEOUT)
    assert raised.value is boom
    assert job.state == "failed" and job.error is boom
    assert events.of(job)[-1] == JobEvent(job.id, "failed", None, None, "the prompt broke the sampler")
    assert queue.submit("ana", recorder([], "next")).wait(TIMEOUT) == "next"


def test_a_user_at_the_limit_is_refused_until_a_job_finishes(events: Events) -> None:
    with JobQueue(max_per_user=2, on_event=events) as queue:
        gate = Gate()
        running = queue.submit("ana", gate)
        gate.hold()
        queue.submit("ana", recorder([], "queued"))
        with pytest.raises(QueueFull, match="You already have 2 shots in the queue; wait for one"):
            queue.submit("ana", recorder([], "one too many"))
        assert queue.submit("ben", recorder([], "ben")) is not None  # the limit is per user

        gate.release.set()
        running.wait(TIMEOUT)
        assert queue.submit("ana", recorder([], "room again")).wait(TIMEOUT) == "room again"


def test_two_workers_run_two_jobs_at_once_but_never_more() -> None:
    started = threading.Semaphore(0)
    gate = threading.Event()
    lock = threading.Lock()
    active, peak = 0, 0

    def work(control: JobControl) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        started.release()
        assert gate.wait(TIMEOUT)
        with lock:
            active -= 1

    with JobQueue(workers=2, max_per_user=8) as queue:
        jobs = [queue.submit("ana", work) for _ in range(5)]
        assert started.acquire(timeout=TIMEOUT) and started.acquire(timeout=TIMEOUT)
        assert len(queue.running()) == 2
        assert len(queue.pending()) == 3
        assert [queue.position(job) for job in jobs[2:]] == [0, 1, 2]
        gate.set()
        for job in jobs:
            job.wait(TIMEOUT)
    assert peak == 2


def test_a_failing_listener_is_logged_and_breaks_nothing(caplog: pytest.LogCaptureFixture) -> None:
    def explode(event: JobEvent) -> None:
        raise RuntimeError("slack is down")

    def one_step(control: JobControl) -> str:
        control.report(Progress(1, 1))
        return "ok"

    heard = Events()
    with caplog.at_level(logging.ERROR, logger="tools.jobs"), JobQueue(on_event=explode) as queue:
        job = queue.submit("ana", one_step, on_event=explode)
        assert job.wait(TIMEOUT) == "ok"
        second = queue.submit("ben", recorder([], "second"), on_event=heard)
        assert second.wait(TIMEOUT) == "second"
    assert job.state == "done"
    assert [event.state for event in heard.of(second)] == ["queued", "running", "done"]
    assert any("listener failed" in record.message for record in caplog.records)


def test_shutdown_cancels_what_is_waiting_and_lets_the_running_job_finish(events: Events) -> None:
    queue = JobQueue(on_event=events)
    gate = Gate("kept")
    running = queue.submit("ana", gate)
    gate.hold()
    waiting = [queue.submit(user, recorder([], user)) for user in ("ana", "ben")]

    queue.shutdown(wait=False)
    assert [job.state for job in waiting] == ["cancelled", "cancelled"]
    for job in waiting:
        with pytest.raises(GenerationCancelled):
            job.wait(0)
    with pytest.raises(QueueClosed):
        queue.submit("cai", recorder([], "late"))

    gate.release.set()
    assert running.wait(TIMEOUT) == "kept"
    queue.shutdown()  # joins the workers


def test_shutdown_can_let_the_queue_drain() -> None:
    ran: list[str] = []
    queue = JobQueue()
    gate = Gate()
    queue.submit("ana", gate)
    gate.hold()
    jobs = [queue.submit("ana", recorder(ran, name)) for name in ("a", "b")]
    gate.release.set()
    queue.shutdown(cancel_pending=False)
    assert ran == ["a", "b"]
    assert [job.state for job in jobs] == ["done", "done"]


def test_wait_times_out_on_a_job_still_running(queue: JobQueue) -> None:
    gate = Gate()
    job = queue.submit("ana", gate, label="slow one")
    gate.hold()
    with pytest.raises(TimeoutError):
        job.wait(0.01)
    assert (job.user, job.label, job.state) == ("ana", "slow one", "running")
    gate.release.set()
    assert job.wait(TIMEOUT) == "held"
