"""``/slate``: direct, look up and manage a project from the message box.

Slack is acknowledged at once and the answer follows on the command's ``response_url`` (shown to
the caller alone), so no ledger read stands between the command and its acknowledgement;
anything that makes pictures or changes the canon becomes a job in a thread of its own, like
a mention. Unknown or malformed input gets the usage, to the caller alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy import select

from agents.lookup import canon_text, shot_text, shots_text
from bot import board
from bot.canon_modals import character_modal, look_modal
from bot.exports import export_command
from bot.parts import BotParts, Where
from bot.project_settings import open_settings
from bot.shot_lists import roles_text, status_text
from memory.canon import fold
from memory.ledger.models import Style
from memory.ledger.review import ROLES, Refused, status_named

# Each subcommand as `/slate help` lists it and the composer completes it: (usage, what it does).
SUBCOMMANDS: tuple[tuple[str, str], ...] = (
    ("new <direction>", "a new shot, in a thread of its own"),
    ("board [scene]", "a scene's shot list to edit and generate (a form, or the scene pasted after it)"),
    ("shot <n>", "shot n with its versions and their statuses"),
    ("shots [pending|changes|approved|final|omitted] [character]", "the project's shots"),
    ("character add", "a form with reference stills (or `character add <name>: <description>`)"),
    ("character list", "the project's characters"),
    ("character show <name>", "a character's description and stills"),
    ("character remove <name>", "take a character out of the canon (directors)"),
    ("look add", "a form (or `look add <name>: <description>`)"),
    ("look list", "the project's looks"),
    ("look use <name>|none", "the look new shots take (directors)"),
    ("fact add <fact>", "a continuity fact every shot keeps"),
    ("fact list", "the project's continuity facts"),
    ("role @person <director|approver|artist|viewer>", "give someone a role (directors)"),
    ("roles", "who holds which role"),
    ("status", "what is queued and generating"),
    (
        "export [scene N|shots 1,2] [otio|edl|fcp7|fcpxml|aaf|frames|pdf|psd|all] [include pending]",
        "hand the approved shots to editorial: a zip (or the one file) in the channel",
    ),
    ("settings", "the project's model, default frame and steps (directors)"),
    ("help", "this"),
)
USAGE = "\n".join(
    [
        "*Slate* — `/slate <command>`",
        *(f"• `{usage}` — {does}" for usage, does in SUBCOMMANDS),
        "In a thread, mention @slate to revise its shot; the buttons under each version approve, vary, "
        "upscale…",
    ]
)

USER = re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>")
Handler = Callable[[BotParts, WebClient, Where, str], str]
Opener = Callable[[BotParts, WebClient, Where, str], None]  # opens a modal with the trigger id


def register(app: App, parts: BotParts) -> None:
    @app.command("/slate")
    def on_slate(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        where = Where(
            command.get("team_id", ""), command.get("channel_id", ""), "", command.get("user_id", "")
        )
        verb, rest = ((command.get("text") or "").strip().split(None, 1) + [""])[
            :2
        ]  # a pasted scene keeps its lines
        opener = MODALS.get((verb.lower(), rest.strip().lower()))
        handler = COMMANDS.get(verb.lower())
        if opener is None and handler is None:
            ack(text=USAGE if not verb or verb.lower() == "help" else f"Unknown command `{verb}`.\n{USAGE}")
            return
        ack()  # Slack hears at once; the answer follows on the command's response_url, to the caller alone
        try:
            if opener is not None:  # a modal asks for the rest (its trigger lasts 3 s: time enough)
                opener(parts, client, where, command.get("trigger_id", ""))
                return
            assert handler is not None
            answer = handler(parts, client, where, rest.strip())
        except Refused as refused:
            answer = str(refused)
        respond(text=answer)


def _new(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    if not rest:
        return "Usage: `/slate new <direction>`, e.g. `/slate new WS, Maya at the harbour at dawn`."
    return parts.in_new_thread(client, where, f"<@{where.user_id}> directs: {rest}", rest, "direct")


def _shot(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    if not rest.isdigit():
        return "Usage: `/slate shot <n>`, e.g. `/slate shot 3`."
    return shot_text(parts.ledger, parts.project_id(where), int(rest))


def _shots(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    status, character = None, None
    for word in rest.split():
        found = status_named(word)
        if found:
            status = found
        else:
            character = word
    return shots_text(parts.ledger, parts.project_id(where), status, character)


def _role(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    person, role = USER.search(rest), rest.split()[-1].lower() if rest.split() else ""
    if person is None or role not in ROLES:
        return f"Usage: `/slate role @person <{'|'.join(ROLES)}>`."
    parts.review.grant(parts.project_id(where), where.user_id, person["id"], role)
    return f"<@{person['id']}> is now {'an' if role[0] in 'aeiou' else 'a'} {role} in this project."


def _roles(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    return roles_text(parts, parts.project_id(where))


def _status(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    return status_text(parts, where.channel_id)


def _canon(kind: str) -> Handler:
    """``character|look|fact add …`` go to the director as a direction; ``list``/``show`` read."""

    def handle(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
        verb, _, body = rest.partition(" ")
        verb = verb.lower()
        if verb == "add" and body.strip():
            words = {
                "character": f"new character {body.strip()}",
                "look": f"look: {body.strip()}",
                "fact": f"fact: {body.strip()}",
            }[kind]
            opening = f"<@{where.user_id}> adds a {kind}: {body.strip()}"
            return parts.in_new_thread(client, where, opening, words, "canon")
        if verb == "remove" and kind == "character" and body.strip():
            name = body.strip()
            opening = f"<@{where.user_id}> removes the character {name} from the canon"
            payload = {"remove_character": name}
            return parts.in_new_thread(client, where, opening, f"remove {name}", "canon_remove", payload)
        if verb == "use" and kind == "look":
            return _use_look(parts, where, body.strip())
        if verb in ("list", "show", ""):
            return canon_text(
                parts.ledger, parts.project_id(where), kind, body.strip() if verb == "show" else ""
            )
        return f"Usage: `/slate {kind} add …` or `/slate {kind} list`."

    return handle


def _open_canon_modal(build: Callable[[Where], dict]) -> Opener:
    def open_modal(parts: BotParts, client: WebClient, where: Where, trigger_id: str) -> None:
        parts.review.check(parts.project_id(where), where.user_id, "canon")
        client.views_open(trigger_id=trigger_id, view=build(where))

    return open_modal


MODALS: dict[tuple[str, str], Opener] = {
    ("settings", ""): open_settings,
    ("board", ""): board.open_board_modal,
    ("character", "add"): _open_canon_modal(character_modal),
    ("look", "add"): _open_canon_modal(look_modal),
}


def _use_look(parts: BotParts, where: Where, name: str) -> str:
    """The look every new shot takes unless its direction names another; `none` clears it."""
    if not name:
        return "Usage: `/slate look use <name>` (or `/slate look use none`)."
    parts.review.check(parts.project_id(where), where.user_id, "settings")
    if name.lower() == "none":
        parts.ledger.set_project_look(where.team_id, where.channel_id, None)
        return "New shots take no default look now."
    with parts.ledger.reading() as session:
        looks = list(session.scalars(select(Style).where(Style.project_id == parts.project_id(where))))
    found = next((s for s in looks if s.key == fold(name)), None)
    if found is None:
        known = ", ".join(s.name for s in looks) or "none yet: `/slate look add` makes one"
        return f"There is no look {name!r} in this project. Looks: {known}."
    parts.ledger.set_project_look(where.team_id, where.channel_id, found.key)
    return f"New shots take the look *{found.name}* unless their direction names another."


COMMANDS: dict[str, Handler] = {
    "new": _new,
    "board": board.board_command,
    "shot": _shot,
    "shots": _shots,
    "role": _role,
    "roles": _roles,
    "status": _status,
    "export": export_command,
    "character": _canon("character"),
    "look": _canon("look"),
    "fact": _canon("fact"),
}
