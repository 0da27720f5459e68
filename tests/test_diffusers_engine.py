"""The diffusers backend on a tiny real pipeline saved to disk and loaded through the product's loader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from config.models import ModelSpec
from tools.diffusers_engine import DiffusersEngine
from tools.engine import GenerationError, GenerationRequest
from tools.png_record import encode_png, read_parameters


def request(**overrides: object) -> GenerationRequest:
    values = {"prompt": "the knight in the rain", "width": 64, "height": 64, "seed": 11, "model": "tiny"}
    return GenerationRequest(**{**values, **overrides})  # type: ignore[arg-type]


def test_loads_once_and_reuses_the_pipeline(tiny_sd_path: Path) -> None:
    engine = DiffusersEngine({"tiny": ModelSpec(path=tiny_sd_path, steps=2)}, "tiny")
    engine.generate(request())
    engine.generate(request(seed=12))
    assert engine.load_count == 1


def test_same_seed_same_image_other_seed_other_image(tiny_engine: DiffusersEngine) -> None:
    first = np.asarray(tiny_engine.generate(request())[0].image)
    again = np.asarray(tiny_engine.generate(request())[0].image)
    other = np.asarray(tiny_engine.generate(request(seed=12))[0].image)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_a_prompt_past_the_encoders_window_is_read_to_its_end(tiny_engine: DiffusersEngine) -> None:
    """The canon Slate appends comes last: cut at 77 tokens, two shots differing only there
    would be the same picture."""
    base = "wide shot, Maya walks into the throne room at dusk; Maya: a young woman, dark braid; " * 2
    tokenizer = tiny_engine.model().pipeline("txt2img").tokenizer
    assert len(tokenizer(base, truncation=False).input_ids) > tokenizer.model_max_length
    warm = np.asarray(tiny_engine.generate(request(prompt=f"{base} warm amber tungsten"))[0].image)
    cold = np.asarray(tiny_engine.generate(request(prompt=f"{base} cold teal moonlight"))[0].image)
    assert not np.array_equal(warm, cold)
    fits = np.asarray(tiny_engine.generate(request(prompt="MS, Maya (she/her) at dusk"))[0].image)
    assert np.array_equal(
        fits, np.asarray(tiny_engine.generate(request(prompt="MS, Maya (she/her) at dusk"))[0].image)
    )


def test_record_says_exactly_what_ran(tiny_engine: DiffusersEngine) -> None:
    (result,) = tiny_engine.generate(request(width=96, height=64, negative_prompt="blurry", steps=3))
    record = result.record
    assert result.image.size == (96, 64)
    assert (record.seed, record.steps, record.width, record.height) == (11, 3, 96, 64)
    assert record.model == "tiny" and record.engine == "diffusers" and record.scheduler == "DDIMScheduler"
    parameters = read_parameters(encode_png(result.image, record))
    assert parameters is not None
    assert parameters.startswith("the knight in the rain\nNegative prompt: blurry\n")
    assert "Steps: 3" in parameters and "Seed: 11" in parameters and "Size: 96x64" in parameters


def test_a_random_seed_is_recorded_and_reproduces(tiny_engine: DiffusersEngine) -> None:
    (first,) = tiny_engine.generate(request(seed=None))
    (again,) = tiny_engine.generate(request(seed=first.record.seed))
    assert np.array_equal(np.asarray(first.image), np.asarray(again.image))


def test_sampler_by_name(tiny_sd_path: Path) -> None:
    engine = DiffusersEngine({"tiny": ModelSpec(path=tiny_sd_path, steps=2, scheduler="euler_a")}, "tiny")
    assert engine.generate(request())[0].record.scheduler == "EulerAncestralDiscreteScheduler"
    broken = DiffusersEngine({"tiny": ModelSpec(path=tiny_sd_path, scheduler="warp_drive")}, "tiny")
    with pytest.raises(GenerationError, match="Unknown sampler 'warp_drive'"):
        broken.generate(request())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"model": "sdxl"}, "Unknown model 'sdxl'. Configured models: tiny"),
        ({"width": 10000}, "width 10000px is out of range"),
        ({"steps": 0}, "steps 0 is out of range"),
        ({"prompt": "  "}, "The direction is empty"),
        ({"width": 100}, "must be a multiple of 8"),
    ],
)
def test_bad_requests_are_refused_clearly(
    tiny_engine: DiffusersEngine, overrides: dict, message: str
) -> None:
    with pytest.raises(GenerationError, match=message):
        tiny_engine.generate(request(**overrides))


def test_missing_weights_are_a_clear_error(tmp_path: Path) -> None:
    engine = DiffusersEngine({"gone": ModelSpec(path=tmp_path / "nowhere")}, "gone")
    with pytest.raises(GenerationError, match="Model weights not found at .*nowhere"):
        engine.generate(request(model=None))
    assert engine.load_count == 0
