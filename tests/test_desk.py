"""The shot desk: what it records is complete and remakes the same image; what fails leaves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from agents import Direction, ShotAsk, ShotDesk
from agents.desk import record_of
from config.models import ModelSpec
from memory.ledger import ImageStore, Ledger, ThreadRef
from memory.ledger.models import Shot, Version
from tools.diffusers_engine import DiffusersEngine
from tools.engine import GenerationCancelled, GenerationError, GenerationRequest
from tools.jobs import JobEvent
from tools.png_record import encode_png, read_parameters

DIRECTION = Direction("WS, Maya on the battlements at dawn", "U1", ThreadRef("T1", "C1", "1700000000.000100"))


def rows(ledger: Ledger, model: type) -> int:
    with ledger.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def stored_files(images: ImageStore) -> list[Path]:
    return [p for p in images.root.rglob("*") if p.is_file()] if images.root.exists() else []


def test_a_recorded_version_regenerates_bit_for_bit(
    tiny_engine: DiffusersEngine, ledger: Ledger, images: ImageStore
) -> None:
    desk = ShotDesk(tiny_engine, ledger, images, base_side=64)
    (outcome,) = desk.new_shot(
        DIRECTION, ShotAsk("WS, Maya on the battlements at dawn", "16:9", negative_prompt="crowd")
    )
    version = ledger.version(outcome.version_id)
    assert version is not None
    record = record_of(version)
    request = GenerationRequest(
        prompt=record.prompt,
        negative_prompt=record.negative_prompt,
        width=record.width,
        height=record.height,
        seed=record.seed,
        steps=record.steps,
        guidance=record.guidance,
        model=record.model,
    )
    (again,) = tiny_engine.generate(request)
    assert images.put(encode_png(again.image, again.record)) == version.image_sha256
    parameters = read_parameters(images.get(version.image_sha256))
    assert (
        parameters is not None
        and f"Seed: {record.seed}" in parameters
        and "Negative prompt: crowd" in parameters
    )


def test_a_batch_is_recorded_whole(tiny_engine: DiffusersEngine, ledger: Ledger, images: ImageStore) -> None:
    desk = ShotDesk(tiny_engine, ledger, images, base_side=64)
    outcomes = desk.new_shot(DIRECTION, ShotAsk("CU, Maya", "1:1", seed=10, count=3))
    assert [(o.version_number, o.seed) for o in outcomes] == [(1, 10), (2, 11), (3, 12)]
    assert rows(ledger, Version) == 3 and len(stored_files(images)) == 3


def test_a_failed_generation_writes_nothing(tmp_path: Path, ledger: Ledger, images: ImageStore) -> None:
    engine = DiffusersEngine({"gone": ModelSpec(path=tmp_path / "nowhere")}, "gone")
    desk = ShotDesk(engine, ledger, images, base_side=64)
    with pytest.raises(GenerationError, match="weights not found"):
        desk.new_shot(DIRECTION, ShotAsk("WS, the harbour", "16:9"))
    assert rows(ledger, Version) == 0 and rows(ledger, Shot) == 0 and stored_files(images) == []


def test_a_cancelled_generation_writes_nothing(
    tiny_engine: DiffusersEngine, ledger: Ledger, images: ImageStore
) -> None:
    desk = ShotDesk(tiny_engine, ledger, images, base_side=64)

    def cancel_at_step_two(event: JobEvent) -> None:
        if event.progress is not None and event.progress.step == 2:
            desk.queue.cancel(event.job_id)

    with pytest.raises(GenerationCancelled):
        desk.new_shot(DIRECTION, ShotAsk("WS, the harbour", "16:9"), on_event=cancel_at_step_two)
    assert rows(ledger, Version) == 0 and stored_files(images) == []
