"""From a scene to a board: reading (Fountain and plain text), coverage, and the board in Slack.

The flow is driven through the local workspace with signed requests, on the 2D previz engine
and a real ledger: a pasted scene becomes a shot list, a shot is edited in its modal, Generate
all makes every panel a shot of the project through the director, and the frames message in
the board's thread follows them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.script import NotAScene, read_scene
from agents.script.coverage import propose
from agents.script.direction import shot_direction
from agents.script.shots import duration
from agents.spec import read_spec
from localslack.state import DIRECTOR_ID
from memory.ledger import JobBook
from memory.ledger.boards import Board
from memory.ledger.models import Character, Shot, Version
from tests.conftest import Stack, run_stack
from tests.shown import shown
from tests.test_review_flow import canon_stack  # noqa: F401  (the bot with continuity memory)
from tools.previz import PrevizEngine

SETS = Path(__file__).parent.parent / "benchmarks" / "script_breakdown"
FOUNTAIN = """INT. SIGNAL BOX - NIGHT

A lever frame, brass gleaming. HARRIET (60s, railway coat, a pocket watch on a chain) pulls a LEVER.

Her nephew TEO (20s, soaked) bursts in.

TEO
The night train's early.

HARRIET
(not turning)
Trains are never early. Clocks are late.

She snaps open the POCKET WATCH.

TEO
Aunt Harriet, it's early.

HARRIET
Then we are late.
"""
PLAIN = """ext. harbour wall - dawn

          Gulls. Nets drying. OLIVER (12) sits with a fishing rod.

                              OLIVER
                    Nothing's biting.

                              Mum (O.S.)
                    Breakfast!

                              OLIVER
                         (shouting back)
                    Five more minutes!
