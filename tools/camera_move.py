"""A camera move as keyframes: where the camera, what it looks at and its lens go from the key frame.

The still Slate posts is the move's first frame (the shot as the spec frames it); the move runs from
there over :data:`FRAMES` frames at :data:`FPS`. Each move is a small function of the start (camera
location, target, lens) giving its keys as *offsets* from that start, so the seed's small camera
drift (tools/blender_engine.py) moves the whole path with it. Pure geometry, no ``bpy``: the Blender
side (tools/blender/scene.py) only inserts the keys it is given.

Sizes scale with the frame: an ECU's dolly moves centimetres, a wide shot's metres.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tools.blocking import Blocking

Vec = tuple[float, float, float]
FRAMES = 48  # two seconds
FPS = 24
MIN_HEIGHT = 0.2  # the camera never goes through the floor
PAN_DEG = -30.0  # to frame right (Blender turns counter-clockwise for positive yaw)
TILT_DEG = 15.0  # up
ZOOM = 1.8  # the end focal length over the start's
HANDHELD_EVERY = 6  # frames between a handheld's keys
HANDHELD_SEED = 16
SHOULDER_CLEAR = 0.4  # metres an OTS camera stays behind the foreground shoulder it looks over
SHOULDER_SHARE = 0.35  # of the way to that shoulder an OTS camera travels, so it stays in the frame


@dataclass(frozen=True)
class Start:
    """The key frame's camera, and what a move needs to scale itself."""

    location: Vec
    target: Vec
    lens_mm: float
    frame_width: float  # metres the frame spans at the subject, left to right


@dataclass(frozen=True)
class Key:
    frame: int
    location: Vec = (0.0, 0.0, 0.0)  # offsets from the start
    target: Vec = (0.0, 0.0, 0.0)
    lens_mm: float | None = None  # None: the start's
    figures: Vec = (0.0, 0.0, 0.0)  # how far the framed figures have walked (tracking)


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def _forward(start: Start) -> Vec:
    return _sub(start.target, start.location)


def _rotate(v: Vec, axis: Vec, degrees: float) -> Vec:
    """``v`` turned about a unit ``axis`` (Rodrigues)."""
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    kx, ky, kz = axis
    dot = kx * v[0] + ky * v[1] + kz * v[2]
    cross = (ky * v[2] - kz * v[1], kz * v[0] - kx * v[2], kx * v[1] - ky * v[0])
    return tuple(v[i] * c + cross[i] * s + axis[i] * dot * (1 - c) for i in range(3))  # type: ignore[return-value]


def _travel(fraction: float) -> Callable[[Start], list[Key]]:
    """Along the line of sight: toward the subject (dolly/push in) or away (out)."""

    def keys(start: Start) -> list[Key]:
        return [Key(1), Key(FRAMES, location=_scale(_forward(start), fraction))]

    return keys


def _pan(start: Start) -> list[Key]:
    fwd = _forward(start)
    return [Key(1), Key(FRAMES, target=_sub(_rotate(fwd, (0, 0, 1), PAN_DEG), fwd))]


def _tilt(start: Start) -> list[Key]:
    fwd = _forward(start)
    right = (fwd[1], -fwd[0], 0.0)  # fwd × Z, level
    norm = math.hypot(*right)
    axis = (right[0] / norm, right[1] / norm, 0.0) if norm > 1e-6 else (1.0, 0.0, 0.0)
    return [Key(1), Key(FRAMES, target=_sub(_rotate(fwd, axis, TILT_DEG), fwd))]


def _crane(start: Start) -> list[Key]:
    """Up, still on the subject: the camera pitches down as it rises."""
    distance = math.dist(start.location, start.target)
    return [Key(1), Key(FRAMES, location=(0.0, 0.0, max(0.6, 0.6 * distance)))]


def _zoom(start: Start) -> list[Key]:
    return [Key(1), Key(FRAMES, lens_mm=min(1200.0, start.lens_mm * ZOOM))]


def _tracking(start: Start) -> list[Key]:
    """Sideways with the subject, who walks frame right at the camera's pace."""
    shift = (0.8 * start.frame_width, 0.0, 0.0)
    return [Key(1), Key(FRAMES, location=shift, target=shift, figures=shift)]


