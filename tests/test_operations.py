"""Every capability a director asks for, on the tiny real pipeline (and the previz renderer)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agents.reading.regions import find_region
from config.models import ModelSpec
from tests.tiny_models import build_tiny_upscaler
from tools import operations as ops
from tools.diffusers_engine import DiffusersEngine
from tools.engine import GenerationCancelled, GenerationError, GenerationRequest, GenerationResult, Progress
from tools.images import decode_image
from tools.previz import PrevizEngine


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image).astype(int)


@pytest.fixture(scope="module")
def parent(tiny_engine: DiffusersEngine) -> GenerationResult:
    return ops.generate(
        tiny_engine, GenerationRequest(prompt="the knight at dusk", width=64, height=64, seed=5)
    )[0]


def test_batch_of_variations_has_consecutive_seeds_each_reproducible_alone(
    tiny_engine: DiffusersEngine,
) -> None:
    batch = ops.generate(
        tiny_engine, GenerationRequest(prompt="the knight", width=64, height=64, seed=5, count=3)
    )
    assert [r.record.seed for r in batch] == [5, 6, 7]
    (alone,) = ops.generate(tiny_engine, GenerationRequest(prompt="the knight", width=64, height=64, seed=6))
    # Batched convolutions round differently on CPU by at most one level out of 255.
    assert np.abs(pixels(batch[1].image) - pixels(alone.image)).max() <= 1
    assert np.abs(pixels(batch[0].image) - pixels(batch[1].image)).mean() > 1


def test_progress_is_reported_each_step_and_cancelling_stops_the_run(tiny_engine: DiffusersEngine) -> None:
    seen: list[Progress] = []
    ops.generate(
        tiny_engine, GenerationRequest(prompt="the knight", width=64, height=64, steps=4), seen.append
    )
    assert [(p.step, p.total) for p in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]

    def cancel_at_two(progress: Progress) -> None:
        if progress.step == 2:
            raise GenerationCancelled("cancelled by the director")

    with pytest.raises(GenerationCancelled):
        ops.generate(tiny_engine, GenerationRequest(prompt="the knight", width=64, height=64), cancel_at_two)


def test_revise_is_image_to_image_from_the_parent(
    tiny_engine: DiffusersEngine, parent: GenerationResult
) -> None:
    light = ops.revise(
        tiny_engine, parent.record, parent.image, "the knight at dusk, red cloak", strength=0.25
    )
    heavy = ops.revise(
        tiny_engine, parent.record, parent.image, "the knight at dusk, red cloak", strength=1.0
    )
    assert light.record.mode == "img2img" and light.record.strength == 0.25 and light.record.seed == 5
    assert light.image.size == parent.image.size
    distance = lambda r: np.abs(pixels(r.image) - pixels(parent.image)).mean()  # noqa: E731
    assert distance(light) < distance(heavy)


def test_inpaint_a_named_region_leaves_the_rest_untouched(
    tiny_engine: DiffusersEngine, parent: GenerationResult
) -> None:
    region, words = find_region("repaint the left third with fire")  # type: ignore[misc]
    assert words == "left third"
    result = ops.inpaint(tiny_engine, parent.record, parent.image, "fire", region=region)
    before, after = pixels(parent.image), pixels(result.image)
    assert np.array_equal(before[:, 32:], after[:, 32:])
    assert np.abs(before[:, :16] - after[:, :16]).mean() > 5
    assert result.record.mode == "inpaint"


@pytest.mark.parametrize(
    ("region", "mask_size", "message"),
    [
        ((0.5, 0.0, 1.2, 1.0), None, "outside the frame"),
        (None, (32, 32), "mask is 32×32 but the image is 64×64"),
        (None, "empty", "covers nothing"),
    ],
)
def test_bad_masks_are_refused(
    tiny_engine: DiffusersEngine,
    parent: GenerationResult,
    region: tuple | None,
    mask_size: object,
    message: str,
) -> None:
    mask = None
    if mask_size == "empty":
        mask = Image.new("L", parent.image.size, 0)
    elif mask_size is not None:
        mask = Image.new("L", mask_size, 255)  # type: ignore[arg-type]
    with pytest.raises(GenerationError, match=message):
        ops.inpaint(tiny_engine, parent.record, parent.image, "fire", region=region, mask=mask)


def test_extend_outpaints_to_the_new_aspect_keeping_the_centre(
    tiny_engine: DiffusersEngine, parent: GenerationResult
) -> None:
    result = ops.extend(tiny_engine, parent.record, parent.image, "2.39:1")
    assert result.image.size == (152, 64)
    offset = (152 - 64) // 2
    inset = 3  # the overlap band that is repainted so the seam blends
    kept = pixels(result.image)[inset:-inset, offset + inset : offset + 64 - inset]
    assert np.array_equal(kept, pixels(parent.image)[inset:-inset, inset:-inset])
    with pytest.raises(GenerationError, match="already 1:1"):
        ops.extend(tiny_engine, parent.record, parent.image, "1:1")


def test_vary_subtle_strong_and_reroll(tiny_engine: DiffusersEngine, parent: GenerationResult) -> None:
    subtle = ops.vary(tiny_engine, parent.record, parent.image, "subtle", count=2)
    strong = ops.vary(tiny_engine, parent.record, parent.image, "strong", count=2)
    reroll = ops.vary(tiny_engine, parent.record, parent.image, "reroll", count=2)
    assert [r.record.strength for r in subtle] == [0.35, 0.35] and strong[0].record.strength == 0.7
    assert {r.record.mode for r in reroll} == {"txt2img"}
    assert len({r.record.seed for r in subtle + [parent]}) == 3
    with pytest.raises(GenerationError, match="subtle, strong or reroll"):
        ops.vary(tiny_engine, parent.record, parent.image, "sideways")


def test_upscale_says_when_it_is_only_a_resample(
    tiny_engine: DiffusersEngine, parent: GenerationResult
) -> None:
    result = ops.upscale(tiny_engine, parent.record, parent.image, 2.0)
    assert result.image.size == (128, 128)
    assert result.record.extra["upscaler"].startswith("lanczos resample")
    with pytest.raises(GenerationError, match="Upscale factor 8"):
        ops.upscale(tiny_engine, parent.record, parent.image, 8.0)


def test_upscale_with_a_configured_diffusion_upscaler(
    tiny_sd_path: Path, parent: GenerationResult, tmp_path: Path
) -> None:
    engine = DiffusersEngine(
        {"tiny": ModelSpec(path=tiny_sd_path, steps=2)}, "tiny", upscaler=build_tiny_upscaler(tmp_path)
    )
    result = ops.upscale(engine, parent.record, parent.image, 4.0)
    assert result.image.size == (256, 256)
    assert result.record.extra["upscaler"].startswith("diffusion x4 upscaler")


def test_modes_share_one_load_and_one_copy_of_the_weights(tiny_engine: DiffusersEngine) -> None:
    model = tiny_engine.model()
    loads = tiny_engine.load_count
    img2img, inpaint = model.pipeline("img2img"), model.pipeline("inpaint")
    assert img2img.unet is model.base.unet and inpaint.vae is model.base.vae
    assert img2img.text_encoder is model.base.text_encoder
    assert tiny_engine.load_count == loads


def test_a_sampler_per_request_is_recorded_and_put_back(tiny_engine: DiffusersEngine) -> None:
    request = GenerationRequest(prompt="the knight", width=64, height=64, seed=1, sampler="dpmpp_2m")
    (result,) = ops.generate(tiny_engine, request)
    assert result.record.scheduler == "DPMSolverMultistepScheduler"
    assert type(tiny_engine.model().base.scheduler).__name__ == "DDIMScheduler"


def test_previz_honours_every_mode() -> None:
    engine = PrevizEngine()
    (frame,) = ops.generate(
        engine, GenerationRequest(prompt="WS, Maya in the throne room", width=256, height=144)
    )
    region = (0.0, 0.0, 1 / 3, 1.0)
    repainted = ops.inpaint(engine, frame.record, frame.image, "CU, Rook", region=region)
    assert np.array_equal(pixels(repainted.image)[:, 100:], pixels(frame.image)[:, 100:])
    assert ops.upscale(engine, frame.record, frame.image, 2.0).image.size == (512, 288)
    assert ops.extend(engine, frame.record, frame.image, "2.39:1").image.size[0] > 256
    batch = ops.vary(engine, frame.record, frame.image, "reroll", count=3)
    assert len(batch) == 3 and all(r.is_previz for r in batch)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_untrusted_images_are_decoded_safely() -> None:
    assert decode_image(png_bytes(Image.new("RGBA", (40, 30)))).mode == "RGB"
    with pytest.raises(GenerationError, match="not an image"):
        decode_image(b"%PDF-1.7 definitely not a picture")
    bomb = png_bytes(Image.new("1", (10_000, 10_000)))  # ~12 KB on disk, 100 MP decoded
    assert len(bomb) < 100_000
    with pytest.raises(GenerationError, match="10000×10000"):
        decode_image(bomb)
    with pytest.raises(GenerationError, match="limit is 1 MB"):
        decode_image(b"\0" * (2 * 2**20), max_bytes=2**20)


def test_a_gigapixel_bomb_is_refused_before_decoding() -> None:
    bomb = png_bytes(Image.new("1", (20_000, 10_000)))  # 200 MP: Pillow itself refuses to open it
    with pytest.raises(GenerationError, match="far more than the 36 MP limit"):
        decode_image(bomb)
