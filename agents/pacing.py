"""How many directions are read at once: a few, so the threads that answer Slack get the CPU.

Reading a direction (the agent loop, the continuity pack's embeddings and queries) is Python
work that holds the interpreter; with dozens of directions arriving together, the threads
that acknowledge Slack and post placeholders would wait their turn behind all of them. A
direction holds a reading slot while it thinks and gives it up while it waits for its shot.

The slot belongs to the direction, not to a thread: LangGraph runs tools on threads of its
own, with the caller's context copied, so the slot travels in a context variable.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

READERS = 2  # the machine's cores, roughly; more only queue on the interpreter lock

_slots = threading.BoundedSemaphore(READERS)


class _Slot:
    def __init__(self) -> None:
        self.held = False


_current: ContextVar[_Slot | None] = ContextVar("slate_reading_slot", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Hold a reading slot for the duration (a nested call shares the outer one's)."""
    if _current.get() is not None:
        yield
        return
    slot = _Slot()
    _slots.acquire()
    slot.held = True
    token = _current.set(slot)
    try:
        yield
    finally:
        _current.reset(token)
        if slot.held:
            _slots.release()


@contextmanager
def waiting() -> Iterator[None]:
    """Give the slot up while blocked on something else (a shot being generated)."""
    slot = _current.get()
    if slot is None or not slot.held:
        yield
        return
    slot.held = False
    _slots.release()
    try:
        yield
    finally:
        _slots.acquire()
        slot.held = True
