"""Attachments: every failure is an AttachmentError that says what went wrong, and the bot token
goes only to Slack's hosts. Real servers on loopback: the local workspace serves ``url_private``,
a second tiny server plays the foreign host and records what it was sent."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from slack_sdk import WebClient

from bot.files import AttachmentError, image_attachments, trusted_host
from localslack import LocalWorkspace
from tests.conftest import Stack, local_workspace

BOT = "U0SLATEBOT"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class HostLog:
    """What one tiny HTTP server was asked: the path and Authorization header of each request."""

    url: str = ""
    requests: list[tuple[str, str | None]] = field(default_factory=list)


def serve(routes: dict[str, tuple[int, dict[str, str], bytes]]) -> Iterator[HostLog]:
    log = HostLog()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.requests.append((self.path, self.headers.get("Authorization")))
            status, headers, body = routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value.format(url=log.url))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    log.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def foreign() -> Iterator[HostLog]:
    """Not Slack: it would gladly serve an image, and must never see the token."""
    yield from serve({"/maya.png": (200, {"Content-Type": "image/png"}, png())})


@pytest.fixture
def workspace() -> Iterator[LocalWorkspace]:
    with local_workspace() as running:
        yield running


def bot_client(workspace: LocalWorkspace) -> WebClient:
    return WebClient(token=workspace.bot_token, base_url=workspace.api_url)


def uploaded(workspace: LocalWorkspace, content: bytes, filename: str) -> dict:
    """A file in the workspace as Slack describes it in an event (url_private on the workspace)."""
    client = bot_client(workspace)
    response = client.files_upload_v2(channel="C0SHOTS", content=content, filename=filename)
    return client.files_info(file=response["files"][0]["id"])["file"]


def refused(client: WebClient, event: dict) -> str:
    with pytest.raises(AttachmentError) as error:
        image_attachments(client, event)
    return str(error.value)


def test_an_image_on_the_workspace_is_fetched_with_the_token(workspace: LocalWorkspace) -> None:
    data = png()
    assert image_attachments(bot_client(workspace), {"files": [uploaded(workspace, data, "maya.png")]}) == (
        data,
    )
    assert image_attachments(bot_client(workspace), {"text": "no files"}) == ()


def test_http_errors_on_a_download_are_attachment_errors(workspace: LocalWorkspace) -> None:
    file = uploaded(workspace, png(), "maya.png")
    gone = {**file, "url_private_download": file["url_private_download"].replace(file["id"], "F0MISSING")}
    assert "HTTP 404" in refused(bot_client(workspace), {"files": [gone]})
    stranger = WebClient(token="xoxb-not-this-workspace", base_url=workspace.api_url)
    assert "HTTP 403" in refused(stranger, {"files": [file]})


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({"id": "F1"}, "no file list"),
        (["F1"], "not a file Slack describes"),
        ([{"name": "maya.png", "mimetype": "image/png"}], "no download link"),
        ([{"name": "maya.png", "mimetype": "image/png", "url_private": 42}], "no download link"),
        (
            [
                {
                    "name": "notes.pdf",
                    "mimetype": "application/pdf",
                    "url_private": "https://files.slack.com/x",
                }
            ],
            "“notes.pdf” is not an image",
        ),
        ([{"mimetype": "text/plain"}], "An attachment is not an image"),
    ],
)
def test_malformed_files_are_attachment_errors(workspace: LocalWorkspace, files: object, says: str) -> None:
    assert says in refused(bot_client(workspace), {"files": files})


def test_bytes_that_are_not_an_image_are_refused(workspace: LocalWorkspace) -> None:
    fake = uploaded(workspace, b"#!/bin/sh\necho not a picture\n", "fake.png")
    assert "“fake.png” is not an image I can read" in refused(bot_client(workspace), {"files": [fake]})


def test_a_link_to_another_host_is_refused_and_that_host_sees_nothing(
    workspace: LocalWorkspace, foreign: HostLog
) -> None:
    file = {"name": "maya.png", "mimetype": "image/png", "url_private": f"{foreign.url}maya.png"}
    message = refused(bot_client(workspace), {"files": [file]})
    assert "I didn't fetch “maya.png”" in message and "only to Slack" in message
    assert foreign.requests == []


def test_a_redirect_away_from_slack_is_not_followed_with_the_token(foreign: HostLog) -> None:
    """The configured API host redirects one file to a foreign host and one to itself."""
    routes = {
        "/files-pri/away.png": (302, {"Location": f"{foreign.url}maya.png"}, b""),
        "/files-pri/here.png": (302, {"Location": "{url}files-pri/real.png"}, b""),
        "/files-pri/real.png": (200, {"Content-Type": "image/png"}, png()),
    }
    for slack in serve(routes):
        client = WebClient(token="xoxb-secret", base_url=f"{slack.url}api/")
        away = {"name": "away.png", "mimetype": "image/png", "url_private": f"{slack.url}files-pri/away.png"}
        assert "didn't follow a redirect" in refused(client, {"files": [away]})
        here = {"name": "here.png", "mimetype": "image/png", "url_private": f"{slack.url}files-pri/here.png"}
        assert image_attachments(client, {"files": [here]}) == (png(),)
        assert slack.requests[-1] == ("/files-pri/real.png", "Bearer xoxb-secret")
    assert foreign.requests == []


@pytest.mark.parametrize(
    ("url", "trusted"),
    [
        ("https://files.slack.com/files-pri/T1-F1/maya.png", True),
        ("https://acme.slack.com/files-pri/T1-F1/maya.png", True),
        ("https://a.slack-edge.com/x.png", True),
        ("http://files.slack.com/files-pri/T1-F1/maya.png", False),  # the token never goes in clear
        ("https://files.slack.com.evil.example/maya.png", False),
        ("https://evilslack.com/maya.png", False),
        ("https://slack.com:8443/maya.png", False),
        ("file:///etc/passwd", False),
        ("http://127.0.0.1:3100/files-pri/T1-F1/maya.png", True),  # the configured API host
        ("http://127.0.0.1:3101/maya.png", False),
        ("http://127.0.0.1:bad/maya.png", False),
    ],
)
def test_which_hosts_may_see_the_token(url: str, trusted: bool) -> None:
    assert trusted_host(url, "http://127.0.0.1:3100/api/") is trusted


def test_a_mention_with_a_foreign_file_says_why_in_the_thread(stack: Stack, foreign: HostLog) -> None:
    events_url, stack.workspace.events_url = stack.workspace.events_url, None
    message = stack.workspace.post_user_message(f"<@{BOT}> this is Maya")  # stored, not delivered
    stack.workspace.events_url = events_url
    file = {
        "id": "F0EVIL",
        "name": "maya.png",
        "mimetype": "image/png",
        "url_private": f"{foreign.url}maya.png",
    }
    event = {
        "type": "app_mention",
        "user": message["user"],
        "text": message["text"],
        "ts": message["ts"],
        "channel": "C0SHOTS",
        "event_ts": message["ts"],
        "files": [file],
    }
    assert stack.workspace.deliver_event(event) == 200
    assert stack.workspace.wait_for(
        lambda: any("I didn't fetch" in call["text"] for call in stack.workspace.calls_to("chat.update"))
    )
    assert foreign.requests == []
