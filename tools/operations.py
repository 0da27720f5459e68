"""What a director can ask of the engine, one function per capability.

Each function turns a director's intent into one engine request, reusing what the parent
version recorded (prompt, seed, model, sampler, size) so a revision changes only what was
asked. They work with any backend: the previz renderer honours them in its own way.
"""

from __future__ import annotations

import random
from dataclasses import replace

from PIL import Image, ImageFilter, ImageOps

from config.presets import ASPECT_RATIOS
from tools.blocking import Blocking
from tools.engine import (
    MAX_SEED,
    Box,
    Engine,
    GenerationError,
    GenerationRecord,
    GenerationRequest,
    GenerationResult,
    LoraRef,
    ProgressCallback,
    Reference,
    check_box,
)
from tools.regions import box_mask

VARY_STRENGTH = {"subtle": 0.35, "strong": 0.7}
EXTEND_OVERLAP = 0.04  # repaint a sliver of the old frame too, so the seam disappears


def parent_request(record: GenerationRecord, image: Image.Image) -> GenerationRequest:
    """A request that starts from a recorded version: same prompt, seed, model and sampler."""
    return GenerationRequest(
        prompt=record.prompt,
        negative_prompt=record.negative_prompt,
        width=image.width,
        height=image.height,
        seed=record.seed,
        steps=record.steps or None,
        guidance=record.guidance or None,
        model=None if record.engine == "previz" else record.model,
        init_image=image,
    )


def generate(
    engine: Engine, request: GenerationRequest, progress: ProgressCallback | None = None
) -> list[GenerationResult]:
    """Text to image: one frame, or a batch of ``request.count`` variations (seeds seed, seed+1, …)."""
    return engine.generate(replace(request, mode="txt2img", init_image=None, mask=None), progress)


def revise(
    engine: Engine,
    parent: GenerationRecord,
    image: Image.Image,
    prompt: str,
    strength: float = 0.55,
    progress: ProgressCallback | None = None,
    references: tuple[Reference, ...] = (),
    loras: tuple[LoraRef, ...] = (),
    blocking: Blocking | None = None,
) -> GenerationResult:
    """Image to image from the parent at ``strength``: low keeps the frame, high follows the new prompt."""
    request = replace(
        parent_request(parent, image),
        prompt=prompt,
        mode="img2img",
        strength=strength,
        references=references,
        loras=loras,
        blocking=blocking,
    )
    return engine.generate(request, progress)[0]


def inpaint(
    engine: Engine,
    parent: GenerationRecord,
    image: Image.Image,
    prompt: str,
    *,
    region: Box | None = None,
    mask: Image.Image | None = None,
    strength: float = 0.99,
    progress: ProgressCallback | None = None,
    blocking: Blocking | None = None,
) -> GenerationResult:
    """Repaint a region ("left third") or a mask (white = repaint); the rest of the frame stays."""
    if (region is None) == (mask is None):
        raise GenerationError("Say which part of the frame to repaint: a region or a mask, not both.")
    if region is not None:
        check_box(region, "region to repaint")
        mask = box_mask(region, image.size)
    request = replace(
        parent_request(parent, image),
        prompt=prompt,
        mode="inpaint",
        mask=mask,
        strength=strength,
        blocking=blocking,
    )
    return engine.generate(request, progress)[0]


def extend(
    engine: Engine,
    parent: GenerationRecord,
    image: Image.Image,
    aspect_ratio: str,
    prompt: str | None = None,
    progress: ProgressCallback | None = None,
    blocking: Blocking | None = None,
) -> GenerationResult:
    """Outpaint: widen or heighten the frame to a new aspect ratio, keeping the original centred."""
    canvas, mask = extension_canvas(image, aspect_ratio)
    request = replace(
        parent_request(parent, canvas),
        prompt=prompt or parent.prompt,
        mode="inpaint",
        mask=mask,
        strength=1.0,
        blocking=blocking,
    )
    return engine.generate(request, progress)[0]


def extension_canvas(image: Image.Image, aspect_ratio: str) -> tuple[Image.Image, Image.Image]:
    """The image centred on a larger canvas of the new aspect (edges mirrored as a start), and
    the mask of what must be painted."""
    try:
        ratio = ASPECT_RATIOS[aspect_ratio]
    except KeyError:
        raise GenerationError(
            f"Unknown aspect ratio {aspect_ratio!r}; use one of {', '.join(ASPECT_RATIOS)}."
        ) from None
    width, height = image.size
    if ratio > width / height:
        new_size = (_multiple_of_8(height * ratio), height)
    else:
        new_size = (width, _multiple_of_8(width / ratio))
    if new_size == image.size:
        raise GenerationError(f"The frame is already {aspect_ratio}; nothing to extend.")
    offset = ((new_size[0] - width) // 2, (new_size[1] - height) // 2)
    pad = (offset[0], offset[1], new_size[0] - width - offset[0], new_size[1] - height - offset[1])
    canvas = ImageOps.expand(image, border=pad, fill=(127, 127, 127))
    mirrored = ImageOps.mirror(image.resize(new_size)).filter(ImageFilter.GaussianBlur(8))
    canvas.paste(mirrored, (0, 0), _outside(new_size, offset, image.size, 0.0))
    return canvas, _outside(new_size, offset, image.size, EXTEND_OVERLAP)


def _outside(
    size: tuple[int, int], offset: tuple[int, int], inner: tuple[int, int], overlap: float
) -> Image.Image:
    mask = Image.new("L", size, 255)
    inset = round(overlap * max(inner))
    box = (offset[0] + inset, offset[1] + inset, offset[0] + inner[0] - inset, offset[1] + inner[1] - inset)
    mask.paste(0, box)
    return mask


def _multiple_of_8(value: float) -> int:
    return max(64, round(value / 8) * 8)


def vary(
    engine: Engine,
    parent: GenerationRecord,
    image: Image.Image,
    how: str = "subtle",
    count: int = 4,
    progress: ProgressCallback | None = None,
    blocking: Blocking | None = None,
) -> list[GenerationResult]:
    """Variations of an image: "subtle" or "strong" image-to-image, or "reroll" (same prompt, new seeds).

    Each press draws a fresh seed (recorded with the version, so it can be made again): pressing
    Vary twice on one version gives two different variations, as in Midjourney."""
    new_seed = random.randrange(MAX_SEED + 1)
    base = replace(parent_request(parent, image), seed=new_seed, count=count, blocking=blocking)
    if how == "reroll":
        return engine.generate(replace(base, mode="txt2img", init_image=None), progress)
    if how not in VARY_STRENGTH:
        raise GenerationError(f"Vary how? Use subtle, strong or reroll, not {how!r}.")
    return engine.generate(replace(base, mode="img2img", strength=VARY_STRENGTH[how]), progress)


def upscale(
    engine: Engine,
    parent: GenerationRecord,
    image: Image.Image,
    factor: float = 2.0,
    progress: ProgressCallback | None = None,
    blocking: Blocking | None = None,
) -> GenerationResult:
    """A larger image: a diffusion upscaler where configured, else a resampler (the record says which)."""
    request = replace(parent_request(parent, image), mode="upscale", upscale=factor, blocking=blocking)
    return engine.generate(request, progress)[0]
