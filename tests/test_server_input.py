"""Bodies Slack never sends, signed as Slack signs: too large is 413, unparseable is 400, never 500."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import io
import json
import time
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

import pytest

from bot.server import EVENTS_PATH, MAX_BODY_BYTES, wsgi_app
from tests.conftest import SIGNING_SECRET, Stack


def sign(timestamp: str, body: bytes) -> str:
    """Slack's v0 signature over the raw bytes (slack_sdk's helper wants text, these may not be)."""
    basestring = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(SIGNING_SECRET.encode(), basestring, hashlib.sha256).hexdigest()


def post(stack: Stack, body: bytes, content_type: str, length: int | None = None) -> tuple[int, bytes]:
    """One signed POST to the bot; ``length`` overrides the Content-Length header."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": content_type,
        "Content-Length": str(len(body) if length is None else length),
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(timestamp, body),
    }
    url = urlsplit(stack.events_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("POST", url.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_well_formed_signed_request_still_reaches_bolt(stack: Stack) -> None:
    body = json.dumps({"token": "t", "challenge": "ch4llenge", "type": "url_verification"}).encode()
    status, answer = post(stack, body, "application/json")
    assert status == 200 and json.loads(answer) == {"challenge": "ch4llenge"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": {', "application/json"),
        (b"\xff\xfe not utf-8 at all", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"just a string"', "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b'{"authorizations": "nope"}', "application/json"),
    ],
)
def test_a_body_that_is_not_json_or_form_data_gets_400(stack: Stack, body: bytes, content_type: str) -> None:
    status, text = post(stack, body, content_type)
    assert status == 400 and b"not valid JSON or form data" in text


def test_a_body_over_the_limit_is_refused_before_it_is_read(stack: Stack) -> None:
    status, _ = post(stack, b"{}", "application/json", length=MAX_BODY_BYTES + 1)
    assert status == 413


def test_a_large_real_body_is_refused_too(stack: Stack) -> None:
    body = json.dumps({"type": "event_callback", "pad": "x" * MAX_BODY_BYTES}).encode()
    try:
        status, _ = post(stack, body, "application/json")
    except (ConnectionResetError, BrokenPipeError):
        return  # the server closed on us mid-upload: refused, and nothing was parsed
    assert status == 413
    assert not stack.workspace.calls_to("chat.postMessage")


def test_the_app_itself_refuses_a_large_body_under_any_wsgi_server() -> None:
    """Under gunicorn or another server without waitress's limit, the application still refuses."""
    application = wsgi_app(_unused_app())
    environ: dict = {}
    setup_testing_defaults(environ)
    unread = io.BytesIO(b"{}")
    environ.update(
        REQUEST_METHOD="POST",
        PATH_INFO=EVENTS_PATH,
        CONTENT_LENGTH=str(2 * MAX_BODY_BYTES),
        **{"wsgi.input": unread},
    )
    answered: list[str] = []
    body = b"".join(application(environ, lambda status, headers: answered.append(status)))
    assert answered == ["413 Payload Too Large"] and b"1 MiB" in body and unread.tell() == 0


def _unused_app():  # type: ignore[no-untyped-def]
    """A Bolt app that is never reached: the body is refused first."""
    from slack_bolt import App
    from slack_sdk import WebClient

    return App(
        client=WebClient(token="xoxb-unused"), signing_secret=SIGNING_SECRET, token_verification_enabled=False
    )
