"""A camera move drawn on a 2D storyboard frame, the way board artists mark one.

A push in shows the frame it ends on (a dashed box) with arrows from the corners into it; a pull
out shows where it starts inside the wider end; a pan or a tracking shot is an arrow across the
frame, a tilt or crane one up it, a steadicam glide an arc, handheld a shake. Drawn in screen
space (a Dutch tilt tilts the scene, not the camera's own path) between the caption bands.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw

from tools.camera_move import MOVES, ZOOM

INK = (96, 210, 255)  # storyboard cyan, legible on day and night skies
SHADOW = (10, 20, 30)
Box = tuple[float, float, float, float]
Point = tuple[float, float]

# the framing a move ends on, as the fraction of the start frame it keeps (dolly in by 35 % of the
# distance keeps 65 %; a zoom of 1.8× keeps 1/1.8) — tools/camera_move.py's figures
END_SCALE = {"dolly in": 0.65, "push in": 0.75, "zoom": 1 / ZOOM}
START_SCALE = {"dolly out": 1 / 1.5, "pull out": 1 / 1.6}  # where a pull out starts, inside its end


def draw_move(image: Image.Image, move: str, picture: Box, unit: int) -> None:
    """Mark ``move`` inside ``picture`` (the frame between the caption bands); static draws nothing."""
    if move not in MOVES:
        return
    draw = ImageDraw.Draw(image, "RGBA")
    width = max(2, unit // 6)
    _MARKS[move](draw, move, picture, width)


def _inner(picture: Box, scale: float) -> Box:
    x0, y0, x1, y1 = picture
    cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * scale / 2, (y1 - y0) * scale / 2
    return cx - hw, cy - hh, cx + hw, cy + hh


def _inset(picture: Box, by: float) -> Box:
    x0, y0, x1, y1 = picture
    return x0 + by, y0 + by, x1 - by, y1 - by


def _push(draw: ImageDraw.ImageDraw, move: str, picture: Box, width: int) -> None:
    outer, inner = _inset(picture, 3 * width), _inner(picture, END_SCALE[move])
    _dashed_box(draw, inner, width)
    for a, b in zip(_corners(outer), _corners(inner), strict=True):
        _arrow(draw, _toward(a, b, 0.15), _toward(a, b, 0.85), width)


def _pull(draw: ImageDraw.ImageDraw, move: str, picture: Box, width: int) -> None:
    outer, inner = _inset(picture, 3 * width), _inner(picture, START_SCALE[move])
    _dashed_box(draw, inner, width)
    for a, b in zip(_corners(inner), _corners(outer), strict=True):
        _arrow(draw, _toward(a, b, 0.15), _toward(a, b, 0.85), width)


def _across(at: float) -> Callable[[ImageDraw.ImageDraw, str, Box, int], None]:
    """An arrow to frame right at ``at`` of the picture's height (pan high, tracking low)."""

    def mark(draw: ImageDraw.ImageDraw, move: str, picture: Box, width: int) -> None:
        x0, y0, x1, y1 = picture
        y = y0 + at * (y1 - y0)
        _arrow(draw, (x0 + 0.2 * (x1 - x0), y), (x0 + 0.8 * (x1 - x0), y), width)

    return mark


def _up(at: float) -> Callable[[ImageDraw.ImageDraw, str, Box, int], None]:
    """An arrow up the picture at ``at`` of its width (tilt in the middle, crane at the side)."""

    def mark(draw: ImageDraw.ImageDraw, move: str, picture: Box, width: int) -> None:
        x0, y0, x1, y1 = picture
        x = x0 + at * (x1 - x0)
        _arrow(draw, (x, y0 + 0.8 * (y1 - y0)), (x, y0 + 0.2 * (y1 - y0)), width)

    return mark


def _arc(draw: ImageDraw.ImageDraw, move: str, picture: Box, width: int) -> None:
    x0, y0, x1, y1 = picture
    cx, cy, r = (x0 + x1) / 2, y0 + 0.9 * (y1 - y0), 0.32 * (x1 - x0)
    points = [
        (cx + r * math.cos(math.radians(a)), cy - 0.35 * r * math.sin(math.radians(a)))
        for a in range(160, 19, -10)
    ]
    _line(draw, points[:-1], width)
    _arrow(draw, points[-2], points[-1], width)


def _shake(draw: ImageDraw.ImageDraw, move: str, picture: Box, width: int) -> None:
    x0, y0, x1, y1 = picture
    y, amp, n = y0 + 0.12 * (y1 - y0), 0.03 * (y1 - y0), 12
    points = [(x0 + (0.3 + 0.4 * i / n) * (x1 - x0), y + (amp if i % 2 else -amp)) for i in range(n + 1)]
    _line(draw, points, width)


_MARKS: dict[str, Callable[[ImageDraw.ImageDraw, str, Box, int], None]] = {
    "dolly in": _push,
    "push in": _push,
    "zoom": _push,
    "dolly out": _pull,
    "pull out": _pull,
    "pan": _across(0.15),
    "tracking": _across(0.9),
    "tilt": _up(0.5),
    "crane": _up(0.08),
    "steadicam": _arc,
    "handheld": _shake,
}


def _corners(box: Box) -> list[Point]:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _toward(a: Point, b: Point, t: float) -> Point:
    return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t


def _line(draw: ImageDraw.ImageDraw, points: list[Point], width: int) -> None:
    draw.line(points, fill=SHADOW + (150,), width=width + 2, joint="curve")
    draw.line(points, fill=INK, width=width, joint="curve")


def _arrow(draw: ImageDraw.ImageDraw, a: Point, b: Point, width: int) -> None:
    """A shaft from ``a`` with a filled head at ``b``."""
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    head = 6 * width
    left = (b[0] - head * math.cos(angle - 0.45), b[1] - head * math.sin(angle - 0.45))
    right = (b[0] - head * math.cos(angle + 0.45), b[1] - head * math.sin(angle + 0.45))
    _line(draw, [a, _toward(a, b, 1 - 0.6 * head / max(1.0, math.dist(a, b)))], width)
    draw.polygon([b, left, right], fill=INK, outline=SHADOW)


def _dashed_box(draw: ImageDraw.ImageDraw, box: Box, width: int) -> None:
    corners = _corners(box)
    dash = 5 * width
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        length = math.dist(a, b)
        steps = max(1, int(length // (2 * dash)))
        for i in range(steps):
            start, end = (2 * i) * dash / length, min(1.0, (2 * i + 1) * dash / length)
            _line(draw, [_toward(a, b, start), _toward(a, b, end)], width)
