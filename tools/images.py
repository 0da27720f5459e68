"""Reading images people hand us (uploads, references) without trusting them.

A file can claim to be an image and not be one, or be a few kilobytes that decode to
gigapixels (a decompression bomb). Both are refused with a clear message before any pixel
is decoded.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from tools.engine import GenerationError

MAX_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 36_000_000  # 6000×6000: above any still a production hands us, far below a bomb
FORMATS = ("PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF")


def decode_image(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Decode untrusted bytes into an RGB image, upright per its EXIF orientation."""
    if len(data) > max_bytes:
        raise GenerationError(
            f"The image is {len(data) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB."
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 MP and refuses from 179 MP; our own, lower limit below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise GenerationError(
                    f"The image is {width}×{height} ({width * height / 1e6:.0f} MP); "
                    f"the limit is {max_pixels / 1e6:.0f} MP."
                )
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise GenerationError(
            "That file is not an image Slate can read (PNG, JPEG, WebP, TIFF, BMP)."
        ) from None
    except Image.DecompressionBombError:
        raise GenerationError(
            f"That image decodes to far more than the {max_pixels / 1e6:.0f} MP limit; it was refused."
        ) from None
    return upright_rgb(image)


def upright_rgb(image: Image.Image) -> Image.Image:
    """Upright per EXIF, then 8-bit RGB with the tones kept (see ``to_rgb``)."""
    return to_rgb(ImageOps.exif_transpose(image))


def to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB that keeps the image's tones, whatever its mode.

    Pillow's ``convert("RGB")`` clips 16- and 32-bit values at 255, so a mid-grey 16-bit PNG
    comes out pure white; those modes are scaled by their real range first. Transparent pixels
    are laid on white, not on whatever colour they happen to hold.
    """
    if image.mode in _WIDE_MODES:
        return Image.fromarray(_to_8_bit(image)).convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        backdrop = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(backdrop, rgba).convert("RGB")
    return image.convert("RGB")


_WIDE_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")


def _to_8_bit(image: Image.Image) -> np.ndarray:
    """One channel of 16-bit, 32-bit integer or float pixels as 0–255.

    Integers are scaled by the range of the depth they were stored at: 16-bit (Pillow opens
    16-bit PNGs as "I;16" or "I") divides by 257; wider integers by 2³¹−1, negatives as black.
    Floats are 0–1 by convention (values above are highlights, clipped); a float image whose
    values reach past 255 is scaled by its own maximum.
    """
    pixels = np.asarray(image)
    if image.mode == "F":
        values = pixels.astype(np.float64)
        values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
        top = values.max(initial=0.0)
        scale = 255.0 if top <= 1.0 else (1.0 if top <= 255.0 else 255.0 / top)
        return np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
    values = pixels.astype(np.int64)
    full = 65535 if image.mode.startswith("I;16") or values.max(initial=0) <= 65535 else 2**31 - 1
    return np.clip(np.rint(values * 255 / full), 0, 255).astype(np.uint8)


def repaint(render: Image.Image, source: Image.Image, mask: Image.Image) -> Image.Image:
    """A repaint keeps the source outside its region; an extension (its mask rings the whole frame
    and the source is only a pasted canvas) is the new render throughout: a drawn or rendered
    previz recomposes the same camera at the new aspect instead of keeping its old captions inside."""
    box = mask.convert("L").getbbox()
    if box is None or box == (0, 0, *render.size):
        return render
    return Image.composite(render, source.convert("RGB"), mask.convert("L"))
