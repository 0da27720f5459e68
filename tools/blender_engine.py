"""The 3D previz engine: each version's blocking built and rendered in Blender, marked PREVIZ.

When a request carries a :class:`tools.blocking.Blocking` (the desk puts one in from the shot spec),
this renders it through the shared warm Blender worker at the request's size, then draws a caption
strip saying what it is (PREVIZ · shot size · angle, INT/EXT · setting · time). The record says
engine "previz" so the rest of Slate treats it as previz. Without a blocking, or when Blender is
missing or fails, it draws the 2D storyboard frame (tools/previz.py) and logs why.

Every render is placed with small seed-driven offsets (figures step a little, the camera drifts a
little), so a reroll or a variation (a fresh seed) differs but stays the same shot, while a revision
or an upscale (the parent's seed) changes only what its spec changed.
"""

from __future__ import annotations

import json
import logging
import random
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from PIL import Image, ImageDraw

from tools.animatic import FRAMES_SHOWN, animatic_size, gif_of
from tools.blender_client import BlenderError, BlenderUnavailable, BlenderWorker, shared_worker
from tools.blocking import Blocking
from tools.engine import (
    MAX_SEED,
    MAX_SIDE,
    GenerationRecord,
    GenerationRequest,
    GenerationResult,
    Progress,
    ProgressCallback,
    upscaled_size,
)
from tools.images import repaint
from tools.previz import PrevizEngine, seed_for
from tools.previz_text import Fonts, _bottom_band

log = logging.getLogger(__name__)

MODEL = "blender-workbench"
FIGURE_JITTER = 0.05  # of the frame's height at the subject, each way
CAMERA_JITTER = 0.03
ANGLE_WORDS = {
    "eye": "eye level", "low": "low angle", "high": "high angle", "overhead": "overhead",
    "ots": "OTS", "pov": "POV",
}  # fmt: skip


class BlenderPrevizEngine:
    """Renders each request's blocking in Blender; the 2D previz when there is none to render."""

    name = "blender"

    def __init__(
        self, worker: BlenderWorker | None = None, max_side: int = MAX_SIDE, caption: bool = True
    ) -> None:
        self._worker = worker
        self.max_side = max_side
        self.caption = caption
        self.fallback = PrevizEngine(max_side=max_side)

    @property
    def worker(self) -> BlenderWorker:
        return self._worker or shared_worker()

    def model_names(self) -> tuple[str, ...]:
        return ("previz",)

    def supports(self, feature: str, model: str | None = None) -> bool:
        return False  # a blocking render takes no reference stills, LoRAs or control maps

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> list[GenerationResult]:
        request.validate(self.max_side)
        if request.blocking is None:
            log.info("no blocking with this request: drawing the 2D previz from the prompt")
            return self.fallback.generate(request, progress)
        try:
            return self._render(request, request.blocking, progress)
        except (BlenderUnavailable, BlenderError, OSError) as error:
            log.warning("Blender previz failed, drawing the 2D previz instead: %s", error)
            return self.fallback.generate(request, progress)  # the 2D frame drawn from the same blocking

    def _render(
        self, request: GenerationRequest, blocking: Blocking, progress: ProgressCallback | None
    ) -> list[GenerationResult]:
        size = frame_size(request)
        blocking = replace(blocking, width=size[0], height=size[1])
        first = request.seed if request.seed is not None else seed_for(request.prompt)
        if progress is not None:
            progress(Progress(step=0, total=request.count))
        results = []
        for index in range(request.count):
            seed = (first + index) % (MAX_SEED + 1)
            image, scene, animatic = self.render_take(blocking, seed)
            if request.mode == "inpaint" and request.init_image is not None and request.mask is not None:
                image = repaint(image, request.init_image, request.mask)
            record = self._record(request, blocking, seed)
            results.append(
                GenerationResult(image=image, record=record, is_previz=True, scene=scene, animatic=animatic)
            )
            if progress is not None:
                progress(Progress(step=index + 1, total=request.count))
        return results

    def render(self, blocking: Blocking, seed: int) -> Image.Image:
        """The blocking rendered with ``seed``'s offsets, captioned."""
        return self.render_with_scene(blocking, seed)[0]

    def render_with_scene(self, blocking: Blocking, seed: int) -> tuple[Image.Image, bytes]:
        """The captioned frame and the .blend it was rendered from (kept with the version, so a
        previz artist opens Slate's blocking in Blender)."""
        image, scene, _ = self.render_take(blocking, seed, animatic=False)
        return image, scene

    def render_take(
        self, blocking: Blocking, seed: int, animatic: bool = True
    ) -> tuple[Image.Image, bytes, bytes | None]:
        """The captioned frame, its .blend and, when the camera moves, the animatic (a GIF of
        :data:`FRAMES_SHOWN` frames along the move, each captioned PREVIZ like the still)."""
        scene = jittered(blocking, seed)
        size = animatic_size(blocking.width, blocking.height)
        wants = animatic and blocking.camera.move != "static"
        ask = {"frames": FRAMES_SHOWN, "width": size[0], "height": size[1]} if wants else None
        with tempfile.TemporaryDirectory(prefix="slate-blender-") as tmp:
            png, blend = Path(tmp) / "frame.png", Path(tmp) / "frame.blend"
            answer = self.worker.request(
                {"op": "render", "scene": scene, "png": str(png), "blend": str(blend), "animatic": ask}
            )
            with Image.open(str(answer["png"])) as opened:
                image = opened.convert("RGB")
            saved = Path(str(answer["blend"])).read_bytes()
            frames = [_opened(path) for path in answer.get("animatic") or ()]  # type: ignore[union-attr]
        if image.size != (blocking.width, blocking.height):
            raise BlenderError(f"Blender rendered {image.size}, not {blocking.width}×{blocking.height}")
        if self.caption:
            draw_caption(image, blocking)
            for frame in frames:
                draw_caption(frame, blocking)
        return image, saved, gif_of(frames) if len(frames) >= 2 else None

    def _record(self, request: GenerationRequest, blocking: Blocking, seed: int) -> GenerationRecord:
        return GenerationRecord(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            seed=seed,
            steps=0,
            guidance=0.0,
            width=blocking.width,
            height=blocking.height,
            model=MODEL,
            engine="previz",
            mode=request.mode,
            strength=request.strength,
            extra={
                "renderer": "blender",
                "blocking": json.dumps(asdict(blocking), separators=(",", ":")),
                **({"upscaler": "blender re-render"} if request.mode == "upscale" else {}),
            },
        )


