"""Who has which role and what is queued, as short mrkdwn answers for ``/slate``."""

from __future__ import annotations

from sqlalchemy import select

from bot.parts import BotParts
from memory.ledger.models import Job


def roles_text(parts: BotParts, project_id: int) -> str:
    roles = parts.review.roles(project_id)
    if not roles:
        return "Nobody has a role in this project yet; everyone is an artist."
    listed = "\n".join(f"• <@{user}> — {role}" for user, role in roles.items())
    return f"{listed}\nEveryone else is an artist."


def status_text(parts: BotParts, channel_id: str) -> str:
    with parts.ledger.reading() as session:
        jobs = list(
            session.scalars(
                select(Job)
                .where(Job.channel_id == channel_id, Job.state.in_(("queued", "running")))
                .order_by(Job.ts)
            )
        )
    if not jobs:
        return "Nothing is queued or generating in this channel."
    return "\n".join(
        f"{':gear:' if j.state == 'running' else ':hourglass_flowing_sand:'} {j.state} · <@{j.user_id}> · "
        f"{j.text[:80]}"
        for j in jobs
    )
