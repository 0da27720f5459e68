"""Camera moves: the saved .blend, reopened in bpy, has the camera keyed from the still to the move's end.

Real renders at 128×72 through the warm Blender worker (.venv-blender); the still is the move's first
frame, so what Slate posts is where an artist scrubbing the .blend starts.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from agents.blocking import blocking_for
from agents.spec import ShotSpec
from tools.blender_client import BlenderWorker
from tools.blocking import Blocking, Camera, Figure
from tools.camera_move import FPS, FRAMES, SHOULDER_CLEAR, camera_path

W, H = 128, 72


def keys_of(worker: BlenderWorker, tmp_path: Path, move: str, **camera: object) -> dict:
    blocking = Blocking(
        camera=Camera("MS", move=move, **camera),  # type: ignore[arg-type]
        figures=(Figure("Maya"),),
        width=W,
        height=H,
    )
    result = worker.render(blocking, tmp_path / f"{move.replace(' ', '_')}.png")
    info = worker.inspect(result.blend)
    assert info["camera"]["lens_mm"] == pytest.approx(blocking.camera.lens_mm)  # frame 1 is the still
    assert info["camera"]["location"] == pytest.approx(list(blocking.camera_location()), abs=1e-3)
    return info["camera_keys"]  # type: ignore[return-value]


def subject_distance(end: dict) -> float:
    return math.dist(end["location"], (0.0, 0.0, 1.2))


def test_dolly_in_ends_closer_to_the_subject_and_pull_out_further(
    worker: BlenderWorker, tmp_path: Path
) -> None:
    dolly = keys_of(worker, tmp_path, "dolly in")
    assert dolly["frames"] == [1.0, float(FRAMES)] and dolly["fps"] == FPS and dolly["move"] == "dolly in"
    assert subject_distance(dolly["end"]) < 0.8 * subject_distance(dolly["start"])
    assert dolly["end"]["yaw_deg"] == pytest.approx(dolly["start"]["yaw_deg"], abs=0.01)
    pull = keys_of(worker, tmp_path, "pull out")
    assert subject_distance(pull["end"]) > 1.3 * subject_distance(pull["start"])


def test_pan_turns_the_camera_where_it_stands(worker: BlenderWorker, tmp_path: Path) -> None:
    pan = keys_of(worker, tmp_path, "pan")
    assert pan["end"]["location"] == pytest.approx(pan["start"]["location"], abs=1e-4)
    assert abs(pan["end"]["yaw_deg"] - pan["start"]["yaw_deg"]) > 20


def test_tilt_pitches_and_crane_rises_looking_down(worker: BlenderWorker, tmp_path: Path) -> None:
    tilt = keys_of(worker, tmp_path, "tilt")
    assert tilt["end"]["pitch_deg"] - tilt["start"]["pitch_deg"] > 10
    crane = keys_of(worker, tmp_path, "crane")
    assert crane["end"]["location"][2] > crane["start"]["location"][2] + 0.5
    assert crane["end"]["pitch_deg"] < crane["start"]["pitch_deg"] - 10


def test_zoom_changes_the_lens_not_the_place(worker: BlenderWorker, tmp_path: Path) -> None:
    zoom = keys_of(worker, tmp_path, "zoom", lens_mm=35.0)
    assert zoom["lens_frames"] == [1.0, float(FRAMES)]
    assert zoom["start"]["lens_mm"] == pytest.approx(35.0) and zoom["end"]["lens_mm"] > 55
    assert zoom["end"]["location"] == pytest.approx(zoom["start"]["location"], abs=1e-4)


def test_a_static_camera_has_no_animation(worker: BlenderWorker, tmp_path: Path) -> None:
    static = keys_of(worker, tmp_path, "static")
    assert static["frames"] == [] and static["lens_frames"] == [] and static["frame_range"] == [1, 1]


def test_the_spec_move_reaches_the_blocking() -> None:
    assert blocking_for(ShotSpec(camera_move="dolly in", characters=["Maya"])).camera.move == "dolly in"
    assert blocking_for(ShotSpec(characters=["Maya"])).camera.move == "static"
    with pytest.raises(ValueError, match="camera move"):
        Blocking(camera=Camera(move="whip"))  # type: ignore[arg-type]


@pytest.mark.parametrize("size", ["MS", "CU", "WS"])
def test_an_ots_dolly_in_stops_behind_the_shoulder_and_the_lens_makes_up_the_rest(size: str) -> None:
    ots = Blocking(
        camera=Camera(size, angle="ots", subject="Maya", viewer="Rook", move="dolly in"),  # type: ignore[arg-type]
        figures=(Figure("Maya"), Figure("Rook")),
    )
    front = Blocking(camera=Camera(size, move="dolly in"), figures=(Figure("Maya"),))  # type: ignore[arg-type]
    start, shoulder = ots.camera_location(), ots.figure_locations()[ots.viewer_index() or 0]
    end = camera_path(ots)["keys"][-1]
    stop = max(start[1], shoulder[1] - SHOULDER_CLEAR)  # a CU's camera starts closer than that: it stays
    assert start[1] + end["location"][1] <= stop + 1e-3  # never through Rook
    full = camera_path(front)["keys"][-1]  # the same dolly with no one in the way: the lens holds
    assert full["lens_mm"] == front.camera.lens_mm
    distance = math.dist(start, ots.camera_target())
    travelled = math.hypot(*end["location"])
    magnified = distance / (distance - travelled) * end["lens_mm"] / ots.camera.lens_mm
    assert magnified == pytest.approx(1 / (1 - 0.35), rel=0.02)  # the subject ends as a full dolly frames her
