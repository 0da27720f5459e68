"""The generation interface every backend implements, and the types that cross it.

A backend is anything with ``generate(request) -> GenerationResult``. The agent and the bot
only ever see these types, so a previz renderer, a local diffusers pipeline or (later) a
remote worker pool are interchangeable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from PIL import Image

MAX_SIDE = 4096
MAX_STEPS = 200
MAX_SEED = 2**32 - 1  # torch.Generator.manual_seed accepts more, but A1111/ComfyUI seeds are 32-bit


class GenerationError(ValueError):
    """A request the engine refuses, with a message fit to show a director."""


@dataclass(frozen=True)
class GenerationRequest:
    """Everything needed to make (and later remake) one image."""

    prompt: str
    width: int = 512
    height: int = 512
    negative_prompt: str = ""
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    model: str | None = None
    title: str = ""

    def validate(self) -> None:
        """Reject requests no backend should attempt; the message names the bad field."""
        if not self.prompt.strip():
            raise GenerationError("The direction is empty: describe the shot to generate.")
        for name, side in (("width", self.width), ("height", self.height)):
            if not 64 <= side <= MAX_SIDE:
                raise GenerationError(f"{name} {side}px is out of range (64–{MAX_SIDE}px).")
        if self.seed is not None and not 0 <= self.seed <= MAX_SEED:
            raise GenerationError(f"seed {self.seed} is out of range (0–{MAX_SEED}).")
        if self.steps is not None and not 1 <= self.steps <= MAX_STEPS:
            raise GenerationError(f"steps {self.steps} is out of range (1–{MAX_STEPS}).")


@dataclass(frozen=True)
class GenerationRecord:
    """What was actually run: enough to regenerate the image bit-for-bit on the same model."""

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
    references: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GenerationResult:
    image: Image.Image
    record: GenerationRecord
    is_previz: bool = False


@runtime_checkable
class Engine(Protocol):
    """A generation backend."""

    name: str

    def generate(self, request: GenerationRequest) -> GenerationResult: ...
