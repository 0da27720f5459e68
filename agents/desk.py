"""The shot desk: run a generation, store the image, record the version — all or nothing.

The image is written content-addressed before the ledger transaction; if the transaction
fails the file is an unreferenced blob (harmless, deduplicated), never a half-recorded
version. If generation fails, nothing is written at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agents.direction import Direction
from config.presets import frame_size
from memory.ledger import ImageStore, Ledger, NewVersion, Version
from tools.engine import Engine, GenerationError, GenerationRequest
from tools.png_record import encode_png


@dataclass(frozen=True)
class ShotOutcome:
    """A recorded version and its image, as the chat surface needs it."""

    version_id: int
    shot_number: int
    version_number: int
    png: bytes
    width: int
    height: int
    seed: int
    is_previz: bool
    prompt: str

    @property
    def label(self) -> str:
        return f"Shot {self.shot_number} · v{self.version_number}"


class ShotDesk:
    def __init__(self, engine: Engine, ledger: Ledger, images: ImageStore, base_side: int = 768) -> None:
        self.engine = engine
        self.ledger = ledger
        self.images = images
        self.base_side = base_side

    def current_version(self, direction: Direction) -> Version | None:
        return self.ledger.latest_version(direction.thread.channel_id, direction.thread.thread_ts)

    def new_shot(
        self,
        direction: Direction,
        description: str,
        aspect_ratio: str,
        seed: int | None = None,
        negative_prompt: str = "",
    ) -> ShotOutcome:
        """Generate a first version (or a fresh take) of the thread's shot."""
        try:
            width, height = frame_size(aspect_ratio, self.base_side)
        except ValueError as error:
            raise GenerationError(str(error)) from None
        request = GenerationRequest(
            prompt=description,
            negative_prompt=negative_prompt,
            width=width,
            height=height,
            seed=seed,
            title=description[:80],
        )
        parent = self.current_version(direction)
        return self._run(direction, request, parent_id=parent.id if parent else None)

    def revise(self, direction: Direction, change: str) -> ShotOutcome:
        """A new version of the thread's current one: same seed and frame, the change added."""
        parent = self.current_version(direction)
        if parent is None:
            raise GenerationError("There is no shot in this thread yet to revise: describe the shot first.")
        request = GenerationRequest(
            prompt=f"{parent.prompt}, {change.strip()}",
            negative_prompt=parent.negative_prompt,
            width=parent.width,
            height=parent.height,
            seed=parent.seed,
            steps=parent.steps or None,
            guidance=parent.guidance or None,
            model=parent.model if parent.engine != "previz" else None,
        )
        return self._run(direction, request, parent_id=parent.id)

    def _run(self, direction: Direction, request: GenerationRequest, parent_id: int | None) -> ShotOutcome:
        result = self.engine.generate(request)
        png = encode_png(result.image, result.record)
        digest = self.images.put(png)
        version = self.ledger.record_version(
            NewVersion(
                thread=direction.thread,
                record=result.record,
                image_sha256=digest,
                direction=direction.text,
                title=request.title,
                is_previz=result.is_previz,
                parent_id=parent_id,
                created_by=direction.user_id,
            )
        )
        return ShotOutcome(
            version_id=version.id,
            shot_number=version.shot.number,
            version_number=version.number,
            png=png,
            width=result.image.width,
            height=result.image.height,
            seed=result.record.seed,
            is_previz=result.is_previz,
            prompt=result.record.prompt,
        )

    def image_path(self, version: Version) -> Path:
        return self.images.path(version.image_sha256)
