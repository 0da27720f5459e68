"""The board in Slack: a scene pasted or attached becomes a shot list the team edits, then shots.

``/slate board`` (a modal, or the scene after it), a mention with a scene heading in it, or a
mention with a .fountain/.txt attached opens a board in a thread: the shot list (a menu on each
shot: edit, move up/down, remove; Add a shot; Generate all) and the characters the canon lacks,
each added only when a person presses Confirm. Generate all hands every panel to the path any
direction takes — a thread of its own, a job, the director — and the frames message in the
board's thread follows each one as it is made (``board_finished``, called by the runner).
"""

from __future__ import annotations

import json
import logging
import re
import threading

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agents.script import NotAScene
from agents.script.board import (
    board_shots,
    drop_proposal,
    link_shot,
    move_shot,
    open_board,
    put_shot,
    remove_shot,
    scene_of,
    stamp,
)
from agents.script.direction import shot_direction
from agents.script.headings import is_heading
from agents.script.shots import BoardShot
from bot.board_blocks import (
    EDIT_VIEW,
    OPEN_VIEW,
    frames_blocks,
    open_modal,
    proposal_blocks,
    shot_list_blocks,
    shot_modal,
)
from bot.files import AttachmentError
from bot.kit import input_value, selected_value
from bot.parts import BotParts, Where, tell, where_pressed, where_submitted
from bot.script_files import script_files, script_text
from memory.ledger import Job, JobBook, Ledger
from memory.ledger.boards import Board, BoardBook
from memory.ledger.review import Refused, Review

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_FRAMES_LOCK = threading.Lock()
PANEL = re.compile(r"^slate\.board\.panel\.(\d+)\.(\d+)$")


def is_scene(text: str) -> bool:
    """Text with a scene heading on a line of its own is a scene to board."""
    return any(is_heading(line) for line in text.splitlines())


def takes(job: Job) -> bool:
    """Whether a mention is a scene to board (a heading in it, or a screenplay attached)."""
    return is_scene(_pasted(job)) or bool(script_files(job.payload))


def _pasted(job: Job) -> str:
    """The mention's words with their lines (a direction's text is folded onto one line)."""
    raw = job.payload.get("text")
    return MENTION.sub("", raw) if isinstance(raw, str) else job.text


def from_mention(parts: BotParts, client: WebClient, job: Job, team_id: str) -> None:
    """A mention carrying a scene: its board opens in the mention's thread."""
    where = Where(team_id, job.channel_id, job.thread_ts, job.user_id)
    text = _pasted(job)
    try:
        attached = script_files(job.payload)
        if attached:
            text = script_text(client, attached[0])
        parts.review.check(parts.project_id(where), where.user_id, "direct")
        _open(parts, client, where, text)
    except (AttachmentError, NotAScene, Refused) as error:
        _say(client, where, str(error))
        parts.jobs.finish(job.id, "failed", reply="board", error=str(error))
        return
    parts.jobs.finish(job.id, "done", reply="board")


