"""Continuity around each generation: canon in before, drift check after.

Before: the continuity pack for the direction adds the characters' descriptions, costumes and
the look to the prompt, the look's negative words, reference stills (each character in its own
region) and LoRAs where the model can take them, and lints the direction against established
facts. After: each new frame is checked against the characters' references and scored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from agents.direction import Direction
from memory.canon import Canon
from memory.continuity_check import ContinuityIssue, check_direction
from memory.drift import FaceCheck, ImageSimilarity
from memory.ledger import Version
from memory.ledger.scores import last_approved_with, record_drift
from memory.pack import ContinuityPack, build_pack
from tools.engine import Engine, LoraRef, Reference

log = logging.getLogger(__name__)

OVERRIDE = re.compile(
    r"\b(?:override|ignore continuity|anyway|i know|on purpose|intentional(?:ly)?)\b", re.IGNORECASE
)


class ContinuityQuestion(Exception):
    """The direction contradicts the canon: ask the director before generating anything."""

    def __init__(self, issues: list[ContinuityIssue]) -> None:
        self.issues = issues
        lines = "\n".join(f"• {issue.message}" for issue in issues)
        super().__init__(
            f"Continuity check:\n{lines}\nIntended? Say it again with “override” to go ahead, or change it."
        )


@dataclass(frozen=True)
class Prepared:
    """What the canon adds to one generation."""

    pack: ContinuityPack
    prompt_additions: tuple[str, ...] = ()
    negative: str = ""
    references: tuple[Reference, ...] = ()
    loras: tuple[LoraRef, ...] = ()
    issues: tuple[ContinuityIssue, ...] = field(default=())

    def prompt(self, base: str) -> str:
        """``base`` plus the canon it doesn't already carry (a revision's parent often does)."""
        missing = [part for part in self.prompt_additions if part not in base]
        return "; ".join([base, *missing])


class Continuity:
    def __init__(self, canon: Canon, drift: FaceCheck | None = None) -> None:
        self.canon, self.drift = canon, drift

    def prepare(
        self, direction: Direction, project_id: int, history: list[str], engine: Engine, model: str | None
    ) -> Prepared:
        pack = build_pack(self.canon, project_id, direction.text, history)
        issues = tuple(check_direction(direction.text, pack))
        references = self._references(pack) if engine.supports("references", model) else ()
        loras = (
            tuple(LoraRef(c.name, Path(c.lora[0]), c.lora[1]) for c in pack.characters if c.lora)
            if engine.supports("lora", model)
            else ()
        )
        return Prepared(
            pack=pack,
            prompt_additions=pack.prompt_fragments,
            negative=", ".join(pack.negative),
            references=references,
            loras=loras,
            issues=issues,
        )

    def blocking_issues(
        self, direction: Direction, project_id: int, prepared: Prepared
    ) -> list[ContinuityIssue]:
        """Issues the director hasn't overridden; an override is recorded, never silent."""
        if not prepared.issues:
            return []
        if OVERRIDE.search(direction.text):
            for issue in prepared.issues:
                self.canon.record_override(project_id, direction.text, issue.message, direction.user_id)
            return []
        return list(prepared.issues)

    def after(
        self, project_id: int, versions: list[Version], images: list[Image.Image], pack: ContinuityPack
    ) -> list[str]:
        """Index the new versions, and score drift for characters with reference stills."""
        flags: list[str] = []
        references = {c.name: self._stills(c.reference_sha256) for c in pack.characters if c.reference_sha256}
        checking = self.drift is not None and bool(references)
        previous = self._last_approved(project_id, list(references)) if checking else {}
        similarity = self._image_similarity() if checking else None
        for version, image in zip(versions, images, strict=True):
            try:
                self.canon.index_version(project_id, version)
            except Exception:  # the index can be rebuilt from the ledger; the shot stands
                log.exception("could not index version %s", version.id)
            if self.drift is None or not references or version.is_previz:
                continue
            report = self.drift.check(image, references, previous, similarity)
            record_drift(self.canon.ledger, version.id, report)
            flags += [f"v{version.number}: {flag}" for flag in report.flags]
        return flags

    def _last_approved(self, project_id: int, names: list[str]) -> dict[str, Image.Image]:
        """Each character's face in their last approved shot, to catch drift from what was signed off."""
        frames = {}
        for name in names:
            version = last_approved_with(self.canon.ledger, project_id, name)
            if version is not None:
                frames[name] = self.canon.images.image(version.image_sha256)
        return frames

    def _image_similarity(self) -> ImageSimilarity | None:
        """Whole-frame similarity in CLIP space, when an image model is configured."""
        embedder = self.canon.vectors.image
        return embedder.similarity if embedder is not None else None

    def _references(self, pack: ContinuityPack) -> tuple[Reference, ...]:
        return tuple(
            Reference(image=still, label=c.name, region=c.region)
            for c in pack.characters
            for still in self._stills(c.reference_sha256[:1])
        )

    def _stills(self, digests: tuple[str, ...]) -> list[Image.Image]:
        return [self.canon.images.image(d, suffix=".ref") for d in digests]
