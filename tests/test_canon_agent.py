"""Continuity through the whole agent loop: canon kept from directions, used in shots, checked."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from PIL import Image
from skimage import data as skdata
from sqlalchemy import select

from agents import Direction, Director, ShotDesk
from agents.continuity import Continuity
from agents.providers import chat_model
from memory.canon import Canon
from memory.drift import DriftChecker
from memory.embeddings import TextEmbedder
from memory.ledger import ImageStore, Ledger, ThreadRef
from memory.ledger.models import ContinuityOverride
from memory.ledger.scores import consistency_over_time
from memory.vectors import VectorIndex
from tools.diffusers_engine import DiffusersEngine

THREAD = ThreadRef("T1", "C1", "1700000000.000100")


@pytest.fixture
def studio(
    tmp_path: Path, tiny_engine: DiffusersEngine, text_embedder: TextEmbedder
) -> Iterator[tuple[Director, Canon]]:
    ledger, images = Ledger(tmp_path / "ledger.sqlite3"), ImageStore(tmp_path / "images")
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    canon = Canon(ledger, VectorIndex(client, text_embedder), images)
    desk = ShotDesk(tiny_engine, ledger, images, 64, continuity=Continuity(canon, DriftChecker()))
    yield Director(desk, chat_model("offline")), canon
    canon.vectors.close()


def ask(director: Director, text: str, thread: ThreadRef = THREAD, attachments: tuple[bytes, ...] = ()):  # type: ignore[no-untyped-def]
    return director.handle(Direction(text, "U0DIRECTOR", thread, attachments))


def astronaut_png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(skdata.astronaut()).save(buffer, format="PNG")
    return buffer.getvalue()


def test_canon_is_kept_from_directions_and_used_in_every_shot(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    said = ask(
        director,
        "character: Maya is a young woman with dark braided hair (she/her), wears dented silver armour",
    )
    assert "Maya is in the canon" in said.text and "Wears dented silver armour." in said.text  # said back
    maya = canon.character(1, "maya")
    assert (
        maya is not None
        and maya.pronouns == "she/her"
        and maya.costumes == {"default": "dented silver armour"}
    )
    captain = ask(
        director, "character: Idris — 40s, grey beard, naval coat, he/him. everyone calls him the Captain"
    )
    assert "Also called" in captain.text and "Captain." in captain.text  # the alias Slate will answer to
    assert (
        "Noted for continuity" in ask(director, "fact: Maya's scar is on her left cheek, since scene 3").text
    )
    assert (
        "saved"
        in ask(director, "look: Night exterior — anamorphic, teal grade, heavy grain, no daylight").text
    )
    kept = ask(director, "this is Maya", thread=ThreadRef("T1", "C1", "5.0"), attachments=(astronaut_png(),))
    assert "Kept 1 reference still(s) for Maya" in kept.text

    (shot,) = ask(director, "CU, Maya looks up, night exterior").outcomes
    version = canon.ledger.version(shot.version_id)
    assert version is not None
    assert "young woman with dark braided hair" in version.prompt and "dented silver armour" in version.prompt
    assert "teal grade" in version.prompt and version.negative_prompt == "daylight"
    # A random tiny model draws no face: the drift check says so before anyone approves.
    assert shot.drift == ("v1: Maya's face wasn't found in the new shot",)
    assert consistency_over_time(canon.ledger, "C1", "Maya", include_missing=True)[0].score == 0


def test_a_contradiction_asks_first_and_an_override_is_recorded(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    ask(director, "character: Maya is a young woman with dark braided hair (she/her)")
    ask(director, "fact: Maya's scar is on her left cheek, scene 3")
    question = ask(director, "CU, Maya, the scar on her right cheek")
    assert question.outcomes == () and "Continuity check" in question.text and "left cheek" in question.text
    assert canon.ledger.latest_version("C1", THREAD.thread_ts) is None
    done = ask(director, "CU, Maya, the scar on her right cheek, override")
    assert len(done.outcomes) == 1
    with canon.ledger.transaction() as session:
        (override,) = session.scalars(select(ContinuityOverride))
    assert override.user_id == "U0DIRECTOR" and "left cheek" in override.issue


def test_a_bad_reference_is_refused_and_nothing_is_kept(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    ask(director, "character: Rook is a broad-shouldered knight with a grey beard")
    refused = ask(director, "reference for Rook", attachments=(astronaut_png(), b"not an image"))
    assert "Could not keep the reference" in refused.text and "not an image" in refused.text
    assert canon.vectors.count(1, "references") == 0


def test_pronouns_resolve_through_the_slack_thread(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    ask(director, "character: Maya is a young woman with dark braided hair (she/her)")
    ask(director, "character: Rook is a broad-shouldered knight with a grey beard (he/him)")
    thread = ThreadRef("T1", "C1", "7.0")
    said = ("WS, Rook and Maya at the gate", "tighter on Maya")  # messages without a shot of their own
    (shot,) = director.handle(
        Direction("close on her face, night", "U0DIRECTOR", thread, history=said)
    ).outcomes
    version = canon.ledger.version(shot.version_id)
    assert (
        version is not None and "dark braided hair" in version.prompt and "grey beard" not in version.prompt
    )


def test_a_pronoun_nobody_named_means_the_canons_one_character_else_slate_asks(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    ask(director, "character: Maya is a young woman with dark braided hair (she/her)")
    (shot,) = director.handle(
        Direction("close on her face as the bells ring, night", "U0DIRECTOR", ThreadRef("T1", "C1", "8.0"))
    ).outcomes
    version = canon.ledger.version(shot.version_id)
    assert version is not None and "dark braided hair" in version.prompt
    assert version.extra.get("spec_characters") == "Maya"
    ask(director, "character: Ines is a nurse in her forties (she/her)")
    asked = director.handle(
        Direction("close on her face as the bells ring", "U0DIRECTOR", ThreadRef("T1", "C1", "9.0"))
    )
    assert asked.outcomes == () and "“her”" in asked.text and "Ines, Maya" in asked.text


def test_the_casts_other_names_find_the_character_for_stills_and_shots(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    ask(director, "character: Rook is a broad-shouldered knight with a grey beard (he/him), aka the captain")
    (rook,) = canon.characters(1)
    assert rook.aliases == ["captain"]
    kept = ask(
        director,
        "the captain from the 3/4 angle, stick these on his ref sheet",
        attachments=(astronaut_png(),),
    )
    assert kept.outcomes == () and canon.vectors.count(1, "references") == 1
    (shot,) = director.handle(
        Direction("MS, the captain at the helm, storm", "U0DIRECTOR", ThreadRef("T1", "C1", "10.0"))
    ).outcomes
    version = canon.ledger.version(shot.version_id)
    assert version is not None and "grey beard" in version.prompt
    assert version.extra.get("spec_characters") == "Rook"
    assert "the captain at the helm" in version.prompt  # the director's words are kept


def test_a_name_the_team_uses_is_added_to_the_character_the_canon_has(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    ask(director, "character: Idris — 50s, grey stubble, weathered face, tall, he/him")
    said = ask(director, "fyi everyone on the boat calls idris 'the captain' so if i say captain thats him")
    assert said.outcomes == () and said.text.startswith("Updated: Idris is in the canon")
    (idris,) = canon.characters(1)
    assert idris.aliases == ["Captain"] and "grey stubble" in idris.description  # the rest stays
    taken = ask(director, "character: Rook — 40s, shaved head, broken nose, he/him")
    assert "Rook is in the canon" in taken.text
    refused = ask(director, "everyone calls rook 'the captain'")  # another's name is never taken
    assert "already Idris" in refused.text and canon.character(1, "rook").aliases == []


def test_a_statement_for_the_canon_then_a_shot_keeps_it_first_and_draws_with_it(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    ask(director, "character: Odile — 60s, silver hair in a bun, sharp cheekbones, she/her")
    said = ask(
        director,
        "our dusk look is teal shadows, warm skin, soft haze — use it on a CU of odile at the window",
    )
    (look,) = canon.styles(1)
    assert look.name == "Dusk" and look.description == "teal shadows, warm skin, soft haze"
    (shot,) = said.outcomes
    version = canon.ledger.version(shot.version_id)
    assert version is not None and "teal shadows" in version.prompt  # the look just kept is in the shot
    assert version.extra.get("spec_shot_size") == "CU" and version.extra.get("spec_characters") == "Odile"
    assert "Look 'Dusk' saved" in said.text and "Recorded Shot 1" in said.text

    told = ask(
        director,
        "suri's the new deckhand, teenager, braids, too-big oilskin jacket. give me a MS of her coiling rope",
        thread=ThreadRef("T1", "C1", "20.0"),
    )
    assert canon.character(1, "suri") is not None
    (deckhand,) = told.outcomes
    kept = canon.ledger.version(deckhand.version_id)
    assert kept is not None and "oilskin" in kept.prompt and kept.extra.get("spec_characters") == "Suri"
    fact = ask(director, "heads up, odile lost her left eye in ep 2 so from then on shes got a patch over it")
    assert [f.subject for f in canon.facts(1)] == ["Odile"] and fact.outcomes == (), (
        fact.text,
        canon.facts(1),
    )


def test_people_listed_together_are_registered_together_and_a_fact_then_shot_names_whom(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    said = ask(
        director,
        "two new faces for the market scene: Bram, a one-eyed knife grinder, and Odile, the old spice seller",
    )
    assert (
        said.outcomes == () and "Bram is in the canon" in said.text and "Odile is in the canon" in said.text
    )
    assert sorted(c.name for c in canon.characters(1)) == ["Bram", "Odile"]
    told = ask(
        director,
        "odile wears her dad's wristwatch from here on, left wrist. CU on it as she checks the time, night",
        thread=ThreadRef("T1", "C1", "30.0"),
    )
    assert [f.subject for f in canon.facts(1)] == ["Odile"]
    (shot,) = told.outcomes
    version = canon.ledger.version(shot.version_id)
    assert version is not None and version.extra.get("spec_characters") == "Odile"
    assert "as Odile checks the time" in version.prompt


def test_a_fact_said_with_a_shot_that_breaks_it_is_kept_and_the_shot_asks_first(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    ask(director, "character: Odile — 60s, silver hair in a bun, sharp cheekbones, she/her")
    said = ask(director, "odile lost her left hand in the war. MCU of her holding a cup in both hands")
    assert [f.text for f in canon.facts(1)] == ["odile lost her left hand in the war"]
    assert said.outcomes == () and "Odile has no left hand" in said.text and "override" in said.text


def test_a_question_about_the_canon_is_answered_from_it_and_draws_nothing(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    ask(director, "Kai (everyone on the boat calls him Kiddo) — 19, youngest deckhand, shaved head, he/him")
    (kai,) = canon.characters(canon.ledger.project_id("T1", "C1"))
    assert (kai.name, kai.aliases, kai.pronouns) == ("Kai", ["Kiddo"], "he/him")
    answer = ask(
        director, "what does Kiddo look like again?", thread=ThreadRef("T1", "C1", "1700000000.000200")
    )
    assert answer.outcomes == () and "*Kai* (he/him) — 19, youngest deckhand, shaved head" in answer.text
    cast = ask(director, "who's in the cast?", thread=ThreadRef("T1", "C1", "1700000000.000300"))
    assert cast.outcomes == () and "*Kai*" in cast.text
