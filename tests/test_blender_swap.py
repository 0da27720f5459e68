"""Swapping one character for another draws the newcomer's canon, not the one they replace.

Through the real shot desk with a real canon (SQLite ledger, ChromaDB), rendered in Blender at
256×144: "swap Maya for Rook" once kept Maya's red cloak on the figure now called Rook.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agents import Direction, ShotAsk, ShotDesk
from memory.ledger import ImageStore, Ledger, ThreadRef
from tools.blender_client import BlenderUnavailable, BlenderWorker, blender_python
from tools.blender_engine import BlenderPrevizEngine
from tools.previz_text import Fonts


@pytest.fixture(scope="module")
def engine() -> BlenderPrevizEngine:
    try:
        blender_python()
    except BlenderUnavailable as exc:
        pytest.fail(f"{exc} — run `make install` (it creates .venv-blender with bpy)")
    worker = BlenderWorker()
    yield BlenderPrevizEngine(worker)
    worker.close()


def frame(outcome) -> np.ndarray:  # type: ignore[no-untyped-def]
    px = np.asarray(Image.open(io.BytesIO(outcome.png)).convert("RGB")).astype(int)
    h, w = px.shape[:2]
    return px[: h - Fonts.for_frame(w, h).bottom_band - 2]


def red(px: np.ndarray) -> np.ndarray:
    return (px[..., 0] - np.maximum(px[..., 1], px[..., 2])) > 45


def test_swap_maya_for_rook_draws_rooks_canon(
    engine: BlenderPrevizEngine, ledger: Ledger, images: ImageStore, tmp_path: Path, text_embedder
) -> None:  # type: ignore[no-untyped-def]
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from agents.continuity import Continuity
    from memory.canon import Canon
    from memory.drift import DriftChecker
    from memory.vectors import VectorIndex

    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    canon = Canon(ledger, VectorIndex(client, text_embedder), images)
    desk = ShotDesk(engine, ledger, images, 192, continuity=Continuity(canon, DriftChecker()))
    project = ledger.project("T1", "C1").id
    canon.add_character(project, "Maya", "a woman in her 30s", costumes={"default": "a red hooded cloak"})
    canon.add_character(project, "Rook", "a knight in his 50s", costumes={"default": "dented silver armour"})
    d = Direction("MS, Maya in the throne room", "U1", ThreadRef("T1", "C1", "1700000000.000100"))
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (v2,) = desk.revise(d, "swap Maya for Rook")

    def figures(outcome) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
        version = desk.ledger.version(outcome.version_id)
        assert version is not None
        return {f["name"]: f["costume"] for f in json.loads(version.extra["blocking"])["figures"]}

    assert list(figures(v1)) == ["Maya"] and list(figures(v2)) == ["Rook"]
    rook = figures(v2)["Rook"]
    assert abs(rook[0] - rook[2]) < 0.15 and min(rook) > 0.5, f"Rook is not in his silver armour: {rook}"
    before, after = frame(v1), frame(v2)
    assert red(before).sum() > 300, "Maya's red cloak is not in v1"
    assert red(after).sum() < 0.05 * red(before).sum(), "v2 still draws Maya's red cloak"
    r, b = after[..., 0], after[..., 2]  # silver: a neutral, slightly cool grey (the wall is warm)
    silver = (b >= r) & (b - r < 15) & (after.min(axis=2) > 85)
    assert (silver & red(before)).sum() > 0.3 * red(before).sum()  # silver where the red stood
    client.clear_system_cache()
