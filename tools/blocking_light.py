"""Light and weather of a blocking, as numbers Blender's Workbench can show.

Workbench (the fast previz render) ignores scene lights, so light is drawn the way a storyboard
artist would colour it: the key's colour, exposure and direction grade every material; a practical
(torch, candle, neon) is a visible source plus a warm or coloured grade on what stands near it;
backlight turns the studio light around and darkens the figures; rim light is a bright outline.
Real lights are still placed in the .blend for whoever opens it in Eevee or Cycles.
Pure: no Blender here (tools/blender/scene.py builds what :func:`light_plan` says).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

RGB = tuple[float, float, float]

# Time of day: sun elevation (degrees), sun colour, world (sky) colour, exposure (stops).
SKY: dict[str, tuple[float, RGB, RGB, float]] = {
    "dawn": (8.0, (1.0, 0.72, 0.55), (0.55, 0.5, 0.62), -0.4),
    "day": (60.0, (1.0, 0.98, 0.94), (0.55, 0.72, 0.92), 0.0),
    "golden hour": (12.0, (1.0, 0.7, 0.38), (0.93, 0.66, 0.42), -0.2),
    "dusk": (-4.0, (0.55, 0.5, 0.78), (0.22, 0.2, 0.38), -1.2),
    "night": (-20.0, (0.35, 0.42, 0.7), (0.03, 0.04, 0.09), -2.6),
}
FOG_COLOUR: RGB = (0.72, 0.74, 0.78)
LIGHTS = (
    "torchlight", "candlelight", "moonlight", "backlit", "silhouette", "rim light", "low key", "high key",
    "neon", "hard light",
)  # fmt: skip
WEATHER = ("rain", "snow", "storm")
MOON: RGB = (0.55, 0.68, 1.0)
FLAME: RGB = (1.0, 0.62, 0.25)
CANDLE: RGB = (1.0, 0.74, 0.4)
NEON_PINK: RGB = (1.0, 0.15, 0.7)
NEON_CYAN: RGB = (0.1, 0.9, 1.0)


@dataclass(frozen=True)
class Practical:
    """A light in the set: what it is (torch, candle, neon), its colour, where, and how it falls
    off (at ``reach_m`` it lights half as much as at its flame)."""

    kind: str
    colour: RGB
    location: tuple[float, float, float]
    reach_m: float
    strength: float


def light_plan(
    time_of_day: str,
    lighting: tuple[str, ...],
    weather: tuple[str, ...],
    target: tuple[float, float, float],
    half_width_m: float,
) -> dict[str, object]:
    """The key (sun) and its grade, the practicals, the outline and the weather for one shot.
    ``target`` is where the camera looks and ``half_width_m`` half the frame's width there, so
    practicals stand where the frame sees them."""
    elevation, colour, world, exposure = SKY[time_of_day]
    said = set(lighting)
    azimuth, shadow, figure_gain = 35.0, 0.55, 1.0
    outline: RGB | None = (0.05, 0.05, 0.05)
    if "moonlight" in said:  # a cool key from high up; the night readable, not black
        colour, elevation = MOON, 40.0
        world = (0.04, 0.06, 0.14) if exposure < -1 else world
        exposure = max(exposure, -1.1)
    if "storm" in weather:
        world = tuple(0.5 * c + 0.12 for c in world)  # type: ignore[assignment]
        exposure -= 0.6
    if "low key" in said:  # darker, hard side light, deep shadow
        exposure, shadow, azimuth = exposure - 1.0, 0.92, 85.0
    if "high key" in said:  # bright, flat, few shadows
        exposure, shadow = max(exposure, 0.0) + 0.5, 0.15
        world = tuple(0.5 * c + 0.5 for c in world)  # type: ignore[assignment]
    if "hard light" in said:
        shadow = max(shadow, 0.85)
    backlight = bool(said & {"backlit", "silhouette"})
    if backlight:  # the key behind the figures: they go dark against a bright background
        azimuth = 180.0
        world = tuple(min(1.0, 0.4 * c + 0.6 * k) for c, k in zip(world, colour, strict=True))  # type: ignore[assignment]
        figure_gain = 0.08 if "silhouette" in said else 0.3
        outline = colour if "silhouette" not in said else None  # black on black adds nothing
    if "rim light" in said:
        outline = tuple(min(1.0, 0.4 + c) for c in colour)  # type: ignore[assignment]
    return {
        "sun": {
            "elevation_deg": elevation,
            "azimuth_deg": azimuth,  # 35: from frame left, behind the camera's shoulder; 180: behind them
            "colour": colour,
            "world": world,
            "exposure": exposure,
        },
        "shadow_intensity": shadow,
        "backlight": backlight,
        "flat": "silhouette" in said,
        "figure_gain": figure_gain,
        "outline": outline if not weather else None,  # an outline round every raindrop reads as soot
        "practicals": [asdict(p) for p in practicals(said, target, half_width_m)],
        "weather": [w for w in WEATHER if w in weather or (w == "rain" and "storm" in weather)],
    }


def practicals(said: set[str], target: tuple[float, float, float], half_width_m: float) -> list[Practical]:
    """Torches on stands either side of the subject, a candle in front of them, neon tubes behind,
    each where the frame sees it (the torches' flames a little above the frame's middle)."""
    tx, ty, tz = target
    side = min(0.8 * half_width_m, 2.4)
    flame = max(1.2, min(2.0, tz + 0.3 * half_width_m))
    found: list[Practical] = []
    if "torchlight" in said:
        edge = min(0.93 * half_width_m, 2.6)  # at the frame's edges, beside the figures, not behind them
        found += [Practical("torch", FLAME, (tx + s * edge, ty + 0.2, flame), 1.6, 1.1) for s in (-1, 1)]
    if "candlelight" in said:
        found.append(Practical("candle", CANDLE, (tx + 0.4 * side, ty - 0.5, 1.05), 0.9, 1.0))
    if "neon" in said:
        found += [
            Practical("neon", NEON_PINK, (tx - side, ty + 1.4, flame + 0.3), 2.4, 1.8),
            Practical("neon", NEON_CYAN, (tx + side, ty + 1.4, flame + 0.3), 2.4, 1.8),
        ]
    return found
