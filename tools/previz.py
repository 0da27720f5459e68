"""The built-in previz engine: a storyboard frame drawn from the shot's blocking, no weights needed.

Slate has to be useful before anyone configures a diffusion model (or Blender), so this backend
draws the blocking the director's reading made (shot size, angle, cast, time of day, weather,
place) as a storyboard artist would thumbnail it, never re-reading the prompt: figures framed for
the shot size in stable per-character colours, thirds and safe-area guides, and a caption strip.
Same request and seed give the same bytes, in milliseconds.
"""

from __future__ import annotations

import colorsys
import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image

from tools.blocking import Blocking, name_colour
from tools.engine import (
    MAX_SEED,
    MAX_SIDE,
    GenerationRecord,
    GenerationRequest,
    GenerationResult,
    Progress,
    ProgressCallback,
)
from tools.frame_facts import FrameFacts
from tools.images import repaint
from tools.previz_draw import (
    EYE_LINE,
    SKIES,
    Figure,
    Frame,
    draw_background,
    draw_figure,
    draw_floor_grid,
    draw_guides,
    draw_landmark,
    draw_lines,
    draw_subject_box,
    draw_weather,
    is_dark,
    mix,
)
from tools.previz_moves import draw_move
from tools.previz_text import Fonts, Label, draw_text
from tools.upscale import RESAMPLER, resample

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Framing:
    """How big a person is for a shot size: body point `anchor` (0 head top, 1 feet) sits at `at`."""

    scale: float  # head-to-feet height, in units of the frame's reference side
    anchor: float
    at: float  # fraction of frame height
    max_figures: int


FRAMINGS = {
    "ECU": Framing(12.0, EYE_LINE, 0.42, 1),
    "CU": Framing(4.0, EYE_LINE, 0.36, 2),
    "MCU": Framing(2.5, EYE_LINE, 0.31, 2),
    "MS": Framing(1.7, EYE_LINE, 0.29, 3),
    "MWS": Framing(1.15, EYE_LINE, 0.27, 4),
    "WS": Framing(0.54, 1.0, 0.80, 6),
    "EWS": Framing(0.2, 1.0, 0.74, 8),
}


class PrevizEngine:
    """Draws a storyboard frame for each request; Slate's engine when no weights are configured."""

    name = "previz"

    def __init__(self, max_side: int = MAX_SIDE) -> None:
        self.max_side = max_side  # the long-side cap on every frame, drawn or upscaled

    def model_names(self) -> tuple[str, ...]:
        return ("previz",)

    def supports(self, feature: str, model: str | None = None) -> bool:
        return False  # a storyboard frame takes no reference stills, LoRAs or control maps

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> list[GenerationResult]:
        """One frame per requested image (seeds seed, seed+1, …), in the mode's spirit.

        Revisions redraw from the revised direction at the source's size; inpainting redraws
        only inside the mask, and an extension (a mask around the whole frame) redraws the frame at
        its new aspect; upscaling resamples. The record says it is previz throughout.
        """
        request.validate(self.max_side)
        if request.mode == "upscale":
            assert request.init_image is not None  # validated
            image = resample(request.init_image, request.upscale, self.max_side)
            seed = request.seed if request.seed is not None else seed_for(request.prompt)
            record = self._record(request, seed, image.size, {"upscaler": RESAMPLER})
            return [GenerationResult(image=image, record=record, is_previz=True)]
        size = request.init_image.size if request.init_image is not None else (request.width, request.height)
        blocking = request.blocking or Blocking()  # no blocking: a plain eye-level medium frame
        reading, colours = frame_facts(blocking), costume_colours(blocking)
        first = request.seed if request.seed is not None else seed_for(request.prompt)
        results = []
        for index in range(request.count):
            seed = (first + index) % (MAX_SEED + 1)
            image = render_frame(reading, size[0], size[1], seed, request.title, colours)
            if request.mode == "inpaint":
                assert request.init_image is not None and request.mask is not None  # validated
                image = repaint(image, request.init_image, request.mask)
            record = self._record(request, seed, size, reading_extra(reading))
            results.append(GenerationResult(image=image, record=record, is_previz=True))
            if progress is not None:
                progress(Progress(step=index + 1, total=request.count))
        return results

    def _record(
        self, request: GenerationRequest, seed: int, size: tuple[int, int], extra: dict[str, str]
    ) -> GenerationRecord:
        return GenerationRecord(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            seed=seed,
            steps=0,
            guidance=0.0,
            width=size[0],
            height=size[1],
            model="previz",
            engine=self.name,
            mode=request.mode,
            strength=request.strength,
            extra=extra,
        )


