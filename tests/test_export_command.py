"""``/slate export`` as Slack drives it: a signed slash command against the local workspace, the
bundle posted to the channel as a zip (or the one file), and bad asks answered to the caller."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import opentimelineio as otio
import pytest

from localslack.state import ARTIST_ID, DIRECTOR_ID
from tests.conftest import Stack, local_workspace, serving, slate_bot
from tests.export_scene import APPROVER, CHANNEL, seed_scene
from tools.export.provenance import REVIEW, assertion, read_manifest
from tools.previz import PrevizEngine


@pytest.fixture
def seeded_stack(tmp_path: Path) -> Iterator[Stack]:
    workspace = local_workspace()
    bot, ledger, images = slate_bot(PrevizEngine(), 128, tmp_path, workspace)
    seed_scene(ledger, images)
    try:
        with serving(bot.app, workspace) as events_url:
            yield Stack(workspace, ledger, images, events_url, bot)
    finally:
        bot.stop()
        workspace.stop()


def _ask(stack: Stack, text: str) -> str:
    """``/slate <text>`` from the artist; the answer Slack shows them alone."""
    ws = stack.workspace
    before = len(ws.ephemeral_for(ARTIST_ID, CHANNEL))
    acked = ws.run_slash_command(ARTIST_ID, CHANNEL, "/slate", text)
    assert acked.status == 200 and acked.elapsed_s < 3
    assert ws.wait_for(lambda: len(ws.ephemeral_for(ARTIST_ID, CHANNEL)) > before, timeout=30)
    return ws.ephemeral_for(ARTIST_ID, CHANNEL)[-1]["text"]


def _posted(stack: Stack) -> list[dict]:
    return [
        f | {"comment": m.get("text", "")}
        for m in stack.workspace.messages(CHANNEL)
        for f in m.get("files") or []
    ]


def test_export_posts_the_scenes_bundle_as_a_zip_in_the_channel(seeded_stack: Stack) -> None:
    ws = seeded_stack.workspace
    answer = _ask(seeded_stack, "export scene 12 edl otio pdf")
    assert "Posted `the-harbour_scene-12.zip`" in answer and "3 shots" in answer
    (posted,) = _posted(seeded_stack)
    assert posted["name"] == "the-harbour_scene-12.zip"
    assert f"<@{ARTIST_ID}>" in posted["comment"] and "Shot 4 (pending review)" in posted["comment"]
    archive = zipfile.ZipFile(io.BytesIO(ws.file_bytes(posted["id"])))
    names = set(archive.namelist())
    root = "the-harbour_scene-12/"
    assert {
        f"{root}the-harbour_scene-12.edl",
        f"{root}the-harbour_scene-12.otio",
        f"{root}the-harbour_scene-12_storyboard.pdf",
        f"{root}the-harbour_scene-12_manifest.csv",
        f"{root}the-harbour_scene-12_manifest.json",
        f"{root}provenance/slate-c2pa-ca.pem",
        *(f"{root}frames/{n}.png" for n in ("12_001_v001", "12_002_v002", "12_003_v001")),
    } == names  # nothing unapproved: no shot 4
    timeline = otio.adapters.read_from_string(archive.read(f"{root}the-harbour_scene-12.otio").decode())
    assert [c.name for c in timeline.find_clips()] == ["12_001_v001", "12_002_v002", "12_003_v001"]
    manifest, state = read_manifest(
        archive.read(f"{root}frames/12_002_v002.png"), archive.read(f"{root}provenance/slate-c2pa-ca.pem")
    )
    assert state == "Trusted" and assertion(manifest, REVIEW)["approval"]["by"] == APPROVER


def test_a_single_file_export_posts_that_file_and_bad_asks_are_told_to_the_caller(
    seeded_stack: Stack,
) -> None:
    refused = _ask(seeded_stack, "export shots 4 pdf")
    assert "Shot 4 (pending review)" in refused and "include pending" in refused
    assert "no scene 99" in _ask(seeded_stack, "export scene 99")
    assert "Usage: `/slate export" in _ask(seeded_stack, "export scene 12 mov")
    assert not _posted(seeded_stack)  # nothing was posted for any of them

    answer = _ask(seeded_stack, "export shots 2, 4 pdf include pending")
    assert "the-harbour_shots-2-4_storyboard.pdf" in answer
    (posted,) = _posted(seeded_stack)
    assert posted["name"] == "the-harbour_shots-2-4_storyboard.pdf"
    assert seeded_stack.workspace.file_bytes(posted["id"]).startswith(b"%PDF")
    assert "pending ones included" in posted["comment"]


def test_a_director_marks_the_projects_frames_do_not_train_in_settings(seeded_stack: Stack) -> None:
    ws = seeded_stack.workspace
    assert ws.run_slash_command(DIRECTOR_ID, CHANNEL, "/slate", "settings").status == 200
    assert ws.wait_for(lambda: bool(ws.open_views(DIRECTOR_ID)))
    (view,) = ws.open_views(DIRECTOR_ID)
    choice = {"text": {"type": "plain_text", "text": "no training"}, "value": "yes"}
    ws.submit_view(
        DIRECTOR_ID,
        view["id"],
        {"do_not_train": {"do_not_train": {"type": "checkboxes", "selected_options": [choice]}}},
    )
    assert ws.wait_for(
        lambda: any("not for AI training" in m["text"] for m in ws.ephemeral_for(DIRECTOR_ID, CHANNEL))
    )

    _ask(seeded_stack, "export shot 5 frames")
    (posted,) = _posted(seeded_stack)
    archive = zipfile.ZipFile(io.BytesIO(ws.file_bytes(posted["id"])))
    manifest, _ = read_manifest(archive.read("the-harbour_shot-5/frames/13_005_v001.png"))
    assert assertion(manifest, "c2pa.training-mining")["entries"]["c2pa.ai_training"] == {"use": "notAllowed"}
