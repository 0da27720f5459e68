"""Frame presets directors ask for by name."""

from __future__ import annotations

from typing import Literal

AspectRatio = Literal["2.39:1", "1.85:1", "16:9", "9:16", "1:1", "4:3"]

ASPECT_RATIOS: dict[str, float] = {
    "2.39:1": 2.39,
    "1.85:1": 1.85,
    "16:9": 16 / 9,
    "9:16": 9 / 16,
    "1:1": 1.0,
    "4:3": 4 / 3,
}
DEFAULT_ASPECT: AspectRatio = "16:9"


def frame_size(aspect: str, base_side: int) -> tuple[int, int]:
    """Width and height for ``aspect`` with about ``base_side``² pixels, each a multiple of 8.

    Diffusion models are trained at a pixel budget (512², 1024²), not a width: keeping the
    area constant keeps every aspect inside what the model knows.
    """
    try:
        ratio = ASPECT_RATIOS[aspect]
    except KeyError:
        raise ValueError(f"Unknown aspect ratio {aspect!r}; use one of {', '.join(ASPECT_RATIOS)}.") from None
    area = base_side * base_side
    width = (area * ratio) ** 0.5
    height = width / ratio
    return max(64, round(width / 8) * 8), max(64, round(height / 8) * 8)
