"""Block Kit of a board: the shot list, the characters to confirm, the frames, the shot modal."""

from __future__ import annotations

from typing import get_args

from agents.script.scene import Scene
from agents.script.shots import BoardShot
from agents.spec import Angle, Move, ShotSize
from bot.kit import modal, mrkdwn, option, plain, select_input, text_input
from bot.parts import Where
from memory.ledger.review import LABELS, STATUS_ICONS

EDIT_VIEW = "slate.board.shot"
OPEN_VIEW = "slate.board.open"


def shot_list_blocks(board_id: int, scene: Scene, shots: list[BoardShot], title: str) -> list[dict]:
    """One line a shot, its menu (edit, up, down, remove) beside it; add and Generate all below."""
    total = sum(s.duration_s for s in shots)
    head = (
        f"*Board · {'Scene ' + scene.number + ' · ' if scene.number else ''}{title}*\n"
        f"{len(shots)} shots · {total:.1f} s · {scene.pages:.2f} pages · "
        f"{', '.join(m.label for m in scene.cast if not m.off_screen) or 'no cast'}"
    )
    blocks: list[dict] = [{"type": "section", "block_id": "board.head", "text": mrkdwn(head)}]
    for n, shot in enumerate(shots, 1):
        lines = "".join(f"\n> {d}" for d in shot.dialogue[:3])
        cast = f" — {', '.join(shot.cast)}" if shot.cast else ""
        text = f"`{n:>2}` *{shot.framing()}*{cast} · {shot.duration_s:g} s\n_{shot.description[:300]}_{lines}"
        blocks.append(
            {
                "type": "section",
                "block_id": f"board.shot.{n}",
                "text": mrkdwn(text[:3000]),
                "accessory": {
                    "type": "overflow",
                    "action_id": f"slate.board.panel.{board_id}.{n}",
                    "options": [
                        option(f"edit.{n}", "Edit"),
                        option(f"up.{n}", "Move up"),
                        option(f"down.{n}", "Move down"),
                        option(f"remove.{n}", "Remove"),
                    ],
                },
            }
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": "board.actions",
            "elements": [
                {"type": "button", "action_id": f"slate.board.add.{board_id}", "text": plain("Add a shot")},
                {
                    "type": "button",
                    "action_id": f"slate.board.generate.{board_id}",
                    "text": plain("Generate all"),
                    "style": "primary",
                },
            ],
        }
    )
    return blocks


def proposal_blocks(board_id: int, proposed: list[dict]) -> list[dict]:
    """Characters the canon doesn't know yet, each with what the script says and a Confirm."""
    blocks: list[dict] = [
        {
            "type": "section",
            "block_id": "board.cast.head",
            "text": mrkdwn("*New characters in this scene* — confirm each to add them to the canon:"),
        }
    ]
    for n, person in enumerate(proposed[:20]):
        said = person["description"] or person["introduced"] or "the script says nothing of them yet"
        blocks.append(
            {
                "type": "section",
                "block_id": f"board.cast.{n}",
                "text": mrkdwn(f"*{person['name']}* — {said[:500]}"),
                "accessory": {
                    "type": "button",
                    "action_id": f"slate.board.confirm.{board_id}.{n}",
                    "text": plain("Confirm"),
                    "value": person["name"][:150],
                },
            }
        )
    return blocks


def frames_blocks(panels: list[dict], statuses: list[str], file_ids: list[str | None]) -> list[dict]:
    """The scene's frames in board order, each with its shot number and status."""
    blocks: list[dict] = [
        {"type": "section", "block_id": "frames.head", "text": mrkdwn("*The board's frames*")}
    ]
    for n, (panel, status, file_id) in enumerate(zip(panels, statuses, file_ids, strict=True), 1):
        number = f"Shot {panel['shot_number']}" if panel.get("shot_number") else "not made yet"
        mark, said = STATUS_ICONS.get(status, ":hourglass_flowing_sand:"), LABELS.get(status, status)
        line = f"`{n:>2}` {mark} {number} · {said} · "
        line += f"{BoardShot.model_validate(panel).framing()} · {panel['duration_s']:g} s"
        if file_id and len(blocks) < 48:
            blocks.append(
                {
                    "type": "image",
                    "block_id": f"frames.{n}.image",
                    "slack_file": {"id": file_id},
                    "alt_text": panel["description"][:1900] or f"panel {n}",
                    "title": plain(f"{n}. {number}"),
                }
            )
        blocks.append({"type": "context", "block_id": f"frames.{n}", "elements": [mrkdwn(line)]})
    return blocks[:50]


def shot_modal(where: Where, board_id: int, index: int | None, shot: BoardShot | None) -> dict:
    """Edit a panel (``index``) or add one (None): size, angle, lens, move, cast, description, duration."""
    shot = shot or BoardShot(size="MS", lens_mm=35, kind="single")

    def choices(values: tuple[str, ...], chosen: str) -> tuple[list[dict], dict]:
        options = [option(v, v) for v in values]
        return options, next(o for o in options if o["value"] == chosen)

    blocks = [
        select_input("size", "Size", *choices(get_args(ShotSize), shot.size)),
        select_input("angle", "Angle", *choices(get_args(Angle), shot.angle)),
        text_input("lens", "Lens (mm)", initial_value=str(shot.lens_mm), max_length=4),
        select_input("move", "Move", *choices(get_args(Move), shot.move)),
        text_input("cast", "Cast (names, commas between)", optional=True, initial_value=", ".join(shot.cast)),
        text_input(
            "description", "Description", multiline=True, max_length=1500, initial_value=shot.description
        ),
        text_input("duration", "Duration (s)", initial_value=f"{shot.duration_s:g}", max_length=6),
    ]
    meta = where.meta(board_id=board_id, index=index)
    title = f"Edit shot {index + 1}" if index is not None else "Add a shot"
    return modal(EDIT_VIEW, title, "Save", meta, blocks)


def open_modal(where: Where) -> dict:
    blocks = [text_input("scene", "The scene (Fountain or screenplay text)", multiline=True, max_length=3000)]
    return modal(OPEN_VIEW, "Board a scene", "Break it down", where.meta(), blocks)
