"""The film-language reader the shot spec starts from (agents/reading/shot.py)."""

from __future__ import annotations

import pytest

from agents.reading.shot import read_shot

# --- reading directions -----------------------------------------------------------------------

READINGS = [
    (
        "wide shot, Maya walks into the throne room at dusk, same armour as shot 4",
        dict(shot_size="WS", characters=("Maya",), time_of_day="dusk", setting="throne room", int_ext="INT"),
    ),
    (
        "ECU on Maya's eyes, night, rain",
        dict(shot_size="ECU", characters=("Maya",), time_of_day="night", weather=("rain",)),
    ),
    (
        "low angle MS, Rook draws his sword, golden hour exterior",
        dict(
            shot_size="MS",
            angles=("low angle",),
            characters=("Rook",),
            time_of_day="golden hour",
            int_ext="EXT",
        ),
    ),
    (
        "OTS from Rook onto Maya, INT. tavern, candlelight",
        dict(
            shot_size="MS",
            angles=("OTS",),
            characters=("Rook", "Maya"),
            viewer="Rook",
            int_ext="INT",
            setting="tavern",
            lighting=("candlelight",),
        ),
    ),
    (
        "Dutch angle CU of Rook, storm outside, lightning",
        dict(shot_size="CU", angles=("dutch",), characters=("Rook",), weather=("storm",), int_ext="EXT"),
    ),
    (
        "Establishing shot of the Red Keep at dawn, fog over the bay",
        dict(shot_size="EWS", characters=(), time_of_day="dawn", weather=("fog",), setting="Red Keep"),
    ),
    (
        "INT. THRONE ROOM - NIGHT. MAYA enters, backlit by torches.",
        dict(
            characters=("Maya",),
            time_of_day="night",
            int_ext="INT",
            setting="throne room",
            lighting=("backlit", "firelight"),
        ),
    ),
    (
        "cowboy shot, Jin and Ara face off in the street, high noon",
        dict(shot_size="MWS", characters=("Jin", "Ara"), time_of_day="day", setting="street", int_ext="EXT"),
    ),
    (
        "Slowly, Maya turns to Rook. Medium close-up, she looks at Rook.",
        dict(shot_size="MCU", characters=("Maya", "Rook")),
    ),
    ("Maya's POV: the door creaks open", dict(angles=("POV",), viewer="Maya", characters=("Maya",))),
    (
        "over Rook's shoulder onto Maya, medium shot",
        dict(shot_size="MS", angles=("OTS",), viewer="Rook", characters=("Rook", "Maya")),
    ),
    ("extreme wide, empty desert at sunset", dict(shot_size="EWS", characters=(), time_of_day="golden hour")),
    (
        "medium close up, rainy night, neon",
        dict(shot_size="MCU", characters=(), time_of_day="night", weather=("rain",), lighting=("neon",)),
    ),
    ("XCU on the ring", dict(shot_size="ECU", characters=(), setting="", subject="ring")),
    (
        "Maya's POV: the door creaks open, night interior",
        dict(subject="door", int_ext="INT", time_of_day="night"),
    ),
    ("ews of the harbour, overcast", dict(shot_size="EWS", setting="harbour", weather=("overcast",))),
    ("Ms Patel sits at the desk, CU", dict(shot_size="CU", characters=("Patel",))),
    (
        "medium wide, Captain Rook and Maya in Paris",
        dict(shot_size="MWS", characters=("Captain Rook", "Maya"), setting="Paris"),
    ),
    (
        "The Queen watches from the balcony, high angle, moonlight",
        dict(angles=("high angle",), characters=("Queen",), lighting=("moonlight",)),
    ),
    ("Maya waits", dict(shot_size="MS", angles=(), time_of_day="", int_ext="", setting="")),
]


@pytest.mark.parametrize("text,expected", READINGS, ids=[t[:32] for t, _ in READINGS])
def test_read_shot(text: str, expected: dict) -> None:
    reading = read_shot(text)
    assert {key: getattr(reading, key) for key in expected} == expected


def test_cast_list_overrides_the_capitalisation_guess() -> None:
    assert read_shot("mcu maya and rook, soft light", cast=["Maya", "Rook", "Jin"]).characters == (
        "Maya",
        "Rook",
    )
    assert read_shot("Wide on Maya and Bob", cast=["Maya"]).characters == ("Maya",)


def test_reading_is_frozen_and_angle_defaults_to_eye_level() -> None:
    reading = read_shot("Maya waits")
    assert reading.angle == "eye level" and reading.shot_name == "medium shot"
    with pytest.raises(AttributeError):
        reading.shot_size = "CU"  # type: ignore[misc]
