"""ControlNet for one model: weights loaded once per kind, pipelines that share the base's weights,
and the control image each kind expects.

"edges" is computed here from any reference (a Canny-like detector in numpy). "depth" and
"pose" would need an annotator model (a depth estimator, a pose detector) that Slate does not
ship, so for those the reference must already be the map: a grayscale depth map (near is
bright) or an OpenPose skeleton (coloured limbs on black), as made by a depth or pose tool or a
previz package.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from diffusers import (
    AutoPipelineForImage2Image,
    AutoPipelineForInpainting,
    AutoPipelineForText2Image,
    ControlNetModel,
    DiffusionPipeline,
)
from PIL import Image, ImageOps

from config.models import ModelSpec
from tools.engine import ControlRef, GenerationError, Mode

# The ControlNet sibling of each mode's pipeline, and the argument its control image goes in
# (img2img and inpaint already use ``image`` for the picture being changed).
_SIBLING = {
    "txt2img": (AutoPipelineForText2Image, "image"),
    "img2img": (AutoPipelineForImage2Image, "control_image"),
    "inpaint": (AutoPipelineForInpainting, "control_image"),
}
CANNY_THRESHOLDS = (100.0, 200.0)  # what the canny ControlNets were trained with (cv2.Canny(img, 100, 200))


class ControlNets:
    """The ControlNets configured for one model; call under the model's lock."""

    def __init__(self, spec: ModelSpec, model_name: str, loads: Counter[str]) -> None:
        self.spec = spec
        self.model_name = model_name
        self.loads = loads
        self._models: dict[str, ControlNetModel] = {}
        self._siblings: dict[tuple[str, str], tuple[DiffusionPipeline, DiffusionPipeline]] = {}

    def check(self, control: ControlRef, mode: Mode) -> None:
        """Refuse what cannot run, before anything is loaded."""
        if mode not in _SIBLING:
            raise GenerationError(f"{control.kind.capitalize()} control works for txt2img, img2img, inpaint.")
        path = self.spec.controlnets.get(control.kind)
        if path is None:
            raise GenerationError(
                f"No {control.kind} ControlNet is configured for model {self.model_name!r}: add "
                f'`controlnets.{control.kind} = "<folder>"` (a diffusers ControlNet for this base model) '
                "to its entry in the model registry."
            )
        if control.kind not in self._models and not (path / "config.json").is_file():
            raise GenerationError(
                f"The {control.kind} ControlNet for model {self.model_name!r} was not found at {path} "
                "(expected a diffusers folder with config.json and the weights)."
            )

    def prepare(
        self, pipeline: DiffusionPipeline, control: ControlRef, mode: Mode, size: tuple[int, int]
    ) -> tuple[DiffusionPipeline, dict[str, Any]]:
        """The ControlNet pipeline to call in place of ``pipeline``, and its extra arguments."""
        self.check(control, mode)
        image = control_image(control, size)  # a wrong map is refused before any loading
        sibling = self._sibling(pipeline, control.kind, mode)
        return sibling, {_SIBLING[mode][1]: image, "controlnet_conditioning_scale": control.scale}

    def _model(self, kind: str, pipeline: DiffusionPipeline) -> ControlNetModel:
        if kind not in self._models:
            path = self.spec.controlnets[kind]
            try:
                model = ControlNetModel.from_pretrained(path, dtype=pipeline.dtype, local_files_only=True)
            except (OSError, ValueError, RuntimeError) as error:
                raise GenerationError(
                    f"The {kind} ControlNet at {path} could not be loaded: {error}"
                ) from error
            # The execution device, not ``pipeline.device``: with CPU offload the two differ.
            self._models[kind] = model.to(pipeline._execution_device)
            self.loads[f"controlnet:{kind}"] += 1
        return self._models[kind]

    def _sibling(self, pipeline: DiffusionPipeline, kind: str, mode: str) -> DiffusionPipeline:
        source, sibling = self._siblings.get((kind, mode), (None, None))
        if source is not pipeline or sibling is None:
            auto_class, model = _SIBLING[mode][0], self._model(kind, pipeline)
            try:
                # AutoPipeline's from_pipe, not StableDiffusionControlNetPipeline's: the latter
                # also calls ``.to(dtype=float32)`` by default, casting the shared weights in place.
                sibling = auto_class.from_pipe(pipeline, controlnet=model)
            except ValueError as error:
                raise GenerationError(
                    f"{type(pipeline).__name__} has no ControlNet variant for {mode}: {error}"
                ) from error
            sibling.set_progress_bar_config(**getattr(pipeline, "_progress_bar_config", {}))
            self._siblings[(kind, mode)] = (pipeline, sibling)
        else:
            # The caller may have swapped the sampler or attached an image encoder since.
            shared = {name: part for name, part in pipeline.components.items() if name in sibling.components}
            sibling.register_modules(**shared)
        return sibling


