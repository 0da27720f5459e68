"""Bad generation parameters: each is read as written and refused with its range, never dropped.

The offline model is checked on the tool calls it emits (a real LangChain chat model bound to
the real tools); the refusals go end to end through the director on the previz engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from agents import Direction, Director, ShotDesk
from agents.canon_tools import CANON_TOOLS
from agents.offline_model import FilmGrammarModel
from agents.providers import chat_model
from agents.shot_tools import SHOT_TOOLS
from memory.ledger import ImageStore, Ledger, ThreadRef
from tools.previz import PrevizEngine

THREAD = ThreadRef("T1", "C1", "1700000000.000100")
HAS_SHOT = SystemMessage("Thread state: shot 1, current version v1.\nAttached images: 0")
PRESETS = "2.39:1, 1.85:1, 16:9, 9:16, 1:1, 4:3"


def decide(text: str, *state: SystemMessage) -> AIMessage:
    reply = FilmGrammarModel().bind_tools([*SHOT_TOOLS, *CANON_TOOLS]).invoke([*state, HumanMessage(text)])
    assert isinstance(reply, AIMessage)
    return reply


def only_call(reply: AIMessage) -> tuple[str, dict]:
    (call,) = reply.tool_calls
    return call["name"], call["args"]


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("WS, the harbour at dawn, seed -5", "seed", -5),
        ("WS, the harbour at dawn, seed 99999999999", "seed", 99999999999),
        ("WS, the harbour at dawn, steps 100000", "steps", 100000),
        ("WS, the harbour at dawn, 0 steps", "steps", 0),
        ("WS, the harbour at dawn, cfg -3", "guidance", -3.0),
        ("WS, the harbour at dawn, guidance 45.5.", "guidance", 45.5),
        ("WS, the harbour at dawn, 999 variations", "count", 999),
        ("WS, the harbour at dawn, 0 variations", "count", 0),
        ("WS, the harbour at dawn, -2 variations", "count", -2),
    ],
)
def test_a_new_shot_passes_every_number_as_written(text: str, name: str, value: float) -> None:
    tool, args = only_call(decide(text))
    assert tool == "generate_shot" and args[name] == value


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("upscale 64x", ("upscale_shot", {"factor": 64.0})),
        ("upscale it ×3", ("upscale_shot", {"factor": 3.0})),
        ("upres by 8", ("upscale_shot", {"factor": 8.0})),
        ("upscale", ("upscale_shot", {"factor": 2.0})),
        ("999 variations", ("vary_shot", {"how": "subtle", "count": 999})),
        ("0 variations", ("vary_shot", {"how": "subtle", "count": 0})),
    ],
)
def test_revision_tools_get_the_numbers_as_written(text: str, call: tuple[str, dict]) -> None:
    assert only_call(decide(text, HAS_SHOT)) == call


@pytest.mark.parametrize(
    "text", ["WS, the harbour, aspect 1000:1", "WS, the harbour, 21:9", "MS, Rook, ar 3x2"]
)
def test_an_aspect_no_preset_frames_is_answered_with_the_presets_and_no_call(text: str) -> None:
    reply = decide(text)
    assert reply.tool_calls == [] and PRESETS in reply.text and "isn't an aspect ratio" in reply.text


def test_extending_to_an_unknown_aspect_is_answered_too() -> None:
    reply = decide("extend to 1000:1", HAS_SHOT)
    assert reply.tool_calls == [] and "1000:1" in reply.text and PRESETS in reply.text


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("WS, the harbour at 5:30, 16:9", "16:9"),
        ("WS, the harbour, 6:45 pm", None),
        ("MCU, Maya in 3/4 profile", None),
        ("EWS, the castle, aspect 2.40:1", "2.39:1"),
        ("EWS, the castle, 32:18", "16:9"),
    ],
)
def test_times_and_fractions_are_not_aspects_and_equal_ratios_are_presets(
    text: str, aspect: str | None
) -> None:
    tool, args = only_call(decide(text))
    assert tool == "generate_shot" and args.get("aspect_ratio") == aspect


def test_a_revision_says_it_keeps_the_seed_rather_than_dropping_it() -> None:
    reply = decide("make her cloak red, seed 5", HAS_SHOT)
    assert reply.tool_calls == [] and "keeps this shot's seed" in reply.text and "new shot" in reply.text


@pytest.fixture
def director(tmp_path: Path) -> tuple[Director, Ledger]:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    desk = ShotDesk(PrevizEngine(), ledger, ImageStore(tmp_path / "images"), base_side=64)
    return Director(desk, chat_model("offline")), ledger


def ask(director: Director, text: str, ts: str = THREAD.thread_ts):  # type: ignore[no-untyped-def]
    return director.handle(Direction(text=text, user_id="U1", thread=ThreadRef("T1", "C1", ts)))


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("WS, the harbour, seed -5", "Could not generate the shot: seed -5 is out of range (0–4294967295)."),
        (
            "WS, the harbour, steps 100000",
            "Could not generate the shot: steps 100000 is out of range (1–200).",
        ),
        ("WS, the harbour, cfg -3", "Could not generate the shot: guidance -3.0 is out of range (0–30)."),
        (
            "WS, the harbour, aspect 1000:1",
            f"1000:1 isn't an aspect ratio I can frame: use one of {PRESETS}.",
        ),
    ],
)
def test_an_out_of_range_parameter_is_refused_with_its_range_and_nothing_is_recorded(
    director: tuple[Director, Ledger], text: str, refusal: str
) -> None:
    agent, ledger = director
    reply = ask(agent, text)
    assert reply.outcomes == () and reply.text == refusal
    assert ledger.latest_version(THREAD.channel_id, THREAD.thread_ts) is None


def test_an_upscale_factor_out_of_range_is_refused_and_the_shot_stays(
    director: tuple[Director, Ledger],
) -> None:
    agent, ledger = director
    assert ask(agent, "WS, the harbour at dawn").outcomes
    reply = ask(agent, "upscale 64x")
    assert reply.outcomes == () and "Upscale factor 64" in reply.text and "at most 4" in reply.text
    latest = ledger.latest_version(THREAD.channel_id, THREAD.thread_ts)
    assert latest is not None and latest.number == 1


def test_a_batch_too_big_is_refused_not_cut_to_eight(director: tuple[Director, Ledger]) -> None:
    agent, ledger = director
    reply = ask(agent, "WS, the harbour at dawn, 999 variations")
    assert reply.outcomes == () and "A batch is 1 to 8 images, not 999" in reply.text
    assert ledger.latest_version(THREAD.channel_id, THREAD.thread_ts) is None
