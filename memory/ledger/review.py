"""Review: each version's status, every change to it, and who may do what in a project.

A version starts *pending review*. People move it to *changes requested*, *approved*,
*omitted* or (a director, from approved) *final*; approving a version supersedes the shot's
earlier approval, recorded on that version too. Every change is one appended row (who, when,
from, to, note) and nothing is overwritten: a version's status is its latest row.

Roles are per project (a Slack channel): viewer < artist < approver < director. What each
action needs is decided here, in ``ACTIONS``, and checked inside the same transaction that
writes, so a refused action writes nothing and says why. A person's role is their latest
grant in the project, else the one the settings seed, else: the person who started a project
with no director is its director, everyone else an artist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memory.ledger.models import Approval, RoleGrant, Shot, Version
from memory.ledger.store import Ledger

ROLES = ("viewer", "artist", "approver", "director")
DEFAULT_ROLE = "artist"

# action -> the least role that may do it
ACTIONS: dict[str, str] = {
    "view": "viewer",
    "direct": "artist",
    "vary": "artist",
    "reroll": "artist",
    "upscale": "artist",
    "vary_region": "artist",
    "extend": "artist",
    "use_as_reference": "artist",
    "compare": "viewer",
    "canon": "artist",
    "canon_remove": "director",
    "approve": "approver",
    "request_changes": "approver",
    "omit": "approver",
    "restore": "approver",
    "final": "director",
    "roles": "director",
    "settings": "director",
}

PENDING, CHANGES, APPROVED, OMITTED, FINAL, SUPERSEDED = (
    "pending_review",
    "changes_requested",
    "approved",
    "omitted",
    "final",
    "superseded",
)
STATUSES = (PENDING, CHANGES, APPROVED, OMITTED, FINAL, SUPERSEDED)
LABELS = {
    PENDING: "Pending review",
    CHANGES: "Changes requested",
    APPROVED: "Approved",
    OMITTED: "Omitted",
    FINAL: "Final",
    SUPERSEDED: "Superseded",
}
STATUS_ICONS = {  # as Slack shows them
    "pending_review": ":large_yellow_circle:",
    "changes_requested": ":memo:",
    "approved": ":white_check_mark:",
    "omitted": ":no_entry_sign:",
    "final": ":lock:",
    "superseded": ":arrow_heading_down:",
}
# the words people use for statuses ("list the approved shots", "/slate shots pending")
STATUS_WORDS = {
    "pending": PENDING,
    "waiting": PENDING,
    "changes": CHANGES,
    "approved": APPROVED,
    "final": FINAL,
    "omitted": OMITTED,
    "rejected": OMITTED,
    "bounced": OMITTED,
    "sent back": CHANGES,
    "review": PENDING,
}


def status_named(word: str) -> str | None:
    """The status a word names (its own name, or a word people use for it); None if none."""
    word = word.lower().rstrip(",.")
    return STATUS_WORDS.get(word) or (word if word in STATUSES else None)


# what a person does to reach a status, and the statuses it may be reached from
BY_ACTION = {
    APPROVED: "approve",
    CHANGES: "request_changes",
    OMITTED: "omit",
    PENDING: "restore",
    FINAL: "final",
}
FROM = {
    APPROVED: {PENDING, CHANGES, SUPERSEDED},
    CHANGES: {PENDING, APPROVED, SUPERSEDED},
    OMITTED: {PENDING, CHANGES, APPROVED, SUPERSEDED},
    PENDING: {CHANGES, OMITTED},
    FINAL: {APPROVED},
}
LEGACY = {"retake": CHANGES, "rejected": OMITTED}  # decisions written before statuses


class Refused(Exception):
    """An action this person may not take, or a change this version cannot make: nothing was written."""


@dataclass(frozen=True)
class StatusChange:
    id: int
    version_id: int
    user_id: str
    from_status: str
    to_status: str
    note: str
    at: datetime


def status_of(rows: list[Approval]) -> str:
    """A version's status from its rows, oldest first (pending review when it has none)."""
    if not rows:
        return PENDING
    last = rows[-1].decision
    return LEGACY.get(last, last)


def _rank(role: str) -> int:
    return ROLES.index(role)


