"""The 3D previz through the real shot desk: every version is the blocking its spec describes.

Frames are rendered in Blender (.venv-blender) at 256×144 so the tests stay fast; each test checks
the picture, and where it can the blocking recorded with the version.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agents import Direction, ShotAsk, ShotDesk
from memory.ledger import ImageStore, Ledger, ThreadRef
from tools.blender_client import BlenderUnavailable, BlenderWorker, blender_python
from tools.blender_engine import BlenderPrevizEngine
from tools.engine import GenerationRequest
from tools.previz_text import Fonts

SAVE = os.environ.get("SLATE_SAVE_FRAMES")  # a folder to keep the frames in, to look at them


@pytest.fixture(scope="module")
def engine() -> BlenderPrevizEngine:
    try:
        blender_python()
    except BlenderUnavailable as exc:
        pytest.fail(f"{exc} — run `make install` (it creates .venv-blender with bpy)")
    worker = BlenderWorker()
    yield BlenderPrevizEngine(worker)
    worker.close()


@pytest.fixture
def desk(engine: BlenderPrevizEngine, ledger: Ledger, images: ImageStore) -> ShotDesk:
    return ShotDesk(engine, ledger, images, base_side=192)  # 16:9 is 256×144


def direction(text: str, thread: str = "1700000000.000100") -> Direction:
    return Direction(text, "U1", ThreadRef("T1", "C1", thread))


def pixels(outcome, name: str = "") -> np.ndarray:  # type: ignore[no-untyped-def]
    image = Image.open(io.BytesIO(outcome.png)).convert("RGB")
    if SAVE and name:
        Path(SAVE).mkdir(parents=True, exist_ok=True)
        image.save(Path(SAVE) / f"{name}.png")
    return np.asarray(image).astype(int)


def content(px: np.ndarray) -> np.ndarray:
    """The frame above the caption strip."""
    h, w = px.shape[:2]
    return px[: h - Fonts.for_frame(w, h).bottom_band - 2]


def dominant(px: np.ndarray, channel: int, margin: int = 35) -> np.ndarray:
    others = [c for c in range(3) if c != channel]
    return (px[..., channel] - np.maximum(px[..., others[0]], px[..., others[1]])) > margin


def luminance(px: np.ndarray) -> float:
    return float((0.2126 * px[..., 0] + 0.7152 * px[..., 1] + 0.0722 * px[..., 2]).mean())


def blocking_of(desk: ShotDesk, outcome) -> dict:  # type: ignore[no-untyped-def]
    version = desk.ledger.version(outcome.version_id)
    assert version is not None and version.extra["renderer"] == "blender"
    return json.loads(version.extra["blocking"])


GREEN, RED = 1, 0


def test_a_new_shot_is_a_captioned_blender_previz(desk: ShotDesk) -> None:
    d = direction("MS, Maya in the great hall, wearing a green cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    assert v1.is_previz and (v1.width, v1.height) == (256, 144)
    version = desk.ledger.version(v1.version_id)
    assert version is not None and version.engine == "previz" and version.model == "blender-workbench"
    assert dominant(content(pixels(v1)), GREEN).sum() > 200  # her cloak is in the picture
    assert blocking_of(desk, v1)["camera"]["shot_size"] == "MS"


def test_tighter_from_a_low_angle_makes_her_larger_and_moves_the_camera(desk: ShotDesk) -> None:
    d = direction("MS, Maya in the great hall, wearing a green cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (v2,) = desk.revise(d, "tighter, from a low angle")
    before, after = content(pixels(v1, "v1")), content(pixels(v2, "v2_tighter_low"))
    width = lambda px: int(dominant(px, GREEN).sum(axis=1).max())  # noqa: E731 — her widest row
    assert width(after) > 1.3 * width(before)
    assert np.abs(before - after).mean() > 5
    b1, b2 = blocking_of(desk, v1), blocking_of(desk, v2)
    assert (b1["camera"]["shot_size"], b2["camera"]["shot_size"]) == ("MS", "MCU")
    assert (b1["camera"]["angle"], b2["camera"]["angle"]) == ("eye", "low")
    assert v2.seed == v1.seed  # a revision keeps the take: only what the spec changed moves


def test_low_angle_alone_changes_the_camera(desk: ShotDesk) -> None:
    d = direction("WS, Maya in the courtyard, wearing a green cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (v2,) = desk.revise(d, "low angle")
    assert blocking_of(desk, v2)["camera"]["angle"] == "low"
    assert np.abs(content(pixels(v1)) - content(pixels(v2))).mean() > 3


def test_making_her_cloak_red_puts_red_where_she_stands(desk: ShotDesk) -> None:
    d = direction("MS, Maya in the great hall, wearing a green cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (v2,) = desk.revise(d, "make her cloak red")
    before, after = content(pixels(v1)), content(pixels(v2, "v2_red_cloak"))
    green_before, red_after = dominant(before, GREEN), dominant(after, RED)
    assert dominant(before, RED).sum() < 30 and red_after.sum() > 200
    assert (green_before & red_after).sum() > 0.6 * green_before.sum()  # the same figure, recoloured


def test_night_is_darker_than_noon(desk: ShotDesk) -> None:
    d = direction("WS, Maya on the cliff at noon, wearing a green cloak")
    (noon,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (night,) = desk.revise(d, "make it night")
    assert blocking_of(desk, night)["time_of_day"] == "night"
    assert luminance(content(pixels(night))) < 0.6 * luminance(content(pixels(noon)))


def test_two_named_characters_are_two_figures(desk: ShotDesk) -> None:
    d = direction("WS in the tavern, Maya in a green cloak and Rook in a red cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    px = content(pixels(v1, "two_shot"))
    assert [f["name"] for f in blocking_of(desk, v1)["figures"]] == ["Maya", "Rook"]
    green_x = np.nonzero(dominant(px, GREEN).sum(axis=0))[0]
    cloth = dominant(px, RED) & (px[..., 1] < 0.45 * px[..., 0])  # a red cloak, not the orange hearth
    red_x = np.nonzero(cloth.sum(axis=0))[0]
    assert len(green_x) and len(red_x) and green_x.mean() < px.shape[1] / 2 < red_x.mean()


def test_extend_shows_more_of_the_same_set_not_bars(desk: ShotDesk) -> None:
    d = direction("MS, Maya in the throne room, wearing a green cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (v2,) = desk.extend(d, "2.39:1")
    assert v2.height == v1.height and v2.width > v1.width * 1.3
    a, b = content(pixels(v1)), content(pixels(v2, "v2_extend_239"))
    off = (b.shape[1] - a.shape[1]) // 2
    centre = b[: a.shape[0], off : off + a.shape[1]]
    assert np.abs(centre - a).mean() < 12  # the same camera on the same set: the middle matches
    edges = np.concatenate([b[:, : off // 2], b[:, -off // 2 :]], axis=1)
    wall = a[:, :8].reshape(-1, 3).mean(axis=0)  # the set at v1's edge
    assert np.abs(edges.reshape(-1, 3).mean(axis=0) - wall).max() < 12  # the new sides are that set
    assert not (np.abs(edges - 127).max(axis=-1) < 3).mean() > 0.5  # nor the grey canvas
    assert blocking_of(desk, v2)["width"] == v2.width


def test_an_upscale_rerenders_the_same_picture_larger(desk: ShotDesk) -> None:
    d = direction("MS, Maya in the great hall, wearing a green cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    (v2,) = desk.upscale(d, 2.0)
    assert (v2.width, v2.height) == (512, 288) and v2.seed == v1.seed
    small = np.asarray(Image.open(io.BytesIO(v2.png)).convert("RGB").resize((256, 144))).astype(int)
    a = content(pixels(v1))
    assert np.abs(small[: a.shape[0]] - a).mean() < 10


def test_vary_differs_but_stays_the_same_shot(desk: ShotDesk) -> None:
    d = direction("WS in the courtyard, Maya in a green cloak and Rook in a red cloak")
    (v1,) = desk.new_shot(d, ShotAsk(d.text, "16:9"))
    variations = desk.vary(d, "reroll", 2)
    assert len(variations) == 2 and len({v.seed for v in variations}) == 2
    frames = [content(pixels(v)) for v in (v1, *variations)]
    assert np.abs(frames[1] - frames[2]).mean() > 0.5  # they differ
    for f in frames:  # but it is the same two people
        assert dominant(f, GREEN).sum() > 50 and dominant(f, RED).sum() > 50
    assert all(blocking_of(desk, v)["camera"]["shot_size"] == "WS" for v in variations)


def test_no_blocking_or_no_blender_falls_back_to_the_2d_previz(tmp_path: Path) -> None:
    missing = BlenderPrevizEngine(BlenderWorker(venv=tmp_path / "no-venv"))
    from agents.blocking import blocking_for
    from agents.spec import ShotSpec

    request = GenerationRequest("MS, Maya", width=128, height=72)
    (plain,) = missing.generate(request)
    assert plain.is_previz and plain.record.model == "previz"
    blocking = blocking_for(ShotSpec(characters=["Maya"]), width=128, height=72)
    (fallback,) = missing.generate(GenerationRequest("MS, Maya", width=128, height=72, blocking=blocking))
    assert fallback.is_previz and fallback.record.engine == "previz" and fallback.image.size == (128, 72)


def test_each_blender_version_keeps_its_blend_and_it_reopens_with_the_specs_camera(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tools.blender_client import shared_worker
    from tools.blender_engine import BlenderPrevizEngine
    from tools.blocking import Blocking, Camera, Figure
    from tools.engine import GenerationRequest

    blocking = Blocking(
        camera=Camera("MCU", lens_mm=85, angle="low"), figures=(Figure("Maya"),), width=256, height=144
    )
    (result,) = BlenderPrevizEngine().generate(
        GenerationRequest(prompt="MCU, Maya", width=256, height=144, blocking=blocking)
    )
    assert result.scene is not None and len(result.scene) > 1000  # zstd-compressed, as Blender 5 saves
    saved = tmp_path / "kept.blend"
    saved.write_bytes(result.scene)
    info = shared_worker().inspect(saved)
    assert abs(float(info["camera"]["lens_mm"]) - 85) < 0.01 and info["figures"] == ["Maya"]  # type: ignore[index]


def test_each_characters_canon_costume_lands_on_their_own_figure(
    engine: BlenderPrevizEngine, ledger: Ledger, images: ImageStore, tmp_path: Path, text_embedder
) -> None:  # type: ignore[no-untyped-def]
    """The canon's words ride in the prompt ("Rook: …, wearing dented silver armour"): read as the
    direction's, Rook's silver once landed on Maya, the shot's subject."""
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
    canon.add_character(
        project, "Maya", "a woman in her 30s, short dark hair", costumes={"default": "a red hooded cloak"}
    )
    canon.add_character(
        project, "Rook", "a knight in his 50s, bald", costumes={"default": "dented silver armour"}
    )
    (outcome,) = desk.new_shot(
        direction("WS, Maya walks into the throne room at dusk, Rook waits by the door"),
        ShotAsk("WS, Maya walks into the throne room at dusk, Rook waits by the door", "16:9"),
    )
    # An extension starts from the version's prompt, canon words and all, with no pack of its own.
    (extended,) = desk.extend(direction("extend to 2.39:1"), "2.39:1")
    for version, made in (("v1", outcome), ("v2 (extended)", extended)):
        figures = {f["name"]: f["costume"] for f in blocking_of(desk, made)["figures"]}
        maya, rook = figures["Maya"], figures["Rook"]
        assert maya[0] > 1.5 * max(maya[1], maya[2]), f"{version}: Maya's cloak is not red: {maya}"
        assert abs(rook[0] - rook[2]) < 0.15 and min(rook) > 0.5, (
            f"{version}: Rook's armour is not silver: {rook}"
        )
    client.clear_system_cache()
