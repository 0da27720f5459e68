"""A scene in the ledger, as a production would have it by hand-off: for the export tests.

Scene 12: shot 1 a Blender previz (with its .blend), shot 2 drawn by a model and revised
(img2img from v1), shot 3 drawn, shot 4 still in review. Scene 13: shot 5, approved. Frames
are real pictures from the 2D previz renderer; durations and dialogue as the script-to-board
feature records them (``extra["duration_s"]``, ``extra["dialogue"]``), except shot 3's, which
takes the default.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from sqlalchemy import select

from memory.ledger import ImageStore, Ledger, NewVersion, ThreadRef
from memory.ledger.models import Project, Shot
from memory.ledger.review import Review
from tools.engine import GenerationRequest
from tools.previz import PrevizEngine

TEAM, CHANNEL = "T0LOCAL", "C0SHOTS"
APPROVER, DIRECTOR = "U0APRIL", "U0DIRECTOR"
BLEND = b"BLENDER-v500" + bytes(range(256))
SPECS = {
    1: {"spec_shot_size": "WS", "spec_angle": "high", "spec_lens_mm": "24", "spec_camera_move": "crane"},
    2: {
        "spec_shot_size": "MCU",
        "spec_angle": "eye level",
        "spec_lens_mm": "50",
        "spec_camera_move": "push in",
    },
    3: {"spec_shot_size": "CU", "spec_angle": "low", "spec_lens_mm": "85", "spec_camera_move": "static"},
    4: {"spec_shot_size": "OTS", "spec_lens_mm": "35"},
    5: {"spec_shot_size": "EWS", "spec_camera_move": "pan"},
}
DIRECTIONS = {
    1: "WS, the harbour at dawn, Maya on the pier",
    2: "MCU, Maya turns to Rook",
    3: "CU, Rook's hand on the rope",
    4: "OTS on Maya, Rook answers",
    5: "EWS, the ship leaves the harbour",
}


@dataclass(frozen=True)
class SeededScene:
    project_id: int
    version_ids: dict[tuple[int, int], int]  # (shot, version) -> version id


def seed_scene(ledger: Ledger, images: ImageStore) -> SeededScene:
    ids: dict[tuple[int, int], int] = {}
    previz = PrevizEngine()

    def add(
        shot: int, *, parent: int | None = None, mode: str = "txt2img", seed: int = 7, **extra: object
    ) -> int:
        direction = DIRECTIONS[shot] if parent is None else "make her cloak red"
        (result,) = previz.generate(
            GenerationRequest(prompt=DIRECTIONS[shot], width=320, height=180, seed=seed)
        )
        buffer = io.BytesIO()
        result.image.save(buffer, format="PNG")
        blender = shot == 1
        record = replace(
            result.record,
            model="previz" if blender else "sdxl-film",
            engine="blender" if blender else "diffusers",
            steps=0 if blender else 30,
            guidance=0.0 if blender else 6.5,
            mode=mode,
            strength=0.55 if mode == "img2img" else None,
            extra={**SPECS[shot], **extra},
        )
        (version,) = ledger.record_versions(
            [
                NewVersion(
                    thread=ThreadRef(TEAM, CHANNEL, f"1700000{shot:03d}.000100"),
                    record=record,
                    image_sha256=images.put(buffer.getvalue()),
                    direction=direction,
                    title=DIRECTIONS[shot],
                    is_previz=blender,
                    parent_id=parent,
                    created_by=DIRECTOR,
                    scene_sha256=images.put(BLEND, ".blend") if blender else None,
                )
            ]
        )
        ids[(shot, version.number)] = version.id
        return version.id

    add(1, duration_s=4.5, dialogue=["MAYA: There she is."])
    first = add(2, duration_s=2.0)
    add(2, parent=first, mode="img2img", seed=8, duration_s=2.5, dialogue=["MAYA: Rook.", "ROOK: Not now."])
    add(3)
    add(4, duration_s=3.0)
    add(5, duration_s=6.0)
    with ledger.transaction() as session:
        project = session.scalar(select(Project).where(Project.channel_id == CHANNEL))
        assert project is not None
        project.name = "The Harbour"
        for shot in session.scalars(select(Shot)):
            shot.scene = "13" if shot.number == 5 else "12"
        project_id = project.id
    review = Review(ledger, {APPROVER: "approver", DIRECTOR: "director"})
    for key in ((1, 1), (2, 2), (3, 1), (5, 1)):
        review.set_status(ids[key], APPROVER, "approved", note="good to go")
    return SeededScene(project_id, ids)
