"""The shot spec: how directions are read, and how relative revisions change the reading."""

from __future__ import annotations

import pytest

from agents import Direction, Director, ShotDesk
from agents.providers import chat_model
from agents.spec import ShotSpec, read_spec, revise_spec, revised_prompt
from memory.ledger import ImageStore, Ledger, ThreadRef
from tools.diffusers_engine import DiffusersEngine


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        (
            "low angle WS, 24mm, slow dolly in, Maya walks into the throne room at dusk, rain, ominous",
            {
                "shot_size": "WS",
                "angle": "low",
                "lens_mm": 24,
                "camera_move": "dolly in",
                "time_of_day": "dusk",
            },
        ),
        (
            "ECU on Maya's eyes, handheld, night",
            {"shot_size": "ECU", "camera_move": "handheld", "time_of_day": "night"},
        ),
        ("OTS on Rook, 85mm, golden hour", {"angle": "OTS", "lens_mm": 85, "time_of_day": "golden hour"}),
        ("Dutch angle MCU, Maya, tense, neon", {"shot_size": "MCU", "angle": "dutch", "mood": "tense"}),
        ("the harbour at dawn", {"shot_size": None, "angle": None, "lens_mm": None, "time_of_day": "dawn"}),
    ],
)
def test_directions_are_read_into_a_spec(direction: str, expected: dict) -> None:
    spec = read_spec(direction, ["Maya", "Rook"])
    assert {k: getattr(spec, k) for k in expected} == expected


def test_relative_revisions_change_the_spec_and_the_prompt() -> None:
    wide = read_spec("WS, Rook at the gate, dusk", ["Maya", "Rook"])
    tighter = revise_spec(wide, "tighter, from a lower angle")
    assert (tighter.shot_size, tighter.angle) == ("MWS", "low")
    assert revise_spec(tighter, "wider").shot_size == "WS"
    assert revise_spec(read_spec("ECU, Maya"), "tighter").shot_size == "ECU"  # already as tight as it gets
    swapped = revise_spec(wide, "swap Rook for Maya")
    assert swapped.characters == ["Maya"]
    assert (
        revised_prompt("WS, Rook at the gate", "swap Rook for Maya", wide, swapped) == "WS, Maya at the gate"
    )
    assert revised_prompt("WS, Rook", "tighter", wide, tighter).endswith("tighter, medium wide shot")
    rain = revise_spec(wide, "add rain")
    assert rain.weather == ["rain"] and ShotSpec.from_extra(rain.as_extra()) == rain


@pytest.mark.parametrize(
    ("change", "size", "who"),
    [
        ("CU on her reaction", "CU", ["Maya"]),
        ("push in on him", "MCU", ["Rook"]),
        ("just Rook", "MS", ["Rook"]),
        ("ECU on Maya", "ECU", ["Maya"]),
        ("tighter, make her cloak red", "MCU", ["Maya", "Rook"]),  # her cloak, not a single
        ("make Maya's cloak red, tighter", "MCU", ["Maya", "Rook"]),
        ("cu of them", "CU", ["Maya", "Rook"]),
    ],
)
def test_a_revision_closing_on_one_of_several_frames_only_them(
    change: str, size: str, who: list[str]
) -> None:
    both = read_spec("MS, Maya and Rook argue in the hall", ["Maya", "Rook"])
    revised = revise_spec(both, change, {"Maya": "she/her", "Rook": "he/him"})
    assert (revised.shot_size, revised.characters) == (size, who)
    alone = revised_prompt("MS, Maya and Rook", change, both, revised).endswith(f"only {who[0]} in frame")
    assert alone is (len(who) == 1)


def test_her_closes_on_nobody_when_both_could_be_her() -> None:
    both = read_spec("MS, Maya and Lena at the table", ["Maya", "Lena"])
    assert revise_spec(both, "CU on her reaction", {"Maya": "she/her", "Lena": ""}).characters == [
        "Maya",
        "Lena",
    ]


def test_the_spec_is_recorded_shown_and_revised_in_the_thread(
    tiny_engine: DiffusersEngine, ledger: Ledger, images: ImageStore
) -> None:
    director = Director(ShotDesk(tiny_engine, ledger, images, base_side=64), chat_model("offline"))
    thread = ThreadRef("T1", "C1", "1.0")

    def ask(text: str):  # type: ignore[no-untyped-def]
        return director.handle(Direction(text, "U1", thread))

    first = ask("WS, 35mm, Rook at the gate at dusk, 2.39:1").outcomes[0]
    assert first.spec == "WS · 35mm · Rook · gate · dusk · 2.39:1"
    assert "). Read as: MWS · 35mm · Rook" in ask("tighter").text
    second = ledger.latest_version("C1", "1.0")
    assert second is not None and second.extra["spec_shot_size"] == "MWS"
    third = ask("go back to v1 but add rain").outcomes[0]
    version = ledger.version(third.version_id)
    assert version is not None and version.parent_id == first.version_id
    assert version.extra["spec_shot_size"] == "WS" and version.extra["spec_weather"] == "rain"


def test_extending_the_frame_updates_the_aspect_in_the_spec(
    tiny_engine: DiffusersEngine, ledger: Ledger, images: ImageStore
) -> None:
    director = Director(ShotDesk(tiny_engine, ledger, images, base_side=64), chat_model("offline"))
    thread = ThreadRef("T1", "C1", "2.0")
    director.handle(Direction("WS, Rook at the gate, 16:9", "U1", thread))
    (extended,) = director.handle(Direction("extend it to 2.39:1", "U1", thread)).outcomes
    assert extended.spec.endswith("2.39:1") and "WS" in extended.spec
