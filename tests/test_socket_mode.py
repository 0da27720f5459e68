"""Slate over Socket Mode, as it runs when SLACK_APP_TOKEN is set.

The real Bolt app under the real `SocketModeHandler` (slack_sdk's builtin
WebSocket client) connects to the local workspace through
`apps.connections.open`; events arrive as envelopes and the app acks them.
The protocol details are checked with a raw socket. Nothing is mocked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from localslack import LocalWorkspace
from memory.ledger import Ledger
from memory.ledger.models import Version
from tests.conftest import SIGNING_SECRET, local_workspace, slate_app
from tests.shown import Shown, shown
from tools.engine import Engine

BOT = "U0SLATEBOT"


@dataclass
class SocketStack:
    workspace: LocalWorkspace
    ledger: Ledger
    handler: SocketModeHandler


@pytest.fixture
def socket_stack(
    remote_tiny_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SocketStack]:
    """Slate in Socket Mode: no events URL, so every event goes over the WebSocket."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)  # the WebSocket client would tunnel loopback through it
    workspace = local_workspace()
    app, ledger, _ = slate_app(remote_tiny_engine, 64, tmp_path, workspace, signing_secret=None)
    handler = SocketModeHandler(app, workspace.app_token, web_client=WebClient(base_url=workspace.api_url))
    handler.connect()
    try:
        assert workspace.wait_for(lambda: workspace.socket_mode, timeout=5)
        yield SocketStack(workspace, ledger, handler)
    finally:
        # Closing from the server first (1001) ends the client's blocking read at once;
        # the client alone would wait out its 3 s receive timeout.
        workspace.stop()
        handler.close()


def _uploads(stack: SocketStack) -> list[Shown]:
    return shown(stack.workspace)


def _wait_for_shot(stack: SocketStack) -> None:
    """One version shown, and the placeholder edited into the final reply (the bot's last call)."""
    workspace = stack.workspace
    assert workspace.wait_for(lambda: len(_uploads(stack)) == 1)
    assert workspace.wait_for(
        lambda: any("Shot 1 · v1" in call["text"] for call in workspace.calls_to("chat.update"))
    )


def _versions(stack: SocketStack) -> int:
    with stack.ledger.transaction() as session:
        return session.scalar(select(func.count()).select_from(Version)) or 0


def _all_acked(workspace: LocalWorkspace) -> bool:
    sent = {envelope["event_id"] for envelope in workspace.sent_events}
    acked = {d["event_id"] for d in workspace.deliveries if d["status"] == 200}
    return sent <= acked


def test_mention_over_socket_mode_comes_back_as_a_shot_in_its_thread(socket_stack: SocketStack) -> None:
    workspace = socket_stack.workspace
    message = workspace.post_user_message(f"<@{BOT}> wide shot, Maya walks into the throne room at dusk")
    _wait_for_shot(socket_stack)

    assert _uploads(socket_stack)[0].thread_ts == message["ts"]
    version = socket_stack.ledger.latest_version("C0SHOTS", message["ts"])
    assert version is not None and version.number == 1 and "throne room" in version.prompt

    # Every envelope (the mention, its message event, the bot's echoed posts) was acked in time, once.
    assert workspace.wait_for(lambda: _all_acked(workspace), timeout=5)
    deliveries = workspace.deliveries
    assert all(d["status"] == 200 and d["retry_num"] == 0 and d["retry_reason"] is None for d in deliveries)
    assert len({d["envelope_id"] for d in deliveries}) == len(deliveries)
    assert {"message", "app_mention"} <= {d["event_type"] for d in deliveries}
    assert len(workspace.calls_to("apps.connections.open")) == 1


def test_redelivered_envelopes_make_no_second_shot(socket_stack: SocketStack) -> None:
    workspace = socket_stack.workspace
    message = workspace.post_user_message(f"<@{BOT}> CU, Maya looks up, night")
    _wait_for_shot(socket_stack)
    mention = next(e for e in workspace.sent_events if e["event"]["type"] == "app_mention")

    # Slack's redelivery: the same payload (same event_id) in a new envelope, retry_attempt 1.
    status = workspace.deliver_event(
        mention["event"], event_id=mention["event_id"], retry_num=1, retry_reason="timeout"
    )
    assert status == 200  # acked by the dedup middleware, without acting
    retry = workspace.deliveries[-1]
    assert (retry["event_id"], retry["retry_num"], retry["retry_reason"]) == (
        mention["event_id"],
        1,
        "timeout",
    )
    time.sleep(0.5)  # give a wrongly accepted redelivery the time to post
    assert len(_uploads(socket_stack)) == 1 and _versions(socket_stack) == 1
    assert socket_stack.ledger.latest_version("C0SHOTS", message["ts"]) is not None


