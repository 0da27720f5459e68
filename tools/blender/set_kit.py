"""Places a director names, as primitives that read at a glance (stdlib + bpy only, like scene.py).

Each builder takes the kit (scene._Kit: ``add(name, kind, colour, location, scale)`` with kinds
cube — unit, centred —, cylinder — unit radius, z 0…1 — and sphere — unit radius) and puts its
place around figures standing near the origin, seen by a camera looking along +Y. Builders are
picked by part name from :data:`BUILDERS`; the room kit (walls, doorway, throne …) stays in scene.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

RGB = tuple[float, float, float]
STONE: RGB = (0.5, 0.49, 0.46)
DARK_STONE: RGB = (0.32, 0.31, 0.3)
WOOD: RGB = (0.42, 0.29, 0.17)
DARK_WOOD: RGB = (0.28, 0.19, 0.11)
WATER: RGB = (0.16, 0.32, 0.45)
SEA: RGB = (0.12, 0.42, 0.52)
ASPHALT: RGB = (0.22, 0.22, 0.23)
LEAVES: RGB = (0.16, 0.38, 0.14)
BARK: RGB = (0.3, 0.21, 0.13)
GLASS_DARK: RGB = (0.1, 0.12, 0.16)
LAMP: RGB = (1.0, 0.82, 0.5)
FACADES: tuple[RGB, ...] = ((0.62, 0.52, 0.42), (0.5, 0.45, 0.42), (0.66, 0.6, 0.5), (0.45, 0.4, 0.36))


def street(kit: Any) -> None:
    """A road running away from the camera, pavements, and facades with windows both sides."""
    kit.add("street_road", "cube", ASPHALT, (0, 20, 0.0), (5.0, 60, 0.02))
    for side in (-1, 1):
        kit.add(f"street_pavement_{side}", "cube", STONE, (side * 3.6, 20, 0.07), (2.2, 60, 0.14))
        kit.add(f"street_kerb_{side}", "cube", DARK_STONE, (side * 2.52, 20, 0.06), (0.06, 60, 0.12))
        for i in range(7):
            y, h = -4 + i * 6.5, 6 + (i * 37 % 5) * 1.6
            colour = FACADES[(i + (side > 0)) % len(FACADES)]
            kit.add(f"street_house_{side}_{i}", "cube", colour, (side * 7.2, y, h / 2), (2.8, 6.3, h))
            for floor in range(int(h // 3)):
                for w in (-1.6, 0.0, 1.6):
                    glow = (i + floor + int(w)) % 4 == 0
                    kit.add(f"street_window_{side}_{i}_{floor}_{w}", "cube", LAMP if glow else GLASS_DARK,
                            (side * 5.78, y + w, 1.8 + floor * 3), (0.05, 0.8, 1.2), glow=glow)  # fmt: skip
    kit.add("street_lamp_post", "cube", DARK_STONE, (2.7, 3.5, 1.9), (0.1, 0.1, 3.8))
    kit.add("street_lamp", "sphere", LAMP, (2.7, 3.5, 3.9), (0.18, 0.18, 0.22), glow=True)


def harbour(kit: Any) -> None:
    """A plank dock the figures stand on, water round it, mooring posts, a boat, crates."""
    kit.add("harbour_water", "cube", WATER, (0, 60, -0.7), (300, 140, 0.05))
    kit.add("harbour_dock", "cube", WOOD, (0, 0.5, -0.1), (9, 9, 0.2))
    for i in range(9):  # the planks' seams, running across
        kit.add(f"harbour_seam_{i}", "cube", DARK_WOOD, (0, -3.5 + i, 0.0), (9, 0.03, 0.01))
    for x in (-4.3, -1.4, 1.4, 4.3):
        kit.add(f"harbour_post_{x}", "cylinder", DARK_WOOD, (x, 4.9, -0.8), (0.14, 0.14, 1.7))
    kit.add("harbour_boat_hull", "sphere", (0.55, 0.2, 0.14), (5.5, 9.0, -0.55), (1.2, 3.2, 0.6))
    kit.add("harbour_boat_deck", "cube", WOOD, (5.5, 9.0, -0.05), (1.6, 4.2, 0.08))
    kit.add("harbour_mast", "cylinder", DARK_WOOD, (5.5, 9.2, 0.0), (0.06, 0.06, 5.5))
    for i, (x, y) in enumerate(((-3.4, 2.6), (-2.7, 3.3), (-3.3, 3.4))):
        kit.add(f"harbour_crate_{i}", "cube", (0.55, 0.4, 0.22), (x, y, 0.35), (0.7, 0.7, 0.7))
    kit.add("harbour_far_shore", "cube", (0.35, 0.36, 0.3), (0, 90, 2.0), (300, 10, 4.0))


def forest(kit: Any) -> None:
    """Trunks and canopies behind and beside the figures (a clearing where they stand)."""
    rng = random.Random("forest")
    for i in range(34):
        x, y = rng.uniform(-14, 14), rng.uniform(-2, 26)
        if abs(x) < 2.2 and y < 5:  # the clearing
            continue
        r, h = rng.uniform(0.14, 0.3), rng.uniform(4.5, 8.0)
        kit.add(f"forest_trunk_{i}", "cylinder", BARK, (x, y, 0), (r, r, h))
        green = tuple(c * rng.uniform(0.8, 1.2) for c in LEAVES)
        kit.add(f"forest_canopy_{i}", "sphere", green, (x, y, h), (1.6 + r * 3, 1.6 + r * 3, 1.8))
    for i in range(10):
        x, y = rng.uniform(-8, 8), rng.uniform(1.5, 9)
        if abs(x) > 1.6:
            kit.add(f"forest_bush_{i}", "sphere", LEAVES, (x, y, 0.25), (0.6, 0.5, 0.45))


def rooftop(kit: Any) -> None:
    """A flat roof with a parapet and chimneys, the city's roofs and towers beyond and below."""
    kit.add("roof_deck", "cube", (0.4, 0.39, 0.37), (0, 1.0, -0.05), (12, 9, 0.1))
    kit.add("roof_parapet_back", "cube", STONE, (0, 5.4, 0.45), (12, 0.3, 0.9))
    for side in (-1, 1):
        kit.add(f"roof_parapet_{side}", "cube", STONE, (side * 6, 1.0, 0.45), (0.3, 9, 0.9))
    for i, (x, y) in enumerate(((-3.8, 3.8), (3.4, 4.2), (4.5, 0.5))):
        kit.add(f"roof_chimney_{i}", "cube", (0.5, 0.3, 0.25), (x, y, 0.8), (0.6, 0.6, 1.6))
    kit.add("roof_tank", "cylinder", DARK_WOOD, (-4.6, 1.0, 0.0), (0.7, 0.7, 1.6))
    rng = random.Random("skyline")
    for i in range(26):
        x, y = rng.uniform(-60, 60), rng.uniform(16, 70)
        top, w = rng.uniform(-6, 14), rng.uniform(4, 10)
        colour = tuple(c * rng.uniform(0.7, 1.0) for c in FACADES[i % len(FACADES)])
        kit.add(f"roof_city_{i}", "cube", colour, (x, y, (top - 30) / 2), (w, w, top + 30))


