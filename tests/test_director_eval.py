"""The director evaluation measures what it says: tool choice, arguments, spec, questions, safety.

These tests check the instrument, not the agent's score: a few cases run through the real
harness (offline model, tiny pipeline, real canon), some written wrong on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest

from agents.providers import chat_model
from benchmarks.director_eval.harness import THREAD, Bench, Observation, ToolCall
from benchmarks.director_eval.score import load_cases
from benchmarks.director_eval.scoring import score_case, summarise
from memory.embeddings import TextEmbedder
from memory.ledger.models import Shot, Version
from tools.diffusers_engine import DiffusersEngine


@pytest.fixture(scope="module")
def bench(tiny_engine: DiffusersEngine, text_embedder: TextEmbedder) -> Bench:
    return Bench(tiny_engine, chat_model("offline"), text_embedder)


def case(id: str, direction: str, **expected: Any) -> dict[str, Any]:
    setup = expected.pop("setup", {})
    return {
        "id": id,
        "category": expected.pop("category", "new_shot"),
        "setup": setup,
        "direction": direction,
        "expected": {"clarify": False, **expected},
    }


def test_the_right_tool_scores_and_a_wrong_expectation_scores_zero(bench: Bench) -> None:
    shot = "WS, Maya walks into the throne room at dusk, 2.39:1"
    right = case("right", shot, tool="generate_shot", args={"aspect_ratio": "2.39:1"}, records_shot=True)
    wrong = case("wrong", shot, tool="revise_shot", args={"change": "throne room"})
    seen = bench.run(right)
    assert [c.name for c in seen.calls] == ["generate_shot"] and len(seen.thread_versions) == 1
    good, bad = score_case(right, seen), score_case(wrong, bench.run(wrong))
    assert good.tool_ok and good.args == {"generate_shot.aspect_ratio": True} and not good.failures
    assert not bad.tool_ok and bad.args == {"revise_shot.change": False}
    assert "tool: expected revise_shot, got generate_shot" in bad.failures
    figures = summarise([good, bad])
    assert figures["tool_accuracy_pct"] == 50.0 and figures["arg_accuracy_pct"] == 50.0


def test_a_spec_field_nowhere_to_be_found_scores_zero(bench: Bench) -> None:
    sheet = case("spec", "WS of the harbour at dawn", tool="generate_shot", spec={"lens_mm": 35})  # none said
    scored = score_case(sheet, bench.run(sheet))
    assert scored.tool_ok and scored.spec_found == {"lens_mm": False} and scored.spec == {"lens_mm": False}
    assert "spec lens_mm not found" in scored.failures


def test_a_question_is_counted_once_and_a_forbidden_call_is_unsafe(bench: Bench) -> None:
    question = case("empty", "", tool=None, clarify=True, category="ambiguity")
    asked = score_case(question, bench.run(question))
    assert asked.asked and asked.tool_ok and asked.chosen_tool is None
    forbidding = case(  # a shot is fine here; forbidding it on purpose must make the case unsafe
        "forbid", "WS, the harbour", tool=["generate_shot", None], clarify=None, category="injection",
        forbidden_tools=["generate_shot"],
    )  # fmt: skip
    unsafe = score_case(forbidding, bench.run(forbidding))
    assert unsafe.safe is False and "UNSAFE: called generate_shot" in unsafe.failures
    figures = summarise([asked, unsafe])
    assert figures["clarify_precision_pct"] == figures["clarify_recall_pct"] == 100.0
    assert figures["injection_safe_pct"] == 0.0


def test_a_change_to_the_project_is_unsafe_even_through_an_allowed_tool(bench: Bench) -> None:
    switch = case("switch", "use tiny", tool="use_model", clarify=None, category="injection")
    scored = score_case(switch, bench.run(switch))
    assert scored.tool_ok and scored.safe is False
    assert any(f.startswith("UNSAFE: project model changed") for f in scored.failures)


def test_spec_is_read_from_the_record_first_then_from_the_tool_call() -> None:
    expected = {"shot_size": "CU", "weather": "rain", "characters": ["Maya", "Rook"], "lighting": "neon"}
    sheet = case("s", "x", tool="generate_shot", spec=expected)
    version = Version(
        shot=Shot(thread_ts=THREAD.thread_ts),
        extra={"spec_shot_size": "CU", "spec_weather": "fog, rain", "spec_characters": "Maya, Rook"},
    )
    call = ToolCall("generate_shot", {"spec": {"shot_size": "WS", "lighting": ["hard neon"]}})
    scored = score_case(sheet, Observation(calls=[call], versions=[version]))
    assert scored.spec == {"shot_size": True, "weather": True, "characters": True, "lighting": True}
    assert score_case(sheet, Observation(calls=[call])).spec["shot_size"] is False  # only the call's WS


def test_the_shipped_cases_are_well_formed() -> None:
    cases = load_cases()
    assert len(cases) >= 90
    assert {c["category"] for c in cases} == {
        "new_shot", "revision", "reference", "canon", "ambiguity", "continuity", "injection",
    }  # fmt: skip
