"""Build, render and save a blocking scene inside Blender (runs in .venv-blender: stdlib + bpy only).

The input is the JSON of :meth:`tools.blocking.Blocking.to_dict` — the shot in film grammar plus its
resolved layout (figure marks, camera location and target, sun). This module must not import the
rest of Slate (which needs numpy>=2); it builds what the dict says and nothing else:

- mannequins from primitives (ellipsoid torso and pelvis, sphere head, cylinder limbs with ball
  joints) in the figure's skin and costume colours, posed, turned to their facing, with a prop;
- a set from a small kit (floor, walls, doorway, throne, table, window, stairs);
- the camera at the layout's location looking at its target, lens = focal length, dutch = roll;
  a camera move keyframed from there (tools/camera_move.py gives the keys; frame 1 is the still);
- a sun by time of day (a real light, for whoever opens the .blend in Eevee/Cycles) and, for the
  Workbench previz render, the same sun as the studio shadow direction, its colour and the
  exposure as a grade on the materials, the sky as the world colour, fog as distance haze.
"""

from __future__ import annotations

import math
import time
from typing import Any

import air  # tools/blender/air.py, a sibling (the worker puts this folder on sys.path)
import bpy
import set_kit  # tools/blender/set_kit.py, a sibling
from mathutils import Euler, Matrix, Quaternion, Vector

RGB = tuple[float, float, float]
_H = 1.75  # the mannequin's design height; figures scale from it
GLOW_GAIN = 4.5  # a light is drawn at about its own colour through the studio light's dimming
FOG_SKY = 0.72  # Workbench shades a far floor at about this much of its colour; the fogged sky matches


def reset() -> None:
    """An empty scene with factory settings: nothing from the last request survives."""
    bpy.ops.wm.read_factory_settings(use_empty=True)


def build(data: dict[str, Any]) -> bpy.types.Scene:
    """Build the blocking scene described by ``data`` into the current (empty) file."""
    scene = bpy.context.scene
    layout = data["layout"]
    sun = layout["sun"]
    light = layout.get("light", {})
    kit = _Kit(scene, sun=sun, fog=float(data.get("fog", 0.0)), fog_colour=tuple(layout["fog_colour"]))
    kit.camera_location = Vector(layout["camera_location"])
    kit.practicals = list(light.get("practicals", []))
    figure_gain = float(light.get("figure_gain", 1.0))

    _build_set(kit, data["set"], interior=bool(data["set"].get("interior", True)))
    figures = data.get("figures", [])
    for i, (fig, loc, facing) in enumerate(
        zip(figures, layout["figure_locations"], layout["figure_facing_deg"], strict=True)
    ):
        shade = float(layout.get("figure_shade", [1.0] * len(figures))[i])
        hidden = bool(layout.get("figure_hidden", [False] * len(figures))[i])
        _build_figure(kit, fig, Vector(loc), float(facing), shade=shade * figure_gain, hidden=hidden)
    air.build_practicals(kit, kit.practicals)
    width, height = int(data["width"]), int(data["height"])
    gain = 2.0 ** float(sun["exposure"])
    air.build_weather(kit, list(light.get("weather", [])), layout, width, height, gain)
    air.build_fog(kit, kit.fog, layout, tuple(f * FOG_SKY * max(gain, 0.25) for f in kit.fog_colour))
    _place_camera(scene, data, layout)
    _animate(scene, [str(f["name"]) for f in figures], layout.get("camera_path") or {})
    _light(scene, sun, kit)
    _render_settings(scene, width, height, light)
    kit.finish()
    return scene


def render(png: str) -> float:
    """Render the current scene's camera to ``png``; returns the seconds the render took."""
    scene = bpy.context.scene
    scene.render.filepath = png
    started = time.perf_counter()
    bpy.ops.render.render(write_still=True)
    return time.perf_counter() - started


def render_frames(pngs: list[str], width: int, height: int) -> float:
    """Render the move at evenly spaced frames, first to last, into ``pngs`` (the animatic);
    returns the seconds. The scene's own size is put back, then frame 1 (the still)."""
    scene = bpy.context.scene
    size = (scene.render.resolution_x, scene.render.resolution_y)
    scene.render.resolution_x, scene.render.resolution_y = width, height
    first, last = scene.frame_start, scene.frame_end
    started = time.perf_counter()
    for i, png in enumerate(pngs):
        scene.frame_set(round(first + (last - first) * i / max(1, len(pngs) - 1)))
        scene.render.filepath = png
        bpy.ops.render.render(write_still=True)
    seconds = time.perf_counter() - started
    scene.render.resolution_x, scene.render.resolution_y = size
    scene.frame_set(first)
    return seconds


