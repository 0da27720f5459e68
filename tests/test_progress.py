"""Live status in the thread: queue position and step progress, rate limited, never after the reply."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.progress import PlaceholderStatus, status_line
from localslack import LocalWorkspace
from tools.engine import Progress
from tools.jobs import JobEvent


@pytest.fixture
def workspace() -> Iterator[LocalWorkspace]:
    with LocalWorkspace(signing_secret="s").start() as ws:
        yield ws


def test_status_lines_say_where_the_job_is() -> None:
    assert "2 ahead of you" in status_line(JobEvent("j", "queued", position=2))
    assert "next up" in status_line(JobEvent("j", "queued", position=0))
    assert "step 12/30" in status_line(JobEvent("j", "running", progress=Progress(12, 30)))
    assert status_line(JobEvent("j", "done")) == ""


def test_updates_are_coalesced_and_stop_at_close(workspace: LocalWorkspace) -> None:
    client = WebClient(token=workspace.bot_token, base_url=workspace.api_url)
    placeholder = client.chat_postMessage(channel="C0SHOTS", text="working")
    updates = lambda: [c["text"] for c in workspace.calls_to("chat.update")]  # noqa: E731

    status = PlaceholderStatus(client, placeholder["channel"], placeholder["ts"], interval=0.2)
    status(JobEvent("j", "queued", position=2))
    assert workspace.wait_for(lambda: updates() and "2 ahead" in updates()[-1])
    for step in range(1, 31):
        status(JobEvent("j", "running", progress=Progress(step, 30)))
    assert workspace.wait_for(lambda: "step 30/30" in updates()[-1])
    assert len(updates()) <= 4  # 31 events, a few messages: overtaken lines are dropped
    status.close()
    sent = len(updates())
    status(JobEvent("j", "running", progress=Progress(1, 30)))
    assert not workspace.wait_for(lambda: len(updates()) > sent, timeout=0.5)
