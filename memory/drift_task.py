"""The drift check as a worker task: face identity runs beside generation, never in the bot.

``RemoteDrift`` has ``DriftChecker.check``'s signature, so continuity calls it the same way.
Whole-frame similarity (a CLIP-class model) is computed on the worker from its own settings
when the bot asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from functools import cache
from typing import Any

from PIL import Image

from memory.drift import CharacterDrift, DriftChecker, DriftReport, ImageSimilarity
from tools.engine import ProgressCallback
from tools.worker.calls import RemoteCaller, remote_task
from tools.worker.settings import worker_settings
from tools.worker.wire import decode_image, encode_image

DRIFT_TASK = "slate.drift"


class RemoteDrift:
    def __init__(self, caller: RemoteCaller) -> None:
        self.caller = caller

    def check(
        self,
        image: Image.Image,
        references: Mapping[str, Sequence[Image.Image]],
        previous: Mapping[str, Image.Image] | None = None,
        image_similarity: ImageSimilarity | None = None,
    ) -> DriftReport:
        payload = {
            "image": encode_image(image),
            "references": {name: [encode_image(i) for i in images] for name, images in references.items()},
            "previous": {name: encode_image(i) for name, i in (previous or {}).items()},
            "similarity": image_similarity is not None,
        }
        return report_from_json(self.caller.call(DRIFT_TASK, payload))


def report_to_json(report: DriftReport) -> dict[str, Any]:
    return asdict(report)


def report_from_json(data: dict[str, Any]) -> DriftReport:
    characters = [
        CharacterDrift(**{**c, "box": tuple(c["box"]) if c.get("box") else None}) for c in data["characters"]
    ]
    return DriftReport(
        characters=characters, flags=list(data["flags"]), faces_in_frame=data["faces_in_frame"]
    )


@cache
def _checker() -> DriftChecker:
    return DriftChecker()


@cache
def _similarity() -> ImageSimilarity | None:
    model = worker_settings().image_embedding_model
    if model is None:
        return None
    from memory.embeddings import ImageEmbedder

    return ImageEmbedder(model).similarity


@remote_task(DRIFT_TASK)
def drift(payload: dict[str, Any], report: ProgressCallback) -> dict[str, Any]:
    image = decode_image(payload["image"])
    references = {name: [decode_image(i) for i in images] for name, images in payload["references"].items()}
    previous = {name: decode_image(i) for name, i in payload["previous"].items()}
    similarity = _similarity() if payload.get("similarity") else None
    return report_to_json(_checker().check(image, references, previous, similarity))  # type: ignore[arg-type]