def use_engine(name: str, samples: int = 8) -> None:
    """Render in ``name`` ("workbench" or "cycles", on the CPU at ``samples``) instead."""
    scene = bpy.context.scene
    if name == "workbench":
        scene.render.engine = "BLENDER_WORKBENCH"
    elif name == "cycles":
        scene.render.engine = "CYCLES"
        scene.cycles.device = "CPU"
        scene.cycles.samples = samples
        scene.cycles.use_denoising = False
    else:
        raise ValueError(f"engine {name!r} is not workbench or cycles")


def save(blend: str) -> None:
    bpy.context.preferences.filepaths.save_version = 0  # no .blend1 backup beside a re-saved version
    bpy.ops.wm.save_as_mainfile(filepath=blend, compress=True)


def inspect(blend: str) -> dict[str, Any]:
    """Reopen a saved .blend and report what a test (or an artist) would check first."""
    bpy.ops.wm.open_mainfile(filepath=blend)
    scene = bpy.context.scene
    cam = scene.camera
    figures = sorted({o["slate_figure"] for o in scene.objects if "slate_figure" in o})
    roots = [o for o in scene.objects if "slate_figure" in o and o.parent is None]
    return {
        "figure_yaw_deg": {o["slate_figure"]: math.degrees(o.rotation_euler.z) for o in roots},
        "figure_location": {o["slate_figure"]: list(o.location) for o in roots},
        "hidden_in_render": sorted(
            {o["slate_figure"] for o in scene.objects if "slate_figure" in o and o.hide_render}
        ),
        "camera_keys": _camera_keys(scene, cam),
        "camera": {
            "lens_mm": cam.data.lens,
            "location": list(cam.location),
            "rotation_euler": list(cam.rotation_euler),
            "sensor_width_mm": cam.data.sensor_width,
        },
        "figures": figures,
        "objects": len(scene.objects),
        "engine": scene.render.engine,
        "resolution": [scene.render.resolution_x, scene.render.resolution_y],
        "version": bpy.app.version_string,
    }


def _camera_keys(scene: bpy.types.Scene, cam: bpy.types.Object) -> dict[str, Any]:
    """The camera's animation as an artist finds it: keyed channels, the frame range, and the
    camera evaluated at its first and last frame."""
    action = cam.animation_data.action if cam.animation_data else None
    lens_action = cam.data.animation_data.action if cam.data.animation_data else None
    keyed = sorted({kp.co[0] for fc in _fcurves(action) for kp in fc.keyframe_points})
    lens_keys = sorted({kp.co[0] for fc in _fcurves(lens_action) for kp in fc.keyframe_points})
    ends: dict[str, Any] = {}
    for label, frame in (("start", scene.frame_start), ("end", scene.frame_end)):
        scene.frame_set(frame)
        m = cam.matrix_world
        look = m.to_quaternion() @ Vector((0, 0, -1))
        ends[label] = {
            "location": list(m.translation),
            "yaw_deg": math.degrees(math.atan2(-look.x, look.y)),
            "pitch_deg": math.degrees(math.asin(max(-1.0, min(1.0, look.z)))),
            "lens_mm": cam.data.lens,
        }
    scene.frame_set(scene.frame_start)
    return {
        "frames": keyed,
        "lens_frames": lens_keys,
        "frame_range": [scene.frame_start, scene.frame_end],
        "fps": scene.render.fps,
        "move": cam.get("slate_move", "static"),
        **ends,
    }


def _fcurves(action: Any) -> list[Any]:
    """An action's F-curves (Blender 5 keeps them in layered channelbags)."""
    if action is None:
        return []
    curves = list(getattr(action, "fcurves", None) or [])
    for layer in getattr(action, "layers", ()):
        for strip in layer.strips:
            for bag in getattr(strip, "channelbags", ()):
                curves.extend(bag.fcurves)
    return curves


# -- the kit ------------------------------------------------------------------------------------


