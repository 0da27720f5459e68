"""Reading slots: held while a direction thinks, given up while it waits, on any thread it uses."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

from agents import pacing


def test_a_direction_waiting_on_its_shot_lets_another_be_read() -> None:
    waiting = threading.Semaphore(0)
    release = threading.Event()
    others_read: list[int] = []

    def direction_with_a_long_shot() -> None:
        with pacing.reading():
            context = contextvars.copy_context()  # LangGraph runs tools like this, on its own threads
            with ThreadPoolExecutor(1) as tools:

                def tool() -> None:
                    with pacing.waiting():
                        waiting.release()
                        release.wait(10)

                tools.submit(context.run, tool).result()

    holders = [threading.Thread(target=direction_with_a_long_shot) for _ in range(pacing.READERS)]
    for holder in holders:
        holder.start()
    for _ in holders:  # every slot's owner is now waiting on its shot
        assert waiting.acquire(timeout=10)

    def quick(n: int) -> None:
        with pacing.reading():
            others_read.append(n)

    reader = threading.Thread(target=quick, args=(1,))
    reader.start()
    reader.join(10)
    assert others_read == [1]  # read although every slot was taken by a direction
    release.set()
    for holder in holders:
        holder.join(10)
    assert not any(h.is_alive() for h in holders)