def board_command(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    """``/slate board <scene>``: the board in a thread of its own."""
    if not rest:
        return "Paste the scene after `/slate board`, or run `/slate board` alone for a form."
    try:
        return _open_in_new_thread(parts, client, where, rest)
    except NotAScene as error:
        return str(error)


def open_board_modal(parts: BotParts, client: WebClient, where: Where, trigger_id: str) -> None:
    parts.review.check(parts.project_id(where), where.user_id, "direct")
    client.views_open(trigger_id=trigger_id, view=open_modal(where))


def _open_in_new_thread(parts: BotParts, client: WebClient, where: Where, text: str) -> str:
    if not is_scene(text):
        raise NotAScene("I found no scene heading: a scene starts with one, e.g. `INT. THRONE ROOM - DUSK`.")
    parts.review.check(parts.project_id(where), where.user_id, "direct")
    first = next(line.strip() for line in text.splitlines() if is_heading(line))
    posted = client.chat_postMessage(
        channel=where.channel_id, text=f"<@{where.user_id}> boards a scene: *{first}*"
    )
    _open(parts, client, Where(where.team_id, where.channel_id, posted["ts"], where.user_id), text)
    return "The board is in a new thread in this channel."


def _open(parts: BotParts, client: WebClient, where: Where, text: str) -> Board:
    board = open_board(
        parts.ledger, parts.project_id(where), where.channel_id, where.thread_ts, text, where.user_id
    )
    posted = client.chat_postMessage(
        channel=where.channel_id,
        thread_ts=where.thread_ts,
        text=_list_text(board),
        blocks=_list(parts, board),
    )
    board = BoardBook(parts.ledger).update(board.id, list_ts=posted["ts"])
    if board.proposed:
        client.chat_postMessage(
            channel=where.channel_id,
            thread_ts=where.thread_ts,
            text="New characters in this scene: confirm each to add them to the canon.",
            blocks=proposal_blocks(board.id, board.proposed),
        )
    return board


def _list(parts: BotParts, board: Board) -> list[dict]:
    return shot_list_blocks(board.id, scene_of(parts.ledger, board), board_shots(board), board.title)


def _list_text(board: Board) -> str:
    return f"Board · {board.title}: {len(board.shots)} shots"


def _show_list(parts: BotParts, client: WebClient, board: Board) -> None:
    client.chat_update(
        channel=board.channel_id, ts=board.list_ts, text=_list_text(board), blocks=_list(parts, board)
    )
    if board.frames_ts:
        show_frames(client, parts.ledger, board)


def _say(client: WebClient, where: Where, text: str) -> None:
    client.chat_postMessage(channel=where.channel_id, thread_ts=where.thread_ts or None, text=text)


def _pressed_board(ledger: Ledger, body: dict) -> Board | None:
    """The board a ``slate.board.<verb>.<id>`` button belongs to (None once it is gone)."""
    return BoardBook(ledger).get(int(body["actions"][0]["action_id"].rsplit(".", 1)[1]))


def register(app: App, parts: BotParts) -> None:
    @app.action(PANEL)
    def on_panel(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        match = PANEL.match(action["action_id"])
        verb, _, n = (action.get("selected_option") or {}).get("value", "").partition(".")
        board = BoardBook(parts.ledger).get(int(match[1])) if match else None
        where = where_pressed(body)
        if board is None or not n.isdigit() or not 1 <= int(n) <= len(board.shots):
            tell(client, where, "That board or shot is gone: the list may have changed.")
            return
        if parts.refuse(client, where, "direct"):
            return
        index = int(n) - 1
        if verb == "edit":
            meta = Where(where.team_id, board.channel_id, board.thread_ts, where.user_id)
            client.views_open(
                trigger_id=body["trigger_id"],
                view=shot_modal(meta, board.id, index, board_shots(board)[index]),
            )
            return
        if verb in ("up", "down"):
            board = move_shot(parts.ledger, board, index, -1 if verb == "up" else 1)
        elif verb == "remove":
            board = remove_shot(parts.ledger, board, index)
        _show_list(parts, client, board)

    @app.action(re.compile(r"^slate\.board\.add\.\d+$"))
    def on_add(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        board = _pressed_board(parts.ledger, body)
        where = where_pressed(body)
        if board is None or parts.refuse(client, where, "direct"):
            return
        meta = Where(where.team_id, board.channel_id, board.thread_ts, where.user_id)
        client.views_open(trigger_id=body["trigger_id"], view=shot_modal(meta, board.id, None, None))

    @app.view(EDIT_VIEW)
    def on_shot_saved(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view["state"]["values"]
        shot, errors = _shot_from(values)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        meta = json.loads(view.get("private_metadata") or "{}")
        board = BoardBook(parts.ledger).get(int(meta["board_id"]))
        where = where_submitted(view, body)
        if board is None or parts.refuse(client, where, "direct"):
            return
        index = meta.get("index")
        if index is not None and not 0 <= int(index) < len(board.shots):
            tell(client, where, "That shot is no longer on the board.")
            return
        kept = board_shots(board)[int(index)] if index is not None else None
        assert shot is not None
        if kept is not None:  # what the modal doesn't show (the lines it covers) stays
            shot = shot.model_copy(
                update={
                    "lines": kept.lines,
                    "dialogue": kept.dialogue,
                    "kind": kept.kind,
                    "heading": kept.heading,
                }
            )
        try:
            board = put_shot(parts.ledger, board, None if index is None else int(index), shot)
        except ValueError as error:
            tell(client, where, str(error))
            return
        _show_list(parts, client, board)

    @app.view(OPEN_VIEW)
    def on_open(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        text = input_value(view["state"]["values"], "scene")
        if not is_scene(text):
            ack(
                response_action="errors",
                errors={"scene": "Start with a scene heading, e.g. INT. THRONE ROOM - DUSK."},
            )
            return
        ack()
        where = where_submitted(view, body)
        try:
            _open_in_new_thread(parts, client, where, text)
        except (Refused, NotAScene) as error:
            tell(client, where, str(error))

    @app.action(re.compile(r"^slate\.board\.confirm\.\d+\.\d+$"))
    def on_confirm(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        board = BoardBook(parts.ledger).get(int(action["action_id"].split(".")[3]))
        where = where_pressed(body)
        if board is None or parts.refuse(client, where, "canon"):
            return
        person = next((p for p in board.proposed if p["name"] == action.get("value")), None)
        if person is None:
            tell(client, where, f"{action.get('value')} is already confirmed.")
            return
        said = person["description"] or person["introduced"] or f"a character of {board.title}"
        # The canon's own registration, as "new character Name: …" from anyone would reach it.
        parts.start_job(where, f"new character {person['name']}: {said}", {})
        board = drop_proposal(parts.ledger, board, person["name"])
        message = body.get("message") or {}
        blocks = proposal_blocks(board.id, board.proposed) if board.proposed else []
        confirmed = f":white_check_mark: <@{where.user_id}> confirmed *{person['name']}* for the canon."
        client.chat_update(
            channel=where.channel_id,
            ts=message.get("ts", ""),
            text=confirmed,
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": confirmed}}, *blocks[1:]]
            if blocks
            else [{"type": "section", "text": {"type": "mrkdwn", "text": confirmed}}],
        )

    @app.action(re.compile(r"^slate\.board\.generate\.\d+$"))
    def on_generate(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        board = _pressed_board(parts.ledger, body)
        where = where_pressed(body)
        if board is None or parts.refuse(client, where, "direct"):
            return
        generate_all(parts, client, where, board)

    @app.action(re.compile(r"^slate\.board\.refresh\.\d+$"))
    def on_refresh(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        board = _pressed_board(parts.ledger, body)
        if board is not None:
            show_frames(client, parts.ledger, board)


def _shot_from(values: dict) -> tuple[BoardShot | None, dict[str, str]]:
    """The modal's shot, or what to fix, by field."""
    errors: dict[str, str] = {}
    lens_said, seconds_said = input_value(values, "lens").strip(), input_value(values, "duration").strip()
    lens = int(lens_said) if lens_said.isdigit() else 0
    if not 4 <= lens <= 1200:
        errors["lens"] = "A focal length in mm, 4 to 1200 (e.g. 50)."
    try:
        seconds = float(seconds_said.rstrip("s "))
    except ValueError:
        seconds = 0.0
    if not 0.5 <= seconds <= 600:
        errors["duration"] = "Seconds, 0.5 to 600 (e.g. 3.5)."
    if errors:
        return None, errors
    cast = [c.strip() for c in input_value(values, "cast").split(",") if c.strip()]
    shot = BoardShot(
        size=selected_value(values, "size"),  # type: ignore[arg-type]  # the select offers only the Literal's
        angle=selected_value(values, "angle"),  # type: ignore[arg-type]
        lens_mm=lens,
        move=selected_value(values, "move"),  # type: ignore[arg-type]
        cast=cast,
        description=input_value(values, "description").strip(),
        duration_s=seconds,
    )
    return shot, {}


def generate_all(parts: BotParts, client: WebClient, where: Where, board: Board) -> None:
    """Every panel not yet made becomes a shot of the project: a thread of its own, opened by
    Slate's message, and a job there with the panel's direction — the path of `/slate new`."""
    scene = scene_of(parts.ledger, board)
    shots = board_shots(board)
    link = f"board: {board.title}"
    for index, shot in enumerate(shots):
        if board.shots[index].get("thread_ts"):
            continue
        direction = shot_direction(shot, scene, index + 1)
        opening = (
            f"<@{where.user_id}> {link} · shot {index + 1}/{len(shots)} — *{shot.framing()}*: "
            f"{shot.description[:300]}"
        )
        posted = client.chat_postMessage(channel=board.channel_id, text=opening)
        board = link_shot(parts.ledger, board, index, posted["ts"])
        thread = Where(where.team_id, board.channel_id, posted["ts"], where.user_id)
        parts.start_job(
            thread, direction, {"ts": posted["ts"], "board": {"id": board.id, "panel": index + 1}}
        )
    if not board.frames_ts:
        posted = client.chat_postMessage(
            channel=board.channel_id,
            thread_ts=board.thread_ts,
            text=f"Drawing the board's {len(shots)} frames…",
        )
        board = BoardBook(parts.ledger).update(board.id, frames_ts=posted["ts"])
    show_frames(client, parts.ledger, board)


def show_frames(client: WebClient, ledger: Ledger, board: Board) -> None:
    """The frames message: each panel's latest frame and status, in board order, with how many are made.

    Shots finish at once: each update is read and written under one lock, so the last one
    written is the last one read, after every frame recorded before it."""
    with _FRAMES_LOCK:
        fresh = BoardBook(ledger).get(board.id) or board
        _update_frames(client, ledger, fresh)


def _update_frames(client: WebClient, ledger: Ledger, board: Board) -> None:
    review, files = Review(ledger), JobBook(ledger).files_in(board.channel_id)
    statuses: list[str] = []
    file_ids: list[str | None] = []
    for panel in board.shots:
        version = (
            ledger.latest_version(board.channel_id, panel["thread_ts"]) if panel.get("thread_ts") else None
        )
        statuses.append(
            review.status(version.id) if version else ("queued" if panel.get("thread_ts") else "not asked")
        )
        file_ids.append(files.get(version.id) if version else None)
    made = sum(f is not None for f in file_ids)
    text = f"The board's frames: {made}/{len(board.shots)} made"
    blocks = frames_blocks(board.shots, statuses, file_ids)
    blocks[0]["text"]["text"] = f"*{text}*"
    blocks.append(
        {
            "type": "actions",
            "block_id": "frames.actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": f"slate.board.refresh.{board.id}",
                    "text": {"type": "plain_text", "text": "Refresh"},
                }
            ],
        }
    )
    try:
        client.chat_update(channel=board.channel_id, ts=board.frames_ts, text=text, blocks=blocks[:50])
    except SlackApiError as error:
        log.warning("could not update board %s's frames: %s", board.id, error.response.get("error"))


def board_reviewed(client: WebClient, ledger: Ledger, channel_id: str, thread_ts: str) -> None:
    """A version's review status changed in a board shot's thread: the frames message shows it."""
    found = BoardBook(ledger).with_shot_thread(channel_id, thread_ts)
    if found is not None and found[0].frames_ts:
        show_frames(client, ledger, found[0])


def board_finished(client: WebClient, ledger: Ledger, job: Job) -> None:
    """A job ended in a board shot's thread: its versions get the panel's duration and
    dialogue, the shot its scene, and the board's frames message shows the new frame."""
    found = BoardBook(ledger).with_shot_thread(job.channel_id, job.thread_ts)
    if found is None:
        return
    board, index = found
    if job.version_ids:
        board = stamp(ledger, board, index, list(job.version_ids))
    if board.frames_ts:
        show_frames(client, ledger, board)
