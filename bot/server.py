"""Running the Bolt app: HTTP under waitress (a threaded WSGI server), or Socket Mode."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from waitress.server import create_server

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024  # Slack's largest payloads (a modal's view state) are far smaller

Refusal = tuple[str, bytes]
TOO_LARGE: Refusal = ("413 Payload Too Large", b"Request body over 1 MiB: refused.")
MALFORMED: Refusal = ("400 Bad Request", b"Request body is not valid JSON or form data.")


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    """Bolt at ``/slack/events`` plus ``/healthz`` for load balancers and the demo's start-up check.

    Installed into many workspaces (``bot/install.py``), Bolt's handler also answers
    ``GET /slack/install`` and ``GET /slack/oauth_redirect`` (it routes its OAuth flow's paths)."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") == EVENTS_PATH:
            refusal = _check_body(environ)
            if refusal is not None:
                start_response(refusal[0], [("Content-Type", "text/plain; charset=utf-8")])
                return [refusal[1]]
        return slack(environ, start_response)

    return application


def _check_body(environ: dict) -> Refusal | None:
    """Refuse a body too large to read, or one Bolt would fail on (a 500 and a traceback).

    Bolt parses the body when it builds its request, before the signature is checked: invalid
    JSON, bytes that are not UTF-8 or a JSON array raise there. Building that request here
    finds them; the body read is put back for Bolt to read again.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MALFORMED
    if length > MAX_BODY_BYTES:
        return TOO_LARGE
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    request = WsgiHttpRequest(environ)
    try:
        parsed = BoltRequest(body=body.decode(), query=request.query_string, headers=request.get_headers())
    except (
        ValueError,
        TypeError,
        AttributeError,
        KeyError,
        IndexError,
    ):  # JSON and UTF-8 errors are ValueErrors
        return MALFORMED
    return None if isinstance(parsed.body, dict) else MALFORMED


def http_server(app: App, host: str, port: int, threads: int = 8):  # type: ignore[no-untyped-def]
    """A waitress server, bound now (port 0 picks a free one); ``.run()`` serves, ``.close()`` stops.

    waitress itself answers 413 past ``MAX_BODY_BYTES``, chunked bodies included, before
    buffering them.
    """
    return create_server(
        wsgi_app(app),
        host=host,
        port=port,
        threads=threads,
        ident="slate",
        max_request_body_size=MAX_BODY_BYTES,
    )


def run_socket_mode(app: App, app_token: str, api_url: str) -> None:
    """Blocks; ``apps.connections.open`` goes to the same API URL as everything else."""
    SocketModeHandler(app, app_token, web_client=WebClient(base_url=api_url)).start()