class _Kit:
    """Primitive meshes, shared once per file, and materials per colour, graded by light and fog."""

    def __init__(self, scene: bpy.types.Scene, sun: dict[str, Any], fog: float, fog_colour: RGB) -> None:
        self.scene = scene
        self.collection = scene.collection
        self.sun = sun
        self.fog = max(0.0, min(1.0, fog))
        self.fog_colour = fog_colour
        self.camera_location = Vector((0, -5, 1.5))
        self.practicals: list[dict[str, Any]] = []  # torches, candles, neon: their light grades what's near
        self._meshes: dict[str, bpy.types.Mesh] = {}
        self._pending: list[tuple[bpy.types.Object, RGB, bool, float]] = []
        self._materials: dict[tuple[float, ...], bpy.types.Material] = {}

    def mesh(self, kind: str) -> bpy.types.Mesh:
        if kind not in self._meshes:
            import bmesh

            bm = bmesh.new()
            if kind == "sphere":
                bmesh.ops.create_uvsphere(bm, u_segments=20, v_segments=12, radius=1.0)
            elif kind == "cylinder":  # unit radius, from z=0 to z=1
                bmesh.ops.create_cone(bm, cap_ends=True, segments=16, radius1=1.0, radius2=1.0, depth=1.0)
                bmesh.ops.translate(bm, verts=bm.verts, vec=(0, 0, 0.5))
            else:  # a unit cube centred on the origin
                bmesh.ops.create_cube(bm, size=1.0)
            for face in bm.faces:
                face.smooth = kind != "cube"
            mesh = bpy.data.meshes.new(f"kit_{kind}")
            bm.to_mesh(mesh)
            bm.free()
            mesh.materials.append(None)  # one slot, filled per object (link OBJECT)
            self._meshes[kind] = mesh
        return self._meshes[kind]

    def add(
        self,
        name: str,
        kind: str,
        colour: RGB,
        location: Vector | tuple[float, float, float],
        scale: tuple[float, float, float] = (1, 1, 1),
        rotation: Euler | Quaternion | None = None,
        parent: bpy.types.Object | None = None,
        glow: bool = False,
        shade: float = 1.0,
    ) -> bpy.types.Object:
        obj = bpy.data.objects.new(name, self.mesh(kind))
        obj.location = location
        obj.scale = scale
        if isinstance(rotation, Quaternion):
            obj.rotation_mode = "QUATERNION"
            obj.rotation_quaternion = rotation
        elif rotation is not None:
            obj.rotation_euler = rotation
        if parent is not None:
            obj.parent = parent
        self.collection.objects.link(obj)
        self._pending.append((obj, colour, glow, shade))
        return obj

    def empty(
        self, name: str, location: Vector, yaw_deg: float, parent: bpy.types.Object | None = None
    ) -> bpy.types.Object:
        obj = bpy.data.objects.new(name, None)
        obj.empty_display_type = "PLAIN_AXES"
        obj.location = location
        obj.rotation_euler = (0, 0, math.radians(yaw_deg))
        if parent is not None:
            obj.parent = parent
        self.collection.objects.link(obj)
        return obj

    def finish(self) -> None:
        """Give every object its material, graded once the whole scene (and its depth) is known."""
        bpy.context.view_layer.update()
        for obj, colour, glow, shade in self._pending:
            where = obj.matrix_world.translation
            shown = self._grade(colour, (where - self.camera_location).length, glow, where)
            shown = tuple(c * shade for c in shown)
            key = tuple(round(c, 3) for c in (*colour, *shown))
            mat = self._materials.get(key)
            if mat is None:
                mat = bpy.data.materials.new(f"slate_{len(self._materials):03d}")
                # what Workbench shows; its studio light and shadows dim a source facing the camera,
                # so a light (flame, window, rain catching it) is drawn brighter than white
                drawn = tuple(c * GLOW_GAIN for c in _linear(shown)) if glow else shown
                mat.diffuse_color = (*drawn, 1.0)
                mat["slate_colour"] = list(colour)  # the colour as specified, before light and fog
                mat.use_nodes = True
                bsdf = mat.node_tree.nodes.get("Principled BSDF")
                if bsdf is not None:  # Eevee/Cycles see the true colour and the scene's real sun
                    bsdf.inputs["Base Color"].default_value = (*_linear(colour), 1.0)
                    if glow:
                        bsdf.inputs["Emission Color"].default_value = (*_linear(colour), 1.0)
                        bsdf.inputs["Emission Strength"].default_value = 3.0
                self._materials[key] = mat
            slot = obj.material_slots[0]  # meshes are shared: the material hangs on the object
            slot.link = "OBJECT"
            slot.material = mat

    def add_mesh(self, name: str, mesh: bpy.types.Mesh, colour: RGB, glow: bool = False) -> bpy.types.Object:
        """An object of its own mesh (the weather), graded like the kit's."""
        obj = bpy.data.objects.new(name, mesh)
        self.collection.objects.link(obj)
        self._pending.append((obj, colour, glow, 1.0))
        return obj

    def _grade(self, colour: RGB, distance: float, glow: bool, where: Vector | None = None) -> RGB:
        """The colour Workbench draws: lit by the sun's colour and exposure and by the practicals
        near it (each falls off with distance), hazed by fog."""
        sun_rgb = self.sun["colour"]
        gain = 2.0 ** float(self.sun["exposure"])
        if glow:
            lit = tuple(min(1.0, c * 1.2) for c in colour)
        else:
            lit = tuple(c * (0.55 + 0.45 * s) * gain for c, s in zip(colour, sun_rgb, strict=True))
            for p in self.practicals if where is not None else ():
                d = (where - Vector(p["location"])).length
                f = float(p["strength"]) / (1.0 + (d / float(p["reach_m"])) ** 2)
                lit = tuple(c + b * 1.3 * k * f for c, b, k in zip(lit, colour, p["colour"], strict=True))
        if self.fog > 0:
            haze = 1.0 - math.exp(-distance * self.fog / 18.0)
            fog_rgb = tuple(f * max(gain, 0.25) for f in self.fog_colour)
            lit = tuple(c + (f - c) * haze for c, f in zip(lit, fog_rgb, strict=True))
        return tuple(max(0.0, min(1.0, c)) for c in lit)  # type: ignore[return-value]


