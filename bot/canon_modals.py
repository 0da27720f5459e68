"""Modals that add to the canon: a character (name, description, pronouns, costume, reference
stills) and a look. ``/slate character add`` or ``/slate look add`` with nothing after it opens
them; the submission becomes a canon direction in a thread of its own, stills attached, so the
canon is kept in one place (the director's canon tools) whichever way it was asked.
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.kit import files_value, input_value, modal, text_input
from bot.parts import BotParts, Where, tell, where_submitted
from memory.ledger.review import Refused

CHARACTER_VIEW = "slate.add_character"
LOOK_VIEW = "slate.add_look"
MAX_STILLS = 10


def register(app: App, parts: BotParts) -> None:
    @app.view(CHARACTER_VIEW)
    def on_character(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view["state"]["values"]
        name, description = input_value(values, "name").strip(), input_value(values, "description").strip()
        errors = {}
        if not name[:1].isupper():
            errors["name"] = "A name starting with a capital letter, e.g. Maya."
        if not description:
            errors["description"] = "Say what they look like: face, hair, build, age, marks."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        pronouns, costume = input_value(values, "pronouns").strip(), input_value(values, "costume").strip()
        words = f"new character {name}: {description}"
        words += f", {pronouns}" if pronouns else ""
        words += f", wears {costume}" if costume else ""
        stills = {"files": files_value(values, "stills")[:MAX_STILLS]}
        _submit(parts, client, where_submitted(view, body), f"adds a character: *{name}*", words, stills)

    @app.view(LOOK_VIEW)
    def on_look(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view["state"]["values"]
        name, description = input_value(values, "name").strip(), input_value(values, "description").strip()
        if not name or not description:
            missing = "name" if not name else "description"
            ack(response_action="errors", errors={missing: "Needed to keep the look."})
            return
        ack()
        avoid = input_value(values, "avoid").strip()
        words = f"look: {name} — {description}" + (f", no {avoid}" if avoid else "")
        _submit(parts, client, where_submitted(view, body), f"adds a look: *{name}*", words, {})


def character_modal(where: Where) -> dict:
    blocks = [
        text_input("name", "Name", max_length=100, placeholder={"type": "plain_text", "text": "Maya"}),
        text_input("description", "What they look like", multiline=True, max_length=1500),
        text_input("pronouns", "Pronouns", optional=True, max_length=32),
        text_input("costume", "What they usually wear", optional=True, max_length=300),
        {
            "type": "input",
            "block_id": "stills",
            "optional": True,
            "label": {"type": "plain_text", "text": "Reference stills"},
            "element": {
                "type": "file_input",
                "action_id": "stills",
                "filetypes": ["png", "jpg", "jpeg", "webp"],
                "max_files": MAX_STILLS,
            },
        },
    ]
    return modal(CHARACTER_VIEW, "Add a character", "Add", where.meta(), blocks)


def look_modal(where: Where) -> dict:
    blocks = [
        text_input("name", "Name", max_length=100),
        text_input("description", "What it looks like", multiline=True, max_length=1500),
        text_input("avoid", "What it never has", optional=True, max_length=300),
    ]
    return modal(LOOK_VIEW, "Add a look", "Add", where.meta(), blocks)


def _submit(parts: BotParts, client: WebClient, where: Where, what: str, words: str, payload: dict) -> None:
    try:
        parts.in_new_thread(client, where, f"<@{where.user_id}> {what}", words, "canon", payload)
    except Refused as refused:
        tell(client, where, str(refused))
