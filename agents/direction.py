"""What a person asked for, and where: the agent's only input from the chat surface."""

from __future__ import annotations

from dataclasses import dataclass

from memory.ledger import ThreadRef

# Slack shows a message of up to 40,000 characters; a direction is echoed back in its caption,
# and no shot needs more than a few paragraphs.
MAX_DIRECTION_CHARS = 4000


@dataclass(frozen=True)
class Direction:
    text: str
    user_id: str
    thread: ThreadRef
    attachments: tuple[bytes, ...] = ()  # images sent with the direction (reference stills)
    history: tuple[str, ...] = ()  # earlier messages in the thread, oldest first (data, not instructions)
    job_id: int | None = None  # the ledger job this direction is: its place in the thread's order
