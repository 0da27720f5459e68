"""The animatic: a shot with a camera move keeps a GIF of it, and "Play the move" posts it in the thread.

Real all the way: the Blender engine (.venv-blender) renders 256×144 frames along the move, the
desk keeps the GIF in the content store and the ledger, the bot offers the button on localslack,
and Pillow reads back what was posted.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from localslack.state import ARTIST_ID
from memory.ledger import Ledger
from memory.ledger.images import ANIMATIC_SUFFIX
from tests.conftest import Stack, run_stack
from tests.shown import shown, wait_for_shown
from tools.animatic import FRAMES_SHOWN, animatic_size, gif_of
from tools.blender_client import BlenderWorker
from tools.blender_engine import BlenderPrevizEngine
from tools.blocking import Blocking, Camera, Figure
from tools.engine import GenerationRequest
from tools.worker.wire import decode_result, encode_result

W, H = 256, 144


@pytest.fixture(scope="module")
def engine(worker: BlenderWorker) -> BlenderPrevizEngine:
    return BlenderPrevizEngine(worker)  # the session's one warm Blender worker (tests/conftest.py)


@pytest.fixture
def stack(engine: BlenderPrevizEngine, tmp_path: Path) -> Iterator[Stack]:
    yield from run_stack(engine, 192, tmp_path, listener_threads=None)  # 16:9 is 256×144


def frames_of(gif: bytes) -> list[np.ndarray]:
    with Image.open(io.BytesIO(gif)) as opened:
        assert opened.format == "GIF" and opened.info.get("loop") == 0
        return [np.asarray(f.convert("RGB")).astype(int) for f in ImageSequence.Iterator(opened)]


def buttons(ws, result) -> list[str]:  # type: ignore[no-untyped-def]
    (message,) = [m for m in ws.replies("C0SHOTS", result.thread_ts) if m["ts"] == result.message_ts]
    return [
        e.get("action_id", "") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


def test_a_moving_shot_renders_an_animatic_whose_frames_follow_the_move(engine: BlenderPrevizEngine) -> None:
    blocking = Blocking(camera=Camera("MS", move="dolly in"), figures=(Figure("Maya"),), width=W, height=H)
    image, _, gif = engine.render_take(blocking, seed=3)
    assert gif is not None
    frames = frames_of(gif)
    assert len(frames) == FRAMES_SHOWN and frames[0].shape == (*animatic_size(W, H)[::-1], 3)
    for a, b in zip(frames, frames[1:], strict=False):
        assert (np.abs(a - b).max(axis=-1) > 24).mean() > 0.001  # each frame moves on (eased at the ends)
    assert np.abs(frames[0] - frames[-1]).mean() > 3.0  # and the move goes somewhere
    # the first frame is the still (same camera, quantised to a palette)
    assert np.abs(frames[0] - np.asarray(image).astype(int)).mean() < 6.0
    assert engine.render_take(replace(blocking, camera=Camera("MS")), seed=3)[2] is None  # static: none


def test_an_animatic_crosses_the_worker_wire(engine: BlenderPrevizEngine) -> None:
    gif = gif_of([Image.new("RGB", (32, 18), (i * 40, 0, 0)) for i in range(3)])
    (result,) = engine.fallback.generate(GenerationRequest(prompt="WS, Maya", width=128, height=72))
    assert decode_result(encode_result(replace(result, animatic=gif))).animatic == gif
    assert decode_result(encode_result(result)).animatic is None


def test_play_the_move_posts_the_kept_animatic_in_the_thread(stack: Stack) -> None:
    ws = stack.workspace
    message = ws.post_user_message("<@U0SLATEBOT> MS, Maya in the throne room, slow dolly in")
    wait_for_shown(ws, 1)
    (result,) = shown(ws)
    version = stack.ledger.version(result.version_id)
    assert version is not None and version.animatic_sha256 is not None and version.scene_sha256 is not None
    kept = stack.images.get(version.animatic_sha256, ANIMATIC_SUFFIX)
    assert len(frames_of(kept)) == FRAMES_SHOWN
    assert f"slate.animatic.{version.id}" in buttons(ws, result)

    ws.press_button(ARTIST_ID, "C0SHOTS", result.message_ts, f"slate.animatic.{version.id}")
    assert ws.wait_for(lambda: any(m.get("files") for m in ws.replies("C0SHOTS", message["ts"])))
    (posted,) = [m for m in ws.replies("C0SHOTS", message["ts"]) if m.get("files")]
    (file,) = posted["files"]
    assert file["name"] == f"shot001_v001_animatic{ANIMATIC_SUFFIX}" and ws.file_bytes(file["id"]) == kept
    assert "dolly in" in posted["text"] and f"<@{ARTIST_ID}>" in posted["text"]


def test_a_static_shot_offers_no_animatic(stack: Stack) -> None:
    ws = stack.workspace
    ws.post_user_message("<@U0SLATEBOT> MS, Maya in the throne room")
    wait_for_shown(ws, 1)
    (result,) = shown(ws)
    version = stack.ledger.version(result.version_id)
    assert version is not None and version.scene_sha256 is not None and version.animatic_sha256 is None
    actions = buttons(ws, result)
    assert f"slate.open_blend.{version.id}" in actions and not any(
        a.startswith("slate.animatic.") for a in actions
    )


def test_a_ledger_from_before_animatics_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    Ledger(path).engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE versions DROP COLUMN animatic_sha256")
    Ledger(path)
    with sqlite3.connect(path) as db:
        assert "animatic_sha256" in {row[1] for row in db.execute("PRAGMA table_info(versions)")}
