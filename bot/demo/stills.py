"""Reference stills for the demo's cast, drawn here: no photos ship and nothing is downloaded.

Each still is a head-and-shoulders portrait in the character's palette (Maya's red hooded
cloak and the scar on her left cheek, Rook's grey beard and silver armour, Ines's auburn braid,
green coat and spectacles), front or three-quarter, with the name and angle in a strip at the
bottom. They are plain PNGs, deterministic, and go through the product as any still a
person attaches would: uploaded, shared on a message, kept by the canon.

They are drawings, not photographs: a face detector finds no face in them, so after a
diffusion shot the drift check says the references can't be measured. With the default
previz engine no drift check runs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from tools import previz_text

RGB = tuple[int, int, int]
WIDTH, HEIGHT = 384, 480


@dataclass(frozen=True)
class Portrait:
    """How one character is drawn."""

    name: str
    skin: RGB
    hair: RGB
    eyes: RGB
    costume: RGB  # the garment over the shoulders
    trim: RGB  # its edge, clasp or plates
    backdrop: RGB  # the background, darkening to the bottom
    hair_style: str  # "short", "bald", "braid"
    garment: str  # "hooded cloak", "armour", "coat"
    scar: str = ""  # "left cheek": the character's own left, so the viewer's right when facing us
    beard: RGB | None = None
    spectacles: bool = False


CAST: dict[str, Portrait] = {
    "Maya": Portrait(
        "Maya",
        skin=(205, 160, 128),
        hair=(38, 30, 28),
        eyes=(70, 48, 32),
        costume=(168, 28, 34),
        trim=(214, 176, 92),
        backdrop=(58, 52, 84),
        hair_style="short",
        garment="hooded cloak",
        scar="left cheek",
    ),
    "Rook": Portrait(
        "Rook",
        skin=(176, 132, 104),
        hair=(128, 126, 122),
        eyes=(60, 78, 92),
        costume=(176, 182, 190),
        trim=(96, 100, 108),
        backdrop=(40, 48, 44),
        hair_style="bald",
        garment="armour",
        beard=(150, 148, 144),
    ),
    "Ines": Portrait(
        "Ines",
        skin=(232, 196, 170),
        hair=(148, 66, 34),
        eyes=(66, 104, 62),
        costume=(44, 92, 64),
        trim=(196, 160, 96),
        backdrop=(92, 80, 66),
        hair_style="braid",
        garment="coat",
        spectacles=True,
    ),
}

ANGLES = ("front", "three-quarter")


def portrait_png(name: str, angle: str = "front") -> bytes:
    """One still of a character of ``CAST``, as PNG bytes."""
    buffer = io.BytesIO()
    draw_portrait(CAST[name], angle).save(buffer, format="PNG")
    return buffer.getvalue()


def draw_portrait(p: Portrait, angle: str = "front") -> Image.Image:
    if angle not in ANGLES:
        raise ValueError(f"angle is one of {', '.join(ANGLES)}, not {angle!r}")
    image = _gradient(p.backdrop)
    draw = ImageDraw.Draw(image)
    turn = 0.0 if angle == "front" else 1.0  # three-quarter: the face turns to the viewer's left
    cx, cy = WIDTH / 2 - 6 * turn, 196.0  # head centre
    rx, ry = 78 - 8 * turn, 100.0  # head radii

    _shoulders(draw, p, cx)
    draw.rectangle((cx - 28, cy + 70, cx + 28, cy + 138), fill=_shade(p.skin, 0.82))  # neck
    if p.garment == "hooded cloak":  # the hood frames the head, behind it
        draw.ellipse((cx - rx - 34, cy - ry - 34, cx + rx + 34, cy + ry + 70), fill=_shade(p.costume, 0.7))
    if p.hair_style == "braid":  # behind the head, over the shoulder
        for i in range(6):
            y = cy + 40 + i * 30
            draw.ellipse((cx + rx - 26, y, cx + rx + 10, y + 36), fill=p.hair, outline=_shade(p.hair, 0.7))
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=p.skin)  # face
    if turn:  # the far side of the face in shadow, the near ear showing
        draw.chord((cx - rx, cy - ry, cx + rx, cy + ry), 290, 70, fill=_shade(p.skin, 0.8))
        draw.ellipse((cx + rx - 20, cy - 22, cx + rx + 8, cy + 26), fill=_shade(p.skin, 0.9))
    _hair(draw, p, cx, cy, rx, ry)
    _face(draw, p, cx - 24 * turn, cy, rx, turn)
    if p.garment == "hooded cloak":  # the hood's rim over the brow
        draw.arc((cx - rx - 30, cy - ry - 30, cx + rx + 30, cy + ry + 40), 200, 340, fill=p.costume, width=22)
    _caption(draw, f"{p.name.upper()}  -  reference still  -  {angle}")
    return image


def _gradient(top: RGB) -> Image.Image:
    bottom = _shade(top, 0.45)
    column = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize((WIDTH, HEIGHT))


def _shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def _shoulders(draw: ImageDraw.ImageDraw, p: Portrait, cx: float) -> None:
    top = 330
    draw.polygon(
        [
            (cx - 70, top),
            (cx + 70, top),
            (cx + 190, top + 80),
            (cx + 200, HEIGHT),
            (cx - 200, HEIGHT),
            (cx - 190, top + 80),
        ],
        fill=p.costume,
    )
    if p.garment == "armour":  # pauldrons and a gorget, with rivets
        for side in (-1, 1):
            x0 = cx + side * 140
            draw.ellipse(
                (x0 - 70, top + 30, x0 + 70, top + 130), fill=_shade(p.costume, 1.08), outline=p.trim, width=4
            )
            for k in range(3):
                rx = x0 + side * (k * 22 - 22)
                draw.ellipse((rx - 4, top + 58, rx + 4, top + 66), fill=p.trim)
        draw.rectangle(
            (cx - 60, top + 4, cx + 60, top + 40), fill=_shade(p.costume, 0.9), outline=p.trim, width=3
        )
        draw.line((cx - 50, top + 96, cx - 20, top + 110), fill=p.trim, width=3)  # a dent
    elif p.garment == "coat":  # lapels and buttons
        draw.polygon([(cx - 40, top + 6), (cx, top + 110), (cx - 90, top + 120)], fill=_shade(p.costume, 0.8))
        draw.polygon([(cx + 40, top + 6), (cx, top + 110), (cx + 90, top + 120)], fill=_shade(p.costume, 0.8))
        for k in range(2):
            draw.ellipse((cx - 6, top + 118 + k * 18, cx + 6, top + 130 + k * 18), fill=p.trim)
    else:  # a cloak, pinned with a clasp
        draw.line((cx - 70, top + 10, cx + 70, top + 10), fill=_shade(p.costume, 0.75), width=8)
        draw.ellipse((cx - 14, top + 2, cx + 14, top + 30), fill=p.trim, outline=_shade(p.trim, 0.6), width=3)


def _hair(draw: ImageDraw.ImageDraw, p: Portrait, cx: float, cy: float, rx: float, ry: float) -> None:
    if p.hair_style == "bald":  # a fringe of grey at the sides
        for side in (-1, 1):
            draw.chord((cx + side * rx - 22, cy - 36, cx + side * rx + 22, cy + 30), 0, 360, fill=p.hair)
        return
    draw.chord((cx - rx - 6, cy - ry - 10, cx + rx + 6, cy + ry * 0.55), 180, 360, fill=p.hair)
    if p.hair_style == "short":  # cropped at the jaw
        for side in (-1, 1):
            x = cx + side * (rx - 8)
            draw.ellipse((x - 18, cy - 60, x + 18, cy + 44), fill=p.hair)
    else:  # parted, drawn back to the braid
        draw.line((cx - 6, cy - ry - 6, cx + 4, cy - ry * 0.45), fill=_shade(p.hair, 0.6), width=3)


def _face(draw: ImageDraw.ImageDraw, p: Portrait, cx: float, cy: float, rx: float, turn: float) -> None:
    gap = 30 - 8 * turn  # half the distance between the eyes
    eye_y = cy - 6
    for side in (-1, 1):
        ex = cx + side * gap
        draw.ellipse((ex - 13, eye_y - 8, ex + 13, eye_y + 8), fill=(244, 240, 232))
        draw.ellipse((ex - 7, eye_y - 7, ex + 7, eye_y + 7), fill=p.eyes)
        draw.ellipse((ex - 3, eye_y - 3, ex + 3, eye_y + 3), fill=(16, 14, 14))
        brow = p.beard if p.beard else p.hair
        draw.line((ex - 16, eye_y - 20, ex + 16, eye_y - 22 + side * 2), fill=_shade(brow, 0.9), width=5)
        if p.spectacles:
            draw.ellipse((ex - 20, eye_y - 17, ex + 20, eye_y + 17), outline=(60, 48, 36), width=3)
    if p.spectacles:
        draw.line((cx - gap + 20, eye_y, cx + gap - 20, eye_y), fill=(60, 48, 36), width=3)
    nose_x = cx - 8 * turn
    draw.line(
        (nose_x, eye_y + 6, nose_x - 8, eye_y + 42, nose_x + 6, eye_y + 46),
        fill=_shade(p.skin, 0.72),
        width=3,
    )
    mouth_y = cy + 58
    if p.beard:
        draw.chord((cx - rx + 6, cy + 10, cx + rx - 6, cy + 112), 0, 180, fill=p.beard)
        draw.ellipse((cx - 40, cy + 26, cx + 40, cy + 52), fill=p.beard)  # moustache
        draw.line((cx - 18, mouth_y - 4, cx + 18, mouth_y - 4), fill=_shade(p.beard, 0.55), width=4)
    else:
        draw.arc((cx - 24, mouth_y - 14, cx + 24, mouth_y + 8), 20, 160, fill=_shade(p.skin, 0.55), width=4)
    if p.scar == "left cheek":  # her left: the viewer's right
        sx, sy = cx + gap + 12, eye_y + 26
        draw.line((sx - 10, sy - 14, sx + 12, sy + 18), fill=(150, 70, 70), width=4)
        for k in (-1, 1):  # stitch marks
            draw.line(
                (sx + k * 4 - 6, sy + k * 6 - 2, sx + k * 4 + 6, sy + k * 6 + 2), fill=(150, 70, 70), width=2
            )


def _caption(draw: ImageDraw.ImageDraw, text: str) -> None:
    draw.rectangle((0, HEIGHT - 34, WIDTH, HEIGHT), fill=(14, 15, 18))
    font = previz_text.font(15)
    width = draw.textlength(text, font=font)
    draw.text(((WIDTH - width) / 2, HEIGHT - 26), text, fill=(236, 236, 236), font=font)
