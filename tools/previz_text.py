"""Text on a previz frame: the PREVIZ mark, title, seed, caption strip and character labels.

Kept apart from the drawing of the scene because legibility is its own problem: every size is
derived from the frame so captions read the same at 512x288 and at 2048 wide, and anything that
cannot fit is shrunk, then cut with an ellipsis, never left to run off the frame.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from tools.frame_facts import FrameFacts

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

MARK = "PREVIZ"
MARK_FILL = (242, 178, 51)
_BAND = (14, 15, 18, 232)
_ANGLE_WORDS = {
    "low angle": "LOW ANGLE",
    "high angle": "HIGH ANGLE",
    "overhead": "OVERHEAD",
    "dutch": "DUTCH ANGLE",
    "OTS": "OVER THE SHOULDER",
    "POV": "POV",
}


@lru_cache(maxsize=64)
def font(size: int) -> Font:
    """Pillow's bundled font at `size`: no system fonts, so output is the same on every machine."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, AttributeError, ImportError, OSError):  # Pillow < 10.1 or no FreeType
        return ImageFont.load_default()


_SUBSTITUTES = str.maketrans({"—": "-", "–": "-", "×": "x", "½": "1/2", "¼": "1/4", "ß": "ss", "ø": "o"})


_ASCII = {"·": "-", "…": "...", "‘": "'", "’": "'", "“": '"', "”": '"'}


@lru_cache(maxsize=512)
def _has_glyph(ch: str) -> bool:
    probe = font(20)
    if not isinstance(probe, ImageFont.FreeTypeFont):  # the bitmap fallback font is ASCII only
        return ord(ch) < 128
    missing = probe.getmask("\uffff")
    mask = probe.getmask(ch)
    return ch.isspace() or mask.size != missing.size or bytes(mask) != bytes(missing)


def printable(text: str) -> str:
    """Text the bundled font can draw: accents dropped ("José" -> "Jose"), dashes made plain."""
    text = text.translate(_SUBSTITUTES)
    if all(_has_glyph(ch) for ch in text):
        return text
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c if _has_glyph(c) else _ASCII.get(c, "?") for c in plain)


@dataclass(frozen=True)
class Label:
    """A name tag and where its centre should go (it is then kept inside the content area)."""

    text: str
    colour: tuple[int, int, int]
    x: float
    y: float


@dataclass(frozen=True)
class Fonts:
    """Type sizes for one frame, all from one unit so the hierarchy holds at every size."""

    unit: int
    top_band: int
    bottom_band: int

    @classmethod
    def for_frame(cls, width: int, height: int) -> Fonts:
        unit = max(13, min(round(0.034 * math.sqrt(width * height)), round(width / 22)))
        return cls(unit=unit, top_band=round(unit * 2.0), bottom_band=round(unit * 3.2))

    @property
    def small(self) -> int:
        return max(10, round(self.unit * 0.72))

    @property
    def label(self) -> int:
        return max(11, round(self.unit * 0.85))


def text_width(text: str, size: int) -> float:
    return font(size).getlength(printable(text)) if text else 0.0


def fit(text: str, size: int, max_width: float, min_size: int = 10) -> tuple[str, int]:
    """Shrink to fit, down to `min_size`; past that, cut the text and end it with an ellipsis."""
    max_width = max(0.0, max_width)
    while size > min_size and text_width(text, size) > max_width:
        size -= 1
    if text_width(text, size) <= max_width:
        return text, size
    while text and text_width(text + "…", size) > max_width:
        text = text[:-1]
    return (text.rstrip(" ·,") + "…") if text else "", size


def _bold(size: int) -> int:
    return max(0, round(size / 30))


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    fill: tuple,
    bold: bool = False,
    anchor: str = "lm",
) -> None:
    text, face = printable(text), font(size)
    if not isinstance(face, ImageFont.FreeTypeFont):  # bitmap fallback: no anchors, no bold
        left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
        shift = {"l": 0.0, "m": (right - left) / 2, "r": float(right - left)}[anchor[0]]
        draw.text((xy[0] - shift, xy[1] - (bottom + top) / 2), text, font=face, fill=fill)
        return
    stroke = _bold(size) if bold else 0
    draw.text(xy, text, font=face, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=fill)


def shot_line(reading: FrameFacts) -> str:
    """The camera line of the caption: size, angle words, whose view it is, then the move."""
    parts = [f"{reading.shot_size} · {reading.shot_name.upper()}"]
    parts += [_ANGLE_WORDS[a] for a in reading.angles if a not in ("OTS", "POV") or not reading.viewer]
    if reading.viewer:
        kind = "POV" if "POV" in reading.angles else "OVER THE SHOULDER"
        parts.append(f"{kind}: {reading.viewer.upper()}")
    if reading.move:
        parts.append(reading.move.upper())
    return " · ".join(parts)


def scene_line(reading: FrameFacts, hidden: tuple[str, ...]) -> str:
    """The conditions line: INT/EXT, place, time, weather, lighting, and cast not drawn."""
    parts = [reading.int_ext, reading.setting.upper(), reading.time_of_day.upper()]
    parts += [w.upper() for w in reading.weather] + [light.upper() for light in reading.lighting]
    if hidden:
        parts.append("ALSO: " + ", ".join(n.upper() for n in hidden))
    return " · ".join(p for p in parts if p)