def seed_for(prompt: str) -> int:
    """A stable 32-bit seed from the prompt, so an unseeded previz is still recorded and reusable."""
    return int.from_bytes(hashlib.sha256(prompt.strip().encode()).digest()[:4], "big")


def reading_extra(reading: FrameFacts) -> dict[str, str]:
    """The parsed direction as strings, for the generation record."""
    return {
        "shot_size": reading.shot_size,
        "angle": reading.angle,
        "characters": ", ".join(reading.characters),
        "viewer": reading.viewer,
        "time_of_day": reading.time_of_day,
        "int_ext": reading.int_ext,
        "weather": ", ".join(reading.weather),
        "lighting": ", ".join(reading.lighting),
        "setting": reading.setting,
        "subject": reading.subject,
        "camera_move": reading.move,
    }


_ANGLE_WORDS = {"low": "low angle", "high": "high angle", "overhead": "overhead", "ots": "OTS", "pov": "POV"}
_LIGHT_WORDS = {"torchlight": "firelight"}  # the blocking's word → the 2D frame's


def frame_facts(blocking: Blocking) -> FrameFacts:
    """What the 2D frame draws of the blocking: size, angle, cast, whose OTS/POV, time, INT/EXT,
    weather, light, place and an unnamed subject — so "tighter" or "swap Rook for Maya" changes
    the 2D frame as it changes the 3D one."""
    cam = blocking.camera
    angles = tuple(a for a in (_ANGLE_WORDS.get(cam.angle), "dutch" if cam.dutch_deg else None) if a)
    viewer = blocking.viewer_index()
    return FrameFacts(
        shot_size=cam.shot_size,
        angles=angles,
        characters=tuple(f.name for f in blocking.figures if f.name),
        viewer=blocking.figures[viewer].name if viewer is not None else "",
        time_of_day=blocking.time_of_day,
        int_ext="INT" if blocking.set.interior else "EXT",
        weather=tuple(blocking.weather) + (("fog",) if blocking.fog >= 0.3 else ()),
        lighting=tuple(_LIGHT_WORDS.get(w, w) for w in blocking.lighting),
        setting=blocking.set.place,
        subject=blocking.framed_thing,
        move="" if cam.move == "static" else cam.move,
    )


def costume_colours(blocking: Blocking) -> dict[str, RGB]:
    """The costume colours the canon or the direction gave (a red cloak); a figure with only its
    name's colour keeps the 2D previz's own name colour."""
    return {
        f.name: (round(f.costume[0] * 255), round(f.costume[1] * 255), round(f.costume[2] * 255))
        for f in blocking.figures
        if f.name and f.costume != name_colour(f.name)
    }


def character_colour(name: str) -> RGB:
    """A colour fixed by the name alone, so a character looks the same in every shot."""
    digest = hashlib.sha256(name.strip().lower().encode()).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    light = 0.48 + digest[2] / 255 * 0.2
    sat = 0.4 + digest[3] / 255 * 0.3
    r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    return round(r * 255), round(g * 255), round(b * 255)


