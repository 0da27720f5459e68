"""``/slate settings``: a project's model, default frame and steps for new shots, in a modal.

Only a director may change them (checked before the modal opens and again when it is
submitted); revisions keep their parent's settings, so this changes new shots only.
"""

from __future__ import annotations

import json
from typing import get_args

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.parts import BotParts, Where, tell
from config.presets import AspectRatio
from memory.ledger.models import Project
from memory.ledger.review import Refused

SETTINGS_VIEW = "slate.settings"
DEFAULT = "default"
MAX_STEPS = 150


def register(app: App, parts: BotParts) -> None:
    @app.view(SETTINGS_VIEW)
    def on_settings(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view["state"]["values"]
        steps_text = ((values.get("steps") or {}).get("steps") or {}).get("value") or ""
        steps = _steps(steps_text)
        if steps == -1:
            problem = f"A whole number from 1 to {MAX_STEPS}, or empty."
            ack(response_action="errors", errors={"steps": problem})
            return
        ack()
        meta = json.loads(view["private_metadata"])
        where = Where(meta["team_id"], meta["channel_id"], "", body["user"]["id"])
        model, aspect = _selected(values, "model"), _selected(values, "aspect")
        try:
            parts.review.check(parts.project_id(where), where.user_id, "settings")
        except Refused as refused:
            tell(client, where, str(refused))
            return
        project = parts.ledger.set_project_defaults(
            where.team_id, where.channel_id, model=model, aspect=aspect, steps=steps or None
        )
        tell(client, where, f"New shots in <#{where.channel_id}> now use: {describe(project)}.")


def open_settings(parts: BotParts, client: WebClient, where: Where, trigger_id: str) -> None:
    """The settings modal, filled with the project's current settings; refused unless a director."""
    parts.review.check(parts.project_id(where), where.user_id, "settings")
    project = parts.ledger.project(where.team_id, where.channel_id)
    client.views_open(trigger_id=trigger_id, view=settings_modal(project, parts.models, where))


def describe(project: Project) -> str:
    return (
        f"model {project.default_model or 'the configured default'} · "
        f"frame {project.default_aspect or '16:9 (default)'} · "
        f"steps {project.default_steps or 'the model’s own'}"
    )


def settings_modal(project: Project, models: tuple[str, ...], where: Where) -> dict:
    model_options = [_option(DEFAULT, "Configured default")] + [_option(m, m) for m in models[:99]]
    aspect_options = [_option(DEFAULT, "16:9 (default)")] + [_option(a, a) for a in get_args(AspectRatio)]
    steps_element: dict = {"type": "plain_text_input", "action_id": "steps", "max_length": 3}
    if project.default_steps:
        steps_element["initial_value"] = str(project.default_steps)
    return {
        "type": "modal",
        "callback_id": SETTINGS_VIEW,
        "private_metadata": json.dumps({"team_id": where.team_id, "channel_id": where.channel_id}),
        "title": {"type": "plain_text", "text": "Project settings"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _select("model", "Model for new shots", model_options, project.default_model),
            _select("aspect", "Frame when a direction names none", aspect_options, project.default_aspect),
            {
                "type": "input",
                "block_id": "steps",
                "optional": True,
                "label": {"type": "plain_text", "text": "Denoising steps (empty: the model's own)"},
                "element": steps_element,
            },
        ],
    }


def _select(block_id: str, label: str, options: list[dict], current: str | None) -> dict:
    initial = next((o for o in options if o["value"] == (current or DEFAULT)), options[0])
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "static_select",
            "action_id": block_id,
            "options": options,
            "initial_option": initial,
        },
    }


def _selected(values: dict, block_id: str) -> str | None:
    chosen = (((values.get(block_id) or {}).get(block_id) or {}).get("selected_option") or {}).get("value")
    return None if chosen in (None, DEFAULT) else chosen


def _steps(text: str) -> int:
    """0 for empty, the number when it is one in range, -1 when it is not."""
    text = text.strip()
    if not text:
        return 0
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_STEPS else -1


def _option(value: str, label: str) -> dict:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}
