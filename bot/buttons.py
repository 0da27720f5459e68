"""The generation buttons under a version: Vary, Reroll, Upscale, Extend, Vary region, Use as reference.

Each becomes a job on *its* version (the button's value), with a placeholder in the thread and
the same queue position and progress a mention gets. Vary region and Use as reference ask
first, in a modal. Who may press what is checked before anything is written or opened.
"""

from __future__ import annotations

import json
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import select

from bot.kit import input_value, modal, option, select_input, selected_value, text_input
from bot.parts import BotParts, Where, slack_now, tell, where_pressed, where_submitted
from bot.version_message import parse_action
from memory.ledger.models import Character, Style

LABELS = {
    "vary_subtle": "Vary (subtle)",
    "vary_strong": "Vary (strong)",
    "reroll": "Reroll",
    "upscale": "Upscale 2×",
    "extend": "Extend",
    "vary_region": "Vary region",
    "use_as_reference": "Use as reference",
}
PERMISSION = {"vary_subtle": "vary", "vary_strong": "vary"}  # else the action's own name
REGIONS = (
    "left third",
    "centre third",
    "right third",
    "left half",
    "right half",
    "top half",
    "bottom half",
    "sky",
    "foreground",
    "centre",
)
VARY_REGION_VIEW = "slate.vary_region"
REFERENCE_VIEW = "slate.use_as_reference"


def register(app: App, parts: BotParts) -> None:
    @app.action(re.compile(r"^slate\.(vary_subtle|vary_strong|reroll|upscale)\.\d+$"))
    def on_generate(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        kind, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        action_args = {"kind": kind, "version_id": version_id}
        run_action(parts, client, where_pressed(body), action_args, pressed_at(body))

    @app.action(re.compile(r"^slate\.compare\.\d+$"))
    def on_compare(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        _, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        where = where_pressed(body)
        version = parts.ledger.version(version_id)
        if version is None or version.number < 2 or parts.refuse(client, where, "compare"):
            return
        asked = f"compare v{version.number - 1} and v{version.number}"
        parts.start_job(where, asked, {"ts": pressed_at(body) or slack_now()})

    @app.action(re.compile(r"^slate\.extend\.\d+$"))
    def on_extend(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        _, version_id = parse_action(action["action_id"]) or ("", 0)
        aspect = (action.get("selected_option") or {}).get("value", "")
        action_args = {"kind": "extend", "version_id": version_id, "aspect_ratio": aspect}
        run_action(parts, client, where_pressed(body), action_args, pressed_at(body))

    @app.action(re.compile(r"^slate\.(vary_region|use_as_reference)\.\d+$"))
    def on_ask_first(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        kind, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        where = where_pressed(body)
        if parts.refuse(client, where, PERMISSION.get(kind, kind)):
            return
        meta = where.meta(version_id=version_id)
        if kind == "vary_region":
            view = vary_region_modal(meta)
        else:
            owners = reference_owners(parts, where)
            if not owners:
                tell(client, where, "This project has no characters or looks yet: add one first.")
                return
            view = reference_modal(meta, owners)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(VARY_REGION_VIEW)
    def on_vary_region(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view["state"]["values"]
        region, change = selected_value(values, "region"), input_value(values, "change")
        if not change.strip():
            ack(response_action="errors", errors={"change": "Say what the region should show instead."})
            return
        ack()
        meta = json.loads(view["private_metadata"])
        action_args = {
            "kind": "vary_region",
            "version_id": meta["version_id"],
            "region": region,
            "change": change,
        }
        run_action(parts, client, where_submitted(view, body), action_args)

    @app.view(REFERENCE_VIEW)
    def on_reference(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ack()
        owner = selected_value(view["state"]["values"], "owner")
        meta = json.loads(view["private_metadata"])
        action_args = {
            "kind": "use_as_reference",
            "version_id": meta["version_id"],
            "region": owner,
        }
        run_action(parts, client, where_submitted(view, body), action_args)


def run_action(parts: BotParts, client: WebClient, where: Where, action: dict, at: str | None = None) -> None:
    """The button's job: written, placeholder posted, handed to the directions; or refused.

    ``at``: when it was pressed (Slack's ``action_ts``), which orders it among the thread's asks."""
    if parts.refuse(client, where, PERMISSION.get(action["kind"], action["kind"])):
        return
    version = parts.ledger.version(action["version_id"])
    label = LABELS.get(action["kind"], action["kind"])
    text = f"{label} v{version.number}" if version is not None else label
    parts.start_job(where, text, {"action": action, **({"ts": at} if at else {})})


def pressed_at(body: dict) -> str | None:
    return (body.get("actions") or [{}])[0].get("action_ts")


def reference_owners(parts: BotParts, where: Where) -> list[tuple[str, str]]:
    """(value, label) for each character and look of the project, for the picker."""
    project_id = parts.project_id(where)
    with parts.ledger.reading() as session:
        characters = session.scalars(select(Character.name).where(Character.project_id == project_id))
        looks = session.scalars(select(Style.name).where(Style.project_id == project_id))
        return [(f"character:{n}", n) for n in characters] + [(f"style:{n}", f"{n} (look)") for n in looks]


def vary_region_modal(meta: dict) -> dict:
    blocks = [
        select_input("region", "Region", [option(r, r) for r in REGIONS]),
        text_input("change", "What it shows instead", max_length=500),
    ]
    return modal(VARY_REGION_VIEW, "Vary region", "Repaint", meta, blocks)


def reference_modal(meta: dict, owners: list[tuple[str, str]]) -> dict:
    picker = select_input("owner", "A reference still of", [option(value, label) for value, label in owners])
    return modal(REFERENCE_VIEW, "Use as reference", "Add reference", meta, [picker])
