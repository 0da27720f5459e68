"""The set kit: a place the director names is built, and it reads in the frame.

Words → parts on the Blocking (fast); real Workbench frames at 256×144 for the picture.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from agents.blocking import set_for
from tools.blender_client import BlenderWorker
from tools.blocking import Blocking, Camera, Figure

W, H = 256, 144
PAIR = (Figure("Maya", position="left"), Figure("Rook", position="right"))


def frame(worker: BlenderWorker, place: str, path: Path) -> np.ndarray:
    b = Blocking(camera=Camera("WS"), figures=PAIR, set=set_for(place), width=W, height=H)
    return np.asarray(Image.open(worker.render(b, path).png).convert("RGB")).astype(int)


def test_place_words_pick_their_kit() -> None:
    expected = {
        "a rain-soaked street": "street", "the harbour at dawn": "harbour", "EXT. the docks": "harbour",
        "deep in the forest": "forest", "a rooftop": "rooftop", "the old bridge": "bridge",
        "by the village well": "well", "the tavern": "tavern", "a long corridor": "corridor",
        "the beach": "beach",
    }  # fmt: skip
    for words, part in expected.items():
        assert part in set_for(words).parts, words
    assert "well" not in set_for("a well-lit kitchen").parts
    assert set_for("the tavern").interior and not set_for("the beach").interior


def test_each_place_changes_the_frame_and_reads(worker: BlenderWorker, tmp_path: Path) -> None:
    plain_ext, plain_int = (
        frame(worker, "outside", tmp_path / "ext.png"),
        frame(worker, "a room", tmp_path / "int.png"),
    )
    places = ("street", "harbour", "forest", "rooftop", "bridge", "the well", "tavern", "corridor", "beach")
    frames = {p: frame(worker, p, tmp_path / f"{p}.png") for p in places}
    for place, px in frames.items():
        plain = plain_int if set_for(place).interior else plain_ext
        changed = (np.abs(px - plain).sum(axis=2) > 40).mean()
        assert changed > 0.04, (place, changed)  # the place is drawn, not the bare ground

    def water(px: np.ndarray) -> float:  # blue-green water between the horizon and the figures' feet
        band = px[int(H * 0.45) : int(H * 0.7)]
        return float(((band[..., 2] > band[..., 0] + 25) & (band[..., 2] < 200)).mean())

    for place in ("harbour", "bridge", "beach"):
        assert water(frames[place]) > 0.02 > water(plain_ext), place
    leaves = frames["forest"][: H // 3]
    assert ((leaves[..., 1] > leaves[..., 0] + 10) & (leaves[..., 1] > leaves[..., 2])).mean() > 0.3
    for place in ("street", "corridor"):  # buildings or walls close on both sides, no sky at the edges
        px = frames[place]
        sky = plain_ext[: H // 4, :8].mean(axis=(0, 1))
        for edge in (px[: H // 4, :8], px[: H // 4, -8:]):
            assert np.abs(edge.mean(axis=(0, 1)) - sky).sum() > 60, place
    fire = frames["tavern"]
    assert ((fire[..., 0] > 200) & (fire[..., 0] - fire[..., 2] > 80)).sum() > 15  # the hearth glows