def _linear(rgb: RGB) -> RGB:
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)  # type: ignore[return-value]


# -- the set ------------------------------------------------------------------------------------


def _build_set(kit: _Kit, spec: dict[str, Any], interior: bool) -> None:
    parts = set(spec.get("parts", ()))
    floor = tuple(spec.get("floor", (0.42, 0.38, 0.34)))
    walls = tuple(spec.get("walls", (0.62, 0.58, 0.52)))
    dark = tuple(c * 0.45 for c in walls)
    if interior:
        kit.add("floor", "cube", floor, (0, 2, -0.05), (12, 16, 0.1))
    elif not parts & set_kit.OWN_GROUND:
        kit.add("ground", "cube", floor, (0, 20, -0.05), (160, 80, 0.1))
    for part in sorted(parts & set(set_kit.BUILDERS)):
        set_kit.BUILDERS[part](kit)
    back_y, wall_h = (4.5, 6.0) if interior else (14.0, 6.0)
    if "corridor" in parts:  # the passage is its own walls
        pass
    elif "walls" in parts or (interior and "walls" not in parts and "floor" not in parts):
        door = "doorway" in parts
        if door:  # a back wall with an opening, frame right of centre
            kit.add("wall_back_l", "cube", walls, (-2.9, back_y, wall_h / 2), (6.2, 0.3, wall_h))
            kit.add("wall_back_r", "cube", walls, (3.6, back_y, wall_h / 2), (4.8, 0.3, wall_h))
            kit.add(
                "wall_back_top",
                "cube",
                walls,
                (0.7, back_y, 3.0 + (wall_h - 3.0) / 2),
                (1.6, 0.3, wall_h - 3.0),
            )
        else:
            kit.add("wall_back", "cube", walls, (0, back_y, wall_h / 2), (12, 0.3, wall_h))
        if interior:
            for side in (-1, 1):
                kit.add(
                    f"wall_{'lr'[side > 0]}",
                    "cube",
                    walls,
                    (side * 6, back_y - 5, wall_h / 2),
                    (0.3, 10, wall_h),
                )
    elif "doorway" in parts:  # a freestanding door frame
        for side in (-1, 1):
            kit.add(f"door_post_{side}", "cube", walls, (0.7 + side * 0.85, back_y, 1.55), (0.2, 0.3, 3.1))
        kit.add("door_lintel", "cube", walls, (0.7, back_y, 3.1), (1.9, 0.3, 0.25))
    if "doorway" in parts:
        kit.add("doorway_dark", "cube", (0.05, 0.05, 0.06), (0.7, back_y + 0.2, 1.5), (1.6, 0.1, 3.0))
    if "window" in parts:
        kit.add("window", "cube", (0.85, 0.9, 1.0), (-3.0, back_y - 0.17, 2.3), (1.4, 0.05, 1.6), glow=True)
        kit.add("window_bar_v", "cube", dark, (-3.0, back_y - 0.2, 2.3), (0.08, 0.05, 1.6))
        kit.add("window_bar_h", "cube", dark, (-3.0, back_y - 0.2, 2.3), (1.4, 0.05, 0.08))
    if "throne" in parts:
        gold, red = (0.72, 0.56, 0.2), (0.5, 0.1, 0.1)
        ty = back_y - 1.3
        kit.add("throne_dais", "cube", dark, (0, ty, 0.1), (2.6, 1.8, 0.2))
        kit.add("throne_seat", "cube", red, (0, ty, 0.45), (0.9, 0.7, 0.5))
        kit.add("throne_back", "cube", gold, (0, ty + 0.35, 1.25), (1.0, 0.15, 2.1))
        for side in (-1, 1):
            kit.add(f"throne_arm_{side}", "cube", gold, (side * 0.5, ty, 0.85), (0.12, 0.7, 0.12))
    if "table" in parts:
        wood = (0.45, 0.3, 0.18)
        tx, tyy = 3.0, 2.4
        kit.add("table_top", "cube", wood, (tx, tyy, 0.76), (1.8, 0.9, 0.06))
        for dx in (-0.8, 0.8):
            for dy in (-0.35, 0.35):
                kit.add("table_leg", "cube", wood, (tx + dx, tyy + dy, 0.37), (0.07, 0.07, 0.74))
    if "stairs" in parts:
        stone = tuple(c * 0.8 for c in walls)
        for i in range(8):  # solid steps rising toward the back wall, frame left
            h = 0.2 * (i + 1)
            kit.add(f"stair_{i}", "cube", stone, (-4.2, back_y - 0.15 - (8 - i) * 0.3, h / 2), (1.6, 0.3, h))