def render_frame(
    reading: FrameFacts,
    width: int,
    height: int,
    seed: int,
    title: str = "",
    colours: Mapping[str, RGB] | None = None,
) -> Image.Image:
    """Draw the whole frame: scene (tilted for Dutch), weather, guides, then labels and captions.
    ``colours`` are costume colours by name (else each name's own colour)."""
    rng = random.Random(seed)
    fonts = Fonts.for_frame(width, height)
    tilt = rng.choice((7.0, -7.0)) if "dutch" in reading.angles else 0.0
    frame = Frame(width, height, tilt, fonts.unit, is_dark(reading.time_of_day))
    angle = vertical_angle(reading)
    figures, subject = place_figures(reading, width, height, rng, colours or {})
    horizon = horizon_y(reading, width, height)
    floor = _floor_y(reading, figures, horizon)
    stops = _palette(reading)
    overhead = angle == "overhead"
    image = draw_background(frame, stops, -1.0 if overhead else floor)
    if overhead:
        draw_floor_grid(image, frame)
    else:
        if reading.int_ext == "INT":  # the eye line is a faint guide; the wall's foot is the real edge
            draw_lines(image, frame, [(horizon, 60)] + ([(floor, 110)] if floor != horizon else []))
        else:
            draw_lines(image, frame, [(horizon, 130)])
    labels: list[Label] = []
    if reading.shot_size == "EWS" and reading.setting and reading.int_ext != "INT" and not overhead:
        top = draw_landmark(image, frame, horizon, rng)
        labels.append(
            Label(reading.setting, mix(stops[2], (0, 0, 0), 0.4), *frame.tf((width / 2, top - fonts.label)))
        )
    backlit = bool({"backlit", "silhouette"} & set(reading.lighting))
    for fig in figures:
        draw_figure(image, frame, fig, angle, backlit)
    if subject:
        draw_subject_box(image, frame, subject)
        centre = ((subject[0] + subject[2]) / 2, (subject[1] + subject[3]) / 2)
        labels.append(Label(reading.subject or "subject", (150, 150, 156), *frame.tf(centre)))
    draw_weather(image, frame, reading, horizon, rng)
    draw_guides(image, frame)
    draw_move(image, reading.move, (0, fonts.top_band, width, height - fonts.bottom_band), fonts.unit)
    shown = {f.name for f in figures} | {reading.viewer}
    hidden = tuple(c for c in reading.characters if c not in shown)
    draw_text(
        image, fonts, reading, _figure_labels(figures, frame, angle, fonts) + labels, title, seed, hidden
    )
    return image


def _palette(reading: FrameFacts) -> tuple[RGB, RGB, RGB, RGB]:
    """Background tones: the time of day's sky, greyed by storm or overcast, walled in indoors."""
    stops = SKIES.get(reading.time_of_day, SKIES[""])
    if "storm" in reading.weather or "overcast" in reading.weather:  # a low, grey sky
        grey = (70, 74, 82) if "storm" in reading.weather else (170, 172, 176)
        stops = (mix(stops[0], grey, 0.6), mix(stops[1], grey, 0.5), stops[2], stops[3])
    if reading.int_ext == "INT":  # a wall between sky and floor tones, flatter than a sky
        wall = mix(stops[0], stops[2], 0.5)
        stops = (mix(wall, (0, 0, 0), 0.15), wall, stops[2], stops[3])
    return stops


def vertical_angle(reading: FrameFacts) -> str:
    return next((a for a in reading.angles if a in ("low angle", "high angle", "overhead")), "")


def _ref_side(width: int, height: int) -> float:
    """People scale with frame height, but not past what a narrow portrait frame can hold."""
    return min(height, 1.3 * width)


def _eye_y(framing: Framing, height: int, size: float, angle: str) -> float:
    shift = {"low angle": -0.03, "high angle": 0.05}.get(angle, 0.0)
    return (framing.at + shift) * height + (EYE_LINE - framing.anchor) * size


