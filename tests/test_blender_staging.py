"""Staging in the 3D previz: two-shots frame everyone named, OTS and POV put the camera where the
words say, and the action's verbs pose and turn the figures.

Geometry is checked on the Blocking (no Blender: fast); the picture is checked on real Workbench
frames at 256×144 rendered by the warm worker in .venv-blender.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agents.blocking import blocking_for
from agents.spec import read_spec
from tools.blender_client import BlenderWorker
from tools.blocking import SENSOR_WIDTH_MM, Blocking, Camera, Figure, SetDressing

W, H = 256, 144
RED, GREEN, GREY = (0.8, 0.08, 0.06), (0.1, 0.75, 0.12), (0.45, 0.45, 0.45)
PLAIN = SetDressing(parts=("floor", "walls"), floor=(0.4, 0.4, 0.4), walls=(0.6, 0.6, 0.6))
PAIR = (Figure("Maya", costume=RED, position="left"), Figure("Rook", costume=GREEN, position="right"))
CAST = ["Maya", "Rook"]


def shot(camera: Camera, figures: tuple[Figure, ...] = PAIR) -> Blocking:
    return Blocking(camera=camera, figures=figures, set=PLAIN, width=W, height=H)


def render(worker: BlenderWorker, blocking: Blocking, path: Path) -> np.ndarray:
    return np.asarray(Image.open(worker.render(blocking, path).png).convert("RGB")).astype(int)


def mask(px: np.ndarray, channel: int, margin: int = 40) -> np.ndarray:
    others = [c for c in range(3) if c != channel]
    return (px[..., channel] - np.maximum(px[..., others[0]], px[..., others[1]])) > margin


def bbox(m: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(m)
    assert len(xs), "nothing of that colour in frame"
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def project(b: Blocking, point: tuple[float, float, float]) -> tuple[float, float]:
    """Where a world point lands in the frame: (-1, -1) bottom left … (1, 1) top right."""
    loc, target = np.array(b.camera_location()), np.array(b.camera_target())
    forward = (target - loc) / np.linalg.norm(target - loc)
    right = np.cross(forward, (0, 0, 1))
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    rel = np.array(point) - loc
    depth = rel @ forward
    half_w = SENSOR_WIDTH_MM / 2 / b.camera.lens_mm
    return float(rel @ right / depth / half_w), float(rel @ up / depth / (half_w * b.height / b.width))


def head(b: Blocking, i: int) -> tuple[float, float, float]:
    x, y, _ = b.figure_locations()[i]
    return (x, y, 1.62)


# -- geometry -----------------------------------------------------------------------------------


def test_a_two_shot_frames_both_heads_at_close_sizes_and_a_named_subject_only_her() -> None:
    for size in ("CU", "MCU", "MS", "MWS"):
        b = shot(Camera(size))
        for i in (0, 1):
            u, v = project(b, head(b, i))
            assert abs(u) < 0.9 and abs(v) < 1, (size, i, u, v)
    solo = shot(Camera("MS", subject="Maya"))
    assert abs(project(solo, head(solo, 0))[0]) < 0.1 and abs(project(solo, head(solo, 1))[0]) > 0.8
    assert shot(Camera("ECU")).framed() == [0]
    # from the words: two named at MS is a two-shot, one named is hers
    assert blocking_for(read_spec("MS, Maya and Rook at the bar", CAST)).framed() == [0, 1]
    assert blocking_for(read_spec("MS, Maya at the bar", CAST)).camera.subject == "Maya"


def test_ots_puts_the_camera_behind_the_viewers_shoulder_looking_at_the_other() -> None:
    text = "MCU over Rook's shoulder on Maya"
    b = blocking_for(read_spec(text, CAST), width=W, height=H, text=text)
    assert (b.camera.angle, b.camera.viewer, b.camera.subject) == ("ots", "Rook", "Maya")
    m, r = (b.subject_index(), b.viewer_index())
    maya, rook = b.figure_locations()[m], b.figure_locations()[r]
    cam = b.camera_location()
    assert cam[1] < rook[1] < maya[1]  # camera, then the shoulder, then the face
    assert 1.42 < cam[2] < 1.7  # over the shoulder, under the crown
    u_rook, _ = project(b, head(b, r))
    u_maya, v_maya = project(b, head(b, m))
    assert u_rook < -0.4 and 0 < u_maya < 0.6 and abs(v_maya) < 0.8
    yaw_maya, yaw_rook = b.figure_facing()[m], b.figure_facing()[r]
    assert abs(abs(yaw_rook) - 180) < 40 and abs(yaw_maya) < 40  # he faces her, she faces him
    one = blocking_for(read_spec("CU Maya, OTS", CAST), text="CU Maya, OTS")
    assert len(one.figures) == 2 and one.viewer_index() == 1  # a stand-in's shoulder


@pytest.mark.parametrize(
    "text",
    [
        "OTS from Rook onto Maya, tavern",
        "over the shoulder of Rook on Maya",
        "OTS shot from behind Rook, Maya",
    ],
)
def test_an_ots_said_from_someone_is_over_their_shoulder(text: str) -> None:
    b = blocking_for(read_spec(text, CAST), width=W, height=H, text=text)
    assert (b.camera.viewer, b.camera.subject) == ("Rook", "Maya")


def test_pov_puts_the_camera_at_the_viewers_eyes() -> None:
    text = "Maya's POV: Rook kneels before her"
    b = blocking_for(read_spec(text, CAST), width=W, height=H, text=text)
    assert (b.camera.angle, b.camera.viewer, b.camera.subject) == ("pov", "Maya", "Rook")
    maya, rook = b.figure_locations()
    cx, cy, cz = b.camera_location()
    assert (cx, cy) == pytest.approx(maya[:2]) and cz == pytest.approx(0.925 * 1.75, abs=0.01)
    assert b.figures[1].pose == "kneeling"
    assert abs(project(b, (rook[0], rook[1], 1.2))[0]) < 0.1  # Rook centred
    assert abs(b.figure_facing()[1]) < 5  # and looking into the lens: at Maya


def test_verbs_pose_and_turn_the_figures() -> None:
    def figures(text: str) -> dict[str, tuple[str, str, str | None]]:
        b = blocking_for(read_spec(text, CAST), text=text)
        return {f.name: (f.pose, f.facing, f.look_at) for f in b.figures}

    assert figures("WS, Maya walks in, Rook sits by the fire") == {
        "Maya": ("walking", "camera", None),
        "Rook": ("sitting", "camera", None),
    }
    assert figures("Maya runs, Rook lies on the floor")["Rook"][0] == "lying"
    assert figures("Maya runs, Rook lies on the floor")["Maya"][0] == "running"
    assert figures("Maya kneels before Rook, Rook raises his sword") == {
        "Maya": ("kneeling", "camera", "Rook"),
        "Rook": ("raising", "camera", None),
    }
    assert figures("Maya points at Rook")["Maya"] == ("pointing", "camera", "Rook")
    assert figures("Maya and Rook face each other")["Rook"][2] == "Maya"
    assert figures("Rook turns away from Maya")["Rook"][1] == "away"
    b = blocking_for(
        read_spec("MS, Maya and Rook face each other", CAST), text="Maya and Rook face each other"
    )
    assert b.figure_facing() == [pytest.approx(90), pytest.approx(-90)]  # Maya turns right, Rook left
    stand_in = shot(Camera("MS"), (Figure(""), Figure("Maya", position="right")))
    assert stand_in.figure_facing() == [0.0, 0.0]  # nobody looks at the unnamed stand-in unasked


# -- the picture --------------------------------------------------------------------------------


def test_two_shot_frame_holds_both_figures_large(worker: BlenderWorker, tmp_path: Path) -> None:
    for size in ("MCU", "MS"):
        px = render(worker, shot(Camera(size)), tmp_path / f"{size}.png")
        red, green = bbox(mask(px, 0)), bbox(mask(px, 1))
        assert red[2] < W * 0.55 and green[0] > W * 0.45, (size, red, green)  # Maya left, Rook right
        for box in (red, green):
            assert box[3] - box[1] > 0.6 * H, (size, box)  # each fills the frame's height: close
    solo = render(worker, shot(Camera("MS", subject="Maya")), tmp_path / "solo.png")
    maya, rook = bbox(mask(solo, 0)), bbox(mask(solo, 1))
    assert (
        abs((maya[0] + maya[2]) / 2 - W / 2) < 0.1 * W and rook[0] > 0.8 * W
    )  # Maya's shot; Rook at the edge


def test_ots_frame_has_the_dark_shoulder_left_and_the_face_right(
    worker: BlenderWorker, tmp_path: Path
) -> None:
    b = shot(Camera("MCU", angle="ots", subject="Maya", viewer="Rook"))
    px = render(worker, b, tmp_path / "ots.png")
    maya = bbox(mask(px, 0))
    assert (maya[0] + maya[2]) / 2 > W / 2
    lum = 0.2126 * px[..., 0] + 0.7152 * px[..., 1] + 0.0722 * px[..., 2]
    left, right = lum[:, : W // 3].mean(), lum[:, 2 * W // 3 :].mean()
    assert left < 0.8 * right, (left, right)  # the foreground shoulder is dark
    assert mask(px, 1, margin=15)[:, : W // 3].mean() > 0.15  # and it is Rook's (dark) green


def test_pov_frame_shows_the_other_and_not_the_viewer(worker: BlenderWorker, tmp_path: Path) -> None:
    b = shot(Camera("MS", angle="pov", viewer="Maya"))
    result = worker.render(b, tmp_path / "pov.png")
    px = np.asarray(Image.open(result.png).convert("RGB")).astype(int)
    assert mask(px, 0).sum() < 10 and mask(px, 1).sum() > 0.1 * W * H
    info = worker.inspect(result.blend)
    assert info["figures"] == ["Maya", "Rook"] and info["hidden_in_render"] == ["Maya"]
    assert info["camera"]["location"] == pytest.approx(list(b.camera_location()), abs=1e-3)


def test_poses_change_the_figures_silhouette(worker: BlenderWorker, tmp_path: Path) -> None:
    def box(pose: str, prop: str | None = None) -> tuple[int, int, int, int]:
        fig = (Figure("Maya", costume=GREEN, pose=pose, prop=prop),)  # type: ignore[arg-type]
        return bbox(mask(render(worker, shot(Camera("WS"), fig), tmp_path / f"{pose}.png"), 1))

    stand, kneel, lie, raised = box("standing"), box("kneeling"), box("lying"), box("raising", "sword")
    height = {k: b[3] - b[1] for k, b in (("stand", stand), ("kneel", kneel), ("lie", lie))}
    assert height["kneel"] < 0.85 * height["stand"] and height["lie"] < 0.4 * height["stand"], height
    assert lie[2] - lie[0] > 2 * (lie[3] - lie[1])  # lying is long, not tall
    assert raised[1] < stand[1] - 0.05 * H  # the arm goes up above the head


def test_facing_each_other_turns_the_figures_in_the_blend(worker: BlenderWorker, tmp_path: Path) -> None:
    text = "MS, Maya and Rook face each other"
    b = blocking_for(read_spec(text, CAST), width=W, height=H, text=text)
    info = worker.inspect(worker.render(b, tmp_path / "face.png").blend)
    yaw = info["figure_yaw_deg"]
    assert yaw["Maya"] == pytest.approx(90, abs=1) and yaw["Rook"] == pytest.approx(-90, abs=1)
    assert math.isclose(info["figure_location"]["Maya"][0], b.figure_locations()[0][0], abs_tol=1e-3)
