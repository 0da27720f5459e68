"""Regions of the frame as boxes of fractions, and the soft masks a repaint is drawn through.

A region holds at any resolution and aspect; which words name which region is the director's
reading (agents/reading/regions.py), not this module's.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from tools.engine import Box


def box_pixels(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    width, height = size
    left, top, right, bottom = box
    return round(left * width), round(top * height), round(right * width), round(bottom * height)


def box_mask(box: Box, size: tuple[int, int], feather: float = 0.02) -> Image.Image:
    """White inside the box, black outside, with a soft edge so a repaint blends in."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rectangle(box_pixels(box, size), fill=255)
    radius = feather * max(size)
    return mask.filter(ImageFilter.GaussianBlur(radius)) if radius >= 0.5 else mask
