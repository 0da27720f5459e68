"""What a person asked for, and where: the agent's only input from the chat surface."""

from __future__ import annotations

from dataclasses import dataclass

from memory.ledger import ThreadRef


@dataclass(frozen=True)
class Direction:
    text: str
    user_id: str
    thread: ThreadRef
    attachments: tuple[bytes, ...] = ()  # images sent with the direction (reference stills)
    history: tuple[str, ...] = ()  # earlier messages in the thread, oldest first (data, not instructions)
