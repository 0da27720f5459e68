"""The 2D previz engine drawing the blocking the director's reading made: real renders, no mocks."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from agents.blocking import blocking_for
from agents.reading.shot import read_shot
from agents.spec import read_spec
from tools import operations as ops
from tools.engine import Engine, GenerationError, GenerationRequest
from tools.previz import PrevizEngine, character_colour, horizon_y, seed_for
from tools.previz_text import MARK_FILL, Fonts, fit, mark_box, printable, text_width

# --- rendering --------------------------------------------------------------------------------

ENGINE = PrevizEngine()
ASPECTS = [
    (2048, 858),
    (512, 214),
    (1024, 554),
    (1024, 576),
    (512, 288),
    (576, 1024),
    (1080, 1920),
    (512, 512),
    (1024, 768),
    (777, 333),
    (64, 64),
]


def render(
    prompt: str, width: int = 1024, height: int = 576, seed: int | None = 7, title: str = ""
) -> Image.Image:
    return ENGINE.generate(directed(prompt, width, height, seed, title))[0].image


def directed(
    prompt: str, width: int = 1024, height: int = 576, seed: int | None = 7, title: str = ""
) -> GenerationRequest:
    """The request the desk sends: the prompt with the blocking its reading made."""
    blocking = blocking_for(read_spec(prompt), (), width, height, prompt)
    return GenerationRequest(
        prompt=prompt, width=width, height=height, seed=seed, title=title, blocking=blocking
    )


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return int((np.asarray(image) == colour).all(axis=2).sum())


def test_engine_protocol_and_record() -> None:
    result = ENGINE.generate(
        directed("low angle MS, Rook draws his sword, golden hour exterior", 640, 360, seed=11, title="Sc 4")
    )[0]
    assert isinstance(ENGINE, Engine) and ENGINE.name == "previz" and result.is_previz
    rec = result.record
    assert (rec.engine, rec.model, rec.steps, rec.guidance, rec.scheduler) == ("previz", "previz", 0, 0.0, "")
    assert (rec.seed, rec.width, rec.height) == (11, 640, 360)
    assert rec.extra["shot_size"] == "MS" and rec.extra["angle"] == "low angle"
    assert rec.extra["characters"] == "Rook" and rec.extra["time_of_day"] == "golden hour"
    assert all(isinstance(v, str) for v in rec.extra.values())


@pytest.mark.parametrize("width,height", ASPECTS)
def test_exact_size_for_every_aspect(width: int, height: int) -> None:
    image = render("wide shot, Maya and Rook walk into the throne room at dusk", width, height, title="Sc 12")
    assert image.size == (width, height) and image.mode == "RGB"


def test_same_request_same_bytes_and_seed_or_prompt_change_it() -> None:
    prompt = "Dutch angle wide shot, Maya and Rook in the rain at night"
    first, again = render(prompt, seed=5), render(prompt, seed=5)
    assert png(first) == png(again)
    assert render(prompt, seed=6).tobytes() != first.tobytes()
    assert render(prompt + ", fog", seed=5).tobytes() != first.tobytes()


def test_unseeded_request_records_a_reusable_seed() -> None:
    prompt = "ECU on Maya's eyes, night, rain"
    (result,) = ENGINE.generate(directed(prompt, 512, 288, seed=None))
    assert result.record.seed == seed_for(prompt) == seed_for(prompt + "  ")
    assert png(render(prompt, 512, 288, seed=result.record.seed)) == png(result.image)


def test_character_colours_are_stable_per_name_and_distinct_across_names() -> None:
    names = [
        "Maya",
        "Rook",
        "Jin",
        "Ara",
        "Tomas",
        "Bex",
        "Lio",
        "Zoë",
        "Captain Rook",
        "Eleanor",
        "Sam",
        "Kai",
    ]
    assert len({character_colour(n) for n in names}) == len(names)
    assert character_colour("Maya") == character_colour(" maya ")
    # the same name is drawn in the same colour in two different shots
    maya = character_colour("Maya")
    assert count(render("wide shot, Maya and Rook on the bridge"), maya) > 500
    assert count(render("medium shot, Maya alone in the kitchen", seed=99), maya) > 5000
    assert count(render("medium shot, Rook alone in the kitchen", seed=99), maya) == 0


def test_shot_size_changes_how_much_of_the_frame_a_person_fills() -> None:
    rook = character_colour("Rook")
    share = {
        size: count(render(f"{size}, Rook waits"), rook) / (1024 * 576) for size in ("ECU", "MS", "WS", "EWS")
    }
    assert share["ECU"] > 0.4 > share["MS"] > share["WS"] > share["EWS"] > 0


def test_angle_moves_the_horizon_and_dutch_tilts_the_scene() -> None:
    level = horizon_y(read_shot("MS, Rook"), 1024, 576)
    assert (
        horizon_y(read_shot("low angle MS, Rook"), 1024, 576)
        > level
        > horizon_y(read_shot("high angle MS"), 1024, 576)
    )
    # with the scene tilted, the sky/ground edge is at different heights on the left and right edges
    image = render("Dutch angle WS, empty street at night", 1024, 576)
    plain = render("WS, empty street at night", 1024, 576)
    edge = [_brightest_drop(image, x) for x in (4, 1019)]
    assert abs(_brightest_drop(plain, 4) - _brightest_drop(plain, 1019)) <= 1
    assert abs(edge[0] - edge[1]) > 40


def _brightest_drop(image: Image.Image, x: int) -> int:
    """Row where the horizon line is drawn: the brightest pixel in the middle of a column (night)."""
    rows = range(image.height // 8, image.height * 7 // 8)
    return max(rows, key=lambda y: sum(image.getpixel((x, y))))


@pytest.mark.parametrize("width,height", [(512, 288), (2048, 858), (576, 1024), (512, 214)])
def test_previz_mark_is_drawn_with_legible_letters(width: int, height: int) -> None:
    image = render("MS, Maya waits", width, height, title="Sc 1")
    x0, y0, x1, y1 = mark_box(width, height)
    box = np.asarray(image.crop((x0 + 1, y0 + 1, x1 - 1, y1 - 1)), dtype=int)
    amber = (np.abs(box - MARK_FILL).sum(axis=2) < 30).mean()
    ink = (box.sum(axis=2) < 200).mean()
    assert amber > 0.4 and ink > 0.05  # an amber tag with dark letters on it


def test_type_scales_with_the_frame_and_long_text_is_cut_not_overflowed() -> None:
    small, large = Fonts.for_frame(512, 288), Fonts.for_frame(2048, 858)
    assert small.unit >= 13 and large.unit > 2 * small.unit
    text, size = fit("Sc 12 / Shot 3 — Maya and Rook walk the length of the hall " * 3, 20, 300)
    assert text.endswith("…") and text_width(text, size) <= 300
    assert printable("Zoë — José") == "Zoe - Jose"
    render("MS, Zoë waits", 512, 288, title="Scène 1 — “the long walk” " * 4)  # must not raise


@pytest.mark.parametrize(
    "request_kwargs",
    [
        dict(prompt=""),
        dict(prompt="   "),
        dict(prompt="MS, Maya", width=10),
        dict(prompt="MS, Maya", height=5000),
    ],
)
def test_invalid_requests_are_refused(request_kwargs: dict) -> None:
    with pytest.raises(GenerationError):
        ENGINE.generate(GenerationRequest(**request_kwargs))


def test_an_extension_recomposes_the_frame_but_a_region_repaint_keeps_the_rest() -> None:
    """Outpainting a drawn frame would keep its old captions inside the new one (seen on the page:
    16:9 → 9:16 showed two title bars); the previz redraws the same reading at the new aspect."""
    prompt = "WS Yara on the harbour wall at dusk, fog"
    (v1,) = ENGINE.generate(directed(prompt, 320, 180, seed=9))
    vertical = directed(prompt, 184, 320, seed=9)
    tall = ops.extend(ENGINE, v1.record, v1.image, "9:16", blocking=vertical.blocking)
    (fresh,) = ENGINE.generate(replace(vertical, width=tall.image.width, height=tall.image.height))
    assert np.array_equal(np.asarray(tall.image), np.asarray(fresh.image))
    left = ops.inpaint(ENGINE, v1.record, v1.image, prompt + ", storm", region=(0.0, 0.0, 1 / 3, 1.0))
    right = np.asarray(left.image)[:, 125:]
    assert np.array_equal(right, np.asarray(v1.image)[:, 125:])  # outside the left third: untouched
