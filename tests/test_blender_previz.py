"""The Blender blocking previz: the picture follows the shot description, not a caption.

These render real frames with bpy in its own venv (.venv-blender, set up by ``make install``) at a
small size so they stay fast. They never skip: without the Blender venv they fail saying so.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.blender_client import BlenderError, BlenderUnavailable, BlenderWorker
from tools.blocking import Blocking, Camera, Figure, SetDressing

W, H = 256, 144
GREEN = (0.1, 0.75, 0.12)
RED = (0.8, 0.08, 0.06)
GREY = (0.45, 0.45, 0.45)
PLAIN = SetDressing(parts=("floor", "walls"), floor=(0.4, 0.4, 0.4), walls=(0.6, 0.6, 0.6))


def shot(**kw: object) -> Blocking:
    figures = kw.pop("figures", (Figure("Maya", costume=GREEN),))
    return Blocking(figures=figures, set=kw.pop("set", PLAIN), width=W, height=H, **kw)  # type: ignore[arg-type]


def render(worker: BlenderWorker, blocking: Blocking, path: Path) -> np.ndarray:
    result = worker.render(blocking, path)
    assert result.png.exists() and result.blend.exists()
    return np.asarray(Image.open(result.png).convert("RGB")).astype(int)


def mask(px: np.ndarray, channel: int, margin: int = 45) -> np.ndarray:
    """Pixels where one channel clearly dominates the other two (a saturated costume colour)."""
    others = [c for c in range(3) if c != channel]
    return (px[..., channel] - np.maximum(px[..., others[0]], px[..., others[1]])) > margin


def luminance(px: np.ndarray) -> float:
    return float((0.2126 * px[..., 0] + 0.7152 * px[..., 1] + 0.0722 * px[..., 2]).mean())


def column_runs(m: np.ndarray, min_pixels: int = 2, gap: int = 6) -> list[tuple[int, int]]:
    """Horizontal spans holding the mask; gaps narrower than ``gap`` (an arm's daylight) don't split one."""
    cols = m.sum(axis=0) >= min_pixels
    runs, start = [], None
    for x, on in enumerate([*cols, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            if runs and start - runs[-1][1] < gap:
                start = runs.pop()[0]
            runs.append((start, x))
            start = None
    return runs


# -- the description alone (no Blender) ----------------------------------------------------------


def test_blocking_round_trips_as_json() -> None:
    b = shot(
        camera=Camera("CU", 85, "low", 10.0), figures=(Figure("Maya", costume=RED, prop="sword"),), fog=0.3
    )
    assert Blocking.from_json(b.to_json()) == b


def test_tighter_sizes_bring_the_camera_closer_and_wrong_words_are_refused() -> None:
    distances = [
        shot(camera=Camera(size)).camera_distance() for size in ("ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS")
    ]
    assert distances == sorted(distances)
    assert shot(camera=Camera("MS", lens_mm=70)).camera_distance() == pytest.approx(
        2 * shot(camera=Camera("MS", lens_mm=35)).camera_distance()
    )
    with pytest.raises(ValueError, match="shot size"):
        shot(camera=Camera("XXL"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="set part"):
        shot(set=SetDressing(parts=("spaceship",)))  # type: ignore[arg-type]


def test_missing_blender_venv_says_make_install_sets_it_up(tmp_path: Path) -> None:
    with pytest.raises(BlenderUnavailable, match="make install"):
        BlenderWorker(venv=tmp_path / "nowhere").render(shot(), tmp_path / "x.png")


# -- the picture ---------------------------------------------------------------------------------


def test_tighter_shot_makes_the_figure_larger_in_frame(worker: BlenderWorker, tmp_path: Path) -> None:
    area = {size: int(mask(render(worker, shot(camera=Camera(size)), tmp_path / f"{size}.png"), 1).sum())
            for size in ("MS", "MWS", "WS", "EWS")}  # fmt: skip
    assert area["MS"] > 1.3 * area["MWS"] > 1.3 * area["WS"] > 1.3 * area["EWS"] > 0, area


def test_low_angle_puts_the_camera_low_and_the_blend_keeps_lens_and_position(
    worker: BlenderWorker, tmp_path: Path
) -> None:
    eye = shot(camera=Camera("MS", lens_mm=35, angle="eye"))
    low = shot(camera=Camera("MS", lens_mm=24, angle="low"))
    high = shot(camera=Camera("MS", lens_mm=35, angle="high"))
    info = {}
    for name, b in (("eye", eye), ("low", low), ("high", high)):
        result = worker.render(b, tmp_path / f"{name}.png")
        info[name] = worker.inspect(result.blend)["camera"]
        assert info[name]["lens_mm"] == pytest.approx(b.camera.lens_mm)
        assert info[name]["location"] == pytest.approx(list(b.camera_location()), abs=1e-3)
    z = {k: v["location"][2] for k, v in info.items()}
    assert z["low"] < z["eye"] < z["high"], z
    # pitch: a camera looking up has rotation x above 90°, looking down below it
    assert info["low"]["rotation_euler"][0] > math.radians(95) and info["high"]["rotation_euler"][
        0
    ] < math.radians(85)


def test_dutch_rolls_the_camera(worker: BlenderWorker, tmp_path: Path) -> None:
    result = worker.render(shot(camera=Camera("WS", dutch_deg=20)), tmp_path / "dutch.png")
    rx, ry, rz = worker.inspect(result.blend)["camera"]["rotation_euler"]
    assert abs(ry) + abs(rz) > math.radians(10)  # rolled away from the level camera's (90°, 0, 0)


def test_night_is_darker_than_day(worker: BlenderWorker, tmp_path: Path) -> None:
    day = luminance(render(worker, shot(camera=Camera("WS"), time_of_day="day"), tmp_path / "day.png"))
    night = luminance(render(worker, shot(camera=Camera("WS"), time_of_day="night"), tmp_path / "night.png"))
    assert night < 0.5 * day, (day, night)


def test_a_red_costume_adds_red_where_the_figure_stands(worker: BlenderWorker, tmp_path: Path) -> None:
    def frame(costume: tuple[float, float, float]) -> np.ndarray:
        fig = Figure("Maya", costume=costume, position="left")
        others = (Figure("Rook", costume=GREY, position="right"),)
        return render(worker, shot(camera=Camera("WS"), figures=(fig, *others)), tmp_path / f"{costume}.png")

    grey, red = mask(frame(GREY), 0), mask(frame(RED), 0)
    assert grey.sum() < 20 and red.sum() > 300, (grey.sum(), red.sum())
    xs = np.nonzero(red)[1]
    assert xs.mean() < W / 2  # Maya stands frame left; the red is there, not on Rook


def test_two_figures_give_two_separate_figures(worker: BlenderWorker, tmp_path: Path) -> None:
    one = mask(render(worker, shot(camera=Camera("WS")), tmp_path / "one.png"), 1)
    pair = (Figure("Maya", costume=GREEN, position="left"), Figure("Rook", costume=GREEN, position="right"))
    two = mask(render(worker, shot(camera=Camera("WS"), figures=pair), tmp_path / "two.png"), 1)
    assert len(column_runs(one)) == 1
    runs = column_runs(two)
    assert len(runs) == 2, runs
    assert runs[0][1] < W / 2 < runs[1][0]


def test_blend_reopens_with_its_figures_and_nothing_leaks_between_requests(
    worker: BlenderWorker, tmp_path: Path
) -> None:
    pair = (Figure("Maya", costume=GREEN, prop="sword"), Figure("Rook", position="right", pose="pointing"))
    first = worker.render(shot(figures=pair, set=SetDressing(parts=("floor", "walls", "throne", "doorway"))),
                          tmp_path / "a.png")  # fmt: skip
    second = worker.render(shot(figures=(Figure("Ash"),)), tmp_path / "b.png")
    a, b = worker.inspect(first.blend), worker.inspect(second.blend)
    assert a["figures"] == ["Maya", "Rook"] and b["figures"] == ["Ash"]
    assert a["engine"] == "BLENDER_WORKBENCH" and a["resolution"] == [W, H]
    assert b["objects"] < a["objects"]


def test_worker_survives_a_bad_request_and_restarts_after_dying(
    worker: BlenderWorker, tmp_path: Path
) -> None:
    worker.rss_mb()
    pid = worker.pid
    with pytest.raises(BlenderError, match="not absolute"):
        worker.request({"op": "render", "scene": shot().to_dict(), "png": "rel.png", "blend": "rel.blend"})
    assert worker.pid == pid  # still the same warm process
    import os
    import signal

    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    starts = worker.starts
    assert worker.render(shot(), tmp_path / "after.png").png.exists()
    assert worker.starts == starts + 1 and worker.pid != pid


def test_a_close_low_angle_still_shows_the_face() -> None:
    """At 28° an ECU's camera sat under the chin; close, a low angle is a gentle one."""
    from tools.blocking import PITCH

    ecu = shot(camera=Camera("ECU", angle="low"))
    assert 0 < ecu.camera_pitch() <= 10 < PITCH["low"]
    assert shot(camera=Camera("WS", angle="low")).camera_pitch() == PITCH["low"]
    assert shot(camera=Camera("CU", angle="overhead")).camera_pitch() == PITCH["overhead"]
    _, _, eye_z = ecu.camera_target()
    assert ecu.camera_location()[2] > eye_z - 0.1  # near the eyes' height, not at the jaw
