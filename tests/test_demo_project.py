"""``make demo``'s sample project, seeded through the product against the local workspace.

The people act as a team would (messages with stills, ``/slate``, buttons, a modal); what the
canon, the ledger and #shots then hold is what Slate's own paths wrote. Also: the demo's
choices of data directory and whether to seed.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from agents.assembly import build_director
from bot.app import build_bot
from bot.demo import demo_data_dir, demo_seeding, holds_work
from bot.demo.project import CHANGES_NOTE, LOOK, DemoProject
from bot.demo.stills import CAST, portrait_png
from bot.version_message import shown_images
from config import Settings
from localslack.state import APPROVER_ID, DIRECTOR_ID
from memory.ledger import ImageStore, Ledger
from memory.ledger.models import Character, ContinuityFact, Project, ReferenceImage, Shot, Style
from memory.ledger.review import Review
from tests.conftest import SIGNING_SECRET, Stack, local_workspace, serving

CHANNEL = "C0SHOTS"
REPO = Path(__file__).resolve().parents[1]  # `python -m bot` from here runs this checkout


@pytest.fixture
def demo_stack(tmp_path: Path) -> Iterator[Stack]:
    """The bot as ``make demo`` assembles it (previz, continuity memory on Chroma and MiniLM,
    no roles seeded), its directions run in this process instead of the directing process."""
    workspace = local_workspace()
    settings = Settings(data_dir=tmp_path, engine="previz")
    director, ledger = build_director(settings)
    bot = build_bot(
        bot_token=workspace.bot_token,
        signing_secret=SIGNING_SECRET,
        api_url=workspace.api_url,
        ledger=ledger,
        director=director,
        roles=dict(settings.roles),
    )
    try:
        with serving(bot.app, workspace) as events_url:
            yield Stack(workspace, ledger, ImageStore(tmp_path / "images"), events_url, bot)
    finally:
        bot.stop()
        workspace.stop()


def test_the_sample_project_is_seeded_through_the_product(demo_stack: Stack) -> None:
    ws, ledger = demo_stack.workspace, demo_stack.ledger
    report = DemoProject(ws).run()
    assert report.ok, report.summary()
    project_id = ledger.project("T0LOCAL", CHANNEL).id

    with ledger.reading() as session:
        cast = {
            c.name: c for c in session.scalars(select(Character).where(Character.project_id == project_id))
        }
        refs = list(session.scalars(select(ReferenceImage).where(ReferenceImage.project_id == project_id)))
        looks = list(session.scalars(select(Style).where(Style.project_id == project_id)))
        facts = list(session.scalars(select(ContinuityFact).where(ContinuityFact.project_id == project_id)))
        project = session.get(Project, project_id)
        shots = list(session.scalars(select(Shot).where(Shot.project_id == project_id).order_by(Shot.number)))
        prompts = {s.number: [v.prompt for v in s.versions] for s in shots}

    # The cast, each with the two stills attached to the message that introduced them, as drawn.
    assert set(cast) == set(CAST)
    assert "scar on her left cheek" in cast["Maya"].description and cast["Maya"].pronouns == "she/her"
    assert "red hooded cloak" in str(cast["Maya"].costumes)
    for name, character in cast.items():
        kept = {demo_stack.images.get(r.image_sha256, ".ref") for r in refs if r.owner_id == character.id}
        assert kept == {portrait_png(name, "front"), portrait_png(name, "three-quarter")}, name

    # The look, kept with what it never has, and the project's default; the facts with their scenes.
    (look,) = looks
    assert (look.name, look.negative) == (LOOK, "daylight") and project.default_look == look.key
    assert sorted(f.established_in for f in facts) == ["scene 11", "scene 3", "scene 9"]
    assert {f.subject for f in facts} >= {"Rook", "Maya"}

    # Three shots: approved by April, changes requested by the director (with the note), and a
    # revision waiting for review. Canon and the look went into the prompts.
    assert [s.number for s in shots] == [1, 2, 3]
    review = Review(ledger)
    statuses = [review.shot_statuses(s.id) for s in shots]
    assert statuses == [{1: "approved"}, {1: "changes_requested"}, {1: "pending_review", 2: "pending_review"}]
    approved = review.history(shots[0].versions[0].id)
    assert [(c.user_id, c.to_status) for c in approved] == [(APPROVER_ID, "approved")]
    (changes,) = review.history(shots[1].versions[0].id)
    assert (changes.user_id, changes.note) == (DIRECTOR_ID, CHANGES_NOTE)
    assert "red hooded cloak" in prompts[1][0] and "Maya" in prompts[1][0]
    assert all("amber torchlight" in p for ps in prompts.values() for p in ps)
    assert "Ines" in prompts[3][0] and len(prompts[3]) == 2

    # #shots: the cast's messages show their stills; three shot threads show their frames.
    messages = ws.messages(CHANNEL)
    with_stills = [m for m in messages if len(m.get("files") or []) == 2]
    assert len(with_stills) == 3
    threads = [m for m in messages if shown_images(ws.replies(CHANNEL, m["ts"]))]
    assert len(threads) == 3
    for parent, count in zip(threads, (1, 1, 2), strict=True):
        shown = shown_images(ws.replies(CHANNEL, parent["ts"]))
        assert len(shown) == count
        for _, image, _ in shown:
            frame = Image.open(io.BytesIO(ws.file_bytes(image["slack_file"]["id"])))
            assert frame.format == "PNG" and frame.width > frame.height  # 2.39:1
    assert any(CHANGES_NOTE in m.get("text", "") for m in ws.replies(CHANNEL, threads[1]["ts"]))


def test_a_step_that_fails_ends_the_seeding_and_says_which(demo_stack: Stack) -> None:
    """The bot not answering (its events go nowhere): the first step fails on its timeout,
    the rest are listed as not done, and nothing hangs."""
    demo_stack.workspace.events_url = None
    report = DemoProject(demo_stack.workspace, first_step_s=0.5).run()
    assert not report.ok and report.steps[0].name == "character Maya" and not report.steps[0].ok
    assert "within" in report.steps[0].detail and "shot 3 v2" in report.skipped
    assert "character Maya" in report.summary() and "works as it is" in report.summary()


def test_the_demo_gets_a_fresh_data_dir_unless_one_is_set(tmp_path: Path) -> None:
    fresh, throwaway = demo_data_dir(Settings())
    try:
        assert throwaway is not None and fresh.data_dir == throwaway and not any(throwaway.iterdir())
        assert "slate-demo-" in throwaway.name
    finally:
        throwaway.rmdir()  # type: ignore[union-attr]
    chosen = Settings(data_dir=tmp_path)
    assert demo_data_dir(chosen) == (chosen, None)


def test_a_kept_ledger_that_holds_the_project_is_not_seeded_twice(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert demo_seeding(settings, "T0LOCAL", CHANNEL).seed
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    ledger.project("T0LOCAL", CHANNEL)  # a project with nothing in it yet: still seeded
    assert not holds_work(tmp_path / "ledger.sqlite3", "T0LOCAL", CHANNEL)
    with ledger.transaction() as session:
        session.add(
            Character(
                project_id=ledger.project_id("T0LOCAL", CHANNEL), name="Maya", key="maya", description="x"
            )
        )
    refused = demo_seeding(settings, "T0LOCAL", CHANNEL)
    assert not refused.seed and "already holds" in refused.why
    assert not demo_seeding(Settings(data_dir=tmp_path / "new", demo_seed=False), "T0LOCAL", CHANNEL).seed


@pytest.mark.slow
def test_make_demo_prints_the_url_and_opens_on_the_seeded_project(tmp_path: Path) -> None:
    """``python -m bot`` with no tokens, as ``make demo`` runs it: the URL, then the seeded
    first screen on the page's own state endpoint, well under two minutes; its throwaway
    data directory (under TMPDIR) is gone once it stops."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k != "SLATE_DATA_DIR"}
    env.update(
        SLATE_CONFIG=str(tmp_path / "slate.toml"),
        SLATE_PORT="0",
        SLATE_WORKSPACE_PORT="0",
        TMPDIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    started = time.monotonic()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen([sys.executable, "-m", "bot"], cwd=REPO, env=env, stdout=out, stderr=out)
    try:
        url = _printed_url(demo, log, timeout=60)
        assert time.monotonic() - started < 60
        data_dirs = list(tmp_path.glob("slate-demo-*"))
        assert len(data_dirs) == 1 and "fresh for this run" in log.read_text()

        def seeded() -> dict | None:
            with urllib.request.urlopen(f"{url}ui/state?channel=C0SHOTS&since=-1", timeout=5) as answer:
                state = json.load(answer)
            lines = json.dumps(state["threads"], ensure_ascii=False)
            ready = all(word in lines for word in ("Approved", "Changes requested", "Shot 3 · v2"))
            return state if ready else None

        state = None
        while state is None and time.monotonic() - started < 120 and demo.poll() is None:
            state = seeded()
            time.sleep(0.25)
        assert state is not None, log.read_text()[-3000:]
        assert "Sample project seeded" in _wait_for_text(log, "Sample project", 10)
        assert len([m for m in state["messages"] if len(m.get("files") or []) == 2]) == 3
        frames = [
            b["slack_file"]["id"]
            for replies in state["threads"].values()
            for m in replies
            for b in m.get("blocks") or []
            if b.get("type") == "image"
        ]
        assert len(frames) == 4
        with urllib.request.urlopen(f"{url}ui/files/{frames[0]}", timeout=5) as answer:
            assert Image.open(io.BytesIO(answer.read())).format == "PNG"
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(60)
    assert not list(tmp_path.glob("slate-demo-*"))


def _printed_url(demo: subprocess.Popen[bytes], log: Path, timeout: float) -> str:
    text = _wait_for_text(log, "Open http", timeout, demo)
    found = re.search(r"Open (http://127\.0\.0\.1:\d+/) in a browser", text)
    assert found, text[-3000:]
    return found.group(1)


def _wait_for_text(
    log: Path, needle: str, timeout: float, demo: subprocess.Popen[bytes] | None = None
) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if needle in text:
            return text
        assert demo is None or demo.poll() is None, text[-3000:]
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not printed within {timeout:.0f} s:\n{log.read_text()[-3000:]}")
