"""Generation backends by name. Adding one is a module and a line here."""

from __future__ import annotations

from collections.abc import Callable

from config import Settings
from tools.engine import Engine

PREVIZ_SIDE = 768


def _previz(settings: Settings) -> Engine:
    from tools.previz import PrevizEngine

    return PrevizEngine(max_side=settings.max_output_side)


def _blender(settings: Settings) -> Engine:
    from tools.blender_engine import BlenderPrevizEngine

    return BlenderPrevizEngine(max_side=settings.max_output_side)


def _diffusers(settings: Settings) -> Engine:
    from tools.diffusers_engine import DiffusersEngine

    assert settings.default_model is not None  # guaranteed by Settings validation
    return DiffusersEngine(
        settings.models,
        settings.default_model,
        settings.device,
        settings.upscaler,
        max_side=settings.max_output_side,
    )


ENGINES: dict[str, Callable[[Settings], Engine]] = {
    "previz": _previz,
    "blender": _blender,
    "diffusers": _diffusers,
}


def build_engine(settings: Settings) -> Engine:
    return ENGINES[settings.engine_name](settings)


def base_side(settings: Settings) -> int:
    """The frame's pixel budget side: the default model's native size, or the previz default."""
    if settings.engine_name == "diffusers" and settings.default_model:
        spec = settings.models[settings.default_model]
        return int((spec.width * spec.height) ** 0.5)
    return PREVIZ_SIDE