class Review:
    def __init__(self, ledger: Ledger, seeded_roles: Mapping[str, str] | None = None) -> None:
        self.ledger = ledger
        self.seeded = {user: role for user, role in (seeded_roles or {}).items() if role in ROLES}

    # Roles ------------------------------------------------------------------------------

    def role_of(self, project_id: int, user_id: str) -> str:
        with self.ledger.reading() as session:
            return self._role(session, project_id, user_id)

    def roles(self, project_id: int) -> dict[str, str]:
        """Everyone with a role in the project other than the default, by user id."""
        with self.ledger.reading() as session:
            users = set(self.seeded) | set(
                session.scalars(select(RoleGrant.user_id).where(RoleGrant.project_id == project_id))
            )
            founder = self._founder(session, project_id)
            if founder:
                users.add(founder)
            return {user: self._role(session, project_id, user) for user in sorted(users)}

    def grant(self, project_id: int, by: str, user_id: str, role: str) -> None:
        """``by`` gives ``user_id`` a role; only a director may."""
        if role not in ROLES:
            raise Refused(f"There is no role {role!r}. Roles: {', '.join(ROLES)}.")
        with self.ledger.transaction() as session:
            self._require(session, project_id, by, "roles")
            if by == self._founder(session, project_id):  # keep the founder's role on record first
                session.add(RoleGrant(project_id=project_id, user_id=by, role="director", granted_by="slate"))
            session.add(RoleGrant(project_id=project_id, user_id=user_id, role=role, granted_by=by))

    def check(self, project_id: int, user_id: str, action: str) -> None:
        """Raise ``Refused`` (saying why) unless this person may take this action here."""
        with self.ledger.reading() as session:
            self._require(session, project_id, user_id, action)

    # Statuses ---------------------------------------------------------------------------

    def status(self, version_id: int) -> str:
        with self.ledger.reading() as session:
            return status_of(self._rows(session, version_id))

    def change(self, change_id: int) -> StatusChange | None:
        with self.ledger.reading() as session:
            row = session.get(Approval, change_id)
            return _change(row) if row is not None else None

    def history(self, version_id: int) -> list[StatusChange]:
        with self.ledger.reading() as session:
            return [_change(row) for row in self._rows(session, version_id)]

    def shot_statuses(self, shot_id: int) -> dict[int, str]:
        """Each version of a shot (by version number) and its status."""
        with self.ledger.reading() as session:
            versions = session.scalars(
                select(Version).where(Version.shot_id == shot_id).order_by(Version.number)
            )
            return {v.number: status_of(self._rows(session, v.id)) for v in versions}

    def set_status(self, version_id: int, user_id: str, to: str, note: str = "") -> list[StatusChange]:
        """Move a version to ``to``; returns every change written (an approval may supersede
        the shot's earlier one). Raises ``Refused`` and writes nothing when it may not be done."""
        if to not in BY_ACTION:
            raise Refused(f"There is no status {to!r}. Statuses: {', '.join(BY_ACTION)}.")
        with self.ledger.transaction() as session:
            version = session.get(Version, version_id)
            if version is None:
                raise Refused("That version no longer exists.")
            project_id = version.shot.project_id
            self._require(session, project_id, user_id, BY_ACTION[to])
            current = status_of(self._rows(session, version_id))
            if current == to:
                raise Refused(f"v{version.number} is already {LABELS[to].lower()}.")
            if current not in FROM[to]:
                raise Refused(
                    f"v{version.number} is {LABELS[current].lower()}; it cannot become {LABELS[to].lower()}."
                )
            changes = []
            if to == APPROVED:
                changes += self._supersede(session, version, user_id)
            changes.append(self._append(session, version_id, user_id, current, to, note))
            return changes

    def approved_versions(self, project_id: int) -> list[Version]:
        """Each shot's approved (or final) version, by shot number."""
        with self.ledger.reading() as session:
            shots = session.scalars(select(Shot).where(Shot.project_id == project_id).order_by(Shot.number))
            found = []
            for shot in shots:
                for version in reversed(shot.versions):
                    if status_of(self._rows(session, version.id)) in (APPROVED, FINAL):
                        found.append(version)
                        break
            return found

    # Inside a transaction ---------------------------------------------------------------

    def _supersede(self, session: Session, version: Version, user_id: str) -> list[StatusChange]:
        changes = []
        for other in session.scalars(select(Version).where(Version.shot_id == version.shot_id)):
            if other.id == version.id:
                continue
            status = status_of(self._rows(session, other.id))
            if status == FINAL:
                raise Refused(f"v{other.number} of this shot is final; a director reopens it first.")
            if status == APPROVED:
                note = f"superseded by v{version.number}"
                changes.append(self._append(session, other.id, user_id, APPROVED, SUPERSEDED, note))
        return changes

    @staticmethod
    def _append(
        session: Session, version_id: int, user_id: str, was: str, to: str, note: str
    ) -> StatusChange:
        row = Approval(version_id=version_id, user_id=user_id, from_status=was, decision=to, note=note[:4000])
        session.add(row)
        session.flush()
        return _change(row)

    @staticmethod
    def _rows(session: Session, version_id: int) -> list[Approval]:
        return rows_of(session, version_id)

    def _require(self, session: Session, project_id: int, user_id: str, action: str) -> None:
        needed = ACTIONS[action]
        role = self._role(session, project_id, user_id)
        if _rank(role) < _rank(needed):
            raise Refused(
                f"You are {_article(role)} {role} in this project; {action.replace('_', ' ')} needs "
                f"{_article(needed)} {needed} or above. A director can change roles with "
                "`/slate role @you <role>`."
            )

    def _role(self, session: Session, project_id: int, user_id: str) -> str:
        granted = session.scalar(
            select(RoleGrant.role)
            .where(RoleGrant.project_id == project_id, RoleGrant.user_id == user_id)
            .order_by(RoleGrant.id.desc())
            .limit(1)
        )
        if granted:
            return granted
        if user_id in self.seeded:
            return self.seeded[user_id]
        if user_id and user_id == self._founder(session, project_id):
            return "director"
        return DEFAULT_ROLE

    def _founder(self, session: Session, project_id: int) -> str | None:
        """Who started a project that has no director of record (granted or seeded)."""
        if "director" in self.seeded.values():
            return None
        granted_director = session.scalar(
            select(func.count())
            .select_from(RoleGrant)
            .where(RoleGrant.project_id == project_id, RoleGrant.role == "director")
        )
        if granted_director:
            return None
        return session.scalar(
            select(Version.created_by)
            .join(Shot)
            .where(Shot.project_id == project_id, Version.created_by != "")
            .order_by(Version.id)
            .limit(1)
        )


def rows_of(session: Session, version_id: int) -> list[Approval]:
    query = select(Approval).where(Approval.version_id == version_id).order_by(Approval.id)
    return list(session.scalars(query))


def is_approved(session: Session, version_id: int) -> bool:
    """Whether a version stands approved (or final) now, not merely was once."""
    return status_of(rows_of(session, version_id)) in (APPROVED, FINAL)


def _change(row: Approval) -> StatusChange:
    return StatusChange(
        row.id, row.version_id, row.user_id, row.from_status, row.decision, row.note, row.created_at
    )


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
