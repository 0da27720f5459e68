"""Open in Blender: a version whose frame came with a 3D scene keeps it, and the thread gets it.

The engine here is the 2D previz with a scene attached to each result (the Blender engine's
own tests render real ones, tests/test_blender_previz.py): what is under test is the keeping,
the round trip over the worker wire, the button and the handover, all real.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from localslack.state import ARTIST_ID
from memory.ledger.images import SCENE_SUFFIX
from tests.conftest import Stack, run_stack
from tests.shown import shown, wait_for_shown
from tools.engine import GenerationRequest, GenerationResult, ProgressCallback
from tools.previz import PrevizEngine
from tools.worker.wire import decode_result, encode_result

SCENE = b"BLENDER-v500" + bytes(range(256)) * 4  # a .blend's magic, then bytes that must survive


class SceneKeepingPreviz(PrevizEngine):
    """The 2D previz, each result carrying a scene as the Blender engine's do."""

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> list[GenerationResult]:
        return [
            replace(r, scene=SCENE + r.record.prompt.encode()) for r in super().generate(request, progress)
        ]


def _stack(engine: PrevizEngine, tmp_path: Path) -> Iterator[Stack]:
    yield from run_stack(engine, 128, tmp_path, listener_threads=None)


@pytest.fixture
def scene_stack(tmp_path: Path) -> Iterator[Stack]:
    yield from _stack(SceneKeepingPreviz(), tmp_path)


@pytest.fixture
def stack_2d(tmp_path: Path) -> Iterator[Stack]:
    yield from _stack(PrevizEngine(), tmp_path)


def test_a_scene_crosses_the_worker_wire_unchanged() -> None:
    (result,) = SceneKeepingPreviz().generate(GenerationRequest(prompt="WS, Maya", width=128, height=72))
    assert decode_result(encode_result(result)).scene == result.scene
    assert decode_result(encode_result(replace(result, scene=None))).scene is None


def test_a_versions_scene_is_kept_and_handed_to_the_thread_on_open_in_blender(scene_stack: Stack) -> None:
    ws = scene_stack.workspace
    message = ws.post_user_message("<@U0SLATEBOT> WS, Maya at the harbour at dawn")
    wait_for_shown(ws, 1)
    (result,) = shown(ws)
    version = scene_stack.ledger.version(result.version_id)
    assert version is not None and version.scene_sha256 is not None
    kept = scene_stack.images.get(version.scene_sha256, SCENE_SUFFIX)
    assert kept.startswith(SCENE)

    ws.press_button(ARTIST_ID, "C0SHOTS", result.message_ts, f"slate.open_blend.{version.id}")
    assert ws.wait_for(lambda: any(m.get("files") for m in ws.replies("C0SHOTS", message["ts"])))
    (handed,) = [m for m in ws.replies("C0SHOTS", message["ts"]) if m.get("files")]
    (file,) = handed["files"]
    assert file["name"] == f"shot001_v001_blocking{SCENE_SUFFIX}" and ws.file_bytes(file["id"]) == kept
    assert "Blender" in handed["text"] and f"<@{ARTIST_ID}>" in handed["text"]


def test_a_version_without_a_scene_has_no_open_in_blender(stack_2d: Stack) -> None:
    ws = stack_2d.workspace
    ws.post_user_message("<@U0SLATEBOT> WS, Maya at the harbour at dawn")
    wait_for_shown(ws, 1)
    (result,) = shown(ws)
    (message,) = [m for m in ws.replies("C0SHOTS", result.thread_ts) if m["ts"] == result.message_ts]
    actions = [
        e.get("action_id", "") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions and not any(a.startswith("slate.open_blend.") for a in actions)
