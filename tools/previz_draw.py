"""Pixels for a previz frame: sky or wall, people, weather and camera guides.

Everything in the scene is drawn through `Frame.tf`, which tilts it for a Dutch angle. Rotating
the geometry (and the gradient, in numpy) instead of the finished image keeps a 2048 px frame
well under 100 ms and keeps edges crisp.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from tools.frame_facts import FrameFacts

RGB = tuple[int, int, int]
EYE_LINE = 0.065  # as a fraction of head-to-feet height
Point = tuple[float, float]

# time of day -> (sky top, sky at horizon, ground at horizon, ground at frame bottom)
SKIES: dict[str, tuple[RGB, RGB, RGB, RGB]] = {
    "night": ((10, 16, 36), (32, 44, 80), (22, 26, 42), (9, 11, 20)),
    "dusk": ((50, 40, 86), (196, 124, 124), (72, 54, 80), (34, 26, 44)),
    "golden hour": ((232, 164, 92), (252, 220, 160), (176, 134, 92), (118, 88, 58)),
    "dawn": ((136, 150, 196), (240, 196, 186), (150, 146, 160), (104, 100, 116)),
    "day": ((178, 198, 218), (228, 233, 238), (198, 200, 194), (164, 166, 160)),
    "": ((212, 214, 218), (236, 237, 239), (208, 209, 211), (186, 187, 190)),
}


def is_dark(time_of_day: str) -> bool:
    return time_of_day in ("night", "dusk")


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


@dataclass(frozen=True)
class Figure:
    """One person in untilted frame coordinates."""

    name: str
    colour: RGB
    cx: float
    top: float  # y of the head top
    height: float  # head-to-feet, px
    foreground: bool = False


@dataclass(frozen=True)
class Frame:
    """The frame being drawn: its size, Dutch tilt (degrees, counter-clockwise) and type unit."""

    width: int
    height: int
    tilt: float
    unit: int
    dark: bool

    def tf(self, p: Point) -> Point:
        """Where a scene point lands once the scene is tilted about the frame centre."""
        if not self.tilt:
            return p
        a, cx, cy = math.radians(self.tilt), self.width / 2, self.height / 2
        dx, dy = p[0] - cx, p[1] - cy
        return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)

    @property
    def ink(self) -> RGB:
        return (235, 235, 240) if self.dark else (32, 32, 40)

    @property
    def line(self) -> int:
        return max(1, self.unit // 10)


def draw_background(frame: Frame, stops: tuple[RGB, RGB, RGB, RGB], split: float) -> Image.Image:
    """Sky (or wall) graded down to `split`, ground (or floor) below it, tilted with the scene.

    The gradient is one column of colours by untilted height; an affine lookup spreads it over
    the frame at the tilt, which is far cheaper than drawing a big canvas and rotating it.
    """
    w, h = frame.width, frame.height
    sin, cos = math.sin(math.radians(frame.tilt)), math.cos(math.radians(frame.tilt))
    # untilted height of frame pixel (x, y): h/2 + (x - w/2)·sin + (y - h/2)·cos
    corners = [h / 2 + (x - w / 2) * sin + (y - h / 2) * cos for x in (0, w) for y in (0, h)]
    lo, hi = math.floor(min(corners)) - 1, math.ceil(max(corners)) + 2
    rows = np.arange(lo, hi, dtype=np.float32)
    top, hor, gnd, bottom = (np.array(c, dtype=np.float32) for c in stops)
    t_sky = np.clip(rows / max(split, 1.0), 0, 1)[:, None]
    t_gnd = np.clip((rows - split) / max(h - split, 1.0), 0, 1)[:, None]
    lut = np.where((rows < split)[:, None], top + (hor - top) * t_sky, gnd + (bottom - gnd) * t_gnd)
    column = Image.fromarray(np.ascontiguousarray(np.round(lut).astype(np.uint8)[:, None, :]), "RGB")
    lookup = (0, 0, 0, sin, cos, h / 2 - lo - w / 2 * sin - h / 2 * cos)
    return column.transform((w, h), Image.Transform.AFFINE, lookup, resample=Image.Resampling.NEAREST)


def draw_lines(image: Image.Image, frame: Frame, lines: Sequence[tuple[float, int]]) -> None:
    """Scene-wide horizontal lines (horizon, floor) at the given heights and opacities."""
    draw = ImageDraw.Draw(image, "RGBA")
    w = frame.width
    for y, alpha in lines:
        draw.line([frame.tf((-w, y)), frame.tf((2 * w, y))], fill=(*frame.ink, alpha), width=frame.line)


def draw_floor_grid(image: Image.Image, frame: Frame) -> None:
    """A faint floor-plan grid: the cue that the camera looks straight down."""
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = frame.width, frame.height
    step = max(8.0, min(w, h) / 8)
    for i in range(-20, 40):
        x, y = w / 2 + i * step, h / 2 + i * step
        draw.line([frame.tf((x, -h)), frame.tf((x, 2 * h))], fill=(*frame.ink, 30), width=1)
        draw.line([frame.tf((-w, y)), frame.tf((2 * w, y))], fill=(*frame.ink, 30), width=1)


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 72) -> list[Point]:
    return [
        (cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)
    ]


# A standing person facing camera, in body units (height 1, centred on x=0).
_BODY = (
    ((-0.1, 0.5), (-0.012, 0.5), (-0.028, 0.99), (-0.088, 0.99)),  # legs
    ((0.1, 0.5), (0.012, 0.5), (0.028, 0.99), (0.088, 0.99)),
    ((-0.132, 0.2), (-0.094, 0.2), (-0.118, 0.49), (-0.152, 0.49)),  # arms
    ((0.132, 0.2), (0.094, 0.2), (0.118, 0.49), (0.152, 0.49)),
    (
        (-0.06, 0.155),
        (0.06, 0.155),
        (0.122, 0.178),
        (0.132, 0.22),
        (0.1, 0.52),
        (-0.1, 0.52),
        (-0.132, 0.22),
        (-0.122, 0.178),
    ),  # torso
    ((-0.028, 0.11), (0.028, 0.11), (0.03, 0.165), (-0.03, 0.165)),  # neck
)


def draw_figure(image: Image.Image, frame: Frame, fig: Figure, angle: str, backlit: bool = False) -> None:
    """A flat silhouette; low angle widens it toward the feet, high angle toward the head.

    Backlit figures go dark with a bright rim, as they would read on set; the hue stays so the
    character is still recognisable.
    """
    draw = ImageDraw.Draw(image, "RGBA")
    colour = mix(fig.colour, (18, 18, 22), 0.5 if fig.foreground else 0.62 if backlit else 0.0)
    edge = (255, 236, 200) if backlit else mix(colour, (0, 0, 0), 0.5)
    s, cx, top = fig.height, fig.cx, fig.top
    if angle == "overhead":  # seen from above: shoulders as an ellipse, the head on top
        cy = top + 0.5 * s
        for rx, ry in ((0.15, 0.06), (0.055, 0.055)):
            draw.polygon(
                [frame.tf(p) for p in _ellipse(cx, cy, rx * s, ry * s)],
                fill=colour,
                outline=edge,
                width=frame.line,
            )
        return
    taper = {"low angle": 0.3, "high angle": -0.3}.get(angle, 0.0)

    def pt(x: float, t: float) -> Point:
        return frame.tf((cx + x * s * (1 + taper * (t - 0.3)), top + t * s))

    feet = top + s
    if not fig.foreground and feet < frame.height * 0.95:  # a contact shadow grounds the figure
        shadow = _ellipse(cx, feet, 0.17 * s, 0.022 * s, 36)
        draw.polygon([frame.tf(p) for p in shadow], fill=(0, 0, 0, 60))
    for poly in _BODY:
        draw.polygon([pt(x, t) for x, t in poly], fill=colour, outline=edge, width=frame.line)
    draw.polygon(
        [pt(x, t) for x, t in _ellipse(0, 0.065, 0.058, 0.065)], fill=colour, outline=edge, width=frame.line
    )
    if not fig.foreground and s * 0.13 > 36:  # eyes say which way the face points, once it's big enough
        for side in (-1, 1):
            eye = _ellipse(side * 0.024, EYE_LINE, 0.011, 0.0045, 32)
            draw.polygon([pt(x, t) for x, t in eye], fill=mix(colour, (0, 0, 0), 0.65))


def draw_subject_box(image: Image.Image, frame: Frame, box: tuple[float, float, float, float]) -> None:
    """A dashed block standing in for an unnamed subject (a door, a letter), not a made-up person."""
    draw = ImageDraw.Draw(image, "RGBA")
    x0, y0, x1, y1 = box
    corners = [frame.tf(p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    draw.polygon(corners, fill=(*frame.ink, 22))
    dashed_polygon(draw, corners, (*frame.ink, 150), frame.unit * 0.5, frame.line)


def draw_landmark(image: Image.Image, frame: Frame, horizon: float, rng: random.Random) -> float:
    """A stepped skyline block on the horizon for the named place; returns its top (scene y)."""
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = frame.width, frame.height
    base_w, base_h = 0.24 * w, 0.07 * h
    x0 = w / 2 - base_w / 2
    blocks = [(x0, horizon - base_h, x0 + base_w, horizon)]
    for i in range(4):
        bx = x0 + base_w * (0.08 + 0.22 * i + rng.uniform(0, 0.06))
        blocks.append((bx, horizon - base_h - h * rng.uniform(0.03, 0.11), bx + base_w * 0.1, horizon))
    colour = (*frame.ink, 70)
    for bx0, by0, bx1, by1 in blocks:
        corners = [(bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1)]
        draw.polygon([frame.tf(p) for p in corners], fill=colour)
    return min(b[1] for b in blocks)


def draw_weather(
    image: Image.Image, frame: Frame, reading: FrameFacts, horizon: float, rng: random.Random
) -> None:
    """Rain streaks, snow flecks, a fog bank and a POV vignette: conditions readable at a glance."""
    w, h = image.size
    draw = ImageDraw.Draw(image, "RGBA")
    if "fog" in reading.weather:
        band = max(4, round(h * 0.25))
        for i in range(-band, band):
            alpha = round(170 * (1 - abs(i) / band) ** 2)
            draw.line(
                [frame.tf((-w, horizon + i)), frame.tf((2 * w, horizon + i))], fill=(228, 228, 234, alpha)
            )
    if "rain" in reading.weather or "storm" in reading.weather:
        colour = (205, 215, 235, 95) if frame.dark else (60, 70, 92, 80)
        length = max(6.0, 0.045 * h)
        for _ in range(min(1400, w * h // 2400)):
            x, y = rng.uniform(-length, w), rng.uniform(-length, h)
            draw.line([(x, y), (x + 0.22 * length, y + length)], fill=colour, width=max(1, frame.unit // 16))
    if "snow" in reading.weather:
        r = max(1.0, frame.unit / 9)
        for _ in range(min(1200, w * h // 3000)):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(248, 248, 252, 180))
    if "POV" in reading.angles:
        _vignette(image)


def _vignette(image: Image.Image) -> None:
    """Darkened rounded edges, the conventional cue for someone's point of view."""
    gx, gy = np.linspace(-1, 1, 160), np.linspace(-1, 1, 90)
    r = (np.abs(gx)[None, :] ** 4 + np.abs(gy)[:, None] ** 4) ** 0.25
    dark = (np.clip((r - 0.62) / 0.38, 0, 1) ** 1.6 * 215).astype(np.uint8)
    mask = Image.fromarray(dark, "L").resize(image.size, Image.Resampling.BILINEAR)
    image.paste((6, 6, 10), mask=mask)


