"""The canon and the continuity pack on real SQLite, real Chroma and the real MiniLM model."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from PIL import Image
from skimage import data as skdata

from memory.canon import Canon, CanonError
from memory.continuity_check import check_direction
from memory.embeddings import TextEmbedder
from memory.ledger import ImageStore, Ledger, NewVersion, ThreadRef
from memory.ledger.review import Review
from memory.numbers import spoken_number
from memory.pack import build_pack
from memory.story_facts import binds, scene_number
from memory.vectors import VectorIndex
from tools.engine import GenerationRecord

P = 1  # project id; the ledger makes projects on first use, so make one explicitly below


@pytest.fixture
def canon(tmp_path: Path, text_embedder: TextEmbedder) -> Iterator[Canon]:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    ledger.project("T1", "C1")
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    vectors = VectorIndex(client, text_embedder)
    yield Canon(ledger, vectors, ImageStore(tmp_path / "images"))
    vectors.close()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def astronaut() -> bytes:
    return png(Image.fromarray(skdata.astronaut()))


def cast(canon: Canon) -> None:
    canon.add_character(
        P,
        "Maya",
        "young woman, dark braided hair, scar on her left cheek",
        aliases=["the queen"],
        pronouns="she/her",
        costumes={"default": "dented silver armour", "14": "a red travelling cloak"},
    )
    canon.add_character(P, "Rook", "broad-shouldered knight with a grey beard", pronouns="he/him")


def test_characters_are_found_by_name_alias_pronoun_and_description(canon: Canon) -> None:
    cast(canon)
    assert [c.name for c in build_pack(canon, P, "WS, Maya walks into the throne room").characters] == [
        "Maya"
    ]
    assert build_pack(canon, P, "CU on the queen's face").characters[0].how_found == "alias"
    thread = ["WS, Rook and Maya at the gate", "tighter on Maya"]
    pronoun = build_pack(canon, P, "make her cloak red", thread=thread).characters
    assert [(c.name, c.how_found) for c in pronoun] == [("Maya", "pronoun")]
    assert [c.name for c in build_pack(canon, P, "make him look tired", thread=thread).characters] == ["Rook"]
    assert [c.name for c in build_pack(canon, P, "MS, the knight kneels").characters] == ["Rook"]


def test_two_characters_get_their_own_regions_and_costume_follows_the_scene(canon: Canon) -> None:
    cast(canon)
    pack = build_pack(canon, P, "Rook on the right, Maya on the left, scene 14, they argue")
    regions = {c.name: c.region for c in pack.characters}
    assert regions == {"Rook": (0.5, 0.0, 1.0, 1.0), "Maya": (0.0, 0.0, 0.5, 1.0)}
    assert (
        pack.scene == "14"
        and {c.name: c.costume for c in pack.characters}["Maya"] == "a red travelling cloak"
    )
    assert any("wearing a red travelling cloak" in p for p in pack.prompt_fragments)


def test_look_facts_and_earlier_shots_come_with_the_pack(canon: Canon) -> None:
    cast(canon)
    canon.add_style(
        P,
        "Act 2 night exterior",
        "anamorphic 40mm, teal-orange grade, heavy grain, sodium vapour light",
        "daylight, sunshine",
    )
    canon.add_fact(P, "The sword broke in scene 14", subject="Rook", established_in="scene 14")
    canon.add_fact(P, "The harbour is always fogbound at night", established_in="scene 2")
    version = canon.ledger.record_version(
        NewVersion(
            ThreadRef("T1", "C1", "1.000001"),
            GenerationRecord(
                "EWS, the castle on the cliff at dawn", "", 77, 30, 7.0, 768, 432, "m", "diffusers"
            ),
            image_sha256="ab" * 32,
        )
    )
    canon.index_version(P, version)
    pack = build_pack(canon, P, "Rook draws his sword in the Act 2 night exterior look")
    assert pack.look is not None and pack.look.name == "Act 2 night exterior"
    assert pack.negative == ("daylight, sunshine",)
    assert [f.text for f in pack.facts][0] == "The sword broke in scene 14"
    assert build_pack(canon, P, "same framing as shot 1, but at night").seed_hint == 77
    opening = build_pack(canon, P, "like the castle on the cliff from the opening")
    assert [(s.shot, s.version) for s in opening.shots] == [(1, 1)]


def test_the_usual_look_is_the_projects_only_one(canon: Canon) -> None:
    canon.add_style(P, "Parlour", "warm tungsten, deep brown shadows, light film grain")
    assert build_pack(canon, P, "CU Wren at the piano, the usual look please").look.name == "Parlour"
    canon.add_style(P, "Harbour Blue", "cold cyan, lifted blacks")
    assert build_pack(canon, P, "CU Wren at the piano, the usual look please").look is None  # which one?


def test_contradictions_are_flagged_with_where_they_were_established(canon: Canon) -> None:
    cast(canon)
    canon.add_fact(P, "Maya's scar is on her left cheek", subject="Maya", established_in="scene 3")
    canon.add_fact(P, "The sword broke in scene 14", subject="Rook", established_in="scene 14")
    scar = check_direction(
        "CU, Maya, the scar on her right cheek", build_pack(canon, P, "CU, Maya, the scar on her right cheek")
    )
    assert [i.kind for i in scar] == ["side"] and "left cheek (established scene 3)" in scar[0].message
    sword = check_direction("Rook raises the sword", build_pack(canon, P, "Rook raises the sword"))
    assert [i.kind for i in sword] == ["state"]
    direction = "scene 14, Maya in a blue cloak at the gate"
    costume = check_direction(direction, build_pack(canon, P, direction))
    assert costume and "red" in costume[0].message and "scene 14" in costume[0].message
    assert check_direction("WS, Maya at the gate", build_pack(canon, P, "WS, Maya at the gate")) == []


def test_a_state_is_said_as_it_holds_after_and_of_what_changed(canon: Canon) -> None:
    canon.add_fact(P, "The mill burns to the ground in episode 2", established_in="episode 2")
    canon.add_fact(P, "The rope bridge over the gorge is destroyed in scene 9", established_in="scene 9")
    mill = check_direction("ep 4, WS the mill at dawn", build_pack(canon, P, "ep 4, WS the mill at dawn"))
    assert [i.message.split(" (")[0] for i in mill] == ["The mill is burnt down"]
    bridge = "sc 12, Maya crosses the bridge"
    assert any(
        i.message.startswith("The bridge is") for i in check_direction(bridge, build_pack(canon, P, bridge))
    )


def test_a_thing_that_lacks_something_is_still_there(canon: Canon) -> None:
    """ "missing the letter E" or "the storm destroyed the pier": what the verb acts on changed,
    not the typewriter or the storm."""
    canon.add_fact(P, "Maya's typewriter is missing the letter E")
    canon.add_fact(P, "The storm destroyed the pier in scene 3", established_in="scene 3")
    typing = "sc 5, MCU Maya at the typewriter in the storm"
    assert check_direction(typing, build_pack(canon, P, typing)) == []
    pier = "sc 5, WS the pier at dusk"
    assert [i.message.split(" (")[0] for i in check_direction(pier, build_pack(canon, P, pier))] == [
        "The pier is destroyed"
    ]


def test_bad_writes_are_refused_whole(canon: Canon) -> None:
    cast(canon)
    with pytest.raises(CanonError, match="already Maya"):
        canon.add_character(P, "maya", "someone else")
    with pytest.raises(CanonError, match="already Maya"):
        canon.add_character(P, "Queen", "x", aliases=["The Queen"])
    with pytest.raises(CanonError, match="Describe Lio"):
        canon.add_character(P, "Lio", "  ")
    with pytest.raises(CanonError, match="not an image"):
        canon.add_reference(P, "character", "Maya", b"GIF89a but not really")
    bomb = png(Image.new("1", (10_000, 10_000)))
    with pytest.raises(CanonError, match="limit"):
        canon.add_reference(P, "character", "Maya", bomb)
    assert canon.references(P, "character", canon.character(P, "Maya").id) == []  # type: ignore[union-attr]
    assert canon.vectors.count(P, "references") == 0


def test_references_are_idempotent_and_deleting_a_character_removes_everything(canon: Canon) -> None:
    cast(canon)
    reference = canon.add_reference(P, "character", "Maya", astronaut(), "front, neutral light")
    with pytest.raises(CanonError, match="already a reference"):
        canon.add_reference(P, "character", "Maya", astronaut())
    path = canon.images.path(reference.image_sha256, suffix=".ref")
    assert path.exists() and canon.vectors.count(P, "references") == 1
    assert [c.name for c in build_pack(canon, P, "CU Maya").characters][0] == "Maya"
    assert build_pack(canon, P, "CU Maya").characters[0].reference_sha256 == (reference.image_sha256,)
    canon.delete_character(P, "the queen")
    assert canon.character(P, "Maya") is None and not path.exists()
    assert canon.vectors.count(P, "references") == 0 and canon.vectors.count(P, "characters") == 1


def test_one_project_never_sees_another(canon: Canon) -> None:
    cast(canon)
    other = canon.ledger.project("T1", "C2").id
    assert build_pack(canon, other, "WS, Maya at the gate").characters == ()
    canon.add_character(other, "Maya", "a different Maya, in another film")
    assert canon.character(other, "Maya").description.startswith("a different")  # type: ignore[union-attr]
    assert canon.character(P, "Maya").description.startswith("young woman")  # type: ignore[union-attr]


def test_the_last_approved_shot_is_found_by_those_words(canon: Canon) -> None:
    record = GenerationRecord("MS, the gate at night", "", 5, 30, 7.0, 768, 432, "m", "diffusers")
    first = canon.ledger.record_version(NewVersion(ThreadRef("T1", "C1", "1.0"), record, "aa" * 32))
    second = canon.ledger.record_version(
        NewVersion(ThreadRef("T1", "C1", "2.0"), replace(record, seed=9), "bb" * 32)
    )
    assert build_pack(canon, P, "same framing as the last approved shot").shots == ()
    review = Review(canon.ledger, {"U1": "approver"})
    review.set_status(second.id, "U1", "approved")
    review.set_status(first.id, "U1", "changes_requested")
    pack = build_pack(canon, P, "same framing as the last approved shot, but dawn")
    assert [(s.shot, s.seed) for s in pack.shots] == [(2, 9)] and pack.seed_hint == 9


def test_a_body_the_canon_describes_holds_in_every_shot(canon: Canon) -> None:
    canon.add_character(P, "Rook", "40s, shaved head, lost his left hand at the siege, wears a hook")
    direction = "MCU, Rook holds a cup in both hands by the fire"
    (issue,) = check_direction(direction, build_pack(canon, P, direction))
    assert issue.kind == "loss" and issue.message.startswith("Rook has no left hand: the canon describes")
    fine = "MCU, Rook lifts the cup with his right hand"
    assert check_direction(fine, build_pack(canon, P, fine)) == []


def test_a_fact_typed_in_lower_case_still_binds_the_character_it_names(canon: Canon) -> None:
    cast(canon)
    canon.add_fact(P, "rook lost his left hand in the war", subject="Rook")
    direction = "MCU, Rook pours wine holding the jug in both hands"
    (issue,) = check_direction(direction, build_pack(canon, P, direction))
    assert issue.kind == "loss" and issue.message.startswith("Rook has no left hand")


@pytest.mark.parametrize(
    ("fact", "direction"),
    [
        (
            "Rook lost his left hand in the ambush in scene 4.",
            "sc 10 — CU on Idris's left hand gripping the reins",
        ),
        ("Rook lost his left hand at the siege.", "MCU Rook waving with his right hand from the cart"),
        ("Kai loses his right eye in episode 1.", "ep 3, CU Kai with the patch over his right eye"),
        ("The farmhouse burns to the ground in act 2.", "act one, WS of the farmhouse at dawn"),
        ("Tomas has a full beard from scene 12 on.", "scene 9, MCU clean-shaven Tomas at the blackboard"),
        ("Wren breaks her left arm in sc 7; it's in a cast until sc 12.", "sc 14, MS Wren climbing, no cast"),
        ("Maya wears the grey wedding dress for all of scene 14.", "sc 14, CU Maya's veil"),
    ],
)
def test_a_fact_touched_without_being_contradicted_is_no_question(
    canon: Canon, fact: str, direction: str
) -> None:
    cast(canon)
    canon.add_character(P, "Idris", "lean ship's captain")
    canon.add_character(P, "Kai", "young sailor")
    canon.add_character(P, "Tomas", "schoolteacher")
    canon.add_character(P, "Wren", "quiet girl")
    canon.add_fact(P, fact)
    assert check_direction(direction, build_pack(canon, P, direction)) == []


@pytest.mark.parametrize(
    ("fact", "direction", "found"),
    [
        (
            "Rook's left hand was cut off at the siege in act 1.",
            "act 2, MCU Rook clapping slowly",
            "Rook has no left hand",
        ),
        ("Tomas has a full beard from scene 12 on.", "scene 15, MCU clean-shaven Tomas", "Tomas has a beard"),
        (
            "In scene 6 Ansel gives his pocket watch to Mira for good.",
            "sc 9, CU Ansel checking his pocket watch",
            "Ansel gave the watch away",
        ),
        (
            "Rook's only sword snaps in half in scene 6.",
            "scene 8, MCU Rook sliding his sword into its scabbard",
            "The sword is snapped",
        ),
        (
            "Noor and Dov both drown when the ferry sinks in sc 20.",
            "sc 25, MS Noor and Dov on the dock",
            "Dov is dead by now",
        ),
        ("Ines has been blind since birth.", "CU Ines reading the handwritten note", "Ines is blind"),
        (
            "Snow covers the valley for all of act 1.",
            "act 1, EWS of the valley, green summer meadows",
            "“summer”",
        ),
        (
            "Maya wears the grey wedding dress for all of scene 14.",
            "sc 14 — MCU Maya in jeans and a leather jacket",
            "Maya wears the grey wedding dress in scene 14",
        ),
        (
            "In scene 4 Suri wears a yellow rain slicker.",
            "scene 4, MS Suri in a red slicker",
            "The slicker is yellow",
        ),
    ],
)
def test_a_contradiction_that_takes_a_step_of_reasoning_is_flagged(
    canon: Canon, fact: str, direction: str, found: str
) -> None:
    cast(canon)
    for name in ("Tomas", "Ansel", "Mira", "Noor", "Dov", "Ines", "Suri"):
        canon.add_character(P, name, "a local")
    canon.add_fact(P, fact)
    issues = check_direction(direction, build_pack(canon, P, direction))
    assert any(found in issue.message for issue in issues), issues
    assert len({i.message.split(":")[0] for i in issues}) == len(issues)  # each found once


def test_a_character_named_by_another_name_is_held_to_the_facts(canon: Canon) -> None:
    canon.add_character(P, "Hale", "stern colonel in his sixties", aliases=["the Colonel"])
    canon.add_fact(P, "Hale dies in act 2.")
    direction = "act 3, WS the colonel inspecting the troops at dawn"
    assert [i.message.split(":")[0] for i in check_direction(direction, build_pack(canon, P, direction))] == [
        "Hale is dead by now"
    ]


def test_story_time_said_in_words_is_story_time() -> None:
    assert spoken_number("forty-two") == 42 and spoken_number("twelve") == 12 and spoken_number("7") == 7
    assert scene_number("sc twenty one, Maya at the gate") == 21
    assert not binds("The farmhouse burns down in act two.", "", "act one, WS of the farmhouse")