# -- the mannequin ------------------------------------------------------------------------------


def _joints(pose: str) -> dict[str, tuple[float, float, float]]:
    """Joint positions of a 1.75 m mannequin facing -Y (toward a camera at -Y)."""
    j: dict[str, tuple[float, float, float]] = {
        "head": (0, 0, 1.62),
        "neck": (0, 0, 1.47),
        "chest": (0, 0, 1.24),
        "pelvis": (0, 0, 0.95),
        "shoulder_l": (-0.21, 0, 1.42),
        "shoulder_r": (0.21, 0, 1.42),
        "elbow_l": (-0.25, 0.02, 1.13),
        "elbow_r": (0.25, 0.02, 1.13),
        "hand_l": (-0.27, -0.02, 0.86),
        "hand_r": (0.27, -0.02, 0.86),
        "hip_l": (-0.1, 0, 0.92),
        "hip_r": (0.1, 0, 0.92),
        "knee_l": (-0.11, -0.01, 0.5),
        "knee_r": (0.11, -0.01, 0.5),
        "foot_l": (-0.12, 0, 0.07),
        "foot_r": (0.12, 0, 0.07),
    }
    if pose == "walking":
        j.update(
            knee_l=(-0.11, -0.22, 0.52), foot_l=(-0.12, -0.38, 0.07),
            knee_r=(0.11, 0.1, 0.5), foot_r=(0.12, 0.3, 0.14),
            elbow_l=(-0.24, 0.15, 1.15), hand_l=(-0.25, 0.25, 0.9),
            elbow_r=(0.24, -0.15, 1.15), hand_r=(0.25, -0.28, 0.92),
        )  # fmt: skip
    elif pose == "running":  # a long stride, arms pumping, leaning into it
        j.update(
            knee_l=(-0.11, -0.4, 0.64), foot_l=(-0.12, -0.52, 0.22),
            knee_r=(0.11, 0.18, 0.45), foot_r=(0.12, 0.52, 0.32),
            elbow_l=(-0.26, 0.2, 1.18), hand_l=(-0.24, 0.3, 0.98),
            elbow_r=(0.26, -0.12, 1.16), hand_r=(0.24, -0.34, 1.3),
        )  # fmt: skip
        for name in (
            "head",
            "neck",
            "chest",
            "shoulder_l",
            "shoulder_r",
            "elbow_l",
            "elbow_r",
            "hand_l",
            "hand_r",
        ):
            x, y, z = j[name]
            j[name] = (x, y - 0.12 * (z - 0.95) / 0.67, z - 0.03)
    elif pose == "pointing":
        j.update(elbow_r=(0.38, -0.22, 1.42), hand_r=(0.55, -0.45, 1.45))
    elif pose == "raising":  # the right arm straight up, whatever it holds held high
        j.update(elbow_r=(0.25, -0.02, 1.72), hand_r=(0.26, -0.04, 1.98))
    elif pose in ("sitting", "kneeling"):
        drop = 0.44 if pose == "sitting" else 0.45
        for name in ("head", "neck", "chest", "pelvis", "shoulder_l", "shoulder_r", "elbow_l", "elbow_r",
                     "hand_l", "hand_r", "hip_l", "hip_r"):  # fmt: skip
            x, y, z = j[name]
            j[name] = (x, y, z - drop)
        if pose == "sitting":  # thighs forward, shins down, hands on the knees
            j.update(
                knee_l=(-0.12, -0.45, 0.5), knee_r=(0.12, -0.45, 0.5),
                foot_l=(-0.13, -0.5, 0.07), foot_r=(0.13, -0.5, 0.07),
                elbow_l=(-0.25, -0.12, 0.7), elbow_r=(0.25, -0.12, 0.7),
                hand_l=(-0.16, -0.38, 0.55), hand_r=(0.16, -0.38, 0.55),
            )  # fmt: skip
        else:  # on one knee: left foot planted forward, right knee down
            j.update(
                knee_l=(-0.12, -0.45, 0.5), foot_l=(-0.13, -0.48, 0.07),
                knee_r=(0.12, 0.0, 0.07), foot_r=(0.13, 0.42, 0.07),
                elbow_l=(-0.22, -0.25, 0.78), hand_l=(-0.14, -0.42, 0.56),
            )  # fmt: skip
    return j


