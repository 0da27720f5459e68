"""What an export hands over: the chosen version of each shot, as plain data in cut order.

Every exporter reads these and nothing else, so none of them touches the ledger or Slack, and
a test can build a cut by hand. ``select_cut`` (tools/export/selection.py) makes one from the
ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

PREVIZ_AGENTS = {  # the renderer named as the tool that made a previz frame (no trained model drew it)
    "blender": "Blender Workbench (Slate 3D previz)",
    "previz": "Slate 2D previz",
}


class ExportError(ValueError):
    """An export that cannot be made as asked, with a message fit to show the person who asked."""


@dataclass(frozen=True)
class Approval:
    """The review act behind a take's current status: who, when, and what they said."""

    status: str
    by: str
    at: str  # ISO 8601, UTC
    note: str = ""


@dataclass(frozen=True)
class Take:
    """One version of one shot, with everything recorded about how it was made and reviewed."""

    project: str
    scene: str | None
    shot: int
    title: str
    version: int
    version_id: int
    status: str
    approval: Approval | None
    record: dict[str, Any]  # the generation record: prompt, seed, model, engine, steps, …
    spec: dict[str, str]  # the shot spec as recorded (``spec_*`` keys, prefix dropped)
    description: str
    dialogue: tuple[str, ...]
    duration_s: float
    image_sha256: str
    scene_sha256: str | None = None  # the .blend of a 3D previz
    is_previz: bool = False
    created_by: str = ""
    created_at: str = ""
    parent: Take | None = None  # the version this one was revised from

    @property
    def name(self) -> str:
        """The stable file stem: ``<scene>_<shot>_v<NNN>`` (shot zero-padded so names sort)."""
        return f"{_safe(self.scene or 'noscene')}_{self.shot:03d}_v{self.version:03d}"

    @property
    def model(self) -> str:
        return str(self.record.get("model", ""))

    @property
    def software_agent(self) -> str:
        """What made the pixels: the previz renderer, or the model."""
        engine = str(self.record.get("engine", ""))
        return PREVIZ_AGENTS.get(engine, self.model) if self.is_previz else self.model

    @property
    def spec_line(self) -> str:
        """Size · angle · lens · move, as a storyboard panel and a shot list write it."""
        angle = self.spec.get("angle", "")
        parts = [
            self.spec.get("shot_size", ""),
            f"{angle} angle" if angle in ("low", "high") else angle,
            f"{self.spec['lens_mm']}mm" if self.spec.get("lens_mm") else "",
            self.spec.get("camera_move", ""),
        ]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Cut:
    """The takes of an export in cut order (scene, then shot), and what was left out and why."""

    project: str
    scope: str  # "Scene 12", "Shots 1, 3", "All shots"
    takes: tuple[Take, ...]
    fps: float = 24.0
    left_out: tuple[str, ...] = field(default=())  # "Shot 4 (pending review)"
    do_not_train: bool = False  # the project asks that its frames not be trained on

    @property
    def slug(self) -> str:
        """A file-name form of project and scope: ``harbour_scene-12``."""
        return "_".join(s for s in (_safe(self.project).lower(), _safe(self.scope).lower()) if s)


def scene_key(scene: str | None) -> tuple[int, int, str]:
    """Scenes in script order: 2 < 10 < 10A < 11; shots with no scene last."""
    if scene is None:
        return (1, 0, "")
    match = re.match(r"\s*(\d+)(.*)", scene)
    return (0, int(match[1]), match[2].strip().upper()) if match else (0, 10**9, scene.upper())


def _safe(text: str) -> str:
    """Letters and digits, any other run as one hyphen: safe in every file system and tool."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