def bridge(kit: Any) -> None:
    """A deck across the frame with a railing behind the figures, the river below, far banks."""
    kit.add("bridge_deck", "cube", STONE, (0, 0.3, -0.15), (40, 3.6, 0.3))
    kit.add("bridge_rail", "cube", DARK_STONE, (0, 2.0, 1.0), (40, 0.12, 0.1))
    kit.add("bridge_rail_low", "cube", DARK_STONE, (0, 2.0, 0.5), (40, 0.08, 0.06))
    for i in range(-10, 11):
        kit.add(f"bridge_baluster_{i}", "cube", DARK_STONE, (i * 1.2, 2.0, 0.5), (0.12, 0.12, 1.0))
    kit.add("bridge_river", "cube", WATER, (0, 40, -8), (300, 90, 0.05))
    for side in (-1, 1):
        kit.add(f"bridge_bank_{side}", "cube", (0.3, 0.36, 0.22), (side * 60, 40, -5), (70, 90, 6))
        kit.add(f"bridge_tower_{side}", "cube", STONE, (side * 9, 0.3, 2.5), (1.2, 1.6, 5.0))


def well(kit: Any) -> None:
    """A stone well beside the figures: ring, dark water, two posts, a roof beam and a bucket."""
    x, y = 2.0, 1.6
    kit.add("well_ring", "cylinder", STONE, (x, y, 0), (0.75, 0.75, 0.85))
    kit.add("well_hole", "cylinder", (0.04, 0.05, 0.06), (x, y, 0.01), (0.58, 0.58, 0.85))
    for side in (-1, 1):
        kit.add(f"well_post_{side}", "cube", WOOD, (x + side * 0.7, y, 1.2), (0.1, 0.1, 1.6))
    kit.add("well_beam", "cube", WOOD, (x, y, 2.0), (1.6, 0.1, 0.1))
    kit.add("well_roof", "cube", DARK_WOOD, (x, y, 2.15), (1.9, 1.1, 0.08))
    kit.add("well_bucket", "cylinder", DARK_WOOD, (x + 0.45, y - 0.6, 0.85), (0.14, 0.14, 0.22))


