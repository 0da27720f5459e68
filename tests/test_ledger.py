"""The shot ledger on real SQLite: numbering, atomicity, concurrency, dedup claims, restart."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from memory.ledger import ImageStore, JobBook, Ledger, NewVersion, ThreadRef
from memory.ledger.models import Shot, Version
from memory.ledger.review import Refused, Review
from tests.records import generation_record
from tools.engine import GenerationRecord

THREAD = ThreadRef("T1", "C1", "1700000000.000100")


def record(prompt: str = "WS, harbour at dawn", seed: int = 1) -> GenerationRecord:
    return generation_record(prompt=prompt, seed=seed, references=("maya-ref-1",))


def new(thread: ThreadRef = THREAD, parent_id: int | None = None, seed: int = 1) -> NewVersion:
    return NewVersion(thread=thread, record=record(seed=seed), image_sha256="ab" * 32, parent_id=parent_id)


def count(ledger: Ledger, model: type) -> int:
    with ledger.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_shots_number_per_project_and_versions_per_shot(ledger: Ledger) -> None:
    first = ledger.record_version(new())
    second = ledger.record_version(new(parent_id=first.id, seed=2))
    other = ledger.record_version(new(ThreadRef("T1", "C1", "1700000001.000100")))
    elsewhere = ledger.record_version(new(ThreadRef("T1", "C2", "1700000002.000100")))
    assert (first.shot.number, first.number) == (1, 1)
    assert (second.shot.number, second.number, second.parent_id) == (1, 2, first.id)
    assert other.shot.number == 2
    assert elsewhere.shot.number == 1  # another channel is another project
    stored = ledger.version(second.id)
    assert stored is not None and stored.seed == 2 and stored.references == ["maya-ref-1"]


def test_a_failed_write_leaves_neither_version_nor_shot(ledger: Ledger) -> None:
    with pytest.raises(IntegrityError):
        ledger.record_version(new(parent_id=999))  # no such parent: the insert fails after the shot's
    assert count(ledger, Shot) == 0 and count(ledger, Version) == 0


def test_concurrent_versions_get_distinct_numbers(ledger: Ledger) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        versions = list(pool.map(lambda i: ledger.record_version(new(seed=i)), range(16)))
    assert sorted(v.number for v in versions) == list(range(1, 17))
    assert count(ledger, Shot) == 1


def test_status_changes_are_appended_and_validated(ledger: Ledger) -> None:
    version = ledger.record_version(new())
    review = Review(ledger, {"U1": "approver", "U2": "director"})
    review.set_status(version.id, "U1", "changes_requested", "tighter on her eyes")
    review.set_status(version.id, "U2", "approved")
    stored = ledger.version(version.id)
    assert stored is not None
    assert [(a.user_id, a.from_status, a.decision) for a in stored.approvals] == [
        ("U1", "pending_review", "changes_requested"),
        ("U2", "changes_requested", "approved"),
    ]
    with pytest.raises(Refused, match="no status"):
        review.set_status(version.id, "U1", "maybe")
    with pytest.raises(Refused, match="no longer exists"):
        review.set_status(12345, "U1", "approved")


def test_the_ledger_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    version = Ledger(path).record_version(new())
    assert JobBook(Ledger(path)).claim("Ev9", THREAD, "U1", "WS", {"ts": THREAD.thread_ts}) is not None
    reopened = Ledger(path)
    latest = reopened.latest_version(THREAD.channel_id, THREAD.thread_ts)
    assert latest is not None and latest.id == version.id
    assert JobBook(reopened).claim("Ev9", THREAD, "U1", "WS", {"ts": THREAD.thread_ts}) is None


def test_image_store_is_content_addressed_and_atomic(images: ImageStore) -> None:
    data = b"\x89PNG fake but bytes"
    digest = images.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert images.put(data) == digest
    assert images.get(digest) == data
    assert images.path(digest).parent.name == digest[:2]
    assert not list(images.root.rglob(".incoming-*"))
