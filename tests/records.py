"""Generation records for tests that need a version in the ledger but no image made."""

from __future__ import annotations

from dataclasses import replace

from tools.engine import GenerationRecord

BASE = GenerationRecord(
    prompt="WS, harbour at dawn",
    negative_prompt="",
    seed=1,
    steps=4,
    guidance=7.0,
    width=64,
    height=64,
    model="tiny",
    engine="diffusers",
)


def generation_record(**changes: object) -> GenerationRecord:
    return replace(BASE, **changes)  # type: ignore[arg-type]
