"""A generation backend on local diffusers pipelines.

``generate`` reads top to bottom: check the request → get the model (loaded once) → pick the
mode's pipeline (shared weights) → add consistency inputs → run with one seeded generator per
image and a progress callback per step → wrap each image with the record that remakes it.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from PIL import Image

from config.models import ModelSpec
from tools.device import pick_device, pick_dtype
from tools.engine import (
    MAX_SEED,
    MAX_SIDE,
    GenerationError,
    GenerationRecord,
    GenerationRequest,
    GenerationResult,
    Progress,
    ProgressCallback,
)
from tools.long_prompts import prompt_inputs
from tools.pipelines import ModelPipelines, load_pipeline
from tools.upscale import RESAMPLER, DiffusionUpscaler, resample

DEFAULT_STRENGTH = {"img2img": 0.55, "inpaint": 0.99}


class DiffusersEngine:
    name = "diffusers"

    def __init__(
        self,
        models: Mapping[str, ModelSpec],
        default_model: str,
        device: str = "auto",
        upscaler: Path | None = None,
        max_side: int = MAX_SIDE,
    ) -> None:
        """``max_side`` caps every image's long side, generated or upscaled (``max_output_side``)."""
        if default_model not in models:
            raise GenerationError(f"Default model {default_model!r} is not in the model registry.")
        self.models = dict(models)
        self.max_side = max_side
        self.default_model = default_model
        self.device = pick_device(device)
        self.upscaler = (
            DiffusionUpscaler(upscaler, self.device, pick_dtype(self.device)) if upscaler else None
        )
        self.load_count = 0
        self._loaded: dict[str, ModelPipelines] = {}
        self._load_lock = threading.Lock()

    def model_names(self) -> tuple[str, ...]:
        return tuple(sorted(self.models))

    def supports(self, feature: str, model: str | None = None) -> bool:
        spec = self.models.get(model or self.default_model)
        if spec is None:
            return False
        return {"references": spec.ip_adapter is not None, "lora": True, "control": bool(spec.controlnets)}[
            feature
        ]

    def model(self, name: str | None = None) -> ModelPipelines:
        """The named model's pipelines, loading it the first time it is asked for."""
        name = name or self.default_model
        if name not in self.models:
            known = ", ".join(sorted(self.models))
            raise GenerationError(f"Unknown model {name!r}. Configured models: {known}.")
        with self._load_lock:
            if name not in self._loaded:
                spec = self.models[name]
                base = load_pipeline(spec, self.device, pick_dtype(self.device, spec.dtype))
                self._loaded[name] = ModelPipelines(name, spec, base)
                self.load_count += 1
            return self._loaded[name]

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> list[GenerationResult]:
        request.validate(self.max_side)
        model = self.model(request.model)
        if request.mode == "upscale":
            return [self._upscale(model, request)]
        width, height = _frame_size(request)
        seed = request.seed if request.seed is not None else random.randrange(MAX_SEED + 1)
        seeds = [(seed + i) % (MAX_SEED + 1) for i in range(request.count)]
        steps = request.steps or model.spec.steps
        guidance = request.guidance if request.guidance is not None else model.spec.guidance
        with model.use(request.mode, request.sampler) as pipeline:
            pipeline, consistency = model.kit.prepare(pipeline, request)
            output = pipeline(
                **prompt_inputs(pipeline, request.prompt, request.negative_prompt),
                num_inference_steps=steps,
                guidance_scale=guidance,
                num_images_per_prompt=request.count,
                # One CPU generator per image: image i is seed+i on any device, alone or in a batch.
                generator=[torch.Generator(device="cpu").manual_seed(s) for s in seeds],
                callback_on_step_end=_step_reporter(progress),
                output_type="pil",
                **_mode_inputs(request, width, height),
                **consistency,
            )
            scheduler = type(pipeline.scheduler).__name__
        base = GenerationRecord(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            seed=seed,
            steps=steps,
            guidance=guidance,
            width=width,
            height=height,
            model=model.name,
            engine=self.name,
            scheduler=scheduler,
            mode=request.mode,
            strength=_strength(request),
            references=model.kit.describe(request),
        )
        images = [_keep_unmasked(request, image) for image in output.images]
        return [_result(image, base, s) for image, s in zip(images, seeds, strict=True)]

    def _upscale(self, model: ModelPipelines, request: GenerationRequest) -> GenerationResult:
        assert request.init_image is not None  # validated
        source = request.init_image
        seed = request.seed if request.seed is not None else random.randrange(MAX_SEED + 1)
        if self.upscaler is None:
            image, how = resample(source, request.upscale, self.max_side), RESAMPLER
        else:
            generator = torch.Generator(device="cpu").manual_seed(seed)
            steps = request.steps or 20
            image = self.upscaler.upscale(
                source, request.prompt, request.upscale, generator, steps, self.max_side
            )
            how = self.upscaler.name
        record = GenerationRecord(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            seed=seed,
            steps=0 if self.upscaler is None else (request.steps or 20),
            guidance=0.0,
            width=image.width,
            height=image.height,
            model=model.name,
            engine=self.name,
            mode="upscale",
            extra={"upscaler": how, "factor": f"{request.upscale:g}"},
        )
        return GenerationResult(image=image, record=record)


def _frame_size(request: GenerationRequest) -> tuple[int, int]:
    """Text-to-image takes the requested size; other modes the size of their source image."""
    width, height = (
        request.init_image.size if request.init_image is not None else (request.width, request.height)
    )
    if width % 8 or height % 8:
        raise GenerationError(f"Size {width}×{height} must be a multiple of 8 on each side.")
    return width, height


def _strength(request: GenerationRequest) -> float | None:
    if request.mode not in DEFAULT_STRENGTH:
        return None
    return request.strength if request.strength is not None else DEFAULT_STRENGTH[request.mode]


def _mode_inputs(request: GenerationRequest, width: int, height: int) -> dict[str, Any]:
    if request.mode == "txt2img":
        return {"width": width, "height": height}
    inputs: dict[str, Any] = {"image": request.init_image, "strength": _strength(request)}
    if request.mode == "inpaint":
        inputs |= {"mask_image": request.mask, "width": width, "height": height}
    return inputs


def _step_reporter(progress: ProgressCallback | None):  # type: ignore[no-untyped-def]
    """diffusers' per-step hook → our Progress; a cancelled job raises out of the loop here."""

    def on_step_end(pipeline: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        if progress is not None:
            progress(Progress(step=step + 1, total=pipeline.num_timesteps))
        return tensors

    return on_step_end


def _keep_unmasked(request: GenerationRequest, image: Image.Image) -> Image.Image:
    """After inpainting, put the untouched pixels back: the VAE round trip would soften them."""
    if request.mode != "inpaint":
        return image
    assert request.init_image is not None and request.mask is not None  # validated
    return Image.composite(image, request.init_image.convert("RGB"), request.mask.convert("L"))


def _result(image: Image.Image, base: GenerationRecord, seed: int) -> GenerationResult:
    return GenerationResult(image=image, record=replace(base, seed=seed))