def place_figures(
    reading: FrameFacts,
    width: int,
    height: int,
    rng: random.Random,
    colours: Mapping[str, RGB] | None = None,
) -> tuple[list[Figure], tuple[float, float, float, float] | None]:
    """Block the cast: thirds for one or two, an even spread for more; OTS adds a foreground back.

    Extra figures at depth keep their eyes on the same line (eye-level perspective), so they sit
    smaller and higher-footed rather than floating. With no one named, a close shot gets a
    neutral subject box instead of an invented person.
    """

    def colour_of(name: str) -> RGB:
        return (colours or {}).get(name) or character_colour(name)

    framing = FRAMINGS[reading.shot_size]
    angle = vertical_angle(reading)
    size = framing.scale * _ref_side(width, height) * {"low angle": 1.1, "high angle": 0.9}.get(angle, 1.0)
    eye = _eye_y(framing, height, size, angle)
    viewer = reading.viewer if reading.viewer in reading.characters else ""
    if not viewer and "OTS" in reading.angles and len(reading.characters) > 1:
        viewer = reading.characters[-1]
    cast = [c for c in reading.characters if c != viewer][: framing.max_figures]
    n, portrait = len(cast), width < height * 0.8
    side = rng.choice((1 / 3, 2 / 3))
    if "OTS" in reading.angles:
        xs = [1 - side if n == 1 else 0.5 + (i - (n - 1) / 2) * 0.2 for i in range(n)]
    elif n == 1:
        xs = [0.5 + (side - 0.5) * (0.35 if reading.shot_size == "ECU" or portrait else 1.0)]
    elif n == 2 and reading.shot_size in ("CU", "MCU"):  # two faces side by side, each kept whole
        xs = [0.26, 0.74]
        size = min(size, 0.46 * width / 0.116)
    elif n == 2:
        xs = [0.3, 0.7] if portrait else [1 / 3, 2 / 3]
    else:
        xs = [0.2 + 0.6 * i / (n - 1) for i in range(n)]
    figures = []
    for i, (name, x) in enumerate(zip(cast, xs, strict=True)):
        depth = 0.8 if n > 2 and i % 2 and reading.shot_size in ("WS", "EWS", "MWS") else 1.0
        jitter = rng.uniform(-0.02, 0.02) * width
        fig_size = size * depth
        figures.append(Figure(name, colour_of(name), x * width + jitter, eye - EYE_LINE * fig_size, fig_size))
    figures.sort(key=lambda f: f.height)  # further (smaller) figures first, so nearer ones overlap
    if "OTS" in reading.angles:
        fg = size * 2.1
        x = (0.06 if side < 0.5 else 0.94) * width  # opposite the subject, cut by the frame edge
        colour = colour_of(viewer) if viewer else (120, 120, 126)
        figures.append(
            Figure(viewer or "foreground", colour, x, eye - EYE_LINE * fg + 0.1 * height, fg, True)
        )
    subject = None
    if n == 0 and reading.shot_size not in ("WS", "EWS"):
        frac = {"ECU": 0.8, "CU": 0.62, "MCU": 0.5, "MS": 0.4, "MWS": 0.3}[reading.shot_size]
        bw, bh = min(width * 0.7, frac * height * 1.1), frac * height
        cx = width * (0.5 if "OTS" not in reading.angles else 1 - side)
        subject = (cx - bw / 2, height * 0.53 - bh / 2, cx + bw / 2, height * 0.53 + bh / 2)
    return figures, subject


def horizon_y(reading: FrameFacts, width: int, height: int) -> float:
    """Eye level puts the horizon through the subjects' eyes; low/high angles push it down/up."""
    angle = vertical_angle(reading)
    if angle in ("low angle", "high angle"):
        return (0.8 if angle == "low angle" else 0.16) * height
    framing = FRAMINGS[reading.shot_size]
    return _eye_y(framing, height, framing.scale * _ref_side(width, height), "")


def _floor_y(reading: FrameFacts, figures: list[Figure], horizon: float) -> float:
    """Where wall meets floor indoors (between eye line and feet); outdoors, the horizon."""
    people = [f for f in figures if not f.foreground]
    if reading.int_ext != "INT" or not people:
        return horizon
    feet = max(f.top + f.height for f in people)
    return horizon + 0.55 * (feet - horizon)


def _figure_labels(figures: list[Figure], frame: Frame, angle: str, fonts: Fonts) -> list[Label]:
    """Tag each person where it reads best: above a small figure, on a chin, or on the chest."""
    pill = fonts.label * 1.6
    content = frame.height - fonts.top_band - fonts.bottom_band
    labels = []
    for fig in sorted(figures, key=lambda f: -f.height):
        if angle == "overhead":
            y = fig.top + fig.height * 0.5 - 0.06 * fig.height - pill
        elif fig.height * 0.13 < pill * 2.5 and not fig.foreground:  # small head: tag above it
            y = fig.top - pill * 0.75
        elif fig.height * 0.13 > content * 0.6:  # face fills the frame: tag the chin
            y = fig.top + fig.height * 0.118
        else:
            y = fig.top + fig.height * 0.3
        name = fig.name + (" (FG)" if fig.foreground and fig.name != "foreground" else "")
        labels.append(Label(name, fig.colour, *frame.tf((fig.cx, y))))
    return labels
