"""HTTP routing for the local workspace: Web API, file upload/download, response URLs, the UI.

One `ThreadingHTTPServer` on loopback serves everything, so a slow call
(a bot waiting on itself, a long-polling page) never blocks another.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from localslack.ui import UPLOAD_PATH, Page, UiError, avatar_svg
from localslack.webapi import WebApi

_FILE_PRIVATE = re.compile(r"^/files-pri/[A-Z0-9]+-(F[A-Z0-9]+)/(?:download/)?[^/]+$")
_UI_FILE = re.compile(r"^/ui/files/(F[A-Z0-9]+)$")
_AVATAR = re.compile(r"^/ui/avatar/([UW][A-Z0-9]+)\.svg$")
_STATIC = re.compile(r"^/static/([a-z0-9_-]+\.(?:js|css|html|svg))$")
_STATIC_TYPES = {"js": "text/javascript", "css": "text/css", "html": "text/html", "svg": "image/svg+xml"}


class WorkspaceServer(ThreadingHTTPServer):
    """The HTTP server, holding what its handlers answer from: the Web API and the page (never
    the whole workspace; Socket Mode has a server of its own, ``socket_mode.py``)."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        api: WebApi,
        page: Page,
        on_call: Callable[[str, dict], None],
    ) -> None:
        super().__init__(address, WorkspaceHandler)
        self.api, self.page, self.on_call = api, page, on_call


class WorkspaceHandler(BaseHTTPRequestHandler):
    server: WorkspaceServer
    server_version = "SlateLocalSlack/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests and the demo print what matters themselves."""

    # ---- routing ---------------------------------------------------------

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(200, _index_html(), "text/html; charset=utf-8")
        elif path == "/ui/state":
            self._ui_state()
        elif path.startswith("/api/"):
            self._web_api(path[len("/api/") :], b"")
        elif match := _FILE_PRIVATE.match(path):
            self._file(match.group(1), needs_token=True)
        elif match := _UI_FILE.match(path):
            self._file(match.group(1), needs_token=False)
        elif match := _AVATAR.match(path):
            self._avatar(match.group(1))
        elif match := _STATIC.match(path):
            self._static(match.group(1))
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if path.startswith("/api/"):
            self._web_api(path[len("/api/") :], body)
        elif path.startswith("/upload/v1/"):
            status, text = self.server.api.files.upload(path[len("/upload/v1/") :], body)
            self._send(status, text.encode(), "text/plain; charset=utf-8")
        elif path.startswith(("/actions/", "/commands/")):
            status, answer = self.server.api.responses.answer(path[1:], body)
            self._json(status, answer)
        elif path == UPLOAD_PATH or path in self.server.page.acts:
            self._ui_act(path, body)
        else:
            self._send(404, b"not found", "text/plain")

    # ---- Web API ---------------------------------------------------------

    def _web_api(self, method: str, body: bytes) -> None:
        args = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        try:
            args.update(_parse_body(self.headers.get("Content-Type", ""), body))
        except ValueError:
            self._json(200, {"ok": False, "error": "invalid_form_data"})
            return
        self.server.on_call(method, args)
        status, headers, answer = self.server.api.handle(method, args, self.headers.get("Authorization"))
        self._json(status, answer, headers)

    def _file(self, file_id: str, *, needs_token: bool) -> None:
        api = self.server.api
        if needs_token:
            authorization = self.headers.get("Authorization") or ""
            if authorization != f"Bearer {api.bot_token}":
                self._send(403, b"not_authed: url_private needs the bot token", "text/plain")
                return
        found = api.files.download(file_id)
        if found is None:
            self._send(404, b"file_not_found", "text/plain")
        else:
            self._send(200, found[0], found[1])

    def _static(self, name: str) -> None:
        found = resources.files("localslack").joinpath("static", name)
        if not found.is_file():
            self._send(404, b"not found", "text/plain")
            return
        self._send(200, found.read_bytes(), f"{_STATIC_TYPES[name.rsplit('.', 1)[1]]}; charset=utf-8")

    # ---- UI --------------------------------------------------------------

    def _ui_state(self) -> None:
        query = dict(parse_qsl(urlsplit(self.path).query))
        since = int(query["since"]) if query.get("since", "").lstrip("-").isdigit() else -1
        self._json(200, self.server.page.state(query.get("user"), query.get("channel"), since))

    def _ui_act(self, path: str, body: bytes) -> None:
        """A person's act from the page: JSON in, ``{"ok": true, ...}`` or a 400 saying why."""
        page = self.server.page
        try:
            if path == UPLOAD_PATH:
                query = dict(parse_qsl(urlsplit(self.path).query))
                answer = page.upload(query.get("user", ""), query.get("filename", ""), body)
            else:
                payload = json.loads(body or b"{}")
                if not isinstance(payload, dict):
                    raise UiError("invalid_json")
                answer = page.acts[path](payload)
        except json.JSONDecodeError:
            self._json(400, {"ok": False, "error": "invalid_json"})
        except ValueError as error:  # UiError, and the workspace's own refusals (user_not_found …)
            self._json(400, {"ok": False, "error": str(error)})
        else:
            self._json(200, {"ok": True, **answer})

    def _avatar(self, user_id: str) -> None:
        svg = avatar_svg(self.server.page.workspace_state, user_id)
        if svg is None:
            self._send(404, b"user_not_found", "text/plain")
        else:
            self._send(200, svg, "image/svg+xml")

    # ---- plumbing --------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Arguments from a JSON, urlencoded or multipart body (all three reach Slack from slack_sdk)."""
    if not body:
        return {}
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise ValueError("JSON body must be an object")
        return parsed
    if kind == "multipart/form-data":
        return _parse_multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields as text, file fields as bytes."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("malformed multipart body")
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        fields[name] = payload if part.get_filename() else payload.decode("utf-8")
    return fields


def _index_html() -> bytes:
    return resources.files("localslack").joinpath("static/index.html").read_bytes()