def dashed_polygon(
    draw: ImageDraw.ImageDraw, corners: Sequence[Point], fill: tuple, dash: float, width: int
) -> None:
    for a, b in zip(corners, [*corners[1:], corners[0]], strict=True):
        n = max(1, int(math.dist(a, b) / (2 * dash)))
        for i in range(n):
            t0, t1 = i / n, (i + 0.5) / n
            draw.line(
                [
                    (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                    (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
                ],
                fill=fill,
                width=width,
            )


def draw_guides(image: Image.Image, frame: Frame) -> None:
    """Rule-of-thirds lines, action-safe (90%) and title-safe (80%) boxes, and the centre mark.

    These belong to the camera, not the scene, so they stay square to the frame on a Dutch angle.
    """
    w, h, u = frame.width, frame.height, frame.unit
    draw = ImageDraw.Draw(image, "RGBA")
    ink = (235, 235, 240) if frame.dark else (30, 30, 38)
    line = max(1, u // 14)
    for i in (1, 2):
        draw.line([(w * i / 3, 0), (w * i / 3, h)], fill=(*ink, 60), width=line)
        draw.line([(0, h * i / 3), (w, h * i / 3)], fill=(*ink, 60), width=line)
    for inset, alpha, dash in ((0.05, 110, 0.5), (0.1, 75, 0.25)):
        box = [
            (w * inset, h * inset),
            (w * (1 - inset), h * inset),
            (w * (1 - inset), h * (1 - inset)),
            (w * inset, h * (1 - inset)),
        ]
        dashed_polygon(draw, box, (*ink, alpha), u * dash, line)
    arm = u * 0.6
    draw.line([(w / 2 - arm, h / 2), (w / 2 + arm, h / 2)], fill=(*ink, 130), width=line)
    draw.line([(w / 2, h / 2 - arm), (w / 2, h / 2 + arm)], fill=(*ink, 130), width=line)
