"""The message a result becomes: each version's image, caption, status and buttons (Block Kit).

The placeholder is edited into this message, so a thread shows one message per result. Every
block of a version carries the version's id in its ``block_id`` (``v<id>.image``, ``.caption``,
``.status``, ``.actions``) and every button names its action and version in its
``action_id`` (``slate.<action>.<id>``): a button acts on the version it sits under, and a
status change edits just that version's status line in place. A batch of 8 is 8 × 4 blocks
plus the answer, under Slack's 50 per message; an actions block holds at most 10 of its 25 elements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import get_args

from agents import ShotOutcome
from agents.desk import Picture
from bot.kit import mrkdwn, plain
from config.presets import AspectRatio
from memory.ledger.review import LABELS, PENDING, STATUS_ICONS, StatusChange

MAX_BLOCKS = 50
IMAGE_BLOCK_ID = re.compile(r"v(\d+)\.image")
ACTION_ID = re.compile(r"^slate\.(?P<action>[a-z_]+)\.(?P<version>\d+)$")
BUTTONS = (
    ("approve", "Approve", "primary"),
    ("request_changes", "Request changes", None),
    ("vary_subtle", "Vary (subtle)", None),
    ("vary_strong", "Vary (strong)", None),
    ("reroll", "Reroll", None),
    ("upscale", "Upscale", None),
    ("vary_region", "Vary region", None),
    ("use_as_reference", "Use as reference", None),
)


def action_id(action: str, version_id: int) -> str:
    return f"slate.{action}.{version_id}"


def parse_action(value: str) -> tuple[str, int] | None:
    """(action, version id) from a button's ``action_id``."""
    found = ACTION_ID.match(value)
    return (found["action"], int(found["version"])) if found else None


def status_line(status: str, change: StatusChange | None = None) -> str:
    """ ":white_check_mark: Approved by @april · 14:02" (pending review has nobody to name)."""
    line = f"{STATUS_ICONS.get(status, '')} *{LABELS.get(status, status)}*"
    if change is not None and change.user_id:
        line += f" by <@{change.user_id}> · {_clock(change.at)}"
        if change.note and change.to_status != "changes_requested":
            line += f" · {change.note}"
    return line


def version_blocks(outcome: ShotOutcome, file_id: str, status: str = PENDING) -> list[dict]:
    """The four blocks of one version: image, caption, status line, buttons."""
    vid = outcome.version_id
    kind = "previz" if outcome.is_previz else outcome.mode
    note = f" · {outcome.note}" if outcome.note else ""
    caption = f"*{outcome.label}* · {kind} · {outcome.width}×{outcome.height} · seed `{outcome.seed}`{note}"
    if outcome.spec:
        caption += f"\n_Read as:_ {outcome.spec}"
    caption += "".join(f"\n:warning: {flag}" for flag in outcome.drift)
    return [
        {
            "type": "image",
            "block_id": f"v{vid}.image",
            "slack_file": {"id": file_id},
            "alt_text": f"{outcome.label}: {outcome.prompt[:1900]}",
            "title": {"type": "plain_text", "text": outcome.label},
        },
        {"type": "context", "block_id": f"v{vid}.caption", "elements": [mrkdwn(caption[:3000])]},
        {"type": "context", "block_id": f"v{vid}.status", "elements": [mrkdwn(status_line(status))]},
        {
            "type": "actions",
            "block_id": f"v{vid}.actions",
            "elements": _buttons(vid, outcome.version_number, outcome.has_scene, outcome.has_animatic),
        },
    ]


def result_blocks(
    text: str,
    shown: Iterable[tuple[ShotOutcome, str]],
    pictures: Iterable[tuple[Picture, str]] = (),
) -> list[dict]:
    """The answer, any pictures (a comparison), then each version; a batch too large for one
    message is cut to fit, and says so."""
    shown = list(shown)
    blocks: list[dict] = []
    if not _only_the_captions(text, [o for o, _ in shown]):
        blocks.append({"type": "section", "block_id": "answer", "text": mrkdwn(text[:3000] or "Done.")})
    for n, (picture, file_id) in enumerate(pictures):
        blocks.append(
            {
                "type": "image",
                "block_id": f"picture.{n}",
                "slack_file": {"id": file_id},
                "alt_text": picture.title,
                "title": {"type": "plain_text", "text": picture.title[:2000]},
            }
        )
    for index, (outcome, file_id) in enumerate(shown):
        version = version_blocks(outcome, file_id)
        if len(blocks) + len(version) > MAX_BLOCKS - 1:
            rest = ", ".join(o.label for o, _ in shown[index:])
            blocks.append(_context(f"Not shown here (Slack's 50-block limit): {rest}."))
            break
        blocks += version
    return blocks


