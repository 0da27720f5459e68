"""Images attached to a direction, fetched from Slack with the bot token.

Only image files are fetched, each capped in size before it is read whole; what arrives is
still untrusted and is checked again when it is decoded. The bot token goes only to Slack's
own file hosts and to the configured API host; an event naming any other host is refused, so
a crafted ``url_private`` (or a redirect) can never collect the token.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError
from slack_sdk import WebClient

from tools.images import FORMATS

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 8
SLACK_FILE_DOMAINS = ("slack.com", "slack-edge.com")  # files.slack.com, *.slack.com, *.slack-edge.com
READABLE = "PNG, JPEG, WebP, TIFF or BMP"


class AttachmentError(ValueError):
    """An attachment Slate won't take, with a message fit for the thread."""


def image_attachments(client: WebClient, event: dict) -> tuple[bytes, ...]:
    """The bytes of every image attached to ``event``, or an ``AttachmentError`` saying which one failed."""
    files = event.get("files") or []
    if not isinstance(files, list):
        raise AttachmentError("I couldn't read this message's attachments (Slack sent no file list).")
    if any(not isinstance(f, dict) for f in files):
        raise AttachmentError(
            "I couldn't read one of this message's attachments (not a file Slack describes)."
        )
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentError(f"Attach at most {MAX_ATTACHMENTS} images to one message.")
    for file in files:
        if not str(file.get("mimetype", "")).startswith("image/"):
            raise AttachmentError(f"{_lead(_name(file))} is not an image: attach {READABLE} stills.")
    opener = urllib.request.build_opener(_TrustedRedirects(client.base_url))
    return tuple(_download(opener, client, file) for file in files)


def trusted_host(url: str, api_url: str) -> bool:
    """Whether the bot token may go to ``url``: Slack's file hosts over HTTPS, or the API's own host."""
    target, api = urlsplit(url), urlsplit(api_url)
    try:
        place = (target.scheme, (target.hostname or "").lower(), _port(target))
        if place == (api.scheme, (api.hostname or "").lower(), _port(api)):
            return True
    except ValueError:  # a port that is not a number
        return False
    scheme, host, port = place
    return (scheme, port) == ("https", 443) and any(
        host == d or host.endswith("." + d) for d in SLACK_FILE_DOMAINS
    )


def _download(opener: urllib.request.OpenerDirector, client: WebClient, file: dict) -> bytes:
    name = _name(file)
    try:
        announced = int(file.get("size") or 0)
    except (TypeError, ValueError):
        announced = 0  # checked again on the bytes that arrive
    if announced > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"{_lead(name)} is over {MAX_ATTACHMENT_BYTES // 2**20} MB.")
    url = file.get("url_private_download") or file.get("url_private")
    if not isinstance(url, str) or not url:
        raise AttachmentError(f"I couldn't fetch {name}: Slack gave no download link for it.")
    if not trusted_host(url, client.base_url):
        raise AttachmentError(
            f"I didn't fetch {name}: its link points to {urlsplit(url).hostname or 'an unknown host'}, "
            "not Slack, and I send Slack credentials only to Slack. Upload the image to Slack instead."
        )
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with opener.open(request, timeout=30) as response:  # noqa: S310 - a Slack host, checked above
            data = response.read(MAX_ATTACHMENT_BYTES + 1)
    except AttachmentError:  # a redirect refused: already says why
        raise
    except urllib.error.HTTPError as error:
        raise AttachmentError(f"I couldn't fetch {name} from Slack (HTTP {error.code}).") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise AttachmentError(f"I couldn't fetch {name} from Slack ({reason}).") from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"{_lead(name)} is over {MAX_ATTACHMENT_BYTES // 2**20} MB.")
    _check_is_image(name, data)
    return data


def _check_is_image(name: str, data: bytes) -> None:
    """Only the header is read here; decoding (and its own limits) happens where the image is used."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS):
            pass
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise AttachmentError(
            f"{_lead(name)} is not an image I can read: attach {READABLE} stills."
        ) from None


class _TrustedRedirects(urllib.request.HTTPRedirectHandler):
    """urllib forwards the Authorization header on a redirect: follow only to hosts the token may see."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not trusted_host(newurl, self.api_url):
            raise AttachmentError(
                f"I didn't follow a redirect to {urlsplit(newurl).hostname or 'an unknown host'}: "
                "I send Slack credentials only to Slack."
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _port(parts: urllib.parse.SplitResult) -> int | None:
    return parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def _name(file: dict) -> str:
    name = file.get("name")
    return f"“{name}”" if isinstance(name, str) and name else "an attachment"


def _lead(name: str) -> str:
    return name[:1].upper() + name[1:]
