"""The 2D previz (Blender absent) draws the shot spec's blocking, not the prompt re-read.

Size scales the figures, angle moves the horizon, the canon's or the direction's costume colour
is drawn, and the spec wins where the prompt's words say otherwise. Pure PIL: fast.
"""

from __future__ import annotations

import numpy as np
import pytest

from agents.blocking import blocking_for
from agents.spec import read_spec, revise_spec
from tools.blocking import Blocking, Camera, Figure, SetDressing
from tools.camera_move import MOVES
from tools.engine import GenerationRequest
from tools.previz import PrevizEngine, frame_facts, horizon_y
from tools.previz_moves import END_SCALE
from tools.previz_moves import INK as MOVE_INK
from tools.previz_text import Fonts

W, H = 320, 180
RED = (0.8, 0.08, 0.06)


def draw(prompt: str, blocking: Blocking) -> np.ndarray:
    (result,) = PrevizEngine().generate(
        GenerationRequest(prompt, width=W, height=H, seed=3, blocking=blocking)
    )
    fonts = Fonts.for_frame(W, H)  # the picture between the caption bands
    return np.asarray(result.image.convert("RGB")).astype(int)[fonts.top_band : H - fonts.bottom_band]


def red(px: np.ndarray) -> np.ndarray:
    return (px[..., 0] - np.maximum(px[..., 1], px[..., 2])) > 60


def test_the_spec_not_the_prompt_sets_size_angle_and_cast() -> None:
    b = Blocking(
        camera=Camera("MCU", angle="low"),
        figures=(Figure("Rook"),),
        set=SetDressing(place="cellar"),
        width=W,
        height=H,
    )
    facts = frame_facts(b)
    assert (facts.shot_size, facts.angles, facts.characters) == ("MCU", ("low angle",), ("Rook",))
    assert facts.setting == "cellar" and facts.int_ext == "INT"  # the place is the spec's, not the prompt's


def test_tighter_makes_her_larger_and_a_low_angle_lowers_the_horizon() -> None:
    text = "MS, Maya in the great hall, wearing a red cloak"
    ms = blocking_for(read_spec(text, ["Maya"]), width=W, height=H, text=text)
    tighter = blocking_for(
        revise_spec(read_spec(text, ["Maya"]), "tighter", ["Maya"]), width=W, height=H, text=text
    )
    assert tighter.camera.shot_size == "MCU"
    a, b = red(draw(text, ms)), red(draw(text, tighter))  # the same prompt: only the spec changed
    widest = lambda m: int(m.sum(axis=1).max())  # noqa: E731 — her widest row
    assert a.sum() > 200 and widest(b) > 1.3 * widest(a)  # her red cloak, larger
    eye = frame_facts(ms)
    low = frame_facts(Blocking(camera=Camera("MS", angle="low"), figures=ms.figures))
    high = frame_facts(Blocking(camera=Camera("MS", angle="high"), figures=ms.figures))
    assert horizon_y(high, W, H) < horizon_y(eye, W, H) < horizon_y(low, W, H)  # low: the horizon drops


def test_a_costume_colour_from_the_spec_is_drawn_and_a_swap_draws_the_newcomer() -> None:
    plain = Blocking(camera=Camera("MS"), figures=(Figure("Maya", costume=RED),), width=W, height=H)
    assert red(draw("MS, Maya", plain)).sum() > 200
    rook = Blocking(
        camera=Camera("MS"), figures=(Figure("Rook", costume=(0.72, 0.74, 0.78)),), width=W, height=H
    )
    assert red(draw("MS, Maya", rook)).sum() < 20  # the prompt still says Maya; the spec has Rook


def cyan(px: np.ndarray) -> np.ndarray:
    return (np.abs(px - np.array(MOVE_INK)).sum(axis=-1)) < 40


@pytest.mark.parametrize("move", sorted(MOVES))
def test_a_camera_move_is_marked_on_the_2d_frame_and_a_static_camera_is_not(move: str) -> None:
    figures = (Figure("Maya"),)
    static = draw("MS, Maya", Blocking(camera=Camera("MS"), figures=figures, width=W, height=H))
    moving = draw("MS, Maya", Blocking(camera=Camera("MS", move=move), figures=figures, width=W, height=H))  # type: ignore[arg-type]
    assert cyan(static).sum() == 0 and cyan(moving).sum() > 80


def test_a_push_in_boxes_the_frame_it_ends_on() -> None:
    b = Blocking(camera=Camera("MS", move="dolly in"), figures=(Figure("Maya"),), width=W, height=H)
    marks = cyan(draw("MS, Maya", b))
    h, w = marks.shape
    sides = np.flatnonzero(
        marks[h // 3 : 2 * h // 3].any(axis=0)
    )  # mid-height: only the end frame's (dashed) sides
    left, right = (1 - END_SCALE["dolly in"]) / 2 * w, (1 + END_SCALE["dolly in"]) / 2 * w
    assert abs(sides.min() - left) < 4 and abs(sides.max() - right) < 4
