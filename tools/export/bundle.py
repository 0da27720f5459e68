"""An export being written: one folder, the signed frames and their manifest made once and shared.

Every format that points at frames (the timelines, the PSDs) asks the bundle for them, so a
bundle of several formats holds one copy of each frame, named the same in every file.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import opentimelineio as otio

from memory.ledger.images import ImageStore
from tools.export.cut import Cut, Take
from tools.export.provenance import Provenance
from tools.export.timeline import FRAMES_DIR, build_timeline

SPEC_ORDER = ("shot_size", "angle", "lens_mm", "camera_move", "characters", "setting", "time_of_day")
TRUST_ANCHOR = "provenance/slate-c2pa-ca.pem"


@dataclass
class Bundle:
    cut: Cut
    out: Path
    images: ImageStore
    provenance: Provenance
    written: list[Path] = field(default_factory=list)

    def path(self, relative: str) -> Path:
        """Where a file of the bundle goes (its folder made), remembered as written."""
        target = self.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target not in self.written:
            self.written.append(target)
        return target

    def named(self, suffix: str) -> str:
        """A top-level file's name: the cut's slug and what it is (``harbour_scene-12.edl``)."""
        return f"{self.cut.slug or 'slate'}{suffix}"

    @cached_property
    def frames(self) -> dict[int, Path]:
        """Each take's frame, signed, under ``frames/``; the CSV and JSON manifests beside them."""
        frames = {}
        for take in self.cut.takes:
            target = self.path(f"{FRAMES_DIR}/{take.name}.png")
            target.write_bytes(self.provenance.signed_png(take))
            frames[take.version_id] = target
        rows = [self._row(take, frames[take.version_id]) for take in self.cut.takes]
        self._write_csv(rows)
        self._write_json(rows)
        if self.provenance.credentials.root_pem is not None:
            self.path(TRUST_ANCHOR).write_bytes(self.provenance.credentials.root_pem)
        return frames

    @cached_property
    def timeline(self) -> otio.schema.Timeline:
        self.frames  # noqa: B018  # the clips point at them
        return build_timeline(self.cut)

    def _row(self, take: Take, frame: Path) -> dict:
        approval = take.approval
        return {
            "scene": take.scene or "",
            "shot": take.shot,
            "version": take.version,
            "status": take.status,
            "approved_by": approval.by if approval and approval.status in ("approved", "final") else "",
            "approved_at": approval.at if approval and approval.status in ("approved", "final") else "",
            "file": frame.relative_to(self.out).as_posix(),
            "sha256": hashlib.sha256(frame.read_bytes()).hexdigest(),
            "image_sha256": take.image_sha256,
            "duration_s": take.duration_s,
            "title": take.title,
            "description": take.description,
            "dialogue": list(take.dialogue),
            "parent_version": take.parent.version if take.parent else None,
            "previz": take.is_previz,
            "spec": dict(take.spec),
            "generation": dict(take.record),
            "approval": asdict(approval) if approval else None,
        }

    def _write_json(self, rows: list[dict]) -> None:
        document = {
            "project": self.cut.project,
            "scope": self.cut.scope,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fps": self.cut.fps,
            "left_out": list(self.cut.left_out),
            "content_credentials": {
                "standard": "C2PA",
                "trust_anchor": TRUST_ANCHOR if self.provenance.credentials.root_pem else None,
                "do_not_train": self.provenance.do_not_train,
            },
            "shots": rows,
        }
        self.path(self.named("_manifest.json")).write_text(json.dumps(document, indent=2, ensure_ascii=False))

    def _write_csv(self, rows: list[dict]) -> None:
        spec_keys = sorted({k for r in rows for k in r["spec"]}, key=lambda k: (_order(k), k))
        columns = [
            "scene", "shot", "version", "status", "approved_by", "approved_at", "file", "sha256",
            "image_sha256", "duration_s", "prompt", "negative_prompt", "seed", "model", "engine", "steps",
            "guidance", "width", "height", "mode", "parent_version", "description", "dialogue",
            *(f"spec_{k}" for k in spec_keys),
        ]  # fmt: skip
        with self.path(self.named("_manifest.csv")).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        **row,
                        **row["generation"],
                        "dialogue": " / ".join(row["dialogue"]),
                        **{f"spec_{k}": v for k, v in row["spec"].items()},
                    }
                )


def _order(key: str) -> int:
    return SPEC_ORDER.index(key) if key in SPEC_ORDER else len(SPEC_ORDER)
