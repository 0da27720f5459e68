"""Socket Mode delivery: the app connects to us over a WebSocket and acks each envelope.

`apps.connections.open` (app-level token) issues a one-time ticket in a
`ws://…/socket?ticket=…` URL. On connect the server sends `hello`; each event
then goes out as an `events_api` envelope around the same event_callback body
HTTP delivery posts, and the app answers `{"envelope_id": …}`. Without an ack
within the retry timeout Slack redelivers the payload in a new envelope with
`retry_attempt` 1..3 and `retry_reason: "timeout"`, on the HTTP retry schedule.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable

from bot.workspace.delivery import Attempt
from bot.workspace.state import APP_ID
from bot.workspace.websocket import WebSocket

RETRY_REASON = "timeout"


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
        self._connections: list[WebSocket] = []
        self._refreshing: list[WebSocket] = []  # asked to reconnect; closed once a new connection opens
        self._acks: dict[str, threading.Event] = {}  # envelope_id -> set when the app acks it
        self._stopped = threading.Event()

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

    def serve(self, socket: WebSocket) -> None:
        """Run one connection on the caller's thread: hello, then acks until it closes."""
        with self._lock:
            self._connections.append(socket)
            count = len(self._connections)
            replaced, self._refreshing = self._refreshing, []
        try:
            socket.send_text(json.dumps(_hello(count)))
            for old in replaced:
                old.close(1000, "refreshed")
            socket.serve(self._on_text)
        except OSError:
            pass
        finally:
            with self._lock:
                if socket in self._connections:
                    self._connections.remove(socket)

    def disconnect(self, reason: str = "refresh_requested") -> int:
        """Ask every connected app to reconnect; Slack closes the old connection once the new one is up."""
        message = json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "local-slate"}})
        with self._lock:
            sockets = list(self._connections)
            self._refreshing.extend(sockets)
        for socket in sockets:
            with contextlib.suppress(OSError):
                socket.send_text(message)
        return len(sockets)

    def resume(self) -> None:
        self._stopped.clear()

    def stop(self) -> None:
        """Cancel redeliveries and close every connection (1001: going away)."""
        self._stopped.set()
        with self._lock:
            sockets, self._tickets = list(self._connections), set()
        for socket in sockets:
            socket.close(1001, "server stopping", wait_s=0)

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
        acked = threading.Event()
        with self._lock:
            socket = self._connections[-1] if self._connections else None
            self._acks[envelope_id] = acked
        started = time.monotonic()
        try:
            if socket is not None:
                socket.send_text(json.dumps(envelope, separators=(",", ":")))
                acked.wait(self.retry_timeout_s)
        except OSError:
            pass
        finally:
            with self._lock:
                self._acks.pop(envelope_id, None)
        self._record(
            Attempt(
                event_id=str(payload.get("event_id", "")),
                event_type=str(payload.get("event", {}).get("type", "")),
                retry_num=retry_attempt,
                retry_reason=retry_reason or None,
                status=200 if acked.is_set() else 0,
                no_retry=False,
                elapsed_s=round(time.monotonic() - started, 3),
                envelope_id=envelope_id,
            )
        )
        return acked.is_set()

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
            acked = self._acks.get(str(message.get("envelope_id")))
        if acked is not None:
            acked.set()


def _hello(num_connections: int) -> dict:
    return {
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {"host": "local-slate", "build_number": 1, "approximate_connection_time": 18060},
        "connection_info": {"app_id": APP_ID},
    }