def test_unacked_envelopes_are_redelivered_on_the_retry_schedule(socket_stack: SocketStack) -> None:
    workspace = socket_stack.workspace
    workspace.sockets.retry_timeout_s = 0.0  # no ack can be in time: every envelope is redelivered
    workspace.post_user_message(f"<@{BOT}> MS, Rook draws his sword, seed 7")

    def mention_attempts() -> list[dict]:
        return [d for d in workspace.deliveries if d["event_type"] == "app_mention"]

    assert workspace.wait_for(lambda: len(mention_attempts()) == 4, timeout=5)
    attempts = mention_attempts()
    assert [(d["retry_num"], d["retry_reason"]) for d in attempts] == [
        (0, None),
        (1, "timeout"),
        (2, "timeout"),
        (3, "timeout"),
    ]
    assert len({d["event_id"] for d in attempts}) == 1 and len({d["envelope_id"] for d in attempts}) == 4
    _wait_for_shot(socket_stack)
    time.sleep(0.5)
    assert len(_uploads(socket_stack)) == 1 and _versions(socket_stack) == 1


def test_refresh_requested_makes_the_app_reconnect(socket_stack: SocketStack) -> None:
    workspace = socket_stack.workspace
    assert workspace.request_reconnect() == 1
    assert workspace.wait_for(lambda: len(workspace.calls_to("apps.connections.open")) == 2, timeout=5)
    assert workspace.wait_for(lambda: socket_stack.handler.client.is_connected(), timeout=5)
    workspace.post_user_message("no mention, just chatter")  # a `message` event on the new connection
    assert workspace.wait_for(lambda: _all_acked(workspace), timeout=5)


# ---- the Web API method and the WebSocket protocol, without the bot -----------


@pytest.fixture
def ws() -> Iterator[LocalWorkspace]:
    with LocalWorkspace(signing_secret=SIGNING_SECRET) as workspace:
        yield workspace


def test_apps_connections_open_needs_the_app_token(ws: LocalWorkspace) -> None:
    client = WebClient(base_url=ws.api_url)
    url = client.apps_connections_open(app_token=ws.app_token)["url"]
    # Slack's shape (wss://wss-primary.slack.com/link/?ticket=…&app_id=…), on the WebSocket server's own port
    assert ws.sockets.port not in (0, ws.port)
    assert url.startswith(f"ws://127.0.0.1:{ws.sockets.port}/link/?ticket=")
    assert url.endswith("&app_id=A0SLATE")
    for token, error in ((ws.bot_token, "not_allowed_token_type"), ("xapp-someone-else", "invalid_auth")):
        with pytest.raises(SlackApiError) as refused:
            client.apps_connections_open(app_token=token)
        assert refused.value.response["error"] == error
    with pytest.raises(SlackApiError) as refused:
        WebClient(token=ws.app_token, base_url=ws.api_url).auth_test()
    assert refused.value.response["error"] == "not_allowed_token_type"


