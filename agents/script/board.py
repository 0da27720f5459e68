"""A board's work off Slack: open one from a scene, edit its panels, stamp what a panel made.

The listeners (``bot/board.py``) call these and show the result; nothing here knows Slack.
"""

from __future__ import annotations

from sqlalchemy import select

from agents.script.coverage import propose
from agents.script.reading import read_scene
from agents.script.scene import Scene
from agents.script.shots import BoardShot
from memory.ledger import Ledger
from memory.ledger.boards import Board, BoardBook
from memory.ledger.models import Character, Shot, Version

MAX_SHOTS = 40  # a board message holds each panel as one block of Slack's 50


def canon_of(ledger: Ledger, project_id: int) -> list[Character]:
    with ledger.reading() as session:
        return list(session.scalars(select(Character).where(Character.project_id == project_id)))


def scene_of(ledger: Ledger, board: Board) -> Scene:
    """The board's scene read again with today's canon (a character confirmed since is matched)."""
    return read_scene(board.scene_text, canon_of(ledger, board.project_id))


def open_board(
    ledger: Ledger, project_id: int, channel_id: str, thread_ts: str, text: str, user: str
) -> Board:
    """Read the scene (``NotAScene`` when it has no heading), propose its coverage, keep it."""
    scene = read_scene(text, canon_of(ledger, project_id))
    shots = propose(scene)[:MAX_SHOTS]
    proposed = [
        {"name": m.label, "cue": m.name, "description": m.description, "introduced": m.introduced}
        for m in scene.cast
        if m.canon is None and not m.off_screen
    ]
    heading = scene.headings[0]
    return BoardBook(ledger).create(
        Board(
            project_id=project_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            scene_text=text,
            scene_number=scene.number,
            title=heading.text[:300],
            shots=[s.model_dump() for s in shots],
            proposed=proposed,
            created_by=user,
        )
    )


def board_shots(board: Board) -> list[BoardShot]:
    return [BoardShot.model_validate(s) for s in board.shots]


def put_shot(ledger: Ledger, board: Board, index: int | None, shot: BoardShot) -> Board:
    """Replace panel ``index`` (its link to a made shot kept), or add a panel at the end (None)."""

    def put(row: Board) -> None:
        shots = list(row.shots)
        if index is None:
            if len(shots) >= MAX_SHOTS:
                raise ValueError(f"A board holds at most {MAX_SHOTS} shots.")
            shots.append(shot.model_dump())
        else:
            links = {k: v for k, v in shots[index].items() if k in ("thread_ts", "shot_number")}
            shots[index] = {**shot.model_dump(), **links}
        row.shots = shots

    return BoardBook(ledger).change(board.id, put)


def move_shot(ledger: Ledger, board: Board, index: int, by: int) -> Board:
    def move(row: Board) -> None:
        shots, to = list(row.shots), index + by
        if 0 <= index < len(shots) and 0 <= to < len(shots):
            shots[index], shots[to] = shots[to], shots[index]
        row.shots = shots

    return BoardBook(ledger).change(board.id, move)


def remove_shot(ledger: Ledger, board: Board, index: int) -> Board:
    def remove(row: Board) -> None:
        row.shots = [s for i, s in enumerate(row.shots) if i != index]

    return BoardBook(ledger).change(board.id, remove)


def link_shot(ledger: Ledger, board: Board, index: int, thread_ts: str) -> Board:
    """Panel ``index`` is being made in the shot thread ``thread_ts``."""

    def link(row: Board) -> None:
        shots = list(row.shots)
        shots[index] = {**shots[index], "thread_ts": thread_ts}
        row.shots = shots

    return BoardBook(ledger).change(board.id, link)


def drop_proposal(ledger: Ledger, board: Board, name: str) -> Board:
    def drop(row: Board) -> None:
        row.proposed = [p for p in row.proposed if p["name"] != name]

    return BoardBook(ledger).change(board.id, drop)


def stamp(ledger: Ledger, board: Board, index: int, version_ids: list[int]) -> Board:
    """What a panel's versions carry for the hand-off (``extra["duration_s"]``, the seconds the
    board gives it; ``extra["dialogue"]``, its lines as "NAME: line"), the shot's scene, and
    the panel's link to its project shot number."""
    panel = board.shots[index]
    with ledger.transaction() as session:
        number = None
        for version_id in version_ids:
            version = session.get(Version, version_id)
            if version is None:
                continue
            version.extra = {
                **version.extra,
                "duration_s": float(panel["duration_s"]),
                "dialogue": list(panel.get("dialogue", [])),
                "board_id": board.id,
                "board_panel": index + 1,
            }
            shot = session.get_one(Shot, version.shot_id)
            if board.scene_number and not shot.scene:
                shot.scene = board.scene_number
            number = shot.number
    if number is None:
        return board

    def numbered(row: Board) -> None:
        shots = list(row.shots)
        shots[index] = {**shots[index], "shot_number": number}
        row.shots = shots

    return BoardBook(ledger).change(board.id, numbered)