def _opened(path: object) -> Image.Image:
    with Image.open(str(path)) as opened:
        return opened.convert("RGB")


def frame_size(request: GenerationRequest) -> tuple[int, int]:
    """The size the version is: an upscale's larger size, the source's size for a revision (an
    extension's source is already the wider canvas), else the request's."""
    if request.init_image is None:
        return request.width, request.height
    if request.mode == "upscale":
        return upscaled_size(request.init_image.size, request.upscale)
    return request.init_image.size


def jittered(blocking: Blocking, seed: int) -> dict[str, object]:
    """The blocking's scene with ``seed``'s small offsets: each figure steps sideways and in depth,
    the camera (and what it looks at) drifts together — proportional to the frame, so an ECU moves
    millimetres and a wide shot decimetres."""
    scene = blocking.to_dict()
    layout = dict(scene["layout"])  # type: ignore[arg-type]
    rng = random.Random(seed)
    span = blocking.frame_height()
    figure_step = FIGURE_JITTER * span if blocking.camera.shot_size not in ("ECU", "CU") else 0.0
    layout["figure_locations"] = [
        (round(x + rng.uniform(-1, 1) * figure_step, 4), round(y + rng.uniform(-1, 1) * figure_step, 4), z)
        for x, y, z in layout["figure_locations"]
    ]
    dx, dz = (rng.uniform(-1, 1) * CAMERA_JITTER * span for _ in range(2))
    cx, cy, cz = layout["camera_location"]
    tx, ty, tz = layout["camera_target"]
    layout["camera_location"] = (round(cx + dx, 4), cy, round(max(cz + dz, 0.2), 4))
    layout["camera_target"] = (round(tx + dx, 4), ty, round(tz + dz, 4))
    scene["layout"] = layout
    return scene


def angle_words(blocking: Blocking) -> str:
    """The angle as a shot list says it; OTS and POV say whose shoulder or eyes."""
    cam, viewer = blocking.camera, blocking.viewer_index()
    who = blocking.figures[viewer].name if viewer is not None else ""
    if who and cam.angle == "ots":
        return f"OTS over {who}"
    if who and cam.angle == "pov":
        return f"POV {who}"
    return ANGLE_WORDS[cam.angle]


def caption_lines(blocking: Blocking) -> tuple[str, str]:
    cam = blocking.camera
    shot = " · ".join(
        p
        for p in (
            "PREVIZ",
            cam.shot_size,
            angle_words(blocking) + (" dutch" if cam.dutch_deg else ""),
            f"{cam.lens_mm:g}mm",
            cam.move if cam.move != "static" else "",
        )
        if p
    )
    scene = " · ".join(
        p for p in ("INT" if blocking.set.interior else "EXT", blocking.set.place, blocking.time_of_day) if p
    )
    return shot, scene


def draw_caption(image: Image.Image, blocking: Blocking) -> None:
    """The bottom strip the 2D previz has too, so a frame never passes for a finished image."""
    shot, scene = caption_lines(blocking)
    draw = ImageDraw.Draw(image, "RGBA")
    _bottom_band(draw, image.size, Fonts.for_frame(*image.size), shot, scene)
