"""Stills attached to canon directions: kept for the character they name, or the reply says why not."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_core.messages import HumanMessage, SystemMessage
from PIL import Image

from agents import Direction, Director, ShotDesk
from agents.canon_tools import CANON_TOOLS
from agents.continuity import Continuity
from agents.offline_model import FilmGrammarModel
from agents.providers import chat_model
from agents.shot_tools import SHOT_TOOLS
from memory.canon import Canon
from memory.drift import DriftChecker
from memory.embeddings import TextEmbedder
from memory.ledger import ImageStore, Ledger, ThreadRef
from memory.vectors import VectorIndex
from tools.previz import PrevizEngine

THREAD = ThreadRef("T1", "C1", "1700000000.000100")


@pytest.fixture
def studio(tmp_path: Path, text_embedder: TextEmbedder) -> Iterator[tuple[Director, Canon]]:
    ledger, images = Ledger(tmp_path / "ledger.sqlite3"), ImageStore(tmp_path / "images")
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    canon = Canon(ledger, VectorIndex(client, text_embedder), images)
    desk = ShotDesk(PrevizEngine(), ledger, images, 64, continuity=Continuity(canon, DriftChecker()))
    yield Director(desk, chat_model("offline")), canon
    canon.vectors.close()


def ask(director: Director, text: str, *attachments: bytes):  # type: ignore[no-untyped-def]
    return director.handle(Direction(text, "U0DIRECTOR", THREAD, attachments))


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def face() -> bytes:
    return png(Image.new("RGB", (64, 64), (180, 120, 90)))


def grey_16() -> bytes:
    return png(Image.fromarray(np.full((64, 64), 32896, dtype=np.uint16)))


def stored_refs(canon: Canon) -> list[Path]:
    return sorted(canon.images.root.rglob("*.ref"))


def test_stills_attached_to_a_new_character_are_kept_as_theirs(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    said = ask(director, "character: Maya is a young woman with dark braided hair", face(), grey_16())
    assert "Maya is in the canon" in said.text and "Kept 2 reference still(s) for Maya" in said.text
    maya = canon.character(1, "Maya")
    assert maya is not None
    references = canon.references(1, "character", maya.id)
    assert len(references) == 2 and canon.vectors.count(1, "references") == 2
    # The 16-bit grey still is kept as uploaded and reads back mid-grey, not white, for shots.
    tones = {canon.images.image(r.image_sha256, ".ref").getpixel((0, 0)) for r in references}
    assert tones == {(180, 120, 90), (128, 128, 128)}


def test_a_bad_still_is_refused_but_the_character_is_kept(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    said = ask(director, "character: Rook is a broad-shouldered knight", face(), b"not an image")
    assert "Rook is in the canon" in said.text
    assert (
        "didn't keep the attached image(s) as Rook's references" in said.text and "not an image" in said.text
    )
    rook = canon.character(1, "Rook")
    assert rook is not None and canon.references(1, "character", rook.id) == []
    assert canon.vectors.count(1, "references") == 0 and stored_refs(canon) == []


def test_the_same_still_twice_is_kept_once(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    still = face()
    said = ask(director, "character: Lena is a woman with short bleached hair", still, still)
    assert "Kept 1 reference still(s) for Lena" in said.text


def test_stills_for_a_name_not_in_the_canon_keep_nothing_and_say_how_to_add_it(
    studio: tuple[Director, Canon],
) -> None:
    director, canon = studio
    said = ask(director, "this is Zed", face())
    assert said.outcomes == ()
    assert "There is no character or look called Zed" in said.text and "character: Zed is" in said.text
    assert canon.characters(1) == [] and canon.styles(1) == []
    assert canon.vectors.count(1, "references") == 0 and stored_refs(canon) == []


def test_stills_for_an_existing_look_are_still_kept(studio: tuple[Director, Canon]) -> None:
    director, canon = studio
    ask(director, "look: Night exterior — anamorphic, teal grade, heavy grain")
    said = ask(director, "keep these as refs for the night exterior look", face())
    assert "Kept 1 reference still(s) for Night exterior" in said.text  # the look's name as the canon has it


def test_a_character_definition_that_says_this_is_registers_the_character() -> None:
    model = FilmGrammarModel().bind_tools([*SHOT_TOOLS, *CANON_TOOLS])
    state = SystemMessage("Thread state: no shot yet.\nAttached images: 1")
    reply = model.invoke([state, HumanMessage("character: Zed is a smuggler, this is Zed at the docks")])
    (call,) = reply.tool_calls
    assert call["name"] == "register_character" and call["args"]["name"] == "Zed"


def test_every_capability_indexes_its_version_in_continuity_memory(studio: tuple[Director, Canon]) -> None:
    """Repaints, reframes, variations and upscales record through the same step as a new shot."""
    director, canon = studio
    for text in (
        "WS, the harbour at dusk",
        "only the sky: make it stormy",
        "vertical for socials",
        "two subtle variations",
        "upscale 2x",
    ):
        assert ask(director, text).outcomes, text
    project = canon.ledger.project(THREAD.team_id, THREAD.channel_id).id
    assert canon.vectors.count(project, "shots") == 6  # v1, repaint, extension, two variations, upscale
