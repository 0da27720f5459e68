"""Live status in the thread: the "working" placeholder edited with queue position and progress.

Job events arrive on the generation worker's thread, which must never wait on Slack. Each
event only records the newest status line; a small sender thread posts it, at most once per
``interval`` seconds (``chat.update`` is rate limited per message), dropping lines that were
overtaken. ``close`` flushes and stops the sender before the reply replaces the placeholder,
so a late progress line can never overwrite the finished shot.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tools.jobs import JobEvent

log = logging.getLogger(__name__)


def status_line(event: JobEvent) -> str:
    if event.state == "queued":
        ahead = event.position or 0
        where = "next up" if ahead == 0 else f"{ahead} ahead of you"
        return f":hourglass_flowing_sand: Queued — {where}."
    if event.state == "running" and event.progress is not None:
        p = event.progress
        filled = round(10 * p.fraction)
        return f":clapper: Generating… step {p.step}/{p.total} `{'█' * filled}{'░' * (10 - filled)}`"
    if event.state == "running":
        return ":clapper: Generating…"
    return ""  # finished: the reply itself replaces the placeholder


class EditBudget:
    """Progress edits a second across every placeholder of the app (a token bucket).

    Slack rate-limits ``chat.update``, and two hundred queued shots each told their new place
    in line would otherwise be two hundred edits a second. Waiting lines are overtaken while
    they wait, so a thread only ever sees its newest status.
    """

    def __init__(self, per_second: float = 10.0) -> None:
        self.per_second = per_second
        self._tokens = per_second
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def delay(self) -> float:
        """0 and one edit spent, or the seconds to wait before asking again."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.per_second, self._tokens + (now - self._last) * self.per_second)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.per_second


class PlaceholderStatus:
    """Follows one job in one message. Call it with job events; ``close()`` when the job is over."""

    def __init__(
        self,
        client: WebClient,
        channel: str,
        ts: str,
        interval: float = 1.0,
        budget: EditBudget | None = None,
    ) -> None:
        self.client, self.channel, self.ts, self.interval, self.budget = client, channel, ts, interval, budget
        self._pending: str | None = None
        self._closed = False
        self._wake = threading.Condition()
        self._sender = threading.Thread(target=self._send_loop, name="slate-progress", daemon=True)
        self._sender.start()

    def __call__(self, event: JobEvent) -> None:
        text = status_line(event)
        if text:
            with self._wake:
                self._pending = text
                self._wake.notify()

    def __enter__(self) -> PlaceholderStatus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._pending = None
            self._wake.notify()
        self._sender.join()

    def _send_loop(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed:
                    return
            while self.budget is not None and (delay := self.budget.delay()) > 0:
                with self._wake:
                    if self._wake.wait_for(lambda: self._closed, timeout=delay):
                        return
            with self._wake:
                text, self._pending = self._pending, None
            self._post(text)
            with self._wake:  # rate limit: sleep, but wake at once to close
                self._wake.wait_for(lambda: self._closed, timeout=self.interval)

    def _post(self, text: str | None) -> None:
        try:
            self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
        except SlackApiError as error:  # progress is a courtesy: never fail the shot over it
            log.warning("could not update progress: %s", error.response.get("error"))