"""


def test_fountain_heading_cast_lines_and_props() -> None:
    scene = read_scene(FOUNTAIN)
    (heading,) = scene.headings
    assert (heading.int_ext, heading.location, heading.time_of_day) == ("INT", "SIGNAL BOX", "night")
    assert [m.name for m in scene.cast] == ["HARRIET", "TEO"]
    assert scene.cast[0].description == "60s, railway coat, a pocket watch on a chain"
    assert [(line.speaker, line.text) for line in scene.lines][1] == (
        "HARRIET",
        "Trains are never early. Clocks are late.",
    )
    assert scene.lines[1].parentheticals == ("(not turning)",)
    assert {"lever", "pocket watch"} <= set(scene.props)


def test_plain_text_without_fountain_marks() -> None:
    scene = read_scene(PLAIN)
    assert (scene.headings[0].int_ext, scene.headings[0].location, scene.headings[0].time_of_day) == (
        "EXT",
        "HARBOUR WALL",
        "dawn",
    )
    assert [(line.speaker, line.text, line.off_screen) for line in scene.lines] == [
        ("OLIVER", "Nothing's biting.", False),
        ("MUM", "Breakfast!", True),
        ("OLIVER", "Five more minutes!", False),
    ]
    assert scene.member("MUM") is not None and scene.member("MUM").off_screen  # type: ignore[union-attr]


def test_a_text_with_no_heading_is_refused_plainly() -> None:
    with pytest.raises(NotAScene, match="scene heading"):
        read_scene("Maya walks in.\n\nMAYA\nHello.")


def test_canon_alias_and_a_typod_cue() -> None:
    class Rook:
        name, aliases = "Rook", ["the Captain"]

    scene = read_scene(
        "INT. KEEP - NIGHT\n\nTHE CAPTAIN waits.\n\nCAPTAIN\nWell?\n\nCAPTAN\nSpeak.\n\nCAPTAIN\nNow.",
        [Rook()],
    )
    (captain,) = scene.cast
    assert captain.canon == "Rook" and "CAPTAN" in captain.aliases
    assert {line.speaker for line in scene.lines} == {"CAPTAIN"}


def _scenes() -> list[Path]:
    return sorted(p for p in (SETS / "dev_set").iterdir() if p.suffix in (".fountain", ".txt"))


@pytest.mark.parametrize("path", _scenes(), ids=lambda p: p.stem)
def test_coverage_covers_every_line_singles_every_speaker_and_inserts_named_props(path: Path) -> None:
    scene = read_scene(path.read_text())
    shots = propose(scene)
    assert {i for s in shots for i in s.lines} == {line.index for line in scene.lines}
    singled = {c for s in shots if s.kind in ("single", "two-shot") for c in s.cast}
    assert {m.label for m in scene.speaking if not m.off_screen} <= singled
    caps_props = [p for p in scene.props if p.upper() in path.read_text()]
    inserted = {p for s in shots if s.kind == "insert" for p in s.props}
    assert set(caps_props) <= inserted
    assert shots[0].kind in ("establishing", "master")
    assert all(s.duration_s >= 2.0 for s in shots)


def test_duration_rule() -> None:
    assert duration(10, []) == 4.0  # 10 words at 2.5 words a second
    assert duration(0, [8]) == 3.0  # an action paragraph: 1 s + 8 × 0.25 s
    assert duration(1, []) == 2.0  # never under 2 s


@pytest.mark.parametrize("path", _scenes(), ids=lambda p: p.stem)
def test_each_shots_direction_reads_back_to_its_framing(path: Path) -> None:
    scene = read_scene(path.read_text())
    for shot in propose(scene):
        spec = read_spec(shot_direction(shot, scene))
        assert (spec.shot_size, spec.angle, spec.lens_mm, spec.camera_move) == (
            shot.size,
            shot.angle,
            shot.lens_mm,
            shot.move,
        )


@pytest.fixture
def board_stack(tmp_path: Path) -> Iterator[Stack]:
    yield from run_stack(PrevizEngine(), 128, tmp_path, listener_threads=None)


def _board_message(ws, thread_ts: str) -> dict:  # type: ignore[no-untyped-def]
    found = [
        m
        for m in ws.replies("C0SHOTS", thread_ts)
        if any(str(b.get("block_id")) == "board.head" for b in m.get("blocks") or [])
    ]
    return found[0] if found else {}


def test_a_pasted_scene_becomes_a_board_edited_then_generated(board_stack: Stack) -> None:
    ws, ledger = board_stack.workspace, board_stack.ledger
    mention = ws.post_user_message(f"<@U0SLATEBOT> board this\n\n{FOUNTAIN}")
    thread = mention["ts"]
    assert ws.wait_for(lambda: bool(_board_message(ws, thread)))
    listed = _board_message(ws, thread)
    action_ids = [
        e.get("action_id") or b.get("accessory", {}).get("action_id")
        for b in listed["blocks"]
        for e in [*(b.get("elements") or []), b.get("accessory") or {}]
    ]
    with ledger.reading() as session:
        (board,) = session.query(Board).all()
    assert f"slate.board.generate.{board.id}" in action_ids and f"slate.board.add.{board.id}" in action_ids
    assert {p["name"] for p in board.proposed} == {"Harriet", "Teo"}  # proposed, not registered
    count = len(board.shots)

    # Edit shot 2 in its modal: a low-angle CU on a 100mm, 4.5 s.
    ws.press_button(
        DIRECTOR_ID, "C0SHOTS", listed["ts"], f"slate.board.panel.{board.id}.2", selected_option="edit.2"
    )
    assert ws.wait_for(lambda: bool(ws.open_views(DIRECTOR_ID)))
    view = ws.open_views(DIRECTOR_ID)[-1]
    bad = ws.submit_view(
        DIRECTOR_ID,
        view["id"],
        _values("CU", "low", "wide", "static", "Harriet", "Harriet grips the lever", "4.5"),
    )
    assert "lens" in bad.errors and bad.view is not None  # kept open, said which field
    ws.submit_view(
        DIRECTOR_ID,
        view["id"],
        _values("CU", "low", "100", "push in", "Harriet", "Harriet grips the lever", "4.5"),
    )
    assert ws.wait_for(
        lambda: "CU · low angle · 100mm · push in" in str(_board_message(ws, thread)["blocks"])
    )
    # Move it to the top; remove the last one.
    ws.press_button(
        DIRECTOR_ID, "C0SHOTS", listed["ts"], f"slate.board.panel.{board.id}.2", selected_option="up.2"
    )
    ws.press_button(
        DIRECTOR_ID,
        "C0SHOTS",
        listed["ts"],
        f"slate.board.panel.{board.id}.{count}",
        selected_option=f"remove.{count}",
    )
    assert ws.wait_for(lambda: len(_panels(ledger)) == count - 1 and _panels(ledger)[0]["lens_mm"] == 100)

    ws.press_button(DIRECTOR_ID, "C0SHOTS", listed["ts"], f"slate.board.generate.{board.id}")
    assert ws.wait_for(lambda: len(shown(ws)) >= count - 1, timeout=90), [
        [m.get("text", "")[:200] for m in ws.replies("C0SHOTS", p["thread_ts"])] for p in _panels(ledger)
    ]
    assert ws.wait_for(lambda: all(p.get("shot_number") for p in _panels(ledger)), timeout=20)
    panels = _panels(ledger)
    with ledger.reading() as session:
        versions = {v.shot.thread_ts: v for v in session.query(Version).all()}
        shots = session.query(Shot).all()
    assert len(shots) == count - 1 and len({s.number for s in shots}) == count - 1
    for panel in panels:
        version = versions[panel["thread_ts"]]
        assert version.extra["duration_s"] == panel["duration_s"]
        assert version.extra["dialogue"] == panel["dialogue"]
    top = versions[panels[0]["thread_ts"]]
    assert (top.extra["spec_shot_size"], top.extra["spec_angle"], top.extra["spec_lens_mm"]) == (
        "CU",
        "low",
        "100",
    )
    assert any(p["dialogue"] == ["TEO: The night train's early."] for p in panels)

    def frames() -> str:
        return next(
            (
                m["text"]
                for m in ws.replies("C0SHOTS", thread)
                if m.get("text", "").startswith("The board's frames")
            ),
            "",
        )

    assert ws.wait_for(lambda: frames() == f"The board's frames: {count - 1}/{count - 1} made", timeout=20), (
        frames()
    )
    # Approving a board shot in its own thread shows on the board's frames message.
    action = f"slate.approve.{top.id}"
    shown_in = next(
        m for m in ws.replies("C0SHOTS", top.shot.thread_ts) if action in json.dumps(m.get("blocks"))
    )

    def frames_blocks() -> str:
        message = next(
            m for m in ws.replies("C0SHOTS", thread) if m.get("text", "").startswith("The board's frames")
        )
        return json.dumps(message.get("blocks"))

    book = JobBook(ledger)
    assert ws.wait_for(lambda: not book.unfinished(), timeout=20)  # no job left to redraw the board
    time.sleep(0.3)
    assert "Approved" not in frames_blocks()
    ws.press_button(DIRECTOR_ID, "C0SHOTS", shown_in["ts"], action)
    assert ws.wait_for(lambda: "Approved" in frames_blocks(), timeout=20), frames_blocks()


def test_confirm_registers_a_proposed_character(canon_stack: Stack) -> None:  # noqa: F811
    ws, ledger = canon_stack.workspace, canon_stack.ledger
    mention = ws.post_user_message(f"<@U0SLATEBOT> {FOUNTAIN}")
    assert ws.wait_for(
        lambda: any("New characters" in m.get("text", "") for m in ws.replies("C0SHOTS", mention["ts"]))
    )
    proposal = next(m for m in ws.replies("C0SHOTS", mention["ts"]) if "New characters" in m.get("text", ""))
    with ledger.reading() as session:
        (board,) = session.query(Board).all()
        assert session.query(Character).count() == 0
    ws.press_button(
        DIRECTOR_ID, "C0SHOTS", proposal["ts"], f"slate.board.confirm.{board.id}.0", value="Harriet"
    )

    def harriet():  # type: ignore[no-untyped-def]
        with ledger.reading() as session:
            return session.query(Character).filter_by(name="Harriet").one_or_none()

    assert ws.wait_for(lambda: harriet() is not None, timeout=30)
    assert "railway coat" in harriet().description


def test_slate_board_opens_a_modal_and_refuses_text_without_a_heading(board_stack: Stack) -> None:
    ws = board_stack.workspace
    ws.run_slash_command(DIRECTOR_ID, "C0SHOTS", "/slate", "board Maya walks in.")
    assert ws.wait_for(
        lambda: any("scene heading" in m["text"] for m in ws.ephemeral_for(DIRECTOR_ID, "C0SHOTS"))
    )
    assert ws.messages("C0SHOTS") == []  # nothing posted, nothing lost: the words are still the person's

    ws.run_slash_command(DIRECTOR_ID, "C0SHOTS", "/slate", "board")
    assert ws.wait_for(lambda: bool(ws.open_views(DIRECTOR_ID)))
    (view,) = ws.open_views(DIRECTOR_ID)
    refused = ws.submit_view(
        DIRECTOR_ID, view["id"], {"scene": {"scene": {"type": "plain_text_input", "value": "hi"}}}
    )
    assert "scene" in refused.errors
    ws.submit_view(
        DIRECTOR_ID, view["id"], {"scene": {"scene": {"type": "plain_text_input", "value": PLAIN}}}
    )
    assert ws.wait_for(lambda: any("boards a scene" in m["text"] for m in ws.messages("C0SHOTS")))
    opening = next(m for m in ws.messages("C0SHOTS") if "boards a scene" in m["text"])
    assert ws.wait_for(lambda: bool(_board_message(ws, opening["ts"])))
    assert "Oliver" in str(_board_message(ws, opening["ts"])["blocks"])


def _panels(ledger) -> list[dict]:  # type: ignore[no-untyped-def]
    with ledger.reading() as session:
        (board,) = session.query(Board).all()
        return board.shots


def _values(size: str, angle: str, lens: str, move: str, cast: str, description: str, seconds: str) -> dict:
    def select(value: str) -> dict:
        return {"type": "static_select", "selected_option": {"value": value}}

    def text(value: str) -> dict:
        return {"type": "plain_text_input", "value": value}

    return {
        "size": {"size": select(size)},
        "angle": {"angle": select(angle)},
        "lens": {"lens": text(lens)},
        "move": {"move": select(move)},
        "cast": {"cast": text(cast)},
        "description": {"description": text(description)},
        "duration": {"duration": text(seconds)},
    }
