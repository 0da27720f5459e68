"""Images attached to a direction, fetched from Slack with the bot token.

Only image files are fetched, each capped in size before it is read whole; what arrives is
still untrusted and is checked again when it is decoded.
"""

from __future__ import annotations

import urllib.request

from slack_sdk import WebClient

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 8


class AttachmentError(ValueError):
    """An attachment Slate won't take, with a message fit for the thread."""


def image_attachments(client: WebClient, event: dict) -> tuple[bytes, ...]:
    files = [f for f in event.get("files", []) if str(f.get("mimetype", "")).startswith("image/")]
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentError(f"Attach at most {MAX_ATTACHMENTS} images to one message.")
    return tuple(_download(client, f) for f in files)


def _download(client: WebClient, file: dict) -> bytes:
    if int(file.get("size") or 0) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"{file.get('name', 'An image')} is over {MAX_ATTACHMENT_BYTES // 2**20} MB.")
    url = file.get("url_private_download") or file["url_private"]
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - Slack's own file URL
        data = response.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"{file.get('name', 'An image')} is over {MAX_ATTACHMENT_BYTES // 2**20} MB.")
    return data