# Lying on the back: the standing figure turned so its head points along +X and its face up.
_LYING = Matrix(((0, 0, 1), (-1, 0, 0), (0, -1, 0)))
_LYING_LIFT = 0.14  # the torso's depth: the back rests on the floor


def _build_figure(
    kit: _Kit,
    fig: dict[str, Any],
    location: Vector,
    facing_deg: float,
    shade: float = 1.0,
    hidden: bool = False,
) -> None:
    """A mannequin at its mark, turned to its facing, posed; ``shade`` darkens it (the OTS
    foreground shoulder), ``hidden`` keeps it out of the render (the POV viewer) but in the .blend."""
    name = str(fig["name"])
    skin = tuple(fig.get("body", (0.85, 0.68, 0.55)))
    cloth = tuple(fig.get("costume", (0.35, 0.38, 0.45)))
    legs = tuple(c * 0.7 for c in cloth)
    pose = str(fig.get("pose", "standing"))
    s = float(fig.get("height_m", _H)) / _H
    root = kit.empty(f"{name}", location, facing_deg)
    root.scale = (s, s, s)
    root["slate_figure"] = name
    body = root
    if pose == "lying":
        body = kit.empty(f"{name}.body", Vector((0, 0, _LYING_LIFT)), 0.0, parent=root)
        body.rotation_euler = _LYING.to_euler()
    j = {k: Vector(v) for k, v in _joints("standing" if pose == "lying" else pose).items()}

    def part(label: str, kind: str, colour: RGB, loc: Vector, scale: tuple[float, float, float]) -> None:
        obj = kit.add(f"{name}.{label}", kind, colour, loc, scale, parent=body, shade=shade)
        obj["slate_figure"] = name

    def limb(label: str, a: Vector, b: Vector, r: float, colour: RGB) -> None:
        d = b - a
        rot = d.to_track_quat("Z", "Y")
        obj = kit.add(
            f"{name}.{label}", "cylinder", colour, a, (r, r, d.length), rotation=rot, parent=body, shade=shade
        )
        obj["slate_figure"] = name
        part(f"{label}_joint", "sphere", colour, b, (r, r, r))

    part("head", "sphere", skin, j["head"], (0.1, 0.11, 0.12))
    part(
        "nose", "sphere", skin, j["head"] + Vector((0, -0.1, -0.01)), (0.025, 0.04, 0.03)
    )  # shows the facing
    for side in (-1, 1):  # eyes: dark dots, so an ECU has something to frame
        part(f"eye_{side}", "sphere", (0.08, 0.07, 0.07), j["head"] + Vector((side * 0.038, -0.092, 0.02)),
             (0.016, 0.012, 0.012))  # fmt: skip
    limb("neck", j["neck"] - Vector((0, 0, 0.04)), j["neck"] + Vector((0, 0, 0.06)), 0.05, skin)
    part("torso", "sphere", cloth, j["chest"], (0.2, 0.13, 0.27))
    part("pelvis", "sphere", legs, j["pelvis"], (0.17, 0.12, 0.12))
    for side in ("l", "r"):
        part(f"shoulder_{side}", "sphere", cloth, j[f"shoulder_{side}"], (0.065, 0.065, 0.065))
        limb(f"upper_arm_{side}", j[f"shoulder_{side}"], j[f"elbow_{side}"], 0.05, cloth)
        limb(f"forearm_{side}", j[f"elbow_{side}"], j[f"hand_{side}"], 0.042, cloth)
        part(f"hand_{side}", "sphere", skin, j[f"hand_{side}"], (0.045, 0.045, 0.055))
        limb(f"thigh_{side}", j[f"hip_{side}"], j[f"knee_{side}"], 0.07, legs)
        limb(f"shin_{side}", j[f"knee_{side}"], j[f"foot_{side}"], 0.055, legs)
        part(f"foot_{side}", "cube", (0.15, 0.12, 0.1), j[f"foot_{side}"] + Vector((0, -0.06, -0.04)),
             (0.09, 0.24, 0.07))  # fmt: skip
    if pose == "sitting":  # something to sit on
        part("seat", "cube", (0.35, 0.25, 0.16), Vector((0, -0.1, 0.24)), (0.5, 0.5, 0.48))
    prop = fig.get("prop")
    if prop:
        _build_prop(kit, name, str(prop).lower(), j["hand_r"], body, shade)
    if hidden:
        for obj in root.children_recursive:
            obj.hide_render = True


