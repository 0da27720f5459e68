"""Upscaling: a diffusers upscaler when one is configured, a high-quality resampler otherwise.

The result always says which one ran, so nobody mistakes a resample for added detail.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageFilter

from tools.engine import MAX_SIDE, GenerationError, check_upscale, upscaled_size

if TYPE_CHECKING:  # diffusers and torch load only when a diffusion upscaler is configured
    import torch
    from diffusers import StableDiffusionUpscalePipeline

RESAMPLER = "lanczos resample (no diffusion upscaler configured)"


def resample(image: Image.Image, factor: float, max_side: int = MAX_SIDE) -> Image.Image:
    """Lanczos to the new size with a light unsharp mask to keep edges crisp; never past ``max_side``."""
    check_upscale(image.size, factor, max_side)
    size = upscaled_size(image.size, factor)
    return image.resize(size, Image.Resampling.LANCZOS).filter(
        ImageFilter.UnsharpMask(radius=1.2, percent=60, threshold=2)
    )


class DiffusionUpscaler:
    """Stable Diffusion ×4 upscaler from a local directory, loaded on first use."""

    factor = 4

    def __init__(self, path: Path, device: torch.device, dtype: torch.dtype) -> None:  # noqa: F821
        self.path, self.device, self.dtype = path, device, dtype
        self._pipeline: StableDiffusionUpscalePipeline | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"diffusion x4 upscaler ({self.path.name})"

    def upscale(
        self,
        image: Image.Image,
        prompt: str,
        factor: float,
        generator: torch.Generator,
        steps: int,
        max_side: int = MAX_SIDE,
    ) -> Image.Image:
        """The ×4 model's output, resampled down when less was asked; refused past ``max_side``."""
        check_upscale(image.size, factor, max_side)
        with self._lock:
            pipeline = self._load()
            out = pipeline(
                prompt=prompt or "",
                image=image,
                num_inference_steps=steps,
                generator=generator,
                output_type="pil",
            ).images[0]
        if factor != self.factor:  # ×4 model, ×2 or ×3 asked: come back down with a clean resample
            out = out.resize(upscaled_size(image.size, factor), Image.Resampling.LANCZOS)
        return out

    def _load(self) -> StableDiffusionUpscalePipeline:
        from diffusers import StableDiffusionUpscalePipeline

        if self._pipeline is None:
            if not self.path.exists():
                raise GenerationError(f"Upscaler weights not found at {self.path}.")
            pipeline = StableDiffusionUpscalePipeline.from_pretrained(
                str(self.path), dtype=self.dtype, local_files_only=True
            )
            pipeline.set_progress_bar_config(disable=True)
            self._pipeline = pipeline.to(self.device)
        return self._pipeline
