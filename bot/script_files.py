"""Screenplays attached to a mention (.fountain, .txt), fetched from Slack like the stills are.

The same trust rules as ``bot/files.py``: the bot token goes only to Slack's own hosts (and
the configured API host), redirects included; a file is capped before it is read whole.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from slack_sdk import WebClient

from bot.files import AttachmentError, _TrustedRedirects, trusted_host

SCRIPT_SUFFIXES = (".fountain", ".spmd", ".txt")
MAX_SCRIPT_BYTES = 512 * 1024


def script_files(event: dict) -> list[dict]:
    """The attached files that are screenplays by their name."""
    files = event.get("files") or []
    return [
        f for f in files if isinstance(f, dict) and str(f.get("name", "")).lower().endswith(SCRIPT_SUFFIXES)
    ]


def script_text(client: WebClient, file: dict) -> str:
    """The attached screenplay's text, or an ``AttachmentError`` saying why not."""
    name = str(file.get("name") or "the attachment")
    url = file.get("url_private_download") or file.get("url_private")
    if not isinstance(url, str) or not trusted_host(url, client.base_url):
        raise AttachmentError(f"I couldn't fetch {name}: it has no Slack download link.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    opener = urllib.request.build_opener(_TrustedRedirects(client.base_url))
    try:
        with opener.open(request, timeout=30) as response:  # noqa: S310 - a Slack host, checked above
            data = response.read(MAX_SCRIPT_BYTES + 1)
    except AttachmentError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise AttachmentError(f"I couldn't fetch {name} from Slack ({error}).") from None
    if len(data) > MAX_SCRIPT_BYTES:
        raise AttachmentError(
            f"{name} is over {MAX_SCRIPT_BYTES // 1024} KB: attach the scene, not the script."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