def _build_prop(
    kit: _Kit, name: str, prop: str, hand: Vector, root: bpy.types.Object, shade: float = 1.0
) -> None:
    def add(
        label: str, kind: str, colour: RGB, loc: Vector, scale: tuple[float, float, float], glow: bool = False
    ) -> None:
        obj = kit.add(f"{name}.{prop}.{label}", kind, colour, loc, scale, parent=root, glow=glow, shade=shade)
        obj["slate_figure"] = name
        obj["slate_prop"] = prop

    if prop == "sword":  # held point up, in front of the body
        steel, hilt = (0.82, 0.84, 0.88), (0.35, 0.25, 0.1)
        add("grip", "cube", hilt, hand, (0.035, 0.035, 0.16))
        add("guard", "cube", (0.7, 0.6, 0.25), hand + Vector((0, 0, 0.09)), (0.22, 0.04, 0.035))
        add("blade", "cube", steel, hand + Vector((0, 0, 0.5)), (0.055, 0.015, 0.8))
    elif prop == "staff":
        add("shaft", "cube", (0.4, 0.28, 0.15), hand + Vector((0, 0, 0.2)), (0.04, 0.04, 1.8))
    elif prop == "lantern":
        add("lamp", "sphere", (1.0, 0.85, 0.45), hand + Vector((0, 0, -0.14)), (0.08, 0.08, 0.1), glow=True)
    elif prop == "shield":
        add("shield", "cylinder", (0.5, 0.5, 0.55), hand + Vector((0, -0.08, 0)), (0.3, 0.3, 0.04))
        kit.scene.objects[f"{name}.{prop}.shield"].rotation_euler = (math.radians(90), 0, 0)
    else:  # a book, or any named prop: a small box in the hand
        add("box", "cube", (0.55, 0.2, 0.15), hand + Vector((0, -0.04, 0.05)), (0.16, 0.05, 0.22))


# -- camera, light, render ------------------------------------------------------------------------


def _place_camera(scene: bpy.types.Scene, data: dict[str, Any], layout: dict[str, Any]) -> None:
    cam_data = bpy.data.cameras.new("Camera")
    cam_data.lens = float(layout["lens_mm"])
    cam_data.sensor_fit = "HORIZONTAL"
    cam_data.sensor_width = float(layout["sensor_width_mm"])
    cam_data.clip_start = 0.05
    cam_data.clip_end = 500.0
    cam = bpy.data.objects.new("Camera", cam_data)
    scene.collection.objects.link(cam)
    scene.camera = cam
    loc = Vector(layout["camera_location"])
    target = Vector(layout["camera_target"])
    roll = float(layout.get("camera_roll_deg", 0.0))
    cam.location = loc
    cam.rotation_euler = _aim(loc, target, roll)
    cam["slate_target"] = list(target)
    cam["slate_roll_deg"] = roll
    cam["slate_shot_size"] = data["camera"]["shot_size"]
    cam["slate_angle"] = data["camera"]["angle"]


def _aim(loc: Vector, target: Vector, roll_deg: float, previous: Euler | None = None) -> Euler:
    """The camera's rotation looking from ``loc`` at ``target``, rolled; kept continuous with
    ``previous`` so a keyed turn doesn't spin the long way round."""
    quat = (target - loc).to_track_quat("-Z", "Y")
    quat = quat @ Quaternion((0, 0, 1), -math.radians(roll_deg))  # positive dutch turns the horizon clockwise
    return quat.to_euler("XYZ", previous) if previous is not None else quat.to_euler("XYZ")


