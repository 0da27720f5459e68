"""Assistant threads: the ``assistant.threads.*`` methods and what Slack's client shows of them.

A person opens Slate's assistant container: Slack makes a thread in the person's DM with the
app and sends ``assistant_thread_started``; the app says hello, sets suggested prompts and,
while it works, a status line ("is drawing…") that Slack clears when the app next replies in
that thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from localslack import params as p
from localslack.params import ApiError
from localslack.state import WorkspaceState

Thread = tuple[str, str]  # (channel, thread_ts)


class AssistantApi:
    def __init__(self, state: WorkspaceState) -> None:
        self.state = state
        self.status: dict[Thread, str] = {}
        self.prompts: dict[Thread, dict] = {}
        self.titles: dict[Thread, str] = {}
        self._lock = threading.Lock()

    def methods(self) -> dict[str, Callable[[dict], dict]]:
        return {
            "assistant.threads.setStatus": self.set_status,
            "assistant.threads.setSuggestedPrompts": self.set_suggested_prompts,
            "assistant.threads.setTitle": self.set_title,
        }

    def set_status(self, args: dict) -> dict:
        thread = self._thread(args)
        with self._lock:
            self.status[thread] = p.text(args, "status")
        return {}

    def set_suggested_prompts(self, args: dict) -> dict:
        thread = self._thread(args)
        prompts = p.json_value(args, "prompts", "invalid_arguments")
        if not isinstance(prompts, list) or not 1 <= len(prompts) <= 4:
            raise ApiError("invalid_arguments")  # Slack takes one to four
        if not all(isinstance(x, dict) and x.get("title") and x.get("message") for x in prompts):
            raise ApiError("invalid_arguments")
        with self._lock:
            self.prompts[thread] = {"title": p.text(args, "title"), "prompts": prompts}
        return {}

    def set_title(self, args: dict) -> dict:
        thread = self._thread(args)
        with self._lock:
            self.titles[thread] = p.text(args, "title")
        return {}

    def replied(self, channel: str, thread_ts: str | None) -> None:
        """The app posted in the thread: Slack clears its status line."""
        if thread_ts:
            with self._lock:
                self.status.pop((channel, thread_ts), None)

    def _thread(self, args: dict) -> Thread:
        channel = self.state.resolve_channel(args.get("channel_id"))
        thread_ts = p.ts(args, "thread_ts", "invalid_thread_ts")
        if channel is None:
            raise ApiError("channel_not_found")
        if not thread_ts or self.state.message(channel, thread_ts) is None:
            raise ApiError("thread_not_found")
        return channel, thread_ts
