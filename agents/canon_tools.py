"""Tools that keep the project's canon: characters, looks, reference stills and continuity facts.

They write only to the project of the channel the direction came from; the agent has no
way to name another project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from langchain.tools import ToolRuntime, tool

from agents.shot_tools import DirectionContext
from memory.canon import Canon, CanonError, fold
from memory.ledger.models import Character

TextResult = tuple[str, list]


def _canon_call(
    runtime: ToolRuntime[DirectionContext], what: str, run: Callable[[Canon, int], str]
) -> TextResult:
    context = runtime.context
    continuity = context.desk.continuity
    if continuity is None:
        return "Continuity memory is not configured for this workspace.", []
    thread = context.direction.thread
    project_id = context.desk.ledger.project(thread.team_id, thread.channel_id).id
    try:
        return run(continuity.canon, project_id), []
    except CanonError as error:
        return f"Could not {what}: {error}", []


@tool(response_format="content_and_artifact")
def register_character(
    name: str,
    runtime: ToolRuntime[DirectionContext],
    description: str = "",
    aliases: list[str] | None = None,
    pronouns: str = "",
    costume: str = "",
) -> TextResult:
    """Add a character to this project's canon so every shot keeps them consistent; for a
    character the canon has, add what is new (other names, pronouns, costume, a new description).

    Images attached to the message are kept as the character's reference stills.

    Args:
        name: The character's name.
        description: Face, hair, build, age, distinguishing marks (required for a new character).
        aliases: Other names the team uses ("the queen").
        pronouns: e.g. "she/her".
        costume: What they wear by default.
    """

    def run(canon: Canon, project_id: int) -> str:
        known = canon.character(project_id, name)
        if known is not None:
            character = _told_more(canon, project_id, known, description, aliases or [], pronouns, costume)
            said = f"Updated: {_kept_character(character)}"
        else:
            costumes = {"default": costume} if costume else {}
            character = canon.add_character(
                project_id, name, description, aliases=aliases or [], pronouns=pronouns, costumes=costumes
            )
            said = _kept_character(character)
        attachments = runtime.context.direction.attachments
        if not attachments:
            return said
        try:
            kept = _keep_stills(canon, project_id, "character", character.name, attachments, runtime)
        except CanonError as error:  # the character stands; the stills are what was refused
            return f"{said} I didn't keep the attached image(s) as {character.name}'s references: {error}"
        return f"{said} {kept}"

    return _canon_call(runtime, "add the character", run)


def _told_more(
    canon: Canon,
    project_id: int,
    known: Character,
    description: str,
    aliases: Sequence[str],
    pronouns: str,
    costume: str,
) -> Character:
    """A character the canon has, told more ("everyone calls Idris the Captain"): what is said is
    added or replaced, what isn't said stays; another character's name is never taken."""
    for alias in aliases:
        taken = canon.character(project_id, alias)
        if taken is not None and taken.id != known.id:
            raise CanonError(f"{alias.strip()!r} is already {taken.name} in this project.")
    held = {fold(n) for n in (known.name, *known.aliases)}
    changes: dict[str, object] = {}
    if added := [a.strip() for a in aliases if a.strip() and fold(a) not in held]:
        changes["aliases"] = [*known.aliases, *dict.fromkeys(added)]
    if pronouns.strip():
        changes["pronouns"] = pronouns.strip().lower()
    if costume.strip():
        changes["costumes"] = {**(known.costumes or {}), "default": costume.strip()}
    if description.strip():
        changes["description"] = description.strip()
    if not changes:
        raise CanonError(f"{known.name} is already in the canon, and this says nothing new about them.")
    return canon.update_character(project_id, known.name, **changes)


def _kept_character(character: Character) -> str:
    """What was kept, said back whole: the team checks the aliases and costume Slate will hold them to."""
    said = f"{character.name} is in the canon: {character.description.rstrip('.')}."
    if character.aliases:
        said += f" Also called {', '.join(character.aliases)}."
    if costume := (character.costumes or {}).get("default"):
        said += f" Wears {costume.rstrip('.')}."
    if character.pronouns:
        said += f" Pronouns: {character.pronouns}."
    return said


@tool(response_format="content_and_artifact")
def record_fact(
    text: str, runtime: ToolRuntime[DirectionContext], subject: str = "", established_in: str = ""
) -> TextResult:
    """Record a continuity fact established in the story ("the sword broke in scene 14").

    Args:
        text: The fact.
        subject: The character or thing it is about; found from the canon when omitted.
        established_in: Where it was established, e.g. "scene 14".
    """

    def run(canon: Canon, project_id: int) -> str:
        about = subject or next(
            (c.name for c in canon.characters(project_id) if c.name.lower() in text.lower()), ""
        )
        fact = canon.add_fact(project_id, text, about, established_in, runtime.context.direction.user_id)
        return f"Noted for continuity: {fact.text}" + (
            f" ({fact.established_in})." if fact.established_in else "."
        )

    return _canon_call(runtime, "record the fact", run)


@tool(response_format="content_and_artifact")
def add_look(
    name: str, description: str, runtime: ToolRuntime[DirectionContext], negative: str = ""
) -> TextResult:
    """Define a named look (lens, grade, palette, grain, lighting) shots can be made in.

    Args:
        name: The look's name, e.g. "Act 2 night exterior".
        description: Lens, grade, palette, grain and lighting words.
        negative: What this look must never show.
    """

    def run(canon: Canon, project_id: int) -> str:
        style = canon.add_style(project_id, name, description, negative)
        return f"Look {style.name!r} saved: {style.description}."

    return _canon_call(runtime, "save the look", run)


@tool(response_format="content_and_artifact")
def add_reference(owner: str, runtime: ToolRuntime[DirectionContext], caption: str = "") -> TextResult:
    """Keep the images attached to this message as reference stills for a character or a look.

    Args:
        owner: The character's or look's name.
        caption: What the stills show (angle, light, costume).
    """
    attachments = runtime.context.direction.attachments
    if not attachments:
        return "Attach the reference images to the message that asks me to keep them.", []

    def run(canon: Canon, project_id: int) -> str:
        if canon.character(project_id, owner) is not None:
            kind = "character"
        elif any(style.key == fold(owner) for style in canon.styles(project_id)):
            kind = "style"
        else:
            return (
                f"There is no character {owner} in this project's canon (nor a look by that name), "
                f"so I kept nothing. To add them, say “character: {owner} is …” and attach the stills "
                f"to that message; for a look, “look: {owner} — …” first."
            )
        return _keep_stills(canon, project_id, kind, owner, attachments, runtime, caption)

    return _canon_call(runtime, "keep the reference", run)


def _keep_stills(
    canon: Canon,
    project_id: int,
    kind: str,
    owner: str,
    attachments: Sequence[bytes],
    runtime: ToolRuntime[DirectionContext],
    caption: str = "",
) -> str:
    """All or none: every still is checked before the first is kept; the same image twice is one."""
    stills = list(dict.fromkeys(attachments))
    for data in stills:
        canon.check_reference(data)
    for data in stills:
        canon.add_reference(project_id, kind, owner, data, caption, runtime.context.direction.user_id)
    return f"Kept {len(stills)} reference still(s) for {owner}."


CANON_TOOLS = [register_character, record_fact, add_look, add_reference]
