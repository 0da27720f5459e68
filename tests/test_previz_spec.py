"""The 2D previz (Blender absent) draws the shot spec's blocking, not the prompt re-read.

Size scales the figures, angle moves the horizon, the canon's or the direction's costume colour
is drawn, and the spec wins where the prompt's words say otherwise. Pure PIL: fast.
"""

from __future__ import annotations

import numpy as np

from agents.blocking import blocking_for
from agents.spec import read_spec, revise_spec
from tools.blocking import Blocking, Camera, Figure
from tools.engine import GenerationRequest
from tools.previz import PrevizEngine, horizon_y, spec_reading
from tools.previz_text import Fonts
from tools.shot_reading import read_shot

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
    prompt = "WS, Maya in the hall"  # what the prompt says; the spec was revised since
    b = Blocking(camera=Camera("MCU", angle="low"), figures=(Figure("Rook"),), width=W, height=H)
    reading = spec_reading(read_shot(prompt), b)
    assert (reading.shot_size, reading.angles, reading.characters) == ("MCU", ("low angle",), ("Rook",))
    assert reading.setting == "hall"  # the place is still the prompt's words


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
    eye = spec_reading(read_shot(text), ms)
    low = spec_reading(read_shot(text), Blocking(camera=Camera("MS", angle="low"), figures=ms.figures))
    high = spec_reading(read_shot(text), Blocking(camera=Camera("MS", angle="high"), figures=ms.figures))
    assert horizon_y(high, W, H) < horizon_y(eye, W, H) < horizon_y(low, W, H)  # low: the horizon drops


def test_a_costume_colour_from_the_spec_is_drawn_and_a_swap_draws_the_newcomer() -> None:
    plain = Blocking(camera=Camera("MS"), figures=(Figure("Maya", costume=RED),), width=W, height=H)
    assert red(draw("MS, Maya", plain)).sum() > 200
    rook = Blocking(
        camera=Camera("MS"), figures=(Figure("Rook", costume=(0.72, 0.74, 0.78)),), width=W, height=H
    )
    assert red(draw("MS, Maya", rook)).sum() < 20  # the prompt still says Maya; the spec has Rook
