"""``/slate settings``: a project's model, default frame and steps for new shots, in a modal.

Only a director may change them (checked before the modal opens and again when it is
submitted); revisions keep their parent's settings, so this changes new shots only.
"""

from __future__ import annotations

from typing import get_args

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.kit import input_value, modal, option, plain, select_input, selected_value, text_input
from bot.parts import BotParts, Where, tell, where_submitted
from config.presets import AspectRatio
from memory.ledger.models import Project

SETTINGS_VIEW = "slate.settings"
DEFAULT = "default"
MAX_STEPS = 150
TRAINING = "do_not_train"


def register(app: App, parts: BotParts) -> None:
    @app.view(SETTINGS_VIEW)
    def on_settings(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view["state"]["values"]
        steps = _steps(input_value(values, "steps"))
        if steps == -1:
            problem = f"A whole number from 1 to {MAX_STEPS}, or empty."
            ack(response_action="errors", errors={"steps": problem})
            return
        ack()
        where = where_submitted(view, body)
        model, aspect = (selected_value(values, name) for name in ("model", "aspect"))
        if parts.refuse(client, where, "settings"):
            return
        project = parts.ledger.set_project_defaults(
            where.team_id,
            where.channel_id,
            model=None if model in ("", DEFAULT) else model,
            aspect=None if aspect in ("", DEFAULT) else aspect,
            steps=steps or None,
        )
        training = bool(_state_of(values, TRAINING).get("selected_options"))
        project = parts.ledger.set_project_do_not_train(where.team_id, where.channel_id, training)
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
        + (" · exported frames say: not for AI training" if project.do_not_train else "")
    )


def settings_modal(project: Project, models: tuple[str, ...], where: Where) -> dict:
    model_options = [option(DEFAULT, "Configured default")] + [option(m, m) for m in models[:99]]
    aspect_options = [option(DEFAULT, "16:9 (default)")] + [option(a, a) for a in get_args(AspectRatio)]
    steps = {"initial_value": str(project.default_steps)} if project.default_steps else {}
    blocks = [
        _select("model", "Model for new shots", model_options, project.default_model),
        _select("aspect", "Frame when a direction names none", aspect_options, project.default_aspect),
        text_input("steps", "Denoising steps (empty: the model's own)", optional=True, max_length=3, **steps),
        _training(project.do_not_train),
    ]
    return modal(SETTINGS_VIEW, "Project settings", "Save", where.meta(), blocks)


def _training(on: bool) -> dict:
    """A checkbox: exported frames carry a C2PA do-not-train assertion (tools/export/provenance.py)."""
    choice = option("yes", "Exported frames ask not to be used for AI training or data mining")
    initial = {"initial_options": [choice]} if on else {}
    element = {"type": "checkboxes", "action_id": TRAINING, "options": [choice], **initial}
    return {"type": "input", "block_id": TRAINING, "optional": True, "label": plain("Content credentials"),
            "element": element}  # fmt: skip


def _state_of(values: dict, block_id: str) -> dict:
    return (values.get(block_id) or {}).get(block_id) or {}


def _select(block_id: str, label: str, options: list[dict], current: str | None) -> dict:
    """A select showing the project's current choice (the default when it has none)."""
    initial = next((o for o in options if o["value"] == (current or DEFAULT)), options[0])
    return select_input(block_id, label, options, initial)


def _steps(text: str) -> int:
    """0 for empty, the number when it is one in range, -1 when it is not."""
    text = text.strip()
    if not text:
        return 0
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_STEPS else -1
