"""Review in the thread, end to end, as Slack drives it: signed events, slash commands,
``block_actions``, ``view_submission`` and a message shortcut against the local workspace.

A director directs; an artist varies and upscales an *older* version; the artist's Approve is
refused (to them alone, nothing written); the director makes April an approver with
``/slate role``; April approves; the status shows in the message and in App Home; ``/slate
shots approved`` lists it; the ledger holds every transition.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from PIL import Image
from slack_sdk import WebClient
from sqlalchemy import select

from agents import Director, ShotDesk
from agents.continuity import Continuity
from agents.providers import chat_model
from bot.app import build_bot
from localslack.state import APPROVER_ID, ARTIST_ID, DIRECTOR_ID
from memory.canon import Canon
from memory.drift import DriftChecker
from memory.embeddings import TextEmbedder
from memory.ledger import ImageStore, Ledger
from memory.ledger.models import Approval, Character, ReferenceImage, Style, Version
from memory.ledger.review import Review
from memory.vectors import VectorIndex
from tests.conftest import SIGNING_SECRET, Stack, local_workspace, serving
from tests.shown import shown, wait_for_shown
from tools.previz import PrevizEngine

BOT = "U0SLATEBOT"
CHANNEL = "C0SHOTS"


def _versions(stack: Stack) -> list[Version]:
    with stack.ledger.reading() as session:
        return list(session.scalars(select(Version).order_by(Version.id)))


def _transitions(stack: Stack) -> list[tuple[int, str, str, str]]:
    with stack.ledger.reading() as session:
        rows = session.scalars(select(Approval).order_by(Approval.id))
        return [(r.version_id, r.user_id, r.from_status, r.decision) for r in rows]


def _ephemeral_texts(stack: Stack, user: str) -> list[str]:
    return [m.get("text", "") for m in stack.workspace.ephemeral_for(user, CHANNEL)]


def _ask(stack: Stack, user: str, text: str) -> str:
    """``/slate <text>`` as the person types it; what Slack then shows them (the ack's text, or
    the answer that follows on the command's response_url, to them alone)."""
    before = len(_ephemeral_texts(stack, user))
    acked = stack.workspace.run_slash_command(user, CHANNEL, "/slate", text)
    assert acked.status == 200 and acked.elapsed_s < 3
    if acked.body.get("text"):
        return acked.body["text"]
    assert stack.workspace.wait_for(lambda: len(_ephemeral_texts(stack, user)) > before)
    return _ephemeral_texts(stack, user)[-1]


def _message(stack: Stack, ts: str) -> dict:
    message = stack.workspace.state.message(CHANNEL, ts)
    assert message is not None
    return message


def _direct_two_versions(stack: Stack) -> tuple[dict, list[Version]]:
    parent = stack.workspace.post_user_message(f"<@{BOT}> WS, Maya at the harbour at dawn, seed 5")
    wait_for_shown(stack.workspace, 1)
    stack.workspace.post_user_message(f"<@{BOT}> make her cloak red", thread_ts=parent["ts"])
    wait_for_shown(stack.workspace, 2)
    return parent, _versions(stack)


def test_a_shot_goes_from_direction_to_approved_without_leaving_the_thread(stack: Stack) -> None:
    ws = stack.workspace
    parent, (v1, v2) = _direct_two_versions(stack)
    v1_message = next(s for s in shown(ws) if s.version_id == v1.id).message_ts

    # The artist varies and upscales v1, the older version: each is a new version from v1.
    for action in ("vary_subtle", "upscale"):
        pressed = ws.press_button(ARTIST_ID, CHANNEL, v1_message, f"slate.{action}.{v1.id}")
        assert pressed.status == 200
    wait_for_shown(ws, 4)
    v3, v4 = _versions(stack)[2:]
    assert (v3.parent_id, v3.mode) == (v1.id, "img2img") and v3.number == 3
    assert v4.parent_id == v1.id and (v4.width, v4.height) == (v1.width * 2, v1.height * 2)
    assert {s.thread_ts for s in shown(ws)} == {parent["ts"]}

    # The artist may not approve: told why, alone; nothing written.
    ws.press_button(ARTIST_ID, CHANNEL, v1_message, f"slate.approve.{v1.id}")
    assert ws.wait_for(lambda: any("approve needs" in t for t in _ephemeral_texts(stack, ARTIST_ID)))
    assert not _ephemeral_texts(stack, APPROVER_ID) and _transitions(stack) == []

    # The director (who started the project) makes April an approver; she approves v4.
    assert "is now an approver" in _ask(stack, DIRECTOR_ID, f"role <@{APPROVER_ID}|april> approver")
    v4_message = next(s for s in shown(ws) if s.version_id == v4.id).message_ts
    assert ws.press_button(APPROVER_ID, CHANNEL, v4_message, f"slate.approve.{v4.id}").status == 200
    assert ws.wait_for(lambda: "Approved" in next(s for s in shown(ws) if s.version_id == v4.id).status_line)
    line = next(s for s in shown(ws) if s.version_id == v4.id).status_line
    assert f"<@{APPROVER_ID}>" in line

    # Then v2: v4's approval is superseded, recorded, and v4's message says so.
    v2_message = next(s for s in shown(ws) if s.version_id == v2.id).message_ts
    ws.press_button(APPROVER_ID, CHANNEL, v2_message, f"slate.approve.{v2.id}")
    assert ws.wait_for(
        lambda: "Superseded" in next(s for s in shown(ws) if s.version_id == v4.id).status_line
    )
    assert _transitions(stack) == [
        (v4.id, APPROVER_ID, "pending_review", "approved"),
        (v4.id, APPROVER_ID, "approved", "superseded"),
        (v2.id, APPROVER_ID, "pending_review", "approved"),
    ]
    project_id = stack.ledger.project("T0LOCAL", CHANNEL).id
    assert [v.id for v in Review(stack.ledger).approved_versions(project_id)] == [v2.id]

    # /slate shots approved lists it, to the caller alone; App Home shows it.
    listed = _ask(stack, ARTIST_ID, "shots approved")
    assert "Shot 1" in listed and "v2" in listed and "Approved" in listed
    ws.open_app_home(APPROVER_ID)
    assert ws.wait_for(lambda: ws.home_view(APPROVER_ID) is not None)
    home = str(ws.home_view(APPROVER_ID))
    assert "Shot 1" in home and "Approved" in home and "slack_file" in home


def test_request_changes_opens_a_modal_and_the_note_runs_as_the_next_direction(stack: Stack) -> None:
    ws = stack.workspace
    parent, (v1, v2) = _direct_two_versions(stack)
    _ask(stack, DIRECTOR_ID, f"role <@{APPROVER_ID}> approver")
    v1_message = next(s for s in shown(ws) if s.version_id == v1.id).message_ts

    ws.press_button(APPROVER_ID, CHANNEL, v1_message, f"slate.request_changes.{v1.id}")
    assert ws.wait_for(lambda: bool(ws.open_views(APPROVER_ID)))
    (view,) = ws.open_views(APPROVER_ID)
    empty = ws.submit_view(
        APPROVER_ID, view["id"], {"note": {"note": {"type": "plain_text_input", "value": " "}}}
    )
    assert empty.body.get("response_action") == "errors" and ws.open_views(APPROVER_ID)
    note = {"note": {"note": {"type": "plain_text_input", "value": "warmer light, lower angle"}}}
    assert ws.submit_view(APPROVER_ID, view["id"], note).status == 200
    assert not ws.open_views(APPROVER_ID)
    assert ws.wait_for(
        lambda: "Changes requested" in next(s for s in shown(ws) if s.version_id == v1.id).status_line
    )

    def notes() -> list[dict]:
        return [m for m in ws.replies(CHANNEL, parent["ts"]) if "warmer light" in m.get("text", "")]

    assert ws.wait_for(lambda: bool(notes())), ws.replies(CHANNEL, parent["ts"])
    (note_message,) = notes()
    make_change = next(
        e["action_id"]
        for b in note_message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("slate.make_change.")
    )
    ws.press_button(DIRECTOR_ID, CHANNEL, note_message["ts"], make_change)
    wait_for_shown(ws, 3)
    v3 = _versions(stack)[-1]
    assert v3.parent_id == v1.id and "warmer light" in v3.prompt
    assert _transitions(stack) == [(v1.id, APPROVER_ID, "pending_review", "changes_requested")]


def test_slash_commands_answer_the_caller_alone_and_unknown_input_gets_usage(stack: Stack) -> None:
    ws = stack.workspace
    unknown = ws.run_slash_command(ARTIST_ID, CHANNEL, "/slate", "frobnicate")
    assert unknown.status == 200 and "Unknown command" in str(unknown.body) and "/slate" in str(unknown.body)
    assert ws.wait_for(lambda: any("Unknown command" in t for t in _ephemeral_texts(stack, ARTIST_ID)))
    assert not _ephemeral_texts(stack, DIRECTOR_ID)
    assert "new <direction>" in _ask(stack, ARTIST_ID, "help")
    assert "no shot 4" in _ask(stack, ARTIST_ID, "shot 4")
    assert "needs a director" in _ask(stack, ARTIST_ID, f"role <@{APPROVER_ID}> approver")

    assert "new thread" in _ask(stack, ARTIST_ID, "new CU, Rook looks up at the rain")
    wait_for_shown(ws, 1)
    (version,) = _versions(stack)
    assert "Rook" in version.prompt
    assert "Shot 1" in _ask(stack, ARTIST_ID, "shots")
    history = _ask(stack, ARTIST_ID, "shot 1")
    assert "v1" in history and "Pending review" in history


def test_questions_in_a_mention_are_answered_not_made_into_shots(stack: Stack) -> None:
    ws = stack.workspace
    for question in ("help", "what can you do?", "list the shots", "history of shot 1"):
        ws.post_user_message(f"<@{BOT}> {question}")
    assert ws.wait_for(
        lambda: len([c for c in ws.calls_to("chat.update") if "Working" not in c.get("text", "")]) >= 4,
        timeout=20,
    )
    assert _versions(stack) == [] and not shown(ws)


def test_a_message_shortcut_makes_a_shot_from_any_message(stack: Stack) -> None:
    ws = stack.workspace
    note = ws.post_user_message(
        "EXT. HARBOUR - DAWN. Maya waits on the pier, wind in her hair.", user=ARTIST_ID
    )
    assert ws.use_message_shortcut(ARTIST_ID, CHANNEL, note["ts"], "make_shot_from_message").status == 200
    wait_for_shown(ws, 1, thread_ts=note["ts"])
    (version,) = _versions(stack)
    assert "pier" in version.prompt


def test_compare_shows_two_versions_side_by_side_in_one_image(stack: Stack) -> None:
    ws = stack.workspace
    parent, (v1, v2) = _direct_two_versions(stack)
    ws.post_user_message(f"<@{BOT}> compare v1 and v2", thread_ts=parent["ts"])

    def comparison() -> dict | None:
        return next(
            (
                b
                for m in ws.replies(CHANNEL, parent["ts"])
                for b in m.get("blocks") or []
                if b.get("block_id") == "picture.0"
            ),
            None,
        )

    def comparisons() -> list[dict]:
        return [
            b
            for m in ws.replies(CHANNEL, parent["ts"])
            for b in m.get("blocks") or []
            if b.get("block_id") == "picture.0"
        ]

    assert ws.wait_for(lambda: comparison() is not None, timeout=20)
    sheet = Image.open(io.BytesIO(ws.file_bytes(comparison()["slack_file"]["id"])))
    frame = Image.open(io.BytesIO(stack.images.path(v1.image_sha256).read_bytes()))
    scale = 512 / frame.height
    assert sheet.width > 2 * frame.width * scale and sheet.height > 512  # two frames, captions below
    left, right = sheet.crop((16, 16, 16 + 40, 56)), sheet.crop((sheet.width - 56, 16, sheet.width - 16, 56))
    assert left.tobytes() != right.tobytes()  # two different pictures, not one twice
    assert len(_versions(stack)) == 2  # a comparison is not a version

    # The button under v2 does the same, with the version before it.
    v2_message = next(s for s in shown(ws) if s.version_id == v2.id).message_ts
    assert ws.press_button(ARTIST_ID, CHANNEL, v2_message, f"slate.compare.{v2.id}").status == 200
    assert ws.wait_for(lambda: len(comparisons()) == 2, timeout=20)
    assert len(_versions(stack)) == 2


def test_project_settings_modal_sets_the_frame_of_new_shots_and_only_a_director_may(stack: Stack) -> None:
    ws = stack.workspace
    ws.post_user_message(f"<@{BOT}> WS, the harbour at dawn")  # the director starts the project
    wait_for_shown(ws, 1)
    assert "settings needs a director" in _ask(stack, ARTIST_ID, "settings")
    assert not ws.open_views(ARTIST_ID)

    assert ws.run_slash_command(DIRECTOR_ID, CHANNEL, "/slate", "settings").status == 200
    assert ws.wait_for(lambda: bool(ws.open_views(DIRECTOR_ID)))
    (view,) = ws.open_views(DIRECTOR_ID)
    aspect = {"text": {"type": "plain_text", "text": "2.39:1"}, "value": "2.39:1"}
    bad = {"steps": {"steps": {"type": "plain_text_input", "value": "lots"}}}
    assert ws.submit_view(DIRECTOR_ID, view["id"], bad).body.get("response_action") == "errors"
    values = {
        "aspect": {"aspect": {"type": "static_select", "selected_option": aspect}},
        "steps": {"steps": {"type": "plain_text_input", "value": "3"}},
    }
    ws.submit_view(DIRECTOR_ID, view["id"], values)
    assert ws.wait_for(lambda: any("2.39:1" in t for t in _ephemeral_texts(stack, DIRECTOR_ID)))

    ws.post_user_message(f"<@{BOT}> CU, Maya looks up")
    wait_for_shown(ws, 2)
    newest = _versions(stack)[-1]
    first = _versions(stack)[0]
    assert (first.width, first.height) == (88, 64)  # 16:9 on the tiny model's 64 px budget
    assert newest.steps == 3 and (newest.width, newest.height) == (96, 64)  # 2.39:1 on it


def test_an_assistant_thread_greets_suggests_and_draws_a_direction(stack: Stack) -> None:
    ws = stack.workspace
    thread_ts = ws.start_assistant_thread(ARTIST_ID)
    dm = "D" + ARTIST_ID[1:]
    assert ws.wait_for(lambda: ws.suggested_prompts(ARTIST_ID, thread_ts) is not None)
    prompts = ws.suggested_prompts(ARTIST_ID, thread_ts)["prompts"]
    assert any(p["message"] == "help" for p in prompts)
    assert any("I'm Slate" in m.get("text", "") for m in ws.replies(dm, thread_ts))

    ws.post_user_message("CU, Rook looks up into the rain", channel=dm, user=ARTIST_ID, thread_ts=thread_ts)
    assert ws.wait_for(lambda: bool(shown(ws, thread_ts, channel=dm)), timeout=60)
    (version,) = _versions(stack)
    assert "Rook" in version.prompt and version.shot.channel_id == dm
    assert [c["status"] for c in ws.calls_to("assistant.threads.setStatus")] == ["is drawing…"]
    assert ws.assistant_status(ARTIST_ID, thread_ts) is None  # cleared once Slate replied


@pytest.fixture
def canon_stack(tmp_path: Path, text_embedder: TextEmbedder) -> Iterator[Stack]:
    """The bot with continuity memory (real Chroma, MiniLM) on the previz engine."""
    workspace = local_workspace()
    ledger, images = Ledger(tmp_path / "ledger.sqlite3"), ImageStore(tmp_path / "images")
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    canon = Canon(ledger, VectorIndex(client, text_embedder), images)
    desk = ShotDesk(PrevizEngine(), ledger, images, 64, continuity=Continuity(canon, DriftChecker()))
    bot = build_bot(
        bot_token=workspace.bot_token,
        signing_secret=SIGNING_SECRET,
        api_url=workspace.api_url,
        ledger=ledger,
        director=Director(desk, chat_model("offline")),
        roles={DIRECTOR_ID: "director"},  # as SLATE_ROLES seeds them: no shot has made a founder yet
    )
    try:
        with serving(bot.app, workspace) as events_url:
            yield Stack(workspace, ledger, images, events_url, bot)
    finally:
        bot.stop()
        workspace.stop()
        canon.vectors.close()


def test_the_add_character_modal_keeps_the_character_and_its_stills(canon_stack: Stack) -> None:
    ws = canon_stack.workspace
    assert ws.run_slash_command(ARTIST_ID, CHANNEL, "/slate", "character add").status == 200
    assert ws.wait_for(lambda: bool(ws.open_views(ARTIST_ID)))
    (view,) = ws.open_views(ARTIST_ID)
    lower = {"name": {"name": {"value": "maya"}}, "description": {"description": {"value": "30s"}}}
    assert set(ws.submit_view(ARTIST_ID, view["id"], lower).errors) == {"name"}

    still = io.BytesIO()
    Image.new("RGB", (64, 64), (180, 120, 90)).save(still, format="PNG")
    client = WebClient(token=ws.bot_token, base_url=ws.api_url)
    uploaded = client.files_upload_v2(content=still.getvalue(), filename="maya.png")["files"][0]
    stills = [client.files_info(file=uploaded["id"])["file"]]
    values = {
        "name": {"name": {"value": "Maya"}},
        "description": {"description": {"value": "30s, short dark hair, scar on her left cheek"}},
        "pronouns": {"pronouns": {"value": "she/her"}},
        "costume": {"costume": {"value": "a red cloak"}},
        "stills": {"stills": {"type": "file_input", "files": stills}},
    }
    assert ws.submit_view(ARTIST_ID, view["id"], values).status == 200

    def kept() -> list:
        with canon_stack.ledger.reading() as session:
            return list(session.scalars(select(ReferenceImage)))

    assert ws.wait_for(lambda: len(kept()) == 1, timeout=30)
    with canon_stack.ledger.reading() as session:
        (maya,) = session.scalars(select(Character))
        assert (maya.name, maya.pronouns) == ("Maya", "she/her") and "scar" in maya.description
    assert "Maya" in _ask(canon_stack, ARTIST_ID, "character list")


def test_only_a_director_removes_a_character_from_the_canon(canon_stack: Stack) -> None:
    ws = canon_stack.workspace
    assert "new thread" in _ask(canon_stack, DIRECTOR_ID, "character add Rook: 40s, grey beard, a scar")

    def characters() -> list[str]:
        with canon_stack.ledger.reading() as session:
            return [c.name for c in session.scalars(select(Character))]

    assert ws.wait_for(lambda: characters() == ["Rook"], timeout=30)
    assert "needs a director" in _ask(canon_stack, ARTIST_ID, "character remove Rook")
    assert characters() == ["Rook"]
    assert "new thread" in _ask(canon_stack, DIRECTOR_ID, "character remove Rook")
    assert ws.wait_for(lambda: characters() == [], timeout=30)
    assert ws.wait_for(
        lambda: any("no longer in the canon" in c.get("text", "") for c in ws.calls_to("chat.update"))
    )


def test_look_use_makes_a_look_the_projects_default_for_new_shots(canon_stack: Stack) -> None:
    ws = canon_stack.workspace
    _ask(canon_stack, DIRECTOR_ID, "look add Noir: hard shadows, silver tones, rain-slick streets")

    def looks() -> list[str]:
        with canon_stack.ledger.reading() as session:
            return [s.name for s in session.scalars(select(Style))]

    assert ws.wait_for(lambda: looks() == ["Noir"], timeout=30)
    assert "no look 'Pastel'" in _ask(canon_stack, DIRECTOR_ID, "look use Pastel")
    assert "needs a director" in _ask(canon_stack, ARTIST_ID, "look use Noir")
    assert "take the look *Noir*" in _ask(canon_stack, DIRECTOR_ID, "look use noir")
    ws.post_user_message(f"<@{BOT}> CU, Rook looks up at the harbour crane")
    assert ws.wait_for(lambda: len(_versions(canon_stack)) == 1, timeout=30)
    assert "hard shadows" in _versions(canon_stack)[0].prompt
