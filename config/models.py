"""The model registry's entries: one named diffusion model and its defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Dtype = Literal["auto", "float32", "float16", "bfloat16"]


class ModelSpec(BaseModel):
    """A diffusion model on local disk: a diffusers directory or a single checkpoint file.

    ``config`` is only for single files: a local diffusers-format directory holding the
    component configs, so ``from_single_file`` never reaches for a model hub.
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

    @field_validator("path", "config")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def is_single_file(self) -> bool:
        return self.path.suffix in {".safetensors", ".ckpt", ".bin"}