def _steadicam(start: Start) -> list[Key]:
    """A glide in that arcs round the subject."""
    fwd = _forward(start)
    back = _rotate(_scale(fwd, -0.8), (0, 0, 1), 20.0)
    end = (start.target[0] + back[0], start.target[1] + back[1], start.target[2] + back[2])
    return [Key(1), Key(FRAMES, location=_sub(end, start.location))]


def _handheld(start: Start) -> list[Key]:
    """Small, steady-seeded wobble of position and aim, a key every few frames."""
    rng = random.Random(HANDHELD_SEED)
    amp = 0.02 * start.frame_width

    def wobble(k: float) -> Vec:
        return (rng.uniform(-k, k), rng.uniform(-k * 0.4, k * 0.4), rng.uniform(-k, k))

    keys = [Key(1)]
    for frame in range(1 + HANDHELD_EVERY, FRAMES + 1, HANDHELD_EVERY):
        keys.append(Key(frame, location=wobble(amp), target=wobble(amp * 1.5)))
    return keys


MOVES: dict[str, Callable[[Start], list[Key]]] = {
    "dolly in": _travel(0.35),
    "push in": _travel(0.25),
    "dolly out": _travel(-0.5),
    "pull out": _travel(-0.6),
    "pan": _pan,
    "tilt": _tilt,
    "crane": _crane,
    "zoom": _zoom,
    "tracking": _tracking,
    "steadicam": _steadicam,
    "handheld": _handheld,
}


def _behind_shoulder(key: Key, start: Start, shoulder: Vec) -> Key:
    """An OTS dolly in covers at most :data:`SHOULDER_SHARE` of the way to the foreground figure
    and stops :data:`SHOULDER_CLEAR` short of them (it passed through, or beside, and lost the
    shoulder); the lens makes up the rest, so the subject ends framed as the full
    dolly would frame them while the shoulder stays in the foreground."""
    fwd = _forward(start)
    d = math.hypot(*fwd)
    unit = _scale(fwd, 1 / d)
    travel = sum(key.location[i] * unit[i] for i in range(3))
    level = (shoulder[0], shoulder[1], start.location[2])  # the figure's ground mark, at the lens's height
    along = sum((level[i] - start.location[i]) * unit[i] for i in range(3))
    room = max(0.0, min(along - SHOULDER_CLEAR, SHOULDER_SHARE * along))
    if travel <= room:
        return key
    kept = _scale(key.location, room / travel)
    lens = (key.lens_mm or start.lens_mm) * (d - room) / (d - travel)
    return Key(key.frame, location=kept, target=key.target, lens_mm=min(1200.0, lens), figures=key.figures)


def camera_path(blocking: Blocking) -> dict[str, object]:
    """The move's keys for tools/blender/scene.py ({} for a static camera): frames, fps, the
    framed figures (who walks on a tracking shot) and each key as offsets from the start."""
    make = MOVES.get(blocking.camera.move)
    if make is None:
        return {}
    location = blocking.camera_location()
    start = Start(
        location=location,
        target=blocking.camera_target(),
        lens_mm=blocking.camera.lens_mm,
        frame_width=blocking.frame_height() * blocking.width / blocking.height,
    )
    keys = []
    made = make(start)
    if blocking.camera.angle == "ots" and blocking.viewer_index() is not None:
        made = [
            _behind_shoulder(k, start, blocking.figure_locations()[blocking.viewer_index()]) for k in made
        ]
    for key in made:
        dz = max(key.location[2], MIN_HEIGHT - location[2])  # no lower than the floor allows
        keys.append(
            {
                "frame": key.frame,
                "location": [round(key.location[0], 4), round(key.location[1], 4), round(dz, 4)],
                "target": [round(c, 4) for c in key.target],
                "lens_mm": round(key.lens_mm or start.lens_mm, 3),
                "figures": [round(c, 4) for c in key.figures],
            }
        )
    return {
        "move": blocking.camera.move,
        "frames": FRAMES,
        "fps": FPS,
        "framed": blocking.framed(),
        "keys": keys,
    }
