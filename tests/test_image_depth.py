"""Stills of any depth and mode keep their tones on the way to 8-bit RGB (16-bit grey was white)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from memory.ledger import ImageStore
from tools.images import decode_image, to_rgb

MID_GREY_16 = 32896  # 128 × 257: exactly half-way in 16 bits


def encoded(image: Image.Image, format: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def grey_16(value: int = MID_GREY_16, size: tuple[int, int] = (8, 8)) -> Image.Image:
    image = Image.fromarray(np.full(size[::-1], value, dtype=np.uint16))
    assert image.mode == "I;16"
    return image


@pytest.mark.parametrize("format", ["PNG", "TIFF"])
def test_a_16_bit_grey_still_decodes_to_mid_grey_not_white(format: str) -> None:
    data = encoded(grey_16(), format)
    assert Image.open(io.BytesIO(data)).mode in ("I;16", "I")
    rgb = decode_image(data)
    assert rgb.mode == "RGB" and rgb.getpixel((0, 0)) == (128, 128, 128)


def test_a_16_bit_ramp_keeps_its_whole_range_in_order() -> None:
    ramp = Image.fromarray(np.linspace(0, 65535, 256).astype(np.uint16).reshape(1, 256))
    values = np.asarray(decode_image(encoded(ramp)))[0, :, 0].astype(int)
    assert values[0] == 0 and values[-1] == 255 and (np.diff(values) >= 0).all()
    assert abs(values[128] - 128) <= 1


@pytest.mark.parametrize(
    ("pixels", "grey"),
    [
        (np.full((4, 4), MID_GREY_16, dtype=np.int32), 128),  # 16-bit data opened as "I"
        (np.full((4, 4), 2**30, dtype=np.int32), 128),  # full 32-bit range
        (np.full((4, 4), -5, dtype=np.int32), 0),
        (np.full((4, 4), 0.5, dtype=np.float32), 128),  # floats are 0–1
        (np.full((4, 4), 3.0, dtype=np.float32), 3),  # … or already 0–255
        (np.array([[1000.0, 500.0]], dtype=np.float32), 255),  # … or scaled by their maximum
    ],
)
def test_integer_and_float_modes_are_scaled_by_their_range(pixels: np.ndarray, grey: int) -> None:
    image = Image.fromarray(pixels)
    assert image.mode in ("I", "F")
    assert to_rgb(image).getpixel((0, 0)) == (grey, grey, grey)


def test_transparent_modes_are_laid_on_white() -> None:
    rgba = Image.new("RGBA", (2, 1), (200, 0, 0, 255))
    rgba.putpixel((1, 0), (0, 0, 0, 0))
    rgb = decode_image(encoded(rgba))
    assert [rgb.getpixel((0, 0)), rgb.getpixel((1, 0))] == [(200, 0, 0), (255, 255, 255)]
    half = Image.new("RGBA", (1, 1), (255, 0, 0, 128))
    assert to_rgb(half).getpixel((0, 0)) == (255, 127, 127)
    la = Image.new("LA", (1, 1), (100, 255))
    assert decode_image(encoded(la)).getpixel((0, 0)) == (100, 100, 100)


def test_palette_and_cmyk_images_keep_their_colours() -> None:
    palette = Image.new("RGB", (2, 1), (10, 120, 200)).convert("P", palette=Image.Palette.ADAPTIVE)
    assert decode_image(encoded(palette)).getpixel((0, 0)) == (10, 120, 200)
    see_through = Image.new("P", (1, 1), 0)
    see_through.putpalette([0, 0, 0])
    assert decode_image(encoded(see_through, transparency=0)).getpixel((0, 0)) == (255, 255, 255)
    cmyk = Image.new("CMYK", (1, 1), (0, 255, 255, 0))
    assert decode_image(encoded(cmyk, "TIFF")).getpixel((0, 0)) == (255, 0, 0)
    assert decode_image(encoded(Image.new("1", (1, 1), 1))).getpixel((0, 0)) == (255, 255, 255)


def test_a_stored_reference_still_reads_back_with_its_tones_and_upright(tmp_path: Path) -> None:
    """Reference stills are kept as uploaded: reading one back for a shot normalises it again."""
    store = ImageStore(tmp_path)
    assert store.image(store.put(encoded(grey_16()), ".ref"), ".ref").getpixel((0, 0)) == (128, 128, 128)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90° clockwise to view
    sideways = encoded(Image.new("RGB", (20, 10), "navy"), "JPEG", exif=exif)
    assert store.image(store.put(sideways, ".ref"), ".ref").size == (10, 20)
