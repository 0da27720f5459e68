"""Review on the real ledger: statuses and their history, supersession, roles and refusals."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from memory.ledger import Ledger, NewVersion, ThreadRef
from memory.ledger.models import Approval
from memory.ledger.review import Refused, Review
from tests.records import generation_record

THREAD = ThreadRef("T1", "C1", "1700000000.000100")
DIRECTOR, ARTIST, APPROVER = "U0DIRECTOR", "U0ARTIST", "U0APRIL"


def version(ledger: Ledger, by: str = DIRECTOR, seed: int = 1, thread: ThreadRef = THREAD):  # type: ignore[no-untyped-def]
    record = replace(generation_record(prompt="WS, the harbour"), seed=seed)
    return ledger.record_version(
        NewVersion(thread=thread, record=record, image_sha256="ab" * 32, created_by=by)
    )


def rows(ledger: Ledger) -> list[tuple[int, str, str, str, str]]:
    with ledger.reading() as session:
        return [
            (r.version_id, r.user_id, r.from_status, r.decision, r.note)
            for r in session.query(Approval).order_by(Approval.id)
        ]


def test_whoever_starts_a_project_directs_it_and_others_are_artists(ledger: Ledger) -> None:
    v1 = version(ledger)
    review = Review(ledger)
    project = v1.shot.project_id
    assert review.role_of(project, DIRECTOR) == "director"
    assert review.role_of(project, ARTIST) == "artist"
    assert review.roles(project) == {DIRECTOR: "director"}


def test_an_artist_cannot_approve_and_nothing_is_written(ledger: Ledger) -> None:
    v1 = version(ledger)
    review = Review(ledger)
    with pytest.raises(Refused, match="You are an artist in this project; approve needs an approver"):
        review.set_status(v1.id, ARTIST, "approved")
    assert rows(ledger) == []
    assert review.status(v1.id) == "pending_review"


def test_roles_are_granted_by_a_director_only_and_the_founder_stays_director(ledger: Ledger) -> None:
    v1 = version(ledger)
    review = Review(ledger)
    project = v1.shot.project_id
    with pytest.raises(Refused, match="roles needs a director"):
        review.grant(project, ARTIST, ARTIST, "director")
    review.grant(project, DIRECTOR, APPROVER, "approver")
    review.grant(project, DIRECTOR, ARTIST, "director")  # a second director: the founder keeps the role
    assert review.roles(project) == {APPROVER: "approver", ARTIST: "director", DIRECTOR: "director"}
    with pytest.raises(Refused, match="no role 'producer'"):
        review.grant(project, DIRECTOR, ARTIST, "producer")


def test_statuses_move_as_review_does_and_every_change_is_kept(ledger: Ledger) -> None:
    v1 = version(ledger)
    review = Review(ledger, {APPROVER: "approver"})
    review.set_status(v1.id, APPROVER, "changes_requested", "tighter on her eyes")
    review.set_status(v1.id, APPROVER, "approved")
    review.set_status(v1.id, DIRECTOR, "final")
    assert review.status(v1.id) == "final"
    assert [(c.from_status, c.to_status, c.user_id) for c in review.history(v1.id)] == [
        ("pending_review", "changes_requested", APPROVER),
        ("changes_requested", "approved", APPROVER),
        ("approved", "final", DIRECTOR),
    ]
    with pytest.raises(Refused, match="final needs a director"):
        review.set_status(version(ledger, seed=2).id, APPROVER, "final")
    with pytest.raises(Refused, match="is already approved"):
        v3 = version(ledger, seed=3, thread=ThreadRef("T1", "C1", "2.0"))
        review.set_status(v3.id, APPROVER, "approved")
        review.set_status(v3.id, APPROVER, "approved")


def test_approving_a_version_supersedes_the_shots_earlier_approval_on_record(ledger: Ledger) -> None:
    v1, v2 = version(ledger), version(ledger, seed=2)
    review = Review(ledger, {APPROVER: "approver"})
    review.set_status(v1.id, APPROVER, "approved")
    changes = review.set_status(v2.id, APPROVER, "approved")
    assert [(c.version_id, c.to_status, c.note) for c in changes] == [
        (v1.id, "superseded", "superseded by v2"),
        (v2.id, "approved", ""),
    ]
    assert review.shot_statuses(v1.shot_id) == {1: "superseded", 2: "approved"}
    assert [v.id for v in review.approved_versions(v1.shot.project_id)] == [v2.id]


def test_a_final_version_must_be_reopened_before_another_is_approved(ledger: Ledger) -> None:
    v1, v2 = version(ledger), version(ledger, seed=2)
    review = Review(ledger, {APPROVER: "approver"})
    review.set_status(v1.id, APPROVER, "approved")
    review.set_status(v1.id, DIRECTOR, "final")
    before = rows(ledger)
    with pytest.raises(Refused, match="v1 of this shot is final"):
        review.set_status(v2.id, APPROVER, "approved")
    assert rows(ledger) == before  # the supersede step rolled back with the refusal


def test_a_ledger_from_before_statuses_opens_and_reads_its_old_decisions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    Ledger(path)  # today's schema, then take the column away as an old release had it
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE approvals")
        db.execute(
            "CREATE TABLE approvals (id INTEGER PRIMARY KEY, version_id INTEGER, user_id VARCHAR(32), "
            "decision VARCHAR(32), note TEXT, created_at DATETIME)"
        )
    ledger = Ledger(path)
    v1 = version(ledger)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO approvals (version_id, user_id, decision, note) VALUES (?, 'U1', 'retake', '')",
            (v1.id,),
        )
    review = Review(Ledger(path))
    assert review.status(v1.id) == "changes_requested"
    assert review.history(v1.id)[0].from_status == ""
