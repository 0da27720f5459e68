"""One model's pipelines: loaded once, shared across modes, one call at a time.

The text-to-image pipeline is loaded from disk; image-to-image and inpainting are built from
it with ``from_pipe``, which reuses the same UNet, VAE and text encoder objects — a second mode
costs no memory and no load. Samplers are swapped per call and put back afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import diffusers
import torch
from diffusers import (
    AutoPipelineForImage2Image,
    AutoPipelineForInpainting,
    AutoPipelineForText2Image,
    DiffusionPipeline,
)

from config.models import ModelSpec
from tools.consistency import ConsistencyKit
from tools.engine import GenerationError, Mode
from tools.schedulers import make_scheduler

_DERIVED = {"img2img": AutoPipelineForImage2Image, "inpaint": AutoPipelineForInpainting}


def load_pipeline(spec: ModelSpec, device: torch.device, dtype: torch.dtype) -> DiffusionPipeline:
    """Load the model at ``spec.path`` onto ``device``; a missing path is a clear error."""
    if not spec.path.exists():
        raise GenerationError(f"Model weights not found at {spec.path}.")
    if spec.is_single_file:
        pipeline_class = getattr(diffusers, spec.pipeline, None)
        if pipeline_class is None or not hasattr(pipeline_class, "from_single_file"):
            raise GenerationError(f"{spec.pipeline!r} is not a diffusers pipeline that loads single files.")
        extra = {"config": str(spec.config)} if spec.config else {}
        pipeline = pipeline_class.from_single_file(
            str(spec.path), dtype=dtype, local_files_only=True, **extra
        )
    else:
        pipeline = AutoPipelineForText2Image.from_pretrained(
            str(spec.path), dtype=dtype, local_files_only=True
        )
    if spec.scheduler:
        pipeline.scheduler = make_scheduler(spec.scheduler, pipeline.scheduler.config)
    pipeline.set_progress_bar_config(disable=True)
    return place(pipeline, spec, device)


def place(pipeline: DiffusionPipeline, spec: ModelSpec, device: torch.device) -> DiffusionPipeline:
    """Move to the device, with the memory savers the spec (or a small GPU) asks for."""
    savers = set(spec.memory_savers)
    if spec.memory_savers == ("auto",):
        savers = _auto_savers(device)
    if "attention_slicing" in savers:
        pipeline.enable_attention_slicing()
    if "vae_tiling" in savers and hasattr(pipeline, "vae"):
        pipeline.vae.enable_tiling()
    if "cpu_offload" in savers and device.type == "cuda":
        pipeline.enable_model_cpu_offload(device=device)  # moves each part to the GPU only while it runs
        return pipeline
    return pipeline.to(device)


def _auto_savers(device: torch.device) -> set[str]:
    """On a GPU with under 10 GiB, trade a little speed for fitting at all."""
    if device.type != "cuda":
        return set()
    total = torch.cuda.get_device_properties(device).total_memory
    return {"attention_slicing", "vae_tiling", "cpu_offload"} if total < 10 * 2**30 else set()


class ModelPipelines:
    """The loaded pipelines of one model; every call goes through ``use`` under one lock."""

    def __init__(self, name: str, spec: ModelSpec, base: DiffusionPipeline) -> None:
        self.name = name
        self.spec = spec
        self.base = base
        self.kit = ConsistencyKit(
            spec, name
        )  # IP-Adapter, LoRA and ControlNet state lives on these pipelines
        self.lock = threading.Lock()  # schedulers hold per-call state, and all modes share weights
        self._derived: dict[str, DiffusionPipeline] = {}
        self._schedulers: dict[str, object] = {}

    def pipeline(self, mode: Mode) -> DiffusionPipeline:
        if mode == "txt2img":
            return self.base
        if mode not in self._derived:
            derived = _DERIVED[mode].from_pipe(self.base)
            derived.set_progress_bar_config(disable=True)
            self._derived[mode] = derived
        return self._derived[mode]

    @contextmanager
    def use(self, mode: Mode, sampler: str | None) -> Iterator[DiffusionPipeline]:
        """The pipeline for ``mode``, locked, with ``sampler`` in place for the call."""
        with self.lock:
            pipeline = self.pipeline(mode)
            original = pipeline.scheduler
            if sampler:
                pipeline.scheduler = self._scheduler(sampler, original.config)
            try:
                yield pipeline
            finally:
                pipeline.scheduler = original

    def _scheduler(self, sampler: str, config: object) -> object:
        if sampler not in self._schedulers:
            self._schedulers[sampler] = make_scheduler(sampler, config)
        return self._schedulers[sampler]
