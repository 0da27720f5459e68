"""The shot spec read as a 3D blocking: camera, cast, costume colours, props, set, time, weather."""

from __future__ import annotations

from agents.blocking import COLOURS, CastMember, blocking_for, name_colour, set_for, shot_size_of
from agents.spec import ShotSpec, read_spec, revise_spec


def test_camera_follows_size_angle_lens_and_dutch() -> None:
    b = blocking_for(ShotSpec(shot_size="CU", angle="low", lens_mm=85, characters=["Maya"]))
    assert (b.camera.shot_size, b.camera.angle, b.camera.lens_mm, b.camera.dutch_deg) == ("CU", "low", 85, 0)
    assert b.camera.subject == "Maya"
    dutch = blocking_for(ShotSpec(angle="dutch", characters=["Maya"]))
    assert dutch.camera.dutch_deg == 15.0 and dutch.camera.angle == "eye"
    assert blocking_for(ShotSpec(angle="eye level")).camera.angle == "eye"


def test_sizes_said_otherwise_map_to_the_nearest() -> None:
    assert [shot_size_of(s) for s in ("OTS", "POV", "two-shot", "XCU", "cowboy", "LS", "ELS")] == [
        "MCU", "MS", "MS", "ECU", "MWS", "WS", "EWS",
    ]  # fmt: skip
    assert shot_size_of(None, 1) == "MS" and shot_size_of(None, 2) == "MWS"


def test_cast_spreads_by_order_and_keeps_name_colours() -> None:
    two = blocking_for(ShotSpec(characters=["Maya", "Rook"]))
    assert [(f.name, f.position) for f in two.figures] == [("Maya", "left"), ("Rook", "right")]
    three = blocking_for(ShotSpec(characters=["A", "B", "C"]))
    assert [f.position for f in three.figures] == ["left", "centre", "right"]
    assert two.figures[1].costume == name_colour("Rook") == name_colour("rook")
    assert name_colour("Maya") != name_colour("Rook")
    assert [f.position for f in blocking_for(ShotSpec(characters=["Maya"])).figures] == ["centre"]


def test_costume_colours_and_props_come_from_the_canon_and_the_prompt() -> None:
    canon = [CastMember("Maya", "a knight with dark hair", "navy coat, carries a sword")]
    b = blocking_for(ShotSpec(characters=["Maya"]), canon)
    assert b.figures[0].costume == COLOURS["navy"] and b.figures[0].prop == "sword"
    spec = revise_spec(read_spec("MS, Maya in the hall", ["Maya"]), "make her cloak red", ["Maya"])
    red = blocking_for(spec, canon, text="MS, Maya in the hall, make her cloak red")
    assert red.figures[0].costume == COLOURS["red"]  # the revision wins over the canon
    two = blocking_for(
        ShotSpec(characters=["Maya", "Rook"]), text="Maya in a crimson cloak, Rook holding a lantern"
    )
    assert two.figures[0].costume == COLOURS["crimson"] and two.figures[1].prop == "lantern"
    assert two.figures[1].costume == name_colour("Rook")
    # a description's colour that is not clothing (hair) is not a costume
    hair = blocking_for(ShotSpec(characters=["Rook"]), [CastMember("Rook", "red hair, tall")])
    assert hair.figures[0].costume == name_colour("Rook")


def test_canon_characters_with_costumes_by_scene() -> None:
    class Character:  # the canon's shape: description, costumes by scene, palette
        name, description, costumes, palette = "Maya", "a ranger", {"default": "green cloak"}, []

    assert blocking_for(ShotSpec(characters=["Maya"]), [Character()]).figures[0].costume == COLOURS["green"]


def test_setting_words_make_the_set() -> None:
    throne = set_for("throne room")
    assert throne.interior and {"walls", "throne", "doorway"} <= set(throne.parts)
    assert "table" in set_for("tavern").parts and "table" in set_for("kitchen").parts
    assert "stairs" in set_for("tower").parts and "window" in set_for("bedroom", "at the window").parts
    for outside in ("harbour", "street", "forest", "field", "cliff", "courtyard"):
        s = set_for(outside)
        assert not s.interior and "walls" not in s.parts, outside
    assert not set_for("", "EXT. the docks").interior and set_for("", "INT. a hut").interior
    assert set_for("forest").floor != set_for("street").floor


def test_a_ships_deck_and_falling_weather_are_outside() -> None:
    """At the ship's wheel in a storm is on deck; rain on someone with no place said is outdoors."""
    assert not set_for("ship's wheel", "MCU Idris at the ship's wheel, storm").interior
    assert set_for("ship's cabin", "MS Idris in the ship's cabin, storm outside").interior
    assert not set_for("", "CU Maya, rain, night").interior and not set_for("", "MS Maya, snowing").interior
    assert set_for("", "CU Maya in a raincoat").interior and set_for("", "CU Maya, night").interior
    raincoat = blocking_for(ShotSpec(characters=["Maya"]), text="CU Maya in a raincoat")
    assert raincoat.weather == () and raincoat.set.interior  # a raincoat is no rain, in the air or the set
    storm = blocking_for(ShotSpec(characters=["Maya"], weather=["storm"]), text="CU Maya")
    assert storm.weather == ("storm",) and not storm.set.interior  # the spec's weather, read once


def test_time_fog_and_frame_size() -> None:
    b = blocking_for(ShotSpec(time_of_day="golden hour", weather=["fog"]), width=320, height=180)
    assert (b.time_of_day, b.fog, b.width, b.height) == ("golden hour", 0.5, 320, 180)
    assert blocking_for(ShotSpec(), text="a misty moor").fog > 0
    assert blocking_for(ShotSpec()).time_of_day == "day" and blocking_for(ShotSpec()).fog == 0


def test_nobody_named_gets_a_stand_in_only_when_close() -> None:
    assert len(blocking_for(ShotSpec(shot_size="CU")).figures) == 1
    assert blocking_for(ShotSpec(shot_size="EWS", setting="harbour")).figures == ()


def test_a_real_direction_end_to_end() -> None:
    text = "WS low angle, Maya and Rook in the throne room at night, thick fog, Rook with a shield"
    b = blocking_for(read_spec(text, ["Maya", "Rook"]), width=256, height=144, text=text)
    assert b.camera.shot_size == "WS" and b.camera.angle == "low"
    assert [f.name for f in b.figures] == ["Maya", "Rook"] and b.figures[1].prop == "shield"
    assert b.time_of_day == "night" and b.fog == 0.8 and "throne" in b.set.parts
    assert b.set.place == "throne room"
