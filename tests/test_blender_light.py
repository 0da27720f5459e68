"""Light and weather words in the 3D previz: each one changes the frame where it should.

Real Workbench frames at 256×144 from the warm worker (.venv-blender); the reading of the words is
checked on the Blocking alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agents.blocking import blocking_for
from agents.spec import read_spec
from tools.blender_client import BlenderWorker
from tools.blocking import Blocking, Camera, Figure, SetDressing

W, H = 256, 144
GREY = (0.6, 0.6, 0.6)
INSIDE = SetDressing(parts=("floor", "walls"), floor=(0.4, 0.4, 0.4), walls=(0.6, 0.6, 0.6))
OUTSIDE = SetDressing(interior=False, parts=("floor",), floor=(0.46, 0.45, 0.43))
PAIR = (Figure("Maya", costume=GREY, position="left"), Figure("Rook", costume=GREY, position="right"))


@pytest.fixture
def frame(worker: BlenderWorker, tmp_path: Path):  # type: ignore[no-untyped-def]
    def render(**kw: object) -> np.ndarray:
        b = Blocking(
            camera=kw.pop("camera", Camera("MWS")),  # type: ignore[arg-type]
            figures=kw.pop("figures", PAIR),  # type: ignore[arg-type]
            set=kw.pop("set", INSIDE),  # type: ignore[arg-type]
            width=W,
            height=H,
            **kw,  # type: ignore[arg-type]
        )
        png = worker.render(b, tmp_path / f"{abs(hash(b.to_json()))}.png").png
        return np.asarray(Image.open(png).convert("RGB")).astype(float)

    return render


def lum(px: np.ndarray) -> np.ndarray:
    return 0.2126 * px[..., 0] + 0.7152 * px[..., 1] + 0.0722 * px[..., 2]


# Maya's torso at MWS, left of centre, and the sky/wall above the figures' heads
TORSO = (slice(int(H * 0.3), int(H * 0.5)), slice(int(W * 0.22), int(W * 0.3)))
TOP = (slice(0, int(H * 0.12)), slice(int(W * 0.35), int(W * 0.65)))


def warmth(px: np.ndarray) -> float:
    return float((px[..., 0] - px[..., 2]).mean())


def test_lighting_and_weather_words_are_read() -> None:
    def read(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        b = blocking_for(read_spec(text, ["Maya"]), text=text)
        return b.lighting, b.weather

    assert read("WS, Maya in the hall by torchlight at night") == (("torchlight",), ())
    assert read("EXT. street, night, rain, neon signs") == (("neon",), ("rain",))
    assert read("low-key, candle-lit tavern") == (("candlelight", "low key"), ())
    assert read("snowy forest at dawn, Maya in silhouette") == (("silhouette",), ("snow",))
    assert read("Maya backlit, rim light, moonlit") == (("moonlight", "backlit", "rim light"), ())
    with pytest.raises(ValueError, match="lighting"):
        Blocking(lighting=("disco",))


def test_torchlight_and_candlelight_warm_the_figures_at_night(frame) -> None:  # type: ignore[no-untyped-def]
    night = frame(time_of_day="night")
    torch = frame(time_of_day="night", lighting=("torchlight",))
    candle = frame(time_of_day="night", lighting=("candlelight",))
    for lit in (torch, candle):
        assert warmth(lit[TORSO]) > warmth(night[TORSO]) + 8
        assert lum(lit[TORSO]).mean() > 1.5 * lum(night[TORSO]).mean()
    flames = (torch[..., 0] > 200) & (torch[..., 1] > 100) & (torch[..., 0] - torch[..., 2] > 50)
    assert flames.sum() > 10  # the torches' flames are in frame


def test_moonlight_is_a_cool_readable_night(frame) -> None:  # type: ignore[no-untyped-def]
    night, moon = (
        frame(time_of_day="night", set=OUTSIDE),
        frame(time_of_day="night", set=OUTSIDE, lighting=("moonlight",)),
    )
    assert lum(moon).mean() > 1.4 * lum(night).mean()
    assert moon[..., 2].mean() > moon[..., 0].mean() + 10  # blue over red


def test_backlight_and_silhouette_darken_the_figures_against_a_bright_sky(frame) -> None:  # type: ignore[no-untyped-def]
    front = frame(set=OUTSIDE, time_of_day="golden hour")
    back = frame(set=OUTSIDE, time_of_day="golden hour", lighting=("backlit",))
    shape = frame(set=OUTSIDE, time_of_day="golden hour", lighting=("silhouette",))
    assert np.median(lum(back[TORSO])) < 0.6 * np.median(lum(front[TORSO]))  # median: not the rim
    assert np.median(lum(shape[TORSO])) < 40 < lum(shape[TOP]).mean() - 100  # black against the sky


def test_rim_light_draws_a_bright_edge_and_keys_change_exposure(frame) -> None:  # type: ignore[no-untyped-def]
    plain, rim = frame(time_of_day="dusk"), frame(time_of_day="dusk", lighting=("rim light",))
    assert (lum(rim) > 180).sum() > (lum(plain) > 180).sum() + 150
    day, low, high = frame(), frame(lighting=("low key",)), frame(lighting=("high key",))
    assert lum(low).mean() < 0.6 * lum(day).mean() and lum(high).mean() > 1.2 * lum(day).mean()


def test_neon_puts_pink_and_cyan_in_the_frame(frame) -> None:  # type: ignore[no-untyped-def]
    px = frame(time_of_day="night", lighting=("neon",))
    pink = (px[..., 0] > 150) & (px[..., 2] > 110) & (px[..., 1] < 100)
    cyan = (px[..., 1] > 150) & (px[..., 2] > 150) & (px[..., 0] < 110)
    assert pink.sum() > 20 and cyan.sum() > 20
    assert (pink.nonzero()[1].mean()) < W / 2 < (cyan.nonzero()[1].mean())  # pink left, cyan right


def test_rain_and_snow_are_drawn_in_the_air_and_fog_greys_the_distance(frame) -> None:  # type: ignore[no-untyped-def]
    clear = frame(set=OUTSIDE)
    sky = lum(clear[TOP])
    for weather in ("rain", "snow"):
        wet = frame(set=OUTSIDE, weather=(weather,))
        drawn = np.abs(lum(wet[TOP]) - sky) > 12  # streaks and flakes across the sky
        assert drawn.mean() > 0.03, weather
        assert np.abs(lum(wet) - lum(clear)).mean() > 3, weather
    ws = Camera("WS")
    fogged, seen = frame(set=OUTSIDE, camera=ws, fog=0.8), frame(set=OUTSIDE, camera=ws)
    horizon = slice(int(H * 0.3), int(H * 0.6))  # the sky meets the ground: fog hides the line
    assert lum(fogged[horizon]).std() < 0.6 * lum(seen[horizon]).std()
