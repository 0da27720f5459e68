"""The bot process killed mid-job, as an operator or a crash would: ``python -m bot`` in HTTP
mode against the local workspace, with its own embedded Redis and worker.

What must hold: the thread ends with exactly one result or one plain message, never a stuck
placeholder or a second shot; the ledger stays sound, with no version pointing at a missing file.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from localslack import LocalWorkspace
from tests.conftest import SIGNING_SECRET, local_workspace, placeholder_texts
from tests.shown import Shown, shown

BOT = "U0SLATEBOT"


@dataclass
class BotProcess:
    workspace: LocalWorkspace
    home: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": self.workspace.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.workspace.api_url,
            "SLATE_PORT": str(self.port),
            "SLATE_DATA_DIR": str(self.home / "data"),
            "SLATE_CONFIG": str(self.home / "slate.toml"),
        }
        env.pop("SLACK_APP_TOKEN", None)
        log = open(self.home / "bot.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"], env=env, cwd=self.home, stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home / "bot.log").read_text()[-3000:]
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the bot did not start")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        assert self.process is not None
        self.process.send_signal(sig)
        self.process.wait(30)

    def ledger(self) -> sqlite3.Connection:
        return sqlite3.connect(self.home / "data" / "ledger.sqlite3")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bot_process(tiny_sd_path: Path, tmp_path: Path) -> Iterator[BotProcess]:
    (tmp_path / "slate.toml").write_text(
        f'default_model = "tiny"\n[models.tiny]\npath = "{tiny_sd_path}"\n'
        "steps = 4\nwidth = 64\nheight = 64\n"
    )
    workspace = local_workspace()
    bot = BotProcess(workspace, tmp_path, _free_port())
    workspace.events_url = f"http://127.0.0.1:{bot.port}/slack/events"
    try:
        yield bot
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.kill(signal.SIGTERM)
        workspace.stop()


def _uploads(workspace: LocalWorkspace) -> list[Shown]:
    return shown(workspace)


def _kill_while_generating(bot: BotProcess, thread_ts: str, sig: int, seen: int = 0) -> None:
    assert bot.workspace.wait_for(
        lambda: sum("step" in t for t in placeholder_texts(bot.workspace, thread_ts)) > seen, timeout=90
    ), (bot.home / "bot.log").read_text()[-3000:]
    bot.kill(sig)


def _sound(bot: BotProcess) -> tuple[int, list[tuple[str, int, str]]]:
    """The ledger after the crash: integrity, and each job's state, attempts and versions."""
    with bot.ledger() as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for (sha,) in db.execute("SELECT image_sha256 FROM versions"):
            assert any((bot.home / "data" / "images").rglob(f"{sha}*")), f"version image {sha} is missing"
        versions = db.execute("SELECT count(*) FROM versions").fetchone()[0]
        jobs = db.execute("SELECT state, attempts, version_ids FROM jobs ORDER BY id").fetchall()
    return versions, jobs


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_bot_stopped_mid_job_finishes_it_once_after_restart(bot_process: BotProcess, sig: int) -> None:
    bot = bot_process
    bot.start()
    message = bot.workspace.post_user_message(f"<@{BOT}> WS, the harbour at dawn, steps 200")
    _kill_while_generating(bot, message["ts"], sig)
    if sig == signal.SIGTERM:  # a clean stop says what will happen
        assert "restarting" in placeholder_texts(bot.workspace, message["ts"])[-1]
    assert not _uploads(bot.workspace)

    bot.start()
    assert bot.workspace.wait_for(lambda: len(_uploads(bot.workspace)) == 1, timeout=120), (
        bot.home / "bot.log"
    ).read_text()[-3000:]
    assert bot.workspace.wait_for(
        lambda: "Shot 1 · v1" in placeholder_texts(bot.workspace, message["ts"])[-1]
    )
    time.sleep(1.0)  # a second post, were there one, would land within this
    assert len(_uploads(bot.workspace)) == 1
    versions, jobs = _sound(bot)
    assert versions == 1 and jobs[0][0] == "done" and jobs[0][1] == 2


@pytest.mark.slow
def test_a_job_cut_short_twice_is_reported_lost_not_retried_forever(bot_process: BotProcess) -> None:
    bot = bot_process
    bot.start()
    message = bot.workspace.post_user_message(f"<@{BOT}> WS, the harbour at dawn, steps 200")
    _kill_while_generating(bot, message["ts"], signal.SIGKILL)
    seen = sum("step" in t for t in placeholder_texts(bot.workspace, message["ts"]))
    bot.start()
    _kill_while_generating(bot, message["ts"], signal.SIGKILL, seen)
    bot.start()
    assert bot.workspace.wait_for(
        lambda: "stopped twice" in placeholder_texts(bot.workspace, message["ts"])[-1], timeout=60
    ), placeholder_texts(bot.workspace, message["ts"])
    assert not _uploads(bot.workspace)
    versions, jobs = _sound(bot)
    assert versions == 0 and jobs[0][0] == "failed"
