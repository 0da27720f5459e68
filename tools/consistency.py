"""Consistency hooks for one model: reference images (IP-Adapter, per-region), LoRAs, ControlNet.

The engine owns the pipelines and the lock; the kit owns the adapter state that lives on their
shared UNet. Everything is loaded from local paths, once, on first use. Call ``prepare`` for
*every* request on the model, under the model's lock, and pass what it returns to the call:

    pipeline, extra = kit.prepare(pipeline, request)
    output = pipeline(prompt=..., **mode_inputs, **extra)

Every request, because the state is shared: once an IP-Adapter is loaded the UNet refuses a call
without image embeddings (``prepare`` then supplies idle ones at strength 0), and LoRAs stay
active until ``prepare`` turns them off for a request that names none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from diffusers import DiffusionPipeline
from diffusers.image_processor import IPAdapterMaskProcessor
from PIL import Image, ImageDraw
from transformers import CLIPVisionModelWithProjection

from config.models import ModelSpec
from tools.controlnet import ControlNets
from tools.engine import GenerationError, GenerationRequest, LoraRef, Reference

_LOAD_ERRORS = (OSError, ValueError, RuntimeError, KeyError)


@dataclass
class _IPAdapter:
    image_encoder: CLIPVisionModelWithProjection
    feature_extractor: Any
    idle_embeds: torch.Tensor  # one adapter's (negative, positive) embeddings of a blank image


class ConsistencyKit:
    """IP-Adapter, LoRA and ControlNet state for one model's pipelines (the base and its ``from_pipe``
    siblings, which share one UNet). Not thread-safe: call under the model's lock.

    ``loads`` counts what was read from disk: ``ip_adapter``, ``lora:<name>``, ``controlnet:<kind>``.
    """

    def __init__(self, spec: ModelSpec, name: str = "") -> None:
        self.spec = spec
        self.name = name or str(spec.path)
        self.loads: Counter[str] = Counter()
        self._ip: _IPAdapter | None = None
        self._loras: dict[str, Path] = {}  # adapter name → the file it was loaded from
        self._controlnets = ControlNets(spec, self.name, self.loads)

    def prepare(
        self, pipeline: DiffusionPipeline, request: GenerationRequest
    ) -> tuple[DiffusionPipeline, dict[str, Any]]:
        """Load what ``request`` needs (once), set this call's strengths, and return the pipeline to
        call (``pipeline`` itself, or its ControlNet sibling) with the extra call arguments."""
        self._check(pipeline, request)
        # The frame, as the engine makes it: the source image's size when there is one.
        size = request.init_image.size if request.init_image is not None else (request.width, request.height)
        extra = self._references(pipeline, request.references, size)
        self._activate_loras(pipeline, request.loras)
        if request.control is not None:
            pipeline, control = self._controlnets.prepare(pipeline, request.control, request.mode, size)
            extra |= control
        return pipeline, extra

    def describe(self, request: GenerationRequest) -> tuple[str, ...]:
        """What the record keeps: ``ip:Maya@0.6[0,0,0.5,1]``, ``lora:maya_v2@0.8``, ``control:edges@1``."""
        described = []
        for index, reference in enumerate(request.references, start=1):
            region = "[{:g},{:g},{:g},{:g}]".format(*reference.region) if reference.region else ""
            described.append(f"ip:{reference.label or f'ref{index}'}@{reference.scale:g}{region}")
        described += [f"lora:{lora.name}@{lora.scale:g}" for lora in request.loras]
        if request.control is not None:
            described.append(f"control:{request.control.kind}@{request.control.scale:g}")
        return tuple(described)

    # Checks: everything a request could be refused for, before anything is loaded.

    def _check(self, pipeline: DiffusionPipeline, request: GenerationRequest) -> None:
        if request.references:
            config = self.spec.ip_adapter
            if config is None:
                raise GenerationError(
                    f"Reference images need an IP-Adapter, and model {self.name!r} has none: set its "
                    "`ip_adapter` entry (path, weight_name, and image_encoder unless it sits beside "
                    "the weights)."
                )
            if not hasattr(pipeline, "load_ip_adapter") or not hasattr(pipeline, "unet"):
                raise GenerationError(f"{type(pipeline).__name__} can't take reference images.")
            if self._ip is None:
                if not config.weights.is_file():
                    raise GenerationError(f"IP-Adapter weights not found at {config.weights}.")
                if not (config.encoder / "config.json").is_file():
                    raise GenerationError(
                        f"The IP-Adapter's image encoder was not found at {config.encoder}."
                    )
        if request.loras:
            if not hasattr(pipeline, "load_lora_weights"):
                raise GenerationError(f"{type(pipeline).__name__} can't take LoRAs.")
            names = [_adapter_name(lora.name) for lora in request.loras]
            if len(set(names)) < len(names):
                raise GenerationError(f"Each LoRA in a shot needs its own name: {names}.")
            for lora, name in zip(request.loras, names, strict=True):
                path = lora.path.expanduser()
                if self._loras.get(name) != path and not path.is_file():
                    raise GenerationError(f"LoRA {lora.name!r} not found at {path}.")
        if request.control is not None:
            self._controlnets.check(request.control, request.mode)

    # IP-Adapter.

    def _references(
        self, pipeline: DiffusionPipeline, references: tuple[Reference, ...], size: tuple[int, int]
    ) -> dict[str, Any]:
        if not references and self._ip is None:
            return {}
        ip = self._load_ip_adapter(pipeline)
        if not references:  # loaded, so the UNet needs embeddings: idle ones, switched off
            pipeline.set_ip_adapter_scale(0.0)
            return {"ip_adapter_image_embeds": [ip.idle_embeds]}
        images = [reference.image.convert("RGB") for reference in references]
        if len(references) == 1 and references[0].region is None:
            pipeline.set_ip_adapter_scale(references[0].scale)
            return {"ip_adapter_image": [images]}
        # diffusers' multi-subject pattern: one IP-Adapter, several images, a mask per image. With
        # masks each image also gets its own strength; a reference without a region gets the frame.
        pipeline.set_ip_adapter_scale([[reference.scale for reference in references]])
        masks = region_masks(references, size)
        return {"ip_adapter_image": [images], "cross_attention_kwargs": {"ip_adapter_masks": [masks]}}

    def _load_ip_adapter(self, pipeline: DiffusionPipeline) -> _IPAdapter:
        if self._ip is None:
            config = self.spec.ip_adapter
            assert config is not None  # checked
            device = pipeline._execution_device  # not ``pipeline.device``: they differ under CPU offload
            try:
                # Loaded here, not by ``load_ip_adapter``, so the encoder may live anywhere on disk.
                encoder = CLIPVisionModelWithProjection.from_pretrained(
                    config.encoder, dtype=pipeline.dtype, local_files_only=True
                ).to(device)
                pipeline.register_modules(image_encoder=encoder)
                pipeline.load_ip_adapter(
                    str(config.path),
                    subfolder=config.subfolder,
                    weight_name=config.weight_name,
                    image_encoder_folder=None,
                    local_files_only=True,
                )
            except _LOAD_ERRORS as error:
                raise GenerationError(
                    f"The IP-Adapter at {config.weights} (image encoder {config.encoder}) doesn't load "
                    f"for model {self.name!r}: {error}"
                ) from error
            with torch.no_grad():
                idle = pipeline.prepare_ip_adapter_image_embeds(
                    [Image.new("RGB", (64, 64))], None, device, 1, True
                )
            self._ip = _IPAdapter(encoder, pipeline.feature_extractor, idle[0])
            self.loads["ip_adapter"] += 1
        # A sibling made with from_pipe before the load shares the UNet but not these two.
        if getattr(pipeline, "image_encoder", None) is None:
            pipeline.register_modules(image_encoder=self._ip.image_encoder)
        if getattr(pipeline, "feature_extractor", None) is None:
            pipeline.register_modules(feature_extractor=self._ip.feature_extractor)
        return self._ip

    # LoRA.

    def _activate_loras(self, pipeline: DiffusionPipeline, loras: tuple[LoraRef, ...]) -> None:
        if not loras:
            if self._loras:
                pipeline.disable_lora()
            return
        names = [self._load_lora(pipeline, lora) for lora in loras]
        pipeline.enable_lora()  # set_adapters alone doesn't undo an earlier disable_lora
        pipeline.set_adapters(names, adapter_weights=[lora.scale for lora in loras])

    def _load_lora(self, pipeline: DiffusionPipeline, lora: LoraRef) -> str:
        name, path = _adapter_name(lora.name), lora.path.expanduser()
        if self._loras.get(name) == path:
            return name
        if name in self._loras:  # the same name now points at other weights (a retrained identity)
            pipeline.delete_adapters(name)
            del self._loras[name]
        try:
            pipeline.load_lora_weights(
                str(path.parent), weight_name=path.name, adapter_name=name, local_files_only=True
            )
        except _LOAD_ERRORS as error:
            raise GenerationError(f"LoRA {lora.name!r} at {path} doesn't load: {error}") from error
        if not any(name in names for names in pipeline.get_list_adapters().values()):
            raise GenerationError(
                f"LoRA {lora.name!r} at {path} has no weights that fit model {self.name!r}."
            )
        self._loras[name] = path
        self.loads[f"lora:{lora.name}"] += 1
        return name


def region_masks(references: tuple[Reference, ...], size: tuple[int, int]) -> torch.Tensor:
    """One mask per reference, white over its region (the whole frame without one), shaped
    ``(1, references, height, width)`` as the IP-Adapter attention expects for one adapter."""
    width, height = size
    masks = []
    for reference in references:
        mask = Image.new("L", size, 0 if reference.region else 255)
        if reference.region:
            left, top, right, bottom = reference.region
            box = (
                round(left * width),
                round(top * height),
                round(right * width) - 1,
                round(bottom * height) - 1,
            )
            ImageDraw.Draw(mask).rectangle(box, fill=255)
        masks.append(mask)
    processed = IPAdapterMaskProcessor().preprocess(masks, height=height, width=width)
    return processed.reshape(1, len(masks), height, width)


def _adapter_name(name: str) -> str:
    """A peft-safe adapter name: peft keys modules by it, so no dots, and never a module attribute
    such as ``training``."""
    return "lora_" + re.sub(r"\W", "_", name)
