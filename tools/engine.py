"""The generation interface every backend implements, and the types that cross it.

A backend is anything with ``generate(request) -> list[GenerationResult]``. The agent and the
bot only ever see these types, so the previz renderer, a local diffusers pipeline or (later)
a remote worker pool are interchangeable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from PIL import Image

from tools.blocking import Blocking

MAX_SIDE = 4096
MAX_STEPS = 200
MAX_BATCH = 8
MAX_SEED = 2**32 - 1  # torch.Generator accepts more, but A1111/ComfyUI seeds are 32-bit

Mode = Literal["txt2img", "img2img", "inpaint", "upscale"]
ControlKind = Literal["edges", "depth", "pose"]
Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions of the frame


class GenerationError(ValueError):
    """A request the engine refuses, with a message fit to show a director."""


class GenerationCancelled(RuntimeError):
    """The job was cancelled between denoising steps; nothing was produced."""


@dataclass(frozen=True)
class Reference:
    """An image the shot must stay consistent with (IP-Adapter), optionally confined to a region.

    With several characters in one frame each reference gets its own region, so faces are
    not blended into one.
    """

    image: Image.Image
    label: str = ""
    scale: float = 0.6
    region: Box | None = None


@dataclass(frozen=True)
class LoraRef:
    """Trained weights (a character's identity, a look) on local disk, applied at a strength."""

    name: str
    path: Path
    scale: float = 0.8


@dataclass(frozen=True)
class ControlRef:
    """A structure to follow (edges, depth or pose) taken from a reference image."""

    kind: ControlKind
    image: Image.Image
    scale: float = 1.0


@dataclass(frozen=True)
class Progress:
    step: int
    total: int

    @property
    def fraction(self) -> float:
        return self.step / self.total if self.total else 1.0


ProgressCallback = Callable[[Progress], None]


def upscaled_size(size: tuple[int, int], factor: float) -> tuple[int, int]:
    """The size an upscale by ``factor`` makes (what every upscaler here rounds to)."""
    return round(size[0] * factor), round(size[1] * factor)


def check_upscale(size: tuple[int, int], factor: float, max_side: int = MAX_SIDE) -> None:
    """Refuse an upscale whose result would be over the long-side cap, before any pixel is made.

    An oversized version is not merely slow: every later revision of it is refused too.
    """
    result = upscaled_size(size, factor)
    if max(result) > max_side:
        raise GenerationError(
            f"Upscaling {size[0]}×{size[1]} by {factor:g}× would make {result[0]}×{result[1]}; "
            f"the limit is {max_side} px on the long side."
        )


def check_box(box: Box, what: str) -> None:
    """A box must lie inside the frame: a mask outside it would repaint nothing, silently."""
    left, top, right, bottom = box
    if not (0.0 <= left < right <= 1.0 and 0.0 <= top < bottom <= 1.0):
        raise GenerationError(f"The {what} {box} lies outside the frame (each edge must be within 0–1).")


@dataclass(frozen=True)
class GenerationRequest:
    """Everything needed to make (and later remake) one image or a batch of variations."""

    prompt: str
    width: int = 512
    height: int = 512
    negative_prompt: str = ""
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    model: str | None = None
    title: str = ""
    sampler: str | None = None
    count: int = 1
    mode: Mode = "txt2img"
    init_image: Image.Image | None = None
    mask: Image.Image | None = None
    strength: float | None = None
    upscale: float = 2.0
    references: tuple[Reference, ...] = ()
    loras: tuple[LoraRef, ...] = ()
    control: ControlRef | None = None
    # the 3D blocking the shot spec describes: a previz engine that builds scenes renders it,
    # every other engine ignores it
    blocking: Blocking | None = None

    def validate(self, max_side: int = MAX_SIDE) -> None:
        """Reject requests no backend should attempt; the message names the bad field.

        ``max_side`` is the deployment's cap on an image's long side, in and out.
        """
        if not self.prompt.strip() and self.mode != "upscale":
            raise GenerationError("The direction is empty: describe the shot to generate.")
        for name, side in (("width", self.width), ("height", self.height)):
            if not 64 <= side <= max_side:
                raise GenerationError(f"{name} {side}px is out of range (64–{max_side}px).")
        if self.seed is not None and not 0 <= self.seed <= MAX_SEED:
            raise GenerationError(f"seed {self.seed} is out of range (0–{MAX_SEED}).")
        if self.steps is not None and not 1 <= self.steps <= MAX_STEPS:
            raise GenerationError(f"steps {self.steps} is out of range (1–{MAX_STEPS}).")
        if self.guidance is not None and not 0.0 <= self.guidance <= 30.0:
            raise GenerationError(f"guidance {self.guidance} is out of range (0–30).")
        if not 1 <= self.count <= MAX_BATCH:
            raise GenerationError(f"A batch is 1 to {MAX_BATCH} images, not {self.count}.")
        if self.strength is not None and not 0.0 < self.strength <= 1.0:
            raise GenerationError(f"strength {self.strength} is out of range (above 0, at most 1).")
        self._validate_images(max_side)

    def _validate_images(self, max_side: int) -> None:
        if self.mode != "txt2img" and self.init_image is None:
            raise GenerationError(f"{self.mode} needs the image to start from.")
        if self.mode == "inpaint":
            if self.mask is None:
                raise GenerationError("Inpainting needs a region or a mask.")
            assert self.init_image is not None
            if self.mask.size != self.init_image.size:
                raise GenerationError(
                    f"The mask is {self.mask.size[0]}×{self.mask.size[1]} but the image is "
                    f"{self.init_image.size[0]}×{self.init_image.size[1]}."
                )
            if self.mask.convert("L").getextrema()[1] == 0:
                raise GenerationError("The mask covers nothing: mark the region to repaint in white.")
        if self.mode == "upscale" and not 1.0 < self.upscale <= 4.0:
            raise GenerationError(f"Upscale factor {self.upscale} is out of range (above 1, at most 4).")
        if self.mode == "upscale":
            assert self.init_image is not None  # checked above
            check_upscale(self.init_image.size, self.upscale, max_side)
        for reference in self.references:
            if reference.region is not None:
                check_box(reference.region, f"region for {reference.label or 'a reference'}")
            if not 0.0 <= reference.scale <= 2.0:
                raise GenerationError(f"Reference strength {reference.scale} is out of range (0–2).")
        for lora in self.loras:
            if not -2.0 <= lora.scale <= 2.0:
                raise GenerationError(f"LoRA {lora.name!r} strength {lora.scale} is out of range (-2–2).")


@dataclass(frozen=True)
class GenerationRecord:
    """What was actually run: enough to regenerate the image bit-for-bit on the same model and device."""

    prompt: str
    negative_prompt: str
    seed: int
    steps: int
    guidance: float
    width: int
    height: int
    model: str
    engine: str
    scheduler: str = ""
    mode: str = "txt2img"
    strength: float | None = None
    references: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GenerationResult:
    image: Image.Image
    record: GenerationRecord
    is_previz: bool = False
    scene: bytes | None = None  # the 3D scene the frame was rendered from (a .blend), for an artist to open
    animatic: bytes | None = None  # the camera move played as a GIF, when the shot has one


@runtime_checkable
class Engine(Protocol):
    """A generation backend."""

    name: str

    def model_names(self) -> tuple[str, ...]:
        """The models a request may name."""
        ...

    def supports(self, feature: Literal["references", "lora", "control"], model: str | None = None) -> bool:
        """Whether ``model`` (the default when None) can take that consistency input."""
        ...

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> list[GenerationResult]: ...