def _only_the_captions(text: str, outcomes: list[ShotOutcome]) -> bool:
    """Whether the answer just says what the versions' captions say ("Recorded Shot 1 · v2 (…)"):
    then the message shows the captions alone, not the same words twice."""
    return bool(outcomes) and text.startswith(f"Recorded {outcomes[0].label}")


def with_status(blocks: list[dict], version_id: int, line: str) -> list[dict] | None:
    """The message's blocks with one version's status line replaced; None if it isn't there."""
    wanted = f"v{version_id}.status"
    if not any(b.get("block_id") == wanted for b in blocks):
        return None
    return [{**b, "elements": [mrkdwn(line)]} if b.get("block_id") == wanted else b for b in blocks]


def shown_images(messages: Iterable[dict]) -> list[tuple[int, dict, dict]]:
    """(version id, image block, message) for each version the messages show, in their order."""
    found = []
    for message in messages:
        for block in message.get("blocks") or []:
            match = IMAGE_BLOCK_ID.fullmatch(str(block.get("block_id", "")))
            if match and block.get("type") == "image":
                found.append((int(match.group(1)), block, message))
    return found


def shown_versions(messages: Iterable[dict]) -> set[int]:
    """The version ids that messages show (their image blocks), to never show one twice."""
    return {version_id for version_id, _, _ in shown_images(messages)}


def note_blocks(change: StatusChange, label: str, approval_id: int) -> list[dict]:
    """A "request changes" note in the thread, with a button that runs it as the next direction."""
    return [
        {
            "type": "section",
            "block_id": f"note.{approval_id}",
            "text": mrkdwn(f":memo: <@{change.user_id}> asked for changes on *{label}*:\n> {change.note}"),
        },
        {
            "type": "actions",
            "block_id": f"note.{approval_id}.actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": f"slate.make_change.{approval_id}",
                    "text": plain("Make this change"),
                    "value": str(approval_id),
                    "style": "primary",
                }
            ],
        },
    ]


def _buttons(version_id: int, number: int, has_scene: bool = False, has_animatic: bool = False) -> list[dict]:
    buttons: list[dict] = []
    for action, label, style in BUTTONS:
        button = {
            "type": "button",
            "action_id": action_id(action, version_id),
            "text": {"type": "plain_text", "text": label},
            "value": str(version_id),
        }
        if style:
            button["style"] = style
        buttons.append(button)
    if has_scene:  # the 3D blocking, for a previz artist to continue in Blender
        buttons.append(
            {
                "type": "button",
                "action_id": action_id("open_blend", version_id),
                "text": plain("Open in Blender"),
                "value": str(version_id),
            }
        )
    if has_animatic:  # the camera move, played in the thread
        buttons.append(
            {
                "type": "button",
                "action_id": action_id("animatic", version_id),
                "text": plain("Play the move"),
                "value": str(version_id),
            }
        )
    if number > 1:  # side by side with the version before it
        buttons.append(
            {
                "type": "button",
                "action_id": action_id("compare", version_id),
                "text": plain(f"Compare with v{number - 1}"),
                "value": str(version_id),
            }
        )
    buttons.insert(
        6,
        {
            "type": "static_select",
            "action_id": action_id("extend", version_id),
            "placeholder": {"type": "plain_text", "text": "Extend to…"},
            "options": [
                {"text": {"type": "plain_text", "text": aspect}, "value": aspect}
                for aspect in get_args(AspectRatio)
            ],
        },
    )
    return buttons


def _context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text)]}


def _clock(at: datetime) -> str:
    return at.strftime("%H:%M")
