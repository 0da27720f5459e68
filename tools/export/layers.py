"""A layered Photoshop file of each frame, for a board artist to paint over (Photoshop, Krita, GIMP).

Layers, bottom to top: *Frame* (the approved pixels), *Paint here* (empty), *Labels* (shot,
version, size · angle · lens · move, the description) and *Safe areas* (action and title safe,
hidden). Slate's previz records no per-character masks, so there is no layer per character;
a Blender previz's own scene (``.blend``) goes beside the PSD for an artist who wants the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from psd_tools import PSDImage
from psd_tools.api.layers import PixelLayer

from memory.ledger.images import SCENE_SUFFIX
from tools.export.bundle import Bundle
from tools.export.cut import Take

FRAME, PAINT, LABELS, SAFE = "Frame", "Paint here", "Labels", "Safe areas"
BAND = (12, 13, 16, 190)
SAFE_AREAS = ((0.93, (120, 220, 255, 255)), (0.8, (255, 210, 90, 255)))  # action safe, title safe


@dataclass(frozen=True)
class PsdExporter:
    name: str = "psd"
    summary: str = (
        "a layered PSD of each frame (frame, paint, labels, safe areas) and the .blend where one exists"
    )

    def write(self, bundle: Bundle) -> list[Path]:
        written = []
        for take in bundle.cut.takes:
            target = bundle.path(f"psd/{take.name}.psd")
            layered_psd(take, bundle.images.image(take.image_sha256)).save(str(target))
            written.append(target)
            if take.scene_sha256:
                blend = bundle.path(f"blend/{take.name}{SCENE_SUFFIX}")
                blend.write_bytes(bundle.images.get(take.scene_sha256, SCENE_SUFFIX))
                written.append(blend)
        return written


def layered_psd(take: Take, frame: Image.Image) -> PSDImage:
    psd = PSDImage.new("RGBA", frame.size, depth=8)  # RGBA: layers keep their transparency
    clear = Image.new("RGBA", frame.size, (0, 0, 0, 0))
    psd.append(PixelLayer.frompil(frame.convert("RGBA"), psd, FRAME))
    psd.append(PixelLayer.frompil(clear, psd, PAINT))
    psd.append(PixelLayer.frompil(labels(take, frame.size), psd, LABELS))
    safe = PixelLayer.frompil(safe_areas(frame.size), psd, SAFE)
    safe.visible = False
    psd.append(safe)
    return psd


def labels(take: Take, size: tuple[int, int]) -> Image.Image:
    """The slate of the frame on a clear layer: a band at the top, the description at the foot."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    width, height = size
    text_size = max(10, height // 24)
    pad = text_size // 2
    band = text_size * 2 + pad * 3
    draw.rectangle((0, 0, width, band), fill=BAND)
    head = f"SHOT {take.shot}" + (f"  ·  SC {take.scene}" if take.scene else "") + f"  ·  v{take.version:03d}"
    draw.text((pad, pad), head, font=_font(text_size), fill=(255, 255, 255, 255))
    draw.text(
        (pad, pad * 2 + text_size), take.spec_line or "", font=_font(text_size), fill=(242, 178, 51, 255)
    )
    foot = _fitted(draw, take.description, _font(text_size), width - 2 * pad)
    if foot:
        draw.rectangle((0, height - text_size - 2 * pad, width, height), fill=BAND)
        draw.text((pad, height - text_size - pad), foot, font=_font(text_size), fill=(255, 255, 255, 255))
    return layer


def safe_areas(size: tuple[int, int]) -> Image.Image:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for share, colour in SAFE_AREAS:
        inset_x, inset_y = size[0] * (1 - share) / 2, size[1] * (1 - share) / 2
        draw.rectangle((inset_x, inset_y, size[0] - inset_x, size[1] - inset_y), outline=colour, width=1)
    return layer


def _fitted(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.ImageFont, width: float) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…" if text else ""


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont:
    """Pillow's bundled font: the same labels on every machine."""
    return ImageFont.load_default(size=size)  # type: ignore[return-value]
