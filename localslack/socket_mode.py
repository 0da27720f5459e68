"""Socket Mode delivery: the app connects to us over a WebSocket and acks each envelope.

The WebSocket side is the `websockets` library's threaded server, on a port of
its own next to the HTTP server. `apps.connections.open` (app-level token)
issues a one-time ticket in a `ws://host:port/link/?ticket=…&app_id=…` URL, as
Slack's `wss://wss-primary.slack.com/link/?ticket=…` does; a handshake with a
bad ticket is refused (401) before it is accepted. On connect the server sends
`hello`; each event then goes out as an `events_api` envelope around the same
event_callback body HTTP delivery posts, and the app answers
`{"envelope_id": …}`. Without an ack within the retry timeout Slack redelivers
the payload in a new envelope with `retry_attempt` 1..3 and
`retry_reason: "timeout"`, on the HTTP retry schedule. Interactivity and slash
commands go out as `interactive` / `slash_commands` envelopes that accept a
response payload: the ack's `payload` is the app's answer (what an HTTP app
would have put in its response body).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from localslack.delivery import Attempt
from localslack.state import APP_ID

RETRY_REASON = "timeout"
PATH = "/link/"  # Slack's: wss://wss-primary.slack.com/link/?ticket=…&app_id=…
MAX_MESSAGE_BYTES = 1 << 20  # Socket Mode acks are small; anything bigger closes with 1009
CLOSE_TIMEOUT_S = 0.25  # how long a close waits for the client's answer and its end of TCP
OPEN_TIMEOUT_S = 5.0  # a client that connects but sends no handshake is dropped after this
STOP_WAIT_S = 2.0  # the most stop() waits for open connections to close (each takes CLOSE_TIMEOUT_S at worst)


@dataclass
class _Pending:
    """An envelope waiting for its ack, and the ack's payload once it comes."""

    acked: threading.Event = field(default_factory=threading.Event)
    payload: dict = field(default_factory=dict)


