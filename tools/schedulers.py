"""Samplers by the names directors know from A1111/ComfyUI, mapped to diffusers schedulers."""

from __future__ import annotations

from typing import Any

import diffusers

from tools.engine import GenerationError

# name -> (scheduler class, config overrides)
SCHEDULERS: dict[str, tuple[str, dict[str, Any]]] = {
    "euler": ("EulerDiscreteScheduler", {}),
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),
    "heun": ("HeunDiscreteScheduler", {}),
    "lms": ("LMSDiscreteScheduler", {}),
    "ddim": ("DDIMScheduler", {}),
    "pndm": ("PNDMScheduler", {}),
    "unipc": ("UniPCMultistepScheduler", {}),
    "dpmpp_2m": ("DPMSolverMultistepScheduler", {}),
    "dpmpp_2m_karras": ("DPMSolverMultistepScheduler", {"use_karras_sigmas": True}),
    "dpmpp_sde": ("DPMSolverSinglestepScheduler", {}),
}


def make_scheduler(name: str, base_config: Any) -> Any:
    """A fresh scheduler of the named kind, configured like the model's own."""
    try:
        class_name, overrides = SCHEDULERS[name]
    except KeyError:
        known = ", ".join(sorted(SCHEDULERS))
        raise GenerationError(f"Unknown sampler {name!r}. Known samplers: {known}.") from None
    return getattr(diffusers, class_name).from_config(base_config, **overrides)