def draw_text(
    image: Image.Image,
    fonts: Fonts,
    reading: FrameFacts,
    labels: list[Label],
    title: str,
    seed: int,
    hidden: tuple[str, ...],
) -> None:
    """Character labels first, then the top band (mark, title, seed) and bottom caption strip."""
    draw = ImageDraw.Draw(image, "RGBA")
    _draw_labels(draw, image.size, fonts, labels)
    _top_band(draw, image.size, fonts, title, seed)
    _bottom_band(draw, image.size, fonts, shot_line(reading), scene_line(reading, hidden))


def mark_box(width: int, height: int) -> tuple[int, int, int, int]:
    """Where the PREVIZ mark is drawn, so tests and callers can find it."""
    fonts = Fonts.for_frame(width, height)
    pad = round(fonts.unit * 0.5)
    text, size = fit(MARK, fonts.unit, width - 4 * pad)
    box_w = text_width(text, size) + 2 * pad * 0.9
    box_h = size * 1.35
    y0 = (fonts.top_band - box_h) / 2
    return pad, round(y0), round(pad + box_w), round(y0 + box_h)


def _top_band(draw: ImageDraw.ImageDraw, size: tuple[int, int], fonts: Fonts, title: str, seed: int) -> None:
    w, _ = size
    band, pad, u = fonts.top_band, round(fonts.unit * 0.5), fonts.unit
    draw.rectangle((0, 0, w, band), fill=_BAND)
    x0, y0, x1, y1 = mark_box(*size)
    mark, mark_size = fit(MARK, u, w - 4 * pad)
    draw.rounded_rectangle((x0, y0, x1, y1), radius=max(2, u // 5), fill=MARK_FILL)
    _text(draw, ((x0 + x1) / 2, (y0 + y1) / 2), mark, mark_size, (22, 18, 10), bold=True, anchor="mm")
    seed_text, seed_size = fit(f"SEED  {seed}", fonts.small, max(0, w - x1 - 2 * pad) * 0.45)
    seed_w = text_width(seed_text, seed_size)
    _text(draw, (w - pad, band / 2), seed_text, seed_size, (170, 172, 180), anchor="rm")
    if title.strip():
        room = w - seed_w - x1 - 4 * pad
        text, tsize = fit(title.strip(), u, room, min_size=fonts.small)
        _text(draw, (x1 + 1.5 * pad, band / 2), text, tsize, (240, 240, 244))


def _bottom_band(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], fonts: Fonts, shot: str, scene: str
) -> None:
    """One line when the frame is wide enough to hold both, else camera line over scene line."""
    w, h = size
    u, pad = fonts.unit, round(fonts.unit * 0.6)
    second = max(11, round(u * 0.82))
    one_line = bool(scene) and text_width(shot, u) + text_width(scene, second) + 4 * pad < w * 0.96
    band = round(u * 2.0) if one_line or not scene else fonts.bottom_band
    top = h - band
    draw.rectangle((0, top, w, h), fill=_BAND)
    if one_line or not scene:
        _text(draw, (pad, top + band / 2), *fit(shot, u, w - 2 * pad), (245, 245, 248), bold=True)
        if scene:
            _text(draw, (w - pad, top + band / 2), scene, second, (196, 198, 206), anchor="rm")
        return
    row = band / 2
    _text(draw, (pad, top + row * 0.58 + u * 0.12), *fit(shot, u, w - 2 * pad), (245, 245, 248), bold=True)
    _text(draw, (pad, top + row * 1.45), *fit(scene, second, w - 2 * pad), (196, 198, 206))


def _draw_labels(draw: ImageDraw.ImageDraw, size: tuple[int, int], fonts: Fonts, labels: list[Label]) -> None:
    """A dark pill per label with the character's colour dot, nudged apart if two would overlap."""
    w, h = size
    lo, hi = fonts.top_band + fonts.unit * 0.4, h - fonts.bottom_band - fonts.unit * 0.4
    pill_h = fonts.label * 1.6
    placed: list[tuple[float, ...]] = []
    for label in labels:
        text, tsize = fit(label.text.upper(), fonts.label, w * 0.4)
        pill_w = text_width(text, tsize) + pill_h * 1.25
        cx = min(max(label.x, w * 0.1 + pill_w / 2), w * 0.9 - pill_w / 2)
        cy = min(max(label.y, lo + pill_h / 2), hi - pill_h / 2)
        box = [cx - pill_w / 2, cy - pill_h / 2, cx + pill_w / 2, cy + pill_h / 2]
        for _ in range(len(placed)):
            if not any(_overlap(box, other) for other in placed):
                break
            step = -pill_h * 1.15 if box[1] - pill_h * 1.15 >= lo else pill_h * 1.15
            box[1] += step
            box[3] += step
        placed.append(tuple(box))
        draw.rounded_rectangle(box, radius=pill_h / 2, fill=(16, 16, 20, 215))
        dot = pill_h * 0.22
        dx, dy = box[0] + pill_h * 0.5, (box[1] + box[3]) / 2
        draw.ellipse((dx - dot, dy - dot, dx + dot, dy + dot), fill=label.colour)
        _text(draw, (box[0] + pill_h * 0.85, dy), text, tsize, (244, 244, 246), bold=True)


def _overlap(a: list[float] | tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
