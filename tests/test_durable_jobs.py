"""Jobs as a tester tries them: a burst in one thread, cancel, a busy bot, a worker killed mid-job.

Everything runs as in production: signed deliveries from the local workspace, Bolt, the
ledger, a real embedded Redis and real Celery worker processes on the tiny diffusion model.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from memory.ledger.models import Job, Version
from tests.conftest import Stack, placeholder_texts, remote, run_stack, tiny_worker_services
from tests.shown import Shown, shown
from tools.diffusers_engine import DiffusersEngine
from tools.worker.embedded import GenerationServices

BOT = "U0SLATEBOT"


def _uploads(stack: Stack, thread_ts: str | None = None) -> list[Shown]:
    """The versions the channel (or one thread) shows."""
    return shown(stack.workspace, thread_ts)


def _placeholder_texts(stack: Stack, thread_ts: str) -> list[str]:
    return placeholder_texts(stack.workspace, thread_ts)


def _versions(stack: Stack) -> list[Version]:
    with stack.ledger.transaction() as session:
        return list(session.scalars(select(Version).order_by(Version.id)))


def _jobs(stack: Stack) -> list[Job]:
    with stack.ledger.transaction() as session:
        return list(session.scalars(select(Job).order_by(Job.id)))


def test_revisions_sent_together_in_one_thread_each_start_from_the_one_before(stack: Stack) -> None:
    parent = stack.workspace.post_user_message(f"<@{BOT}> WS, Maya at the harbour, seed 3")
    changes = ["make her cloak red", "add rain", "add a lantern", "add fog", "add a gull"]
    for change in changes:  # within a second: nobody waits for the shot before the next note
        stack.workspace.post_user_message(f"<@{BOT}> {change}", thread_ts=parent["ts"])
    assert stack.workspace.wait_for(lambda: len(_uploads(stack)) == 6, timeout=60), [
        (j.id, j.ts, j.state, j.text, j.reply, j.error) for j in _jobs(stack)
    ]

    versions = _versions(stack)
    assert [v.number for v in versions] == [1, 2, 3, 4, 5, 6]
    assert [v.parent_id for v in versions[1:]] == [v.id for v in versions[:-1]]
    for change in ("cloak red", "rain", "lantern", "fog", "gull"):
        assert change in versions[-1].prompt  # the last frame carries every note
    assert stack.workspace.wait_for(lambda: all(job.state == "done" for job in _jobs(stack)))


def test_cancel_stops_a_running_shot_and_the_thread_says_cancelled(stack: Stack) -> None:
    long = stack.workspace.post_user_message(f"<@{BOT}> WS, the harbour at dawn, steps 200, 4 variations")
    assert stack.workspace.wait_for(lambda: any("step" in t for t in _placeholder_texts(stack, long["ts"])))
    stack.workspace.post_user_message(f"<@{BOT}> cancel")
    assert stack.workspace.wait_for(
        lambda: any(t.startswith("Cancelled") for t in _placeholder_texts(stack, long["ts"])), timeout=20
    ), _placeholder_texts(stack, long["ts"])
    assert not _uploads(stack, long["ts"]) and not _versions(stack)
    assert stack.workspace.wait_for(lambda: {j.state for j in _jobs(stack)} == {"cancelled", "done"})


def test_a_busy_bot_still_answers_every_direction_at_once(stack: Stack) -> None:
    """Five long shots generating or queued; a sixth direction still gets its placeholder while
    they are all still being made (listeners hand work on, they never wait for it)."""
    for n in range(5):
        stack.workspace.post_user_message(f"<@{BOT}> WS, shot {n} of the harbour, steps 200, 4 variations")
    assert stack.workspace.wait_for(lambda: len(stack.workspace.calls_to("chat.postMessage")) == 5)
    sixth = stack.workspace.post_user_message(f"<@{BOT}> CU, Maya looks up")
    assert stack.workspace.wait_for(
        lambda: any(c.get("thread_ts") == sixth["ts"] for c in stack.workspace.calls_to("chat.postMessage"))
    )
    assert not _uploads(stack)  # none of the five had finished
    stack.workspace.post_user_message(f"<@{BOT}> cancel")  # don't make the suite wait for them
    assert stack.workspace.wait_for(
        lambda: all(j.state in ("done", "failed", "cancelled") for j in _jobs(stack)), timeout=30
    ), [(j.text[:30], j.state, j.reply[:80]) for j in _jobs(stack)]


@pytest.fixture(scope="module")
def own_workers(tiny_sd_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenerationServices]:
    """Workers of this module's own, so killing one disturbs no other test."""
    yield from tiny_worker_services(tmp_path_factory.mktemp("killable-workers"), tiny_sd_path)


@pytest.fixture
def killable_stack(
    tiny_engine: DiffusersEngine, own_workers: GenerationServices, tmp_path: Path
) -> Iterator[Stack]:
    yield from run_stack(remote(tiny_engine, own_workers), 64, tmp_path)


def test_a_worker_killed_mid_job_is_replaced_and_the_shot_is_posted_once(
    killable_stack: Stack, own_workers: GenerationServices
) -> None:
    stack = killable_stack
    message = stack.workspace.post_user_message(f"<@{BOT}> WS, the harbour at dawn, steps 120")
    assert stack.workspace.wait_for(
        lambda: any("step" in t for t in _placeholder_texts(stack, message["ts"]))
    )
    assert own_workers.workers is not None
    (pid,) = own_workers.workers.pids()
    os.kill(pid, signal.SIGKILL)

    assert stack.workspace.wait_for(lambda: len(_uploads(stack)) == 1, timeout=90)
    assert own_workers.workers.restarts == 1 and own_workers.workers.pids() != [pid]
    time.sleep(1.0)  # a wrongly doubled post would land within this
    assert len(_uploads(stack)) == 1 and len(_versions(stack)) == 1
    assert stack.workspace.wait_for(lambda: _jobs(stack)[0].state == "done")
    assert "Shot 1 · v1" in _placeholder_texts(stack, message["ts"])[-1]
    with stack.ledger.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Version)) == 1
    assert _uploads(stack)[0].version_id == _versions(stack)[0].id


def test_plain_messages_are_acknowledged_but_not_stored(stack: Stack) -> None:
    stack.workspace.post_user_message("lunch is at one")
    assert stack.workspace.wait_for(lambda: bool(stack.workspace.sent_events))
    time.sleep(0.3)  # the delivery's answer
    assert not _jobs(stack)


def test_a_mention_with_null_text_or_a_huge_direction_gets_a_message_not_a_stuck_placeholder(
    stack: Stack,
) -> None:
    stored = stack.workspace.state.add_message("C0SHOTS", {"user": "U0DIRECTOR", "text": ""})
    null = {
        "type": "app_mention",
        "user": "U0DIRECTOR",
        "text": None,
        "ts": stored["ts"],
        "channel": "C0SHOTS",
        "event_ts": stored["ts"],
    }
    assert stack.workspace.deliver_event(null) == 200
    huge = stack.workspace.post_user_message(f"<@{BOT}> WS, " + "the harbour at dawn " * 2600)
    assert stack.workspace.wait_for(
        lambda: len([j for j in _jobs(stack) if j.state in ("done", "failed", "cancelled")]) == 2
    )
    by_text = {j.ts: j for j in _jobs(stack)}
    assert by_text[null["ts"]].state == "done" and "What should the shot show?" in by_text[null["ts"]].reply
    assert by_text[huge["ts"]].state == "failed" and "Slate reads at most 4,000" in by_text[huge["ts"]].reply
    assert len(by_text[huge["ts"]].reply) < 40000 and not _versions(stack)