class SocketModeDelivery:
    """Tickets, live connections, envelopes out and acks in, with Slack's redelivery."""

    def __init__(
        self,
        *,
        retry_timeout_s: float,
        retry_delays_s: tuple[float, ...],
        record: Callable[[Attempt], None],
    ) -> None:
        self.retry_timeout_s = retry_timeout_s
        self.retry_delays_s = tuple(retry_delays_s)[:3]
        self._record = record
        self._lock = threading.Lock()
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        self._refreshing: list[ServerConnection] = []  # asked to reconnect; closed once a new one opens
        self._acks: dict[str, _Pending] = {}  # envelope_id -> its ack, once the app sends it
        self._stopped = threading.Event()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.host = ""
        self.port = 0  # the WebSocket server's, once started

    # ---- the server ------------------------------------------------------

    def start(self, host: str, port: int = 0) -> int:
        """Listen for Socket Mode connections on `host` (port 0 picks a free one); returns the port."""
        if self._server is not None:
            return self.port
        self._stopped.clear()
        server = serve(
            self._serve,
            host,
            port,
            process_response=self._admit,
            compression=None,  # Slack's clients offer none
            ping_interval=None,  # the clients ping; Slack's pings are not needed to keep loopback alive
            open_timeout=OPEN_TIMEOUT_S,
            close_timeout=CLOSE_TIMEOUT_S,
            max_size=MAX_MESSAGE_BYTES,
            server_header="SlateLocalSlack/1.0",
        )
        self._server, self.host, self.port = server, host, server.socket.getsockname()[1]
        # Connection threads inherit this thread's daemon flag: none of them holds up interpreter exit.
        self._thread = threading.Thread(target=server.serve_forever, name="local-slack-socket", daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        """Cancel redeliveries, stop listening and close every connection (1001: going away)."""
        self._stopped.set()
        with self._lock:
            server, thread, self._server, self._thread = self._server, self._thread, None, None
            self._tickets = set()
        if server is None:
            return
        # shutdown() stops listening at once and closes open connections, but returns only once every
        # connection's thread ended, a TCP connection still short of its handshake too (within
        # OPEN_TIMEOUT_S): so it runs on a thread of its own, and stop() waits for the open ones only.
        closing = threading.Thread(
            target=server.shutdown,
            kwargs={"code": 1001, "reason": "server stopping"},
            name="local-slack-socket-stop",
            daemon=True,
        )
        closing.start()
        deadline = time.monotonic() + STOP_WAIT_S
        while closing.is_alive() and time.monotonic() < deadline:
            if server.socket_closed.is_set() and not self.connections:
                break
            closing.join(0.01)
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))

    def url(self) -> str:
        """A fresh connection URL, as apps.connections.open answers it."""
        return f"ws://{self.host}:{self.port}{PATH}?ticket={self.issue_ticket()}&app_id={APP_ID}"

    def _admit(self, connection: ServerConnection, request: Request, response: Response) -> Response | None:
        """After the library checked the handshake (a malformed one keeps its 400/426): the ticket."""
        if response.status_code != HTTPStatus.SWITCHING_PROTOCOLS:
            return None
        target = urlsplit(request.path)
        if target.path != PATH:
            return connection.respond(
                HTTPStatus.NOT_FOUND, f"not found: Socket Mode connects to {PATH}?ticket=...\n"
            )
        if not self.redeem(dict(parse_qsl(target.query)).get("ticket", "")):
            return connection.respond(
                HTTPStatus.UNAUTHORIZED, "invalid_ticket: call apps.connections.open for a new URL\n"
            )
        return None

    # ---- connections -----------------------------------------------------

    def issue_ticket(self) -> str:
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        return ticket

    def redeem(self, ticket: str) -> bool:
        """A ticket opens one connection, once."""
        with self._lock:
            if ticket not in self._tickets:
                return False
            self._tickets.discard(ticket)
            return True

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._connections)

    def _serve(self, connection: ServerConnection) -> None:
        """Run one connection on its own thread: hello, then acks until it closes."""
        with self._lock:
            self._connections.append(connection)
            count = len(self._connections)
            replaced, self._refreshing = self._refreshing, []
        try:
            connection.send(json.dumps(_hello(count)))
            for old in replaced:  # closing waits for the old client's answer: not on this thread
                threading.Thread(
                    target=old.close, args=(1000, "refreshed"), name="slack-socket-refreshed", daemon=True
                ).start()
            for message in connection:  # ends on close; the library answers pings and closes
                if isinstance(message, str):
                    self._on_text(message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                if connection in self._connections:
                    self._connections.remove(connection)

    def disconnect(self, reason: str = "refresh_requested") -> int:
        """Ask every connected app to reconnect; Slack closes the old connection once the new one is up."""
        message = json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "local-slate"}})
        with self._lock:
            connections = list(self._connections)
            self._refreshing.extend(connections)
        for connection in connections:
            with contextlib.suppress(ConnectionClosed):
                connection.send(message)
        return len(connections)

    # ---- envelopes -------------------------------------------------------

    def send(self, payload: dict, *, retry_attempt: int = 0, retry_reason: str = "") -> bool:
        """One envelope on the newest connection; True when acked within the retry timeout.

        Each envelope is logged once, in `deliveries`: status 200 with its
        envelope_id when acked in time, 0 when not (or when no app is connected).
        """
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
            "payload": payload,
        }
        started = time.monotonic()
        acked = self._exchange(envelope, self.retry_timeout_s) is not None
        self._record(
            Attempt(
                event_id=str(payload.get("event_id", "")),
                event_type=str(payload.get("event", {}).get("type", "")),
                retry_num=retry_attempt,
                retry_reason=retry_reason or None,
                status=200 if acked else 0,
                no_retry=False,
                elapsed_s=round(time.monotonic() - started, 3),
                envelope_id=envelope_id,
            )
        )
        return acked

    def request(self, kind: str, payload: dict, timeout_s: float) -> dict | None:
        """An `interactive` or `slash_commands` envelope; the ack's payload ({} if none), None if no ack.

        Never redelivered: Slack shows the person an error instead.
        """
        envelope = {
            "envelope_id": str(uuid.uuid4()),
            "type": kind,
            "accepts_response_payload": True,
            "payload": payload,
        }
        return self._exchange(envelope, timeout_s)

    def _exchange(self, envelope: dict, timeout_s: float) -> dict | None:
        """Send on the newest connection and wait for the ack; its payload, or None without one."""
        pending = _Pending()
        with self._lock:
            connection = self._connections[-1] if self._connections else None
            self._acks[envelope["envelope_id"]] = pending
        try:
            if connection is not None:
                connection.send(json.dumps(envelope, separators=(",", ":")))
                pending.acked.wait(timeout_s)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._acks.pop(envelope["envelope_id"], None)
        return pending.payload if pending.acked.is_set() else None

    def dispatch(self, payload: dict) -> threading.Thread:
        """Deliver on a background thread, redelivering like Slack until acked."""
        thread = threading.Thread(
            target=self._deliver_with_retries, args=(payload,), name="slack-socket-delivery", daemon=True
        )
        thread.start()
        return thread

    def _deliver_with_retries(self, payload: dict) -> None:
        for attempt in range(len(self.retry_delays_s) + 1):
            if attempt and self._stopped.wait(self.retry_delays_s[attempt - 1]):
                return
            if self._stopped.is_set():
                return
            if self.send(payload, retry_attempt=attempt, retry_reason=RETRY_REASON if attempt else ""):
                return

    def _on_text(self, text: str) -> None:
        """An ack is `{"envelope_id": …}` (plus `payload` for interactivity); anything else is ignored."""
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        with self._lock:
            pending = self._acks.get(str(message.get("envelope_id")))
        if pending is not None:
            payload = message.get("payload")
            pending.payload = payload if isinstance(payload, dict) else {}
            pending.acked.set()


def _hello(num_connections: int) -> dict:
    return {
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {"host": "local-slate", "build_number": 1, "approximate_connection_time": 18060},
        "connection_info": {"app_id": APP_ID},
    }