def control_image(control: ControlRef, size: tuple[int, int]) -> Image.Image:
    """The image the ControlNet conditions on, cropped to the frame's aspect and sized to it.

    "edges" is computed from any picture; "depth" and "pose" must already be the map (see the
    module docstring), and a picture that clearly is not one is refused with what to supply.
    """
    image = ImageOps.fit(control.image.convert("RGB"), size, Image.Resampling.LANCZOS)
    if control.kind == "edges":
        return edge_map(image)
    pixels = np.asarray(image, dtype=np.int16)
    if control.kind == "depth":
        if (pixels.max(axis=2) - pixels.min(axis=2)).mean() > 8:
            raise GenerationError(
                "A depth control needs a depth map (grayscale, near is bright), and this image is in "
                "colour. Slate has no depth estimator: make the map with a depth tool (Depth Anything, "
                "MiDaS, or your 3D/previz package) and attach that."
            )
        return image.convert("L").convert("RGB")
    if control.kind == "pose":
        if (pixels.max(axis=2) < 32).mean() < 0.5:
            raise GenerationError(
                "A pose control needs an OpenPose skeleton (coloured limbs on a black background), and "
                "this looks like a picture. Slate has no pose detector: make the skeleton with an "
                "OpenPose tool (or pose a rig in your previz package) and attach that."
            )
        return image
    raise GenerationError(f"Unknown control kind {control.kind!r}: use edges, depth or pose.")


def edge_map(image: Image.Image, thresholds: tuple[float, float] = CANNY_THRESHOLDS) -> Image.Image:
    """White edges on black, Canny-like: Sobel gradients, thinning to ridges, hysteresis.

    Like OpenCV's default (the canny ControlNets' annotator): no pre-blur, L1 gradient
    magnitude, and pixels between the thresholds kept only where they touch a strong edge.
    """
    gray = np.asarray(image.convert("L"), dtype=np.float32)
    height, width = gray.shape
    padded = np.pad(gray, 1, mode="edge")

    def at(dy: int, dx: int, source: np.ndarray = padded) -> np.ndarray:
        return source[1 + dy : 1 + dy + height, 1 + dx : 1 + dx + width]

    gx = at(-1, 1) + 2 * at(0, 1) + at(1, 1) - at(-1, -1) - 2 * at(0, -1) - at(1, -1)
    gy = at(1, -1) + 2 * at(1, 0) + at(1, 1) - at(-1, -1) - 2 * at(-1, 0) - at(-1, 1)
    magnitude = np.abs(gx) + np.abs(gy)

    # Keep a pixel only where it is the ridge across the edge: no weaker than both neighbours
    # along the gradient (rows grow downwards, so 45° points right-and-down).
    direction = ((np.degrees(np.arctan2(gy, gx)) % 180 + 22.5) // 45).astype(int) % 4
    padded_magnitude = np.pad(magnitude, 1)
    ridge = np.zeros_like(magnitude, dtype=bool)
    for index, (dy, dx) in enumerate(((0, 1), (1, 1), (1, 0), (1, -1))):
        ahead, behind = at(dy, dx, padded_magnitude), at(-dy, -dx, padded_magnitude)
        ridge |= (direction == index) & (magnitude >= ahead) & (magnitude > behind)

    low, high = thresholds
    weak = ridge & (magnitude >= low)
    edges = ridge & (magnitude >= high)
    while True:  # grow strong edges along connected weak ones
        grown_padded = np.pad(edges, 1)
        grown = weak & np.logical_or.reduce(
            [at(dy, dx, grown_padded) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        )
        if np.array_equal(grown, edges):
            break
        edges = grown
    return Image.fromarray(edges.astype(np.uint8) * 255).convert("RGB")
