"""Reading images people hand us (uploads, references) without trusting them.

A file can claim to be an image and not be one, or be a few kilobytes that decode to
gigapixels (a decompression bomb). Both are refused with a clear message before any pixel
is decoded.
"""

from __future__ import annotations

import io
import warnings

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
    return ImageOps.exif_transpose(image).convert("RGB")