def _accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2)."""
    guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    return base64.b64encode(hashlib.sha1((key + guid).encode()).digest()).decode()


def _target(ws: LocalWorkspace) -> str:
    """The path and query of a fresh apps.connections.open URL (one new ticket)."""
    url = urlsplit(WebClient(base_url=ws.api_url).apps_connections_open(app_token=ws.app_token)["url"])
    return f"{url.path}?{url.query}"


def _handshake(ws: LocalWorkspace, key: str = "dGhlIHNhbXBsZSBub25jZQ==") -> tuple[socket.socket, str]:
    """Open a raw WebSocket with a fresh ticket; returns the socket and the HTTP response head."""
    return _raw_get(ws, _target(ws), key)


def _raw_get(ws: LocalWorkspace, target: str, key: str, version: str = "13") -> tuple[socket.socket, str]:
    sock = socket.create_connection((ws.host, ws.sockets.port), timeout=5)
    sock.sendall(
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            break
        head += chunk
    return sock, head.decode()


def _client_frame(opcode: int, payload: bytes, *, masked: bool = True) -> bytes:
    key = os.urandom(4) if masked else b""
    body = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if masked else payload
    return struct.pack("!BB", 0x80 | opcode, (0x80 if masked else 0) | len(payload)) + key + body


def _server_frame(sock: socket.socket) -> tuple[int, bytes]:
    first, second = _recv_exact(sock, 2)
    assert not second & 0x80, "server frames are never masked"
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _recv_exact(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _recv_exact(sock, 8))
    return first & 0x0F, _recv_exact(sock, length)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        assert chunk, "connection closed early"
        data += chunk
    return data


def test_websocket_handshake_hello_ping_and_close(ws: LocalWorkspace) -> None:
    sock, head = _handshake(ws)
    with sock:
        assert head.startswith("HTTP/1.1 101 ")
        assert "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head  # RFC 6455 §1.3's example
        opcode, data = _server_frame(sock)
        assert opcode == 0x1 and json.loads(data) == {
            "type": "hello",
            "num_connections": 1,
            "debug_info": json.loads(data)["debug_info"],
            "connection_info": {"app_id": "A0SLATE"},
        }
        sock.sendall(_client_frame(0x9, b"are you there"))
        assert _server_frame(sock) == (0xA, b"are you there")
        sock.sendall(_client_frame(0x8, struct.pack("!H", 1000) + b"bye"))
        assert _server_frame(sock) == (0x8, struct.pack("!H", 1000) + b"bye")  # the close, echoed
        assert sock.recv(1) == b""  # the server hangs up after the close handshake
    assert ws.wait_for(lambda: ws.sockets.connections == 0, timeout=2)


def test_websocket_refuses_bad_tickets_and_unmasked_frames(ws: LocalWorkspace) -> None:
    key = base64.b64encode(os.urandom(16)).decode()
    sock, head = _raw_get(ws, "/link/?ticket=made-up", key)
    with sock:
        assert head.startswith("HTTP/1.1 401")
        assert b"invalid_ticket" in sock.recv(4096)

    sock, head = _handshake(ws, key)
    with sock:
        assert f"Sec-WebSocket-Accept: {_accept_key(key)}" in head
        assert _server_frame(sock)[0] == 0x1  # hello
        sock.sendall(_client_frame(0x1, b'{"envelope_id": "x"}', masked=False))
        opcode, data = _server_frame(sock)
        assert opcode == 0x8 and struct.unpack("!H", data[:2])[0] == 1002  # protocol error


def test_websocket_refuses_malformed_handshakes_without_spending_the_ticket(ws: LocalWorkspace) -> None:
    key = base64.b64encode(os.urandom(16)).decode()
    target = _target(ws)
    for bad_key, version in (("not-16-bytes", "13"), (key, "8")):
        sock, head = _raw_get(ws, target, bad_key, version)
        with sock:
            assert head.split(" ")[1] in ("400", "426"), head
            assert b"Sec-WebSocket-" in sock.recv(4096)  # says which header is wrong
    sock, head = _raw_get(ws, "/somewhere-else?" + target.split("?", 1)[1], key)
    with sock:
        assert head.startswith("HTTP/1.1 404")

    sock, head = _raw_get(ws, target, key)  # the ticket survived the refusals
    with sock:
        assert head.startswith("HTTP/1.1 101 ") and _server_frame(sock)[0] == 0x1
    sock, head = _raw_get(ws, target, key)  # and opens one connection only
    with sock:
        assert head.startswith("HTTP/1.1 401")

    # The Socket Mode route is gone from the HTTP port.
    sock = socket.create_connection((ws.host, ws.port), timeout=5)
    with sock:
        sock.sendall(b"GET /socket HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.0 404")


def test_stop_closes_connections_promptly() -> None:
    workspace = LocalWorkspace(signing_secret=SIGNING_SECRET).start()
    port = workspace.sockets.port
    sockets = [_handshake(workspace)[0] for _ in range(3)]
    for sock in sockets:
        assert _server_frame(sock)[0] == 0x1  # hello
    assert workspace.wait_for(lambda: workspace.sockets.connections == 3, timeout=2)
    silent = socket.create_connection((workspace.host, port), timeout=5)  # connects, never shakes hands
    started = time.monotonic()
    workspace.stop()  # none of these clients answers the close: each is hung up on after the close timeout
    assert time.monotonic() - started < 1.0
    silent.close()
    for sock in sockets:
        with sock:
            opcode, data = _server_frame(sock)
            assert opcode == 0x8 and struct.unpack("!H", data[:2])[0] == 1001  # going away
            assert sock.recv(1) == b""
    assert workspace.sockets.connections == 0
    with pytest.raises(OSError):
        socket.create_connection((workspace.host, port), timeout=1).close()