def _animate(scene: bpy.types.Scene, names: list[str], path: dict[str, Any]) -> None:
    """Key the camera move (and, tracking, the framed figures walking with it); frame 1 stays
    the still. A static camera gets no animation at all."""
    scene.render.fps = int(path.get("fps", 24))
    scene.frame_start = 1
    scene.frame_end = int(path.get("frames", 1)) if path else 1
    cam = scene.camera
    cam["slate_move"] = str(path.get("move", "static"))
    if not path:
        return
    start_loc, start_rot = cam.location.copy(), cam.rotation_euler.copy()
    target = cam["slate_target"]
    roll = float(cam["slate_roll_deg"])
    roots = {o["slate_figure"]: o for o in scene.objects if "slate_figure" in o and o.parent is None}
    walkers = [roots[names[i]] for i in path.get("framed", []) if names[i] in roots]
    homes = {o.name: o.location.copy() for o in walkers}
    previous = start_rot
    for key in path["keys"]:
        frame = int(key["frame"])
        loc = start_loc + Vector(key["location"])
        cam.location = loc
        previous = _aim(loc, Vector(target) + Vector(key["target"]), roll, previous)
        cam.rotation_euler = previous
        cam.data.lens = float(key["lens_mm"])
        cam.keyframe_insert("location", frame=frame)
        cam.keyframe_insert("rotation_euler", frame=frame)
        if any(k["lens_mm"] != path["keys"][0]["lens_mm"] for k in path["keys"]):
            cam.data.keyframe_insert("lens", frame=frame)
        if any(key["figures"]) or any(any(k["figures"]) for k in path["keys"]):
            for obj in walkers:
                obj.location = homes[obj.name] + Vector(key["figures"])
                obj.keyframe_insert("location", frame=frame)
    scene.frame_set(1)


def _light(scene: bpy.types.Scene, sun: dict[str, Any], kit: _Kit) -> None:
    elevation = math.radians(float(sun["elevation_deg"]))
    azimuth = math.radians(float(sun["azimuth_deg"]))
    # direction the light travels toward: from the upper front-left, down into the scene
    toward = Vector(
        (math.sin(azimuth), math.cos(azimuth) * 0.6, -max(math.sin(elevation), 0.15))
    ).normalized()
    light = bpy.data.lights.new("Sun", "SUN")
    light.color = tuple(sun["colour"])
    light.energy = 4.0 if float(sun["elevation_deg"]) > 0 else 0.4
    obj = bpy.data.objects.new("Sun", light)
    obj.rotation_euler = toward.to_track_quat("-Z", "Y").to_euler()
    scene.collection.objects.link(obj)
    world = bpy.data.worlds.new("Sky")
    sky = tuple(sun["world"])
    if kit.fog > 0:  # fog hides the sky too, as dim as the fogged ground under the studio light
        haze = min(1.0, kit.fog * 1.3)
        fog_rgb = tuple(f * FOG_SKY * max(2.0 ** float(sun["exposure"]), 0.25) for f in kit.fog_colour)
        sky = tuple(c + (f - c) * haze for c, f in zip(sky, fog_rgb, strict=True))
    world.color = sky
    scene.world = world
    # Workbench's shadow comes from display.light_direction: the direction *to* the light
    scene.display.light_direction = tuple(-toward)
    scene.display.shadow_shift = 0.1
    scene.display.shadow_focus = 0.0


def _render_settings(scene: bpy.types.Scene, width: int, height: int, light: dict[str, Any]) -> None:
    scene.render.engine = "BLENDER_WORKBENCH"
    scene.render.resolution_x = width
    scene.render.resolution_y = height
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.film_transparent = False
    scene.display.render_aa = "FXAA" if width * height <= 400_000 else "5"
    shading = scene.display.shading
    shading.light = "STUDIO"
    shading.color_type = "MATERIAL"
    shading.show_shadows = True
    shading.shadow_intensity = float(light.get("shadow_intensity", 0.55))
    if light.get("flat"):  # a silhouette: flat colour, no modelling
        shading.light = "FLAT"
    if light.get("backlight"):  # the studio light turned to come from behind the figures
        shading.use_world_space_lighting = True
        shading.studiolight_rotate_z = math.pi
    shading.show_cavity = False
    outline = light.get("outline", (0.05, 0.05, 0.05))
    shading.show_object_outline = outline is not None
    shading.object_outline_color = tuple(outline or (0.05, 0.05, 0.05))
    shading.show_specular_highlight = False
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.view_settings.exposure = 0.0  # the time of day's exposure is graded into the materials
