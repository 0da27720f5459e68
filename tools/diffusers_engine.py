"""A generation backend on a local diffusers pipeline.

Each configured model is loaded once per process, on first use, from a local path: a
diffusers directory (``from_pretrained``) or a single checkpoint file (``from_single_file``
with a local config directory). Nothing here ever reaches for a model hub.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import diffusers
import torch
from diffusers import AutoPipelineForText2Image, DiffusionPipeline

from config.models import ModelSpec
from tools.device import pick_device, pick_dtype
from tools.engine import GenerationError, GenerationRecord, GenerationRequest, GenerationResult
from tools.schedulers import make_scheduler


@dataclass
class LoadedModel:
    name: str
    spec: ModelSpec
    pipeline: DiffusionPipeline
    lock: threading.Lock  # a pipeline's scheduler holds per-call state: one call at a time


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
    return pipeline.to(device)


class DiffusersEngine:
    name = "diffusers"

    def __init__(self, models: Mapping[str, ModelSpec], default_model: str, device: str = "auto") -> None:
        if default_model not in models:
            raise GenerationError(f"Default model {default_model!r} is not in the model registry.")
        self.models = dict(models)
        self.default_model = default_model
        self.device = pick_device(device)
        self.load_count = 0
        self._loaded: dict[str, LoadedModel] = {}
        self._load_lock = threading.Lock()

    def model(self, name: str | None = None) -> LoadedModel:
        """The named model's pipeline, loading it the first time it is asked for."""
        name = name or self.default_model
        if name not in self.models:
            known = ", ".join(sorted(self.models))
            raise GenerationError(f"Unknown model {name!r}. Configured models: {known}.")
        with self._load_lock:
            if name not in self._loaded:
                spec = self.models[name]
                pipeline = load_pipeline(spec, self.device, pick_dtype(self.device, spec.dtype))
                self._loaded[name] = LoadedModel(name, spec, pipeline, threading.Lock())
                self.load_count += 1
            return self._loaded[name]

    def generate(self, request: GenerationRequest) -> GenerationResult:
        request.validate()
        loaded = self.model(request.model)
        record = self._record(loaded, request)
        if record.width % 8 or record.height % 8:
            raise GenerationError(
                f"Size {record.width}×{record.height} must be a multiple of 8 on each side."
            )
        # A CPU generator makes the same seed give the same noise on every device.
        generator = torch.Generator(device="cpu").manual_seed(record.seed)
        with loaded.lock:
            output = loaded.pipeline(
                prompt=record.prompt,
                negative_prompt=record.negative_prompt or None,
                width=record.width,
                height=record.height,
                num_inference_steps=record.steps,
                guidance_scale=record.guidance,
                generator=generator,
                output_type="pil",
            )
        return GenerationResult(image=output.images[0], record=record)

    def _record(self, loaded: LoadedModel, request: GenerationRequest) -> GenerationRecord:
        spec = loaded.spec
        return GenerationRecord(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            seed=request.seed if request.seed is not None else random.randrange(2**32),
            steps=request.steps or spec.steps,
            guidance=request.guidance if request.guidance is not None else spec.guidance,
            width=request.width,
            height=request.height,
            model=loaded.name,
            engine=self.name,
            scheduler=type(loaded.pipeline.scheduler).__name__,
        )
