"""A project's shots and canon as short answers, read from the ledger alone.

``/slate shots``, ``/slate shot 3`` and a mention's "list the approved shots with Rook" (the
agent's ``find_shots`` tool) all answer from here, in Slack's mrkdwn, quickly enough for the
3 s a slash command has.
"""

from __future__ import annotations

from sqlalchemy import select

from memory.ledger import Ledger
from memory.ledger.models import Character, ContinuityFact, Shot, Style, Version
from memory.ledger.review import LABELS, STATUS_ICONS, rows_of, status_of

REVIEW_ORDER = ("pending_review", "changes_requested", "approved", "final", "superseded", "omitted")
MAX_LISTED = 40


def shot_standing(session, shot: Shot) -> tuple[str, Version | None]:  # type: ignore[no-untyped-def]
    """A shot's standing: its approved/final version if any, else its latest version's status."""
    versions = list(shot.versions)
    statuses = [(status_of(rows_of(session, v.id)), v) for v in versions]
    for wanted in ("final", "approved"):
        found = [v for s, v in statuses if s == wanted]
        if found:
            return wanted, found[-1]
    return statuses[-1] if statuses else ("pending_review", None)


def shots_text(ledger: Ledger, project_id: int, status: str | None, character: str | None) -> str:
    with ledger.reading() as session:
        shots = list(session.scalars(select(Shot).where(Shot.project_id == project_id).order_by(Shot.number)))
        rows = []
        for shot in shots:
            standing, version = shot_standing(session, shot)
            if version is None or (status and standing != status):
                continue
            if character and character.lower() not in version.prompt.lower():
                continue
            rows.append(
                (REVIEW_ORDER.index(standing) if standing in REVIEW_ORDER else 9, shot, standing, version)
            )
    if not rows:
        what = " ".join(w for w in (LABELS.get(status or "", "").lower(), character or "") if w)
        return f"No {what + ' ' if what else ''}shots in this project yet."
    rows.sort(key=lambda r: (r[0], r[1].number))
    lines = [
        f"{STATUS_ICONS.get(standing, '')} *Shot {shot.number}* · v{version.number} · {LABELS[standing]}"
        f" — {(shot.title or version.prompt)[:80]}"
        for _, shot, standing, version in rows[:MAX_LISTED]
    ]
    more = f"\n…and {len(rows) - MAX_LISTED} more." if len(rows) > MAX_LISTED else ""
    return "\n".join(lines) + more


def shot_text(ledger: Ledger, project_id: int, number: int) -> str:
    with ledger.reading() as session:
        shot = session.scalar(select(Shot).where(Shot.project_id == project_id, Shot.number == number))
        if shot is None:
            return f"There is no shot {number} in this project."
        lines = [f"*Shot {number}* — {shot.title[:120]}"]
        for version in shot.versions:
            rows = rows_of(session, version.id)
            status = status_of(rows)
            last = rows[-1] if rows else None
            who = f" by <@{last.user_id}> {last.created_at:%Y-%m-%d %H:%M}" if last and last.user_id else ""
            note = f" — “{last.note[:120]}”" if last and last.note else ""
            lines.append(
                f"{STATUS_ICONS.get(status, '')} v{version.number} · {LABELS.get(status, status)}{who}{note}"
                f" · {version.mode} · seed `{version.seed}`"
            )
        return "\n".join(lines)


def canon_text(ledger: Ledger, project_id: int, kind: str, name: str) -> str:
    model = {"character": Character, "look": Style, "fact": ContinuityFact}[kind]
    with ledger.reading() as session:
        items = list(session.scalars(select(model).where(model.project_id == project_id)))
    if kind == "fact":
        return "\n".join(f"• {f.text}" for f in items) or "No continuity facts recorded yet."
    if name:
        found = next((i for i in items if name.lower() in _names_of(i)), None)
        if found is None:
            known = ", ".join(i.name for i in items) or f"no {kind}s yet"
            return f"There is no {kind} {name} in the canon ({known})."
        return (
            _character_text(found)
            if isinstance(found, Character)
            else f"*{found.name}* — {found.description}"
        )
    return "\n".join(f"• *{i.name}* — {i.description[:100]}" for i in items) or f"No {kind}s yet."


def _names_of(item: Character | Style) -> set[str]:
    """The names an item answers to: a character's other names too ("the captain")."""
    aliases = item.aliases if isinstance(item, Character) else []
    return {n.lower() for n in [item.name, *aliases]} | {a.lower().removeprefix("the ") for a in aliases}


def _character_text(character: Character) -> str:
    """Who the canon says a character is, as the team wrote it: description, pronouns, other
    names, costumes."""
    said = [f"*{character.name}*"]
    if character.pronouns:
        said.append(f"({character.pronouns})")
    said.append(f"— {character.description.rstrip('.')}.")
    if character.aliases:
        said.append(f"Also called {', '.join(character.aliases)}.")
    for when, what in (character.costumes or {}).items():
        said.append(f"Wears {what.rstrip('.')}." if when == "default" else f"In {when}: {what.rstrip('.')}.")
    return " ".join(said)
