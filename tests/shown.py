"""What a thread shows of Slate's shots, read as a person reads it: the messages' image blocks.

A result is the placeholder edited into one message whose image blocks (``v<id>.image``)
show each version by its Slack file; these helpers find them, their frames and their status lines.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from bot.version_message import shown_images
from localslack import LocalWorkspace


@dataclass(frozen=True)
class Shown:
    """One version as a message shows it."""

    channel: str
    message_ts: str
    thread_ts: str
    version_id: int
    file_id: str
    status_line: str


def shown(workspace: LocalWorkspace, thread_ts: str | None = None, channel: str = "C0SHOTS") -> list[Shown]:
    """Every version shown in the channel (or one thread), in the order the messages were posted."""
    found = []
    for version_id, image, message in shown_images(workspace.state.all_messages(channel)):
        in_thread = message.get("thread_ts") or message["ts"]
        if thread_ts is not None and in_thread != thread_ts:
            continue
        status = next((b for b in message["blocks"] if b.get("block_id") == f"v{version_id}.status"), {})
        line = " ".join(e.get("text", "") for e in status.get("elements", []))
        found.append(Shown(channel, message["ts"], in_thread, version_id, image["slack_file"]["id"], line))
    return found


def frames(workspace: LocalWorkspace, thread_ts: str | None = None) -> list[Image.Image]:
    """The PNGs those versions show."""
    return [Image.open(io.BytesIO(workspace.file_bytes(s.file_id))) for s in shown(workspace, thread_ts)]


def wait_for_shown(
    workspace: LocalWorkspace, n: int, thread_ts: str | None = None, timeout: float = 60
) -> None:
    assert workspace.wait_for(lambda: len(shown(workspace, thread_ts)) >= n, timeout=timeout), shown(
        workspace, thread_ts
    )
