"""The model registry's entries: one named diffusion model and its defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Dtype = Literal["auto", "float32", "float16", "bfloat16"]
MemorySaver = Literal["auto", "attention_slicing", "vae_tiling", "cpu_offload"]
ControlKind = Literal["edges", "depth", "pose"]  # the same kinds as tools.engine.ControlKind


class IPAdapterConfig(BaseModel):
    """An IP-Adapter on local disk, laid out as diffusers' ``load_ip_adapter`` expects.

    The weights are ``path / subfolder / weight_name`` (the original ``image_proj`` +
    ``ip_adapter`` checkpoint, ``.safetensors`` or ``.bin``). ``image_encoder`` is a folder
    holding the CLIP vision model (``config.json`` + weights); left out, it is the
    ``image_encoder`` folder beside the weights, as in the h94/IP-Adapter layout.
    """

    path: Path
    weight_name: str
    subfolder: str = ""
    image_encoder: Path | None = None

    @field_validator("path", "image_encoder")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def weights(self) -> Path:
        return self.path / self.subfolder / self.weight_name

    @property
    def encoder(self) -> Path:
        return self.image_encoder or self.path / self.subfolder / "image_encoder"


class ModelSpec(BaseModel):
    """A diffusion model on local disk: a diffusers directory or a single checkpoint file.

    ``config`` is only for single files: a local diffusers-format directory holding the
    component configs, so ``from_single_file`` never reaches for a model hub.
    ``ip_adapter`` enables reference images; ``controlnets`` maps a control kind (edges,
    depth, pose) to a diffusers-format ControlNet folder made for this base model.
    """

    path: Path
    config: Path | None = None
    pipeline: str = "StableDiffusionPipeline"
    width: int = Field(512, ge=64, le=4096)
    height: int = Field(512, ge=64, le=4096)
    steps: int = Field(30, ge=1, le=200)
    guidance: float = Field(7.0, ge=0.0, le=30.0)
    scheduler: str | None = None
    dtype: Dtype = "auto"
    # "auto" turns all three on for GPUs under 10 GiB; list them to choose, [] for none.
    memory_savers: tuple[MemorySaver, ...] = ("auto",)
    ip_adapter: IPAdapterConfig | None = None
    controlnets: dict[ControlKind, Path] = Field(default_factory=dict)  # diffusers folders, by kind

    @field_validator("path", "config")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("controlnets")
    @classmethod
    def _expand_each(cls, value: dict[ControlKind, Path]) -> dict[ControlKind, Path]:
        return {kind: path.expanduser() for kind, path in value.items()}

    @property
    def is_single_file(self) -> bool:
        return self.path.suffix in {".safetensors", ".ckpt", ".bin"}
