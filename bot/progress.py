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


class PlaceholderStatus:
    """Follows one job in one message. Call it with job events; ``close()`` when the job is over."""

    def __init__(self, client: WebClient, channel: str, ts: str, interval: float = 1.0) -> None:
        self.client, self.channel, self.ts, self.interval = client, channel, ts, interval
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
                text, self._pending = self._pending, None
            self._post(text)
            with self._wake:  # rate limit: sleep, but wake at once to close
                self._wake.wait_for(lambda: self._closed, timeout=self.interval)

    def _post(self, text: str | None) -> None:
        try:
            self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
        except SlackApiError as error:  # progress is a courtesy: never fail the shot over it
            log.warning("could not update progress: %s", error.response.get("error"))
