"""Block Kit pieces Slate's messages and modals are built from, so each view reads as its content.

Every input here uses its block's id as its action id, so a submission's value is found by one
name (``input_value(values, "note")``).
"""

from __future__ import annotations

import json


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def option(value: str, label: str) -> dict:
    return {"text": plain(label[:75]), "value": value}


def modal(callback_id: str, title: str, submit: str, meta: dict, blocks: list[dict]) -> dict:
    """A modal whose ``private_metadata`` carries ``meta`` (where it was opened from) as JSON."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": json.dumps(meta),
        "title": plain(title),
        "submit": plain(submit),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def text_input(block_id: str, label: str, *, optional: bool = False, **element: object) -> dict:
    """A plain-text input; ``element`` adds the element's own fields (multiline, max_length…)."""
    block: dict = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"type": "plain_text_input", "action_id": block_id, **element},
    }
    if optional:
        block["optional"] = True
    return block


def select_input(block_id: str, label: str, options: list[dict], initial: dict | None = None) -> dict:
    """A static select of ``options`` (``option(...)``), the first chosen unless ``initial`` is."""
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {
            "type": "static_select",
            "action_id": block_id,
            "options": options[:100],
            "initial_option": initial or options[0],
        },
    }


def input_value(values: dict, block_id: str) -> str:
    """A submitted text input's value ("" when empty)."""
    return _state(values, block_id).get("value") or ""


def selected_value(values: dict, block_id: str) -> str:
    """A submitted select's chosen value ("" when none)."""
    return (_state(values, block_id).get("selected_option") or {}).get("value") or ""


def files_value(values: dict, block_id: str) -> list[dict]:
    """A submitted file input's files (Slack file objects; [] when none)."""
    return _state(values, block_id).get("files") or []


def _state(values: dict, block_id: str) -> dict:
    """One input's submitted state: its block's id is its action's id (see the module's note)."""
    return (values.get(block_id) or {}).get(block_id) or {}
