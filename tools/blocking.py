"""A 3D blocking scene described in film grammar, ready for Blender to build (tools/blender/scene.py).

It knows nothing of the agent, Slack or Blender: a frozen, JSON-serialisable description of one shot
(camera, figures, set, time of day, weather, frame size) plus the pure geometry that turns it into
numbers — where each figure stands, where the camera sits and what it looks at, the sun and the sky.
The Blender side only builds what :meth:`Blocking.to_dict` says, so framing can be checked here
without ``bpy``, and a saved ``.blend`` can be checked against the same numbers.

World axes are Blender's: Z up, the camera looks along +Y at figures standing around the origin,
+X is frame right. Lengths are metres.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Literal

from tools.blocking_light import FOG_COLOUR, LIGHTS, SKY, WEATHER, light_plan
from tools.camera_move import camera_path

RGB = tuple[float, float, float]  # 0..1, sRGB
ShotSize = Literal["ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS"]
Angle = Literal["eye", "low", "high", "overhead", "ots", "pov"]
Position = Literal["left", "centre", "right", "foreground", "background"]
Facing = Literal["camera", "left", "right", "away"]
Pose = Literal["standing", "walking", "running", "sitting", "kneeling", "lying", "pointing", "raising"]
TimeOfDay = Literal["dawn", "day", "golden hour", "dusk", "night"]
Move = Literal[
    "static", "dolly in", "dolly out", "push in", "pull out", "pan", "tilt", "crane", "handheld", "steadicam",
    "tracking", "zoom",
]  # fmt: skip
Part = Literal[
    "floor", "walls", "doorway", "throne", "table", "window", "stairs",
    "street", "harbour", "forest", "rooftop", "bridge", "well", "tavern", "corridor", "beach",
]  # fmt: skip

SHOT_SIZES: tuple[ShotSize, ...] = ("ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS")  # tight → wide
ANGLES: tuple[Angle, ...] = ("eye", "low", "high", "overhead", "ots", "pov")
POSITIONS: tuple[Position, ...] = ("left", "centre", "right", "foreground", "background")
POSES: tuple[Pose, ...] = (
    "standing",
    "walking",
    "running",
    "sitting",
    "kneeling",
    "lying",
    "pointing",
    "raising",
)
PARTS: tuple[Part, ...] = (
    "floor", "walls", "doorway", "throne", "table", "window", "stairs",
    "street", "harbour", "forest", "rooftop", "bridge", "well", "tavern", "corridor", "beach",
)  # fmt: skip
PROPS = ("sword", "staff", "lantern", "book", "shield")
MOVES: tuple[Move, ...] = (
    "static", "dolly in", "dolly out", "push in", "pull out", "pan", "tilt", "crane", "handheld", "steadicam",
    "tracking", "zoom",
)  # fmt: skip

FIGURE_HEIGHT = 1.75  # the mannequin's standing height; its proportions scale with it
# What each shot size shows of a standing figure: (frame height in metres at the subject, the height
# on the figure, as a fraction of its standing height, that sits in the middle of the frame).
FRAMING: dict[str, tuple[float, float]] = {
    "ECU": (0.14, 0.925),  # the eyes
    "CU": (0.42, 0.88),  # head and shoulders
    "MCU": (0.66, 0.80),  # chest up
    "MS": (1.05, 0.70),  # waist up
    "MWS": (1.55, 0.58),  # knees up
    "WS": (2.7, 0.52),  # the whole figure with room around it
    "EWS": (10.0, 0.9),  # the place, figures small in it
}
# Camera pitch (degrees, up positive) before the camera is kept above the floor.
PITCH: dict[str, float] = {"eye": 0.0, "low": 28.0, "high": -32.0, "overhead": -89.0, "ots": 0.0, "pov": 0.0}
# How far apart neighbours stand (metres between marks), by shot size: a two-shot MS is shoulder to
# shoulder, a WS has room. And the air either side of a framed group, at the figures' plane.
SPACING: dict[str, float] = {"ECU": 0.3, "CU": 0.32, "MCU": 0.4, "MS": 0.5, "MWS": 0.8, "WS": 1.1, "EWS": 1.1}
GROUP_MARGIN: dict[str, float] = {"ECU": 0.3, "CU": 0.5, "MCU": 0.65, "MS": 0.85, "MWS": 0.9, "WS": 1.6,
                                  "EWS": 1.6}  # fmt: skip
GROUP_HEADROOM = 0.05  # of the frame, above the size's own top, when a group widens it
# Over the shoulder: metres from the foreground shoulder to the face, where the shoulder sits (as a
# fraction of the half frame, left of centre), the face (right of centre), the camera's height (of
# the viewer's height) and how dark the foreground figure is drawn (it would be out of focus).
OTS_GAP = 1.2
OTS_SHOULDER = 0.85
OTS_SUBJECT_OFFSET = 0.25
OTS_CAMERA_HEIGHT = 0.88
OTS_SHADE = 0.4
EYE_HEIGHT = 0.925
# Close, a low or high angle is a gentle one: at 28° an ECU's camera sat under the chin and the
# frame was jaw. Overhead stays overhead, whatever the size.
CLOSE_PITCH_LIMIT: dict[str, float] = {"ECU": 10.0, "CU": 15.0, "MCU": 20.0}
SENSOR_WIDTH_MM = 36.0  # Blender's default sensor, fitted horizontally
MIN_CAMERA_HEIGHT = 0.25
_X_OF = {"left": -1.0, "centre": 0.0, "right": 1.0, "foreground": -0.35, "background": 0.5}
_Y_OF = {"left": 0.0, "centre": 0.0, "right": 0.0, "foreground": -1.6, "background": 3.0}
FACING_DEGREES: dict[str, float] = {"camera": 0.0, "left": -90.0, "right": 90.0, "away": 180.0}


@dataclass(frozen=True)
class Camera:
    shot_size: ShotSize = "MS"
    lens_mm: float = 35.0
    angle: Angle = "eye"
    dutch_deg: float = 0.0  # roll; positive tilts the horizon clockwise
    subject: str | None = None  # the figure framed; None frames the group (an ECU: the first figure)
    viewer: str | None = None  # OTS: whose shoulder is in the foreground; POV: whose eyes we look through
    move: Move = "static"  # from the key frame (the still) to the move's end: tools/camera_move.py


@dataclass(frozen=True)
class Figure:
    name: str
    body: RGB = (0.85, 0.68, 0.55)  # skin / head and hands
    costume: RGB = (0.35, 0.38, 0.45)
    position: Position = "centre"
    facing: Facing = "camera"
    pose: Pose = "standing"
    prop: str | None = None  # "sword", "staff", "lantern", "book", "shield"; other words get a small box
    look_at: str | None = None  # the figure this one faces, whatever ``facing`` says
    height_m: float = FIGURE_HEIGHT


@dataclass(frozen=True)
class SetDressing:
    interior: bool = True
    parts: tuple[Part, ...] = ("floor", "walls")
    floor: RGB = (0.42, 0.38, 0.34)
    walls: RGB = (0.62, 0.58, 0.52)
    place: str = ""  # the setting in words ("throne room"), for captions; Blender ignores it


@dataclass(frozen=True)
class Blocking:
    """One shot to block: what Blender builds, renders and saves."""

    camera: Camera = field(default_factory=Camera)
    figures: tuple[Figure, ...] = ()
    set: SetDressing = field(default_factory=SetDressing)
    time_of_day: TimeOfDay = "day"
    fog: float = 0.0  # 0 clear … 1 thick
    lighting: tuple[str, ...] = ()  # of tools.blocking_light.LIGHTS: "torchlight", "backlit", …
    weather: tuple[str, ...] = ()  # drawn in the air: "rain", "snow", "storm"
    framed_thing: str = ""  # what is framed when no one is ("ECU on the ring"): the 2D frame boxes it
    width: int = 1024
    height: int = 576

    def __post_init__(self) -> None:
        cam = self.camera
        if cam.shot_size not in SHOT_SIZES:
            raise ValueError(f"shot size {cam.shot_size!r} is not one of {', '.join(SHOT_SIZES)}")
        if cam.angle not in ANGLES:
            raise ValueError(f"angle {cam.angle!r} is not one of {', '.join(ANGLES)}")
        if cam.move not in MOVES:
            raise ValueError(f"camera move {cam.move!r} is not one of {', '.join(MOVES)}")
        if not 4 <= cam.lens_mm <= 1200:
            raise ValueError(f"lens {cam.lens_mm}mm is outside 4–1200mm")
        if self.time_of_day not in SKY:
            raise ValueError(f"time of day {self.time_of_day!r} is not one of {', '.join(SKY)}")
        if not (16 <= self.width <= 8192 and 16 <= self.height <= 8192):
            raise ValueError(f"frame {self.width}×{self.height} is outside 16–8192 px")
        for fig in self.figures:
            if fig.position not in POSITIONS or fig.pose not in POSES or fig.facing not in FACING_DEGREES:
                raise ValueError(f"figure {fig.name!r}: position/pose/facing not in the vocabulary")
        for part in self.set.parts:
            if part not in PARTS:
                raise ValueError(f"set part {part!r} is not one of {', '.join(PARTS)}")
        for word in self.lighting:
            if word not in LIGHTS:
                raise ValueError(f"lighting {word!r} is not one of {', '.join(LIGHTS)}")
        for word in self.weather:
            if word not in WEATHER:
                raise ValueError(f"weather {word!r} is not one of {', '.join(WEATHER)}")

    # -- who is framed ------------------------------------------------------------------------

    def viewer_index(self) -> int | None:
        """OTS: the figure whose shoulder is in the foreground; POV: the one whose eyes the camera is.
        The named viewer, else the last figure that isn't the subject; None when there is no other."""
        if self.camera.angle not in ("ots", "pov") or not self.figures:
            return None
        names = [f.name.lower() for f in self.figures]
        wanted = (self.camera.viewer or "").lower()
        subject = (self.camera.subject or "").lower()
        if wanted in names and wanted != subject:
            return names.index(wanted)
        if len(self.figures) < 2:
            return None
        return [i for i, n in enumerate(names) if n != subject][-1]

    def subject_index(self) -> int | None:
        """The figure the shot is on: the named subject, else the first that isn't the viewer."""
        if not self.figures:
            return None
        names = [f.name.lower() for f in self.figures]
        wanted = (self.camera.subject or "").lower()
        if wanted in names:
            return names.index(wanted)
        viewer = self.viewer_index()
        return next(i for i in range(len(self.figures)) if i != viewer)

    def framed(self) -> list[int]:
        """The figures the camera fits: the named subject, else the whole group (a two-shot frames
        both); an ECU holds one face, and OTS/POV frame the one looked at."""
        i = self.subject_index()
        if i is None:
            return []
        cam = self.camera
        if cam.subject and cam.subject.lower() == self.figures[i].name.lower():
            return [i]
        if cam.shot_size == "ECU" or cam.angle in ("ots", "pov"):
            return [i]
        return list(range(len(self.figures)))

    # -- layout ---------------------------------------------------------------------------------

    def _marks(self) -> list[tuple[float, float, float]]:
        """Each figure's mark by its position word; neighbours stand closer the tighter the shot
        (a two-shot MS is shoulder to shoulder, a WS has room). Two on one mark stand apart."""
        spots: list[tuple[float, float, float]] = []
        spacing = SPACING[self.camera.shot_size]
        taken: dict[tuple[float, float], int] = {}
        for fig in self.figures:
            x, y = _X_OF[fig.position] * spacing, _Y_OF[fig.position]
            n = taken.get((x, y), 0)
            taken[(x, y)] = n + 1
            if n:  # a second figure at the same mark steps aside, alternating sides
                x += spacing * 0.8 * ((n + 1) // 2) * (1 if n % 2 else -1)
            spots.append((round(x, 4), round(y, 4), 0.0))
        return spots

    def figure_locations(self) -> list[tuple[float, float, float]]:
        """Where each figure stands (x, y, 0): its mark, or for the OTS/POV viewer, where the
        camera needs them (in front of it, or under it)."""
        spots = self._marks()
        viewer = self.viewer_index()
        if viewer is not None:
            spots[viewer] = self._viewer_spot()
        return spots

    def _viewer_spot(self) -> tuple[float, float, float]:
        tx, ty, _ = self.camera_target()
        d = self.camera_distance()
        if self.camera.angle == "pov":
            return (tx, round(ty - d, 4), 0.0)
        gap = min(OTS_GAP, 0.6 * d)  # viewer to subject; the camera sits d - gap behind the viewer
        half = (d - gap) * SENSOR_WIDTH_MM / 2 / self.camera.lens_mm  # half the frame's width there
        return (round(tx - OTS_SHOULDER * half, 4), round(ty - gap, 4), 0.0)

    def figure_facing(self) -> list[float]:
        """Each figure's turn (degrees; 0 faces the camera's side, 180 away): toward the figure it
        looks at (the OTS/POV pair look at each other), else its facing word."""
        locations = self.figure_locations()
        names = [f.name.lower() for f in self.figures]
        looks = [f.look_at.lower() if f.look_at is not None else None for f in self.figures]
        viewer, subject = self.viewer_index(), self.subject_index()
        if viewer is not None and subject is not None:  # (the stand-in viewer's name is "")
            looks[viewer] = names[subject]
            looks[subject] = looks[subject] if looks[subject] is not None else names[viewer]
        yaws = []
        for i, fig in enumerate(self.figures):
            look = looks[i]
            if look is not None and look in names and names.index(look) != i:
                (x, y, _), (ox, oy, _) = locations[i], locations[names.index(look)]
                yaws.append(round(math.degrees(math.atan2(ox - x, -(oy - y))), 2))
            else:
                yaws.append(FACING_DEGREES[fig.facing])
        return yaws

    def camera_target(self) -> tuple[float, float, float]:
        """The point the camera looks at: the framed figures' middle, at the height the shot size
        centres; a group wider than the size keeps its headroom and shows more below."""
        nominal, centre = FRAMING[self.camera.shot_size]
        framed = self.framed()
        if not framed:
            return (0.0, 0.0, 1.2 if nominal < 5 else 2.0)
        marks = self._marks()
        lo, hi = _span([marks[i] for i in framed], [self.figures[i] for i in framed])
        ys = [marks[i][1] for i in framed]
        x, y = (lo + hi) / 2, (min(ys) + max(ys)) / 2
        fig = self.figures[framed[0]]
        scale = fig.height_m / FIGURE_HEIGHT
        z = centre * fig.height_m * _pose_drop(fig.pose)
        frame_h = self.frame_height()
        if frame_h > nominal * scale and nominal < 5:
            top = z + nominal * scale / 2 + GROUP_HEADROOM * frame_h
            z = max(top - frame_h / 2, frame_h * 0.3)
        if self.camera.angle == "ots" and self.viewer_index() is not None:
            # the face over the shoulder sits right of centre, the shoulder fills frame left
            x -= OTS_SUBJECT_OFFSET * self.camera_distance() * SENSOR_WIDTH_MM / 2 / self.camera.lens_mm
        return (round(x, 4), round(y, 4), round(z, 4))

    def frame_height(self) -> float:
        """Metres of the subject's plane the frame spans vertically: the size's, widened to hold the
        group it frames, scaled by the subject's height."""
        nominal, _ = FRAMING[self.camera.shot_size]
        framed = self.framed()
        if not framed:
            return nominal
        scale = self.figures[framed[0]].height_m / FIGURE_HEIGHT
        frame_h = nominal * scale
        if len(framed) > 1:
            marks = self._marks()
            lo, hi = _span([marks[i] for i in framed], [self.figures[i] for i in framed])
            need_w = hi - lo + GROUP_MARGIN[self.camera.shot_size] * scale
            frame_h = max(frame_h, need_w * self.height / self.width)
        return frame_h

    def camera_distance(self) -> float:
        """Distance from the camera to its target so the lens spans :meth:`frame_height`."""
        sensor_h = SENSOR_WIDTH_MM * self.height / self.width
        return self.frame_height() * self.camera.lens_mm / sensor_h

    def camera_pitch(self) -> float:
        """Degrees up (positive) the camera looks at its target: the angle, gentler when close."""
        pitch = PITCH[self.camera.angle]
        limit = CLOSE_PITCH_LIMIT.get(self.camera.shot_size)
        if limit is None or self.camera.angle == "overhead":
            return pitch
        return max(-limit, min(limit, pitch))

    def camera_location(self) -> tuple[float, float, float]:
        tx, ty, tz = self.camera_target()
        d = self.camera_distance()
        viewer = self.viewer_index()
        if viewer is not None:  # OTS: behind the viewer's shoulder; POV: at the viewer's eyes
            fig = self.figures[viewer]
            vx, vy, _ = self._viewer_spot()
            if self.camera.angle == "pov":
                return (vx, vy, round(EYE_HEIGHT * fig.height_m * _pose_drop(fig.pose), 4))
            return (round(tx, 4), round(ty - d, 4), round(OTS_CAMERA_HEIGHT * fig.height_m, 4))
        pitch = math.radians(self.camera_pitch())
        # the camera sits back along -Y; looking up (low) puts it below the target
        x, y, z = tx, ty - d * math.cos(pitch), tz - d * math.sin(pitch)
        z = max(z, MIN_CAMERA_HEIGHT)
        return (round(x, 4), round(y, 4), round(z, 4))

    def light(self) -> dict[str, object]:
        """The key, its grade, the practicals and the weather (tools/blocking_light.py)."""
        half_width = self.frame_height() * self.width / self.height / 2
        return light_plan(self.time_of_day, self.lighting, self.weather, self.camera_target(), half_width)

    def sun(self) -> dict[str, object]:
        return self.light()["sun"]  # type: ignore[return-value]

    # -- wire format ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, object]:
        """The description plus the resolved layout, for tools/blender/scene.py (stdlib JSON only)."""
        out = asdict(self)
        viewer = self.viewer_index()
        ots, pov = self.camera.angle == "ots", self.camera.angle == "pov"
        light = self.light()
        out["layout"] = {
            "figure_locations": self.figure_locations(),
            "figure_facing_deg": self.figure_facing(),
            "figure_shade": [OTS_SHADE if i == viewer and ots else 1.0 for i in range(len(self.figures))],
            "figure_hidden": [i == viewer and pov for i in range(len(self.figures))],
            "camera_location": self.camera_location(),
            "camera_target": self.camera_target(),
            "camera_roll_deg": self.camera.dutch_deg,
            "lens_mm": self.camera.lens_mm,
            "sensor_width_mm": SENSOR_WIDTH_MM,
            "sun": light["sun"],
            "light": light,
            "fog_colour": FOG_COLOUR,
            "camera_path": camera_path(self),
        }
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Blocking:
        data = {k: v for k, v in data.items() if k != "layout"}
        cam = Camera(**data.pop("camera", {}))  # type: ignore[arg-type]
        figures = tuple(_figure(f) for f in data.pop("figures", ()))  # type: ignore[union-attr]
        raw_set = dict(data.pop("set", {}))  # type: ignore[arg-type]
        for key in ("parts", "floor", "walls"):
            if key in raw_set:
                raw_set[key] = tuple(raw_set[key])
        known = {f.name for f in fields(cls)}
        rest = {k: tuple(v) if k in ("lighting", "weather") else v for k, v in data.items() if k in known}
        return cls(camera=cam, figures=figures, set=SetDressing(**raw_set), **rest)  # type: ignore[arg-type]

    @classmethod
    def from_json(cls, text: str) -> Blocking:
        return cls.from_dict(json.loads(text))


def name_colour(name: str) -> RGB:
    """A stable, distinct costume colour fixed by the name alone (same as the 2D previz's hue)."""
    digest = hashlib.sha256(name.strip().lower().encode()).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    r, g, b = colorsys.hls_to_rgb(hue, 0.42 + digest[2] / 255 * 0.14, 0.55 + digest[3] / 255 * 0.3)
    return (round(r, 3), round(g, 3), round(b, 3))


def _figure(raw: dict[str, object]) -> Figure:
    raw = dict(raw)
    for key in ("body", "costume"):
        if key in raw:
            raw[key] = tuple(raw[key])  # type: ignore[arg-type]
    return Figure(**raw)  # type: ignore[arg-type]


def _pose_drop(pose: str) -> float:
    """How much lower a pose carries the head than standing (sitting and kneeling frame lower)."""
    return {"sitting": 0.74, "kneeling": 0.72, "lying": 0.16, "running": 0.96}.get(pose, 1.0)


def _span(marks: list[tuple[float, float, float]], figures: list[Figure]) -> tuple[float, float]:
    """The x range a group's marks cover; a figure lying down covers its length."""
    lo = min(m[0] - _half_width(f) for m, f in zip(marks, figures, strict=True))
    hi = max(m[0] + _half_width(f) for m, f in zip(marks, figures, strict=True))
    return lo, hi


def _half_width(fig: Figure) -> float:
    return 0.9 * fig.height_m / FIGURE_HEIGHT if fig.pose == "lying" else 0.0
