"""The jobs book on a real SQLite ledger: claims, order within a thread, pruning."""

from __future__ import annotations

from memory.ledger import JobBook, Ledger, ThreadRef

THREAD = ThreadRef("T1", "C1", "1700000000.000100")


def _event(ts: str, thread_ts: str | None = None) -> dict:
    return {"type": "app_mention", "ts": ts, **({"thread_ts": thread_ts} if thread_ts else {})}


def test_an_event_becomes_one_job_and_a_redelivery_none(ledger: Ledger) -> None:
    jobs = JobBook(ledger)
    first = jobs.claim("Ev1", THREAD, "U1", "WS, the harbour", _event(THREAD.thread_ts))
    assert first is not None and first.state == "queued" and first.ts == THREAD.thread_ts
    assert jobs.claim("Ev1", THREAD, "U1", "WS, the harbour", _event(THREAD.thread_ts)) is None
    assert [j.id for j in jobs.unfinished()] == [first.id]


def test_jobs_of_a_thread_wait_in_the_order_they_were_asked_not_delivered(ledger: Ledger) -> None:
    jobs = JobBook(ledger)
    later = jobs.claim("Ev2", THREAD, "U1", "add rain", _event("1700000000.000300", THREAD.thread_ts))
    opener = jobs.claim("Ev1", THREAD, "U1", "WS", _event(THREAD.thread_ts))
    assert later is not None and opener is not None and later.id < opener.id  # delivered first
    assert jobs.earlier_unfinished(later.id) and not jobs.earlier_unfinished(opener.id)
    jobs.start(opener.id)
    jobs.finish(opener.id, "done")
    assert not jobs.earlier_unfinished(later.id)
    other = ThreadRef("T1", "C1", "1700000000.000200")
    elsewhere = jobs.create(other, "U2", "CU, Rook", _event(other.thread_ts))
    assert not jobs.earlier_unfinished(elsewhere.id)  # another thread never waits for this one


def test_start_counts_attempts_and_a_finished_job_does_not_start_again(ledger: Ledger) -> None:
    jobs = JobBook(ledger)
    job = jobs.create(THREAD, "U1", "WS", _event(THREAD.thread_ts))
    assert jobs.start(job.id).attempts == 1  # type: ignore[union-attr]
    assert jobs.start(job.id).attempts == 2  # type: ignore[union-attr]  # a retry after a crash
    jobs.finish(job.id, "failed", reply="lost")
    assert jobs.start(job.id) is None and not jobs.unfinished()


def test_a_redelivery_is_dropped_however_late_it_comes(ledger: Ledger) -> None:
    jobs = JobBook(ledger)
    first = jobs.claim("EvOld", THREAD, "U1", "WS", _event(THREAD.thread_ts))
    assert first is not None and first.state == "queued" and jobs.get(first.id).text == "WS"  # type: ignore[union-attr]
    jobs.finish(first.id, "done", reply="ok")
    assert jobs.claim("EvOld", THREAD, "U1", "WS", _event(THREAD.thread_ts)) is None
    assert [j.event_id for j in jobs.unfinished()] == []