def tavern(kit: Any) -> None:
    """A bar counter along the back, barrels, shelves of bottles and a glowing hearth."""
    kit.add("tavern_counter", "cube", WOOD, (1.2, 3.2, 0.55), (4.2, 0.7, 1.1))
    kit.add("tavern_counter_top", "cube", DARK_WOOD, (1.2, 3.2, 1.12), (4.4, 0.8, 0.06))
    for i in range(2):
        kit.add(f"tavern_shelf_{i}", "cube", DARK_WOOD, (1.2, 4.25, 1.7 + i * 0.6), (4.0, 0.3, 0.05))
        for j in range(9):
            colour = ((0.2, 0.45, 0.2), (0.45, 0.25, 0.1), (0.6, 0.6, 0.65))[(i + j) % 3]
            kit.add(f"tavern_bottle_{i}_{j}", "cylinder", colour, (-0.5 + j * 0.42, 4.25, 1.73 + i * 0.6),
                    (0.05, 0.05, 0.3))  # fmt: skip
    for i, (x, y) in enumerate(((-3.6, 2.8), (-4.3, 3.3), (-3.9, 1.9))):
        kit.add(f"tavern_barrel_{i}", "cylinder", (0.45, 0.3, 0.16), (x, y, 0), (0.38, 0.38, 0.95))
    kit.add("tavern_hearth", "cube", DARK_STONE, (-3.4, 4.2, 0.8), (1.8, 0.4, 1.6))
    kit.add("tavern_fire", "sphere", (1.0, 0.5, 0.15), (-3.4, 3.95, 0.35), (0.45, 0.15, 0.3), glow=True)


def corridor(kit: Any) -> None:
    """A long narrow passage away from the camera: close walls, doors, a ceiling and its lamps."""
    wall, door = (0.58, 0.56, 0.52), (0.3, 0.2, 0.12)
    for side in (-1, 1):
        kit.add(f"corridor_wall_{side}", "cube", wall, (side * 1.7, 12, 1.6), (0.2, 34, 3.2))
        for i in range(5):
            kit.add(f"corridor_door_{side}_{i}", "cube", door, (side * 1.59, 1 + i * 5 + side, 1.05),
                    (0.04, 0.95, 2.1))  # fmt: skip
    kit.add("corridor_floor", "cube", (0.36, 0.34, 0.32), (0, 12, -0.04), (3.6, 34, 0.1))
    kit.add("corridor_ceiling", "cube", (0.5, 0.49, 0.46), (0, 12, 3.25), (3.6, 34, 0.1))
    kit.add("corridor_end", "cube", (0.4, 0.39, 0.37), (0, 28, 1.6), (3.4, 0.2, 3.2))
    for i in range(6):
        kit.add(f"corridor_lamp_{i}", "cube", LAMP, (0, -1 + i * 5, 3.18), (0.5, 1.0, 0.04), glow=True)


def beach(kit: Any) -> None:
    """Sand, the sea to the horizon with a line of surf, a few rocks."""
    kit.add("beach_sea", "cube", SEA, (0, 110, 0.02), (400, 200, 0.05))
    kit.add("beach_surf", "cube", (0.88, 0.92, 0.94), (0, 9.8, 0.04), (400, 0.6, 0.05))
    kit.add("beach_wet_sand", "cube", (0.6, 0.54, 0.4), (0, 8.8, 0.01), (400, 1.6, 0.03))
    for i, (x, y, r) in enumerate(((-4.5, 5.0, 0.7), (-5.6, 6.2, 0.45), (4.8, 7.0, 0.9), (6.2, 3.5, 0.4))):
        kit.add(f"beach_rock_{i}", "sphere", DARK_STONE, (x, y, r * 0.3), (r * 1.3, r, r * 0.8))


OWN_GROUND = {"harbour", "bridge", "rooftop"}  # they stand on their own deck, over water or a city

BUILDERS: dict[str, Callable[[Any], None]] = {
    "street": street,
    "harbour": harbour,
    "forest": forest,
    "rooftop": rooftop,
    "bridge": bridge,
    "well": well,
    "tavern": tavern,
    "corridor": corridor,
    "beach": beach,
}
