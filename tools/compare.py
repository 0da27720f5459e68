"""Versions side by side in one image, each over its caption, for "compare v2 and v5".

Each frame is scaled to one height (a small frame is enlarged so the two read at the same
size) and captioned below with what a reviewer needs to tell them apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from tools.previz_text import fit, font, printable

PANEL_HEIGHT = 512
BACKGROUND = (24, 25, 29)
CAPTION = (236, 236, 236)
DETAIL = (170, 172, 180)


def side_by_side(panels: Sequence[tuple[Image.Image, str, str]], height: int = PANEL_HEIGHT) -> Image.Image:
    """``panels``: (frame, title, detail) each; one image, frames left to right at one height."""
    if not panels:
        raise ValueError("nothing to compare")
    gap, title_size, detail_size = height // 32, max(14, height // 18), max(11, height // 26)
    frames = [
        f.convert("RGB").resize((max(1, round(f.width * height / f.height)), height)) for f, *_ in panels
    ]
    width = sum(f.width for f in frames) + gap * (len(frames) + 1)
    sheet = Image.new("RGB", (width, height + title_size + detail_size + 4 * gap), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    x = gap
    for frame, (_, title, detail) in zip(frames, panels, strict=True):
        sheet.paste(frame, (x, gap))
        y = gap + height + gap
        for text, size, fill in ((title, title_size, CAPTION), (detail, detail_size, DETAIL)):
            shown, fitted = fit(printable(text), size, frame.width)
            draw.text((x, y), shown, font=font(fitted), fill=fill)
            y += size + gap // 2
        x += frame.width + gap
    return sheet
