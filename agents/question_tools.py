"""Tools that answer questions about the project instead of making a shot.

"help", "list the shots", "show me the approved shots with Rook", "history of shot 1": the
agent answers these from the ledger (``agents.lookup``), the same answers ``/slate`` gives.
"""

from __future__ import annotations

from langchain.tools import ToolRuntime, tool

from agents.lookup import canon_text, shot_text, shots_text
from agents.shot_tools import DirectionContext
from memory.ledger import Ledger
from memory.ledger.review import STATUSES

TextResult = tuple[str, list]

HELP = """I make and keep shots for this channel's project. Write to me like a director:
• *a new shot*: `@slate wide shot, Maya walks into the throne room at dusk, 2.39:1`
• *revise it* in its thread: `@slate tighter, lower angle` · `@slate make her cloak red` · `@slate back to v2`
• *the canon*: `@slate new character Maya: 30s, short dark hair, scar on left cheek` (attach stills) · \
`@slate look: Noir — hard shadows, no colour` · `@slate fact: it rains all of act 2`
• *questions*: `@slate list the approved shots` · `@slate history of shot 1`
Under every version: Approve, Request changes, Vary, Reroll, Upscale, Vary region, Extend, \
Use as reference. `/slate help` lists the commands."""


@tool(response_format="content_and_artifact")
def explain_slate(runtime: ToolRuntime[DirectionContext]) -> TextResult:
    """Say what Slate can do and how to ask for it (for "help", "what can you do?")."""
    return HELP, []


@tool(response_format="content_and_artifact")
def find_shots(
    runtime: ToolRuntime[DirectionContext], status: str = "", character: str = "", shot: int = 0
) -> TextResult:
    """List this project's shots, or one shot's versions and review history; makes nothing.

    Args:
        status: Only shots standing at this status: pending_review, changes_requested, approved,
            final, omitted; empty for all.
        character: Only shots showing this character (by name); empty for all.
        shot: One shot's number, to show its versions and their statuses (0: list shots).
    """
    ledger, project_id = _project(runtime)
    if shot:
        return shot_text(ledger, project_id, shot), []
    wanted = status if status in STATUSES else None
    return shots_text(ledger, project_id, wanted, character or None), []


@tool(response_format="content_and_artifact")
def find_canon(runtime: ToolRuntime[DirectionContext], kind: str = "character", name: str = "") -> TextResult:
    """Say what the canon holds ("what does Rook look like again?", "who's in the cast?", "what
    looks do we have?"); makes nothing.

    Args:
        kind: "character", "look" or "fact".
        name: One character's (or another name they go by) or look's name; empty lists them all.
    """
    ledger, project_id = _project(runtime)
    wanted = kind if kind in ("character", "look", "fact") else "character"
    return canon_text(ledger, project_id, wanted, name.strip()), []


def _project(runtime: ToolRuntime[DirectionContext]) -> tuple[Ledger, int]:
    """The ledger and the project of the channel the question was asked in."""
    thread, ledger = runtime.context.direction.thread, runtime.context.desk.ledger
    return ledger, ledger.project(thread.team_id, thread.channel_id).id


QUESTION_TOOLS = [explain_slate, find_shots, find_canon]
