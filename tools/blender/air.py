"""What is in the air and what lights the set, built in Blender (stdlib + bpy only, like scene.py).

- rain and snow: one mesh of camera-facing streaks or flakes scattered through the camera's view,
  sized in pixels at their depth so they read at any lens and frame size;
- practicals (torch, candle, neon): a visible source (post and flame, candle and flame, a tube)
  and a real point light for whoever opens the .blend in Eevee/Cycles. Their grade on nearby
  materials, which is what Workbench shows, is in scene._Kit.
"""

from __future__ import annotations

import math
import random
from typing import Any

import bpy
from mathutils import Vector

RAIN: tuple[float, float, float] = (0.78, 0.82, 0.9)
SNOW: tuple[float, float, float] = (0.96, 0.97, 1.0)
COUNT = {"rain": 900, "snow": 650}
WIND = Vector((0.12, 0.0, -1.0)).normalized()  # rain falls a little slanted


def build_weather(
    kit: Any, kinds: list[str], layout: dict[str, Any], width: int, height: int, gain: float
) -> None:
    """Streaks of rain and flakes of snow between 0.8 m and 16 m from the camera, inside its view."""
    loc, target = Vector(layout["camera_location"]), Vector(layout["camera_target"])
    forward = (target - loc).normalized()
    right = forward.cross(Vector((0, 0, 1)))
    right = right.normalized() if right.length > 1e-6 else Vector((1, 0, 0))  # overhead: any right
    up = right.cross(forward)
    half_w = float(layout["sensor_width_mm"]) / 2 / float(layout["lens_mm"])
    half_h = half_w * height / width
    for kind in kinds:
        if kind not in COUNT:
            continue
        rng = random.Random(kind)  # the same weather on every render of the shot
        verts: list[Vector] = []
        faces: list[tuple[int, int, int, int]] = []
        for _ in range(COUNT[kind]):
            t = 0.8 + 15.2 * rng.random() ** 1.4
            centre = loc + forward * t + right * (rng.uniform(-1.05, 1.05) * t * half_w)
            centre += up * (rng.uniform(-1.1, 1.1) * t * half_h)
            pixel = 2 * t * half_w / width  # metres one pixel spans at this depth
            if kind == "rain":
                along, across = WIND * (0.07 * 2 * t * half_h), right * (1.1 * pixel)
            else:
                along, across = up * (2.4 * pixel), right * (2.4 * pixel)
            n = len(verts)
            verts += [centre - along / 2 - across / 2, centre - along / 2 + across / 2,
                      centre + along / 2 + across / 2, centre + along / 2 - across / 2]  # fmt: skip
            faces.append((n, n + 1, n + 2, n + 3))
        mesh = bpy.data.meshes.new(f"weather_{kind}")
        mesh.from_pydata([tuple(v) for v in verts], [], faces)
        mesh.materials.append(None)
        base = RAIN if kind == "rain" else SNOW
        colour = tuple(c * max(0.35, min(1.0, gain * 1.4)) for c in base)
        obj = kit.add_mesh(f"weather_{kind}", mesh, colour, glow=True)
        obj["slate_weather"] = kind


def build_practicals(kit: Any, practicals: list[dict[str, Any]]) -> None:
    for i, p in enumerate(practicals):
        kind, colour, at = str(p["kind"]), tuple(p["colour"]), Vector(p["location"])
        if kind == "torch":  # a post with a bowl and a flame
            kit.add(f"torch_{i}_post", "cube", (0.22, 0.15, 0.08), (at.x, at.y, (at.z - 0.1) / 2),
                    (0.07, 0.07, at.z - 0.1))  # fmt: skip
            kit.add(
                f"torch_{i}_bowl", "cylinder", (0.2, 0.17, 0.14), (at.x, at.y, at.z - 0.14), (0.1, 0.1, 0.08)
            )
            kit.add(f"torch_{i}_flame", "sphere", colour, at, (0.07, 0.07, 0.13), glow=True)
        elif kind == "candle":  # a thin stand, a white candle, its flame
            kit.add(f"candle_{i}_stand", "cube", (0.25, 0.2, 0.12), (at.x, at.y, (at.z - 0.14) / 2),
                    (0.04, 0.04, at.z - 0.14))  # fmt: skip
            kit.add(
                f"candle_{i}_wax",
                "cylinder",
                (0.93, 0.9, 0.8),
                (at.x, at.y, at.z - 0.15),
                (0.025, 0.025, 0.12),
            )
            kit.add(f"candle_{i}_flame", "sphere", colour, at, (0.018, 0.018, 0.04), glow=True)
        else:  # neon: a glowing tube on the wall behind, with a shorter one under it
            kit.add(f"neon_{i}_tube", "cube", colour, at, (1.3, 0.04, 0.06), glow=True)
            kit.add(
                f"neon_{i}_tube2", "cube", colour, at - Vector((0.2, 0, 0.3)), (0.8, 0.04, 0.05), glow=True
            )
        light = bpy.data.lights.new(f"{kind}_{i}", "POINT")
        light.color = colour
        light.energy = 80.0 * float(p["strength"])
        light.shadow_soft_size = 0.05
        obj = bpy.data.objects.new(f"{kind}_{i}_light", light)
        obj.location = at
        kit.scene.collection.objects.link(obj)


FOG_CARDS_M = (2.5, 5.0, 9.0, 16.0, 30.0)  # distances from the camera of the see-through mist cards


def build_fog(kit: Any, fog: float, layout: dict[str, Any], colour: tuple[float, float, float]) -> None:
    """Mist as see-through cards across the view at growing distances: each veils what is behind
    it, so the far set and the horizon melt into the fog colour (Workbench has no mist pass)."""
    if fog <= 0:
        return
    loc, target = Vector(layout["camera_location"]), Vector(layout["camera_target"])
    flat = Vector((target.x - loc.x, target.y - loc.y, 0))
    if flat.length < 1e-3:  # looking straight down: no horizon to hide, the haze grade does it
        return
    forward = flat.normalized()
    yaw = math.atan2(-forward.x, forward.y)
    mat = bpy.data.materials.new("slate_fog")
    mat.diffuse_color = (*(c * FOG_CARD_BOOST for c in colour), min(0.5, 0.08 + 0.22 * fog))
    mat.surface_render_method = "BLENDED"
    for i, d in enumerate(FOG_CARDS_M):
        centre = loc + forward * d
        card = bpy.data.objects.new(f"fog_{i}", kit.mesh("cube"))
        card.location = (centre.x, centre.y, 4.0)
        card.rotation_euler = (0, 0, yaw)
        card.scale = (6 * d + 20, 0.01, 9.0)
        card.material_slots[0].link = "OBJECT"
        card.material_slots[0].material = mat
        card["slate_weather"] = "fog"
        kit.collection.objects.link(card)


FOG_CARD_BOOST = 1.5  # the studio light dims a card facing the camera; this brings it back to the fog
