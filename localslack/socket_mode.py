"""Socket Mode delivery: the app connects to us over a WebSocket and acks each envelope.

`apps.connections.open` (app-level token) issues a one-time ticket in a
`ws://…/socket?ticket=…` URL. On connect the server sends `hello`; each event
then goes out as an `events_api` envelope around the same event_callback body
HTTP delivery posts, and the app answers `{"envelope_id": …}`. Without an ack
within the retry timeout Slack redelivers the payload in a new envelope with
`retry_attempt` 1..3 and `retry_reason: "timeout"`, on the HTTP retry schedule.
Interactivity and slash commands go out as `interactive` / `slash_commands`
envelopes that accept a response payload: the ack's `payload` is the app's
answer (what an HTTP app would have put in its response body).
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

from localslack.delivery import Attempt
from localslack.state import APP_ID
from localslack.websocket import WebSocket

RETRY_REASON = "timeout"


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
        self._connections: list[WebSocket] = []
        self._refreshing: list[WebSocket] = []  # asked to reconnect; closed once a new connection opens
        self._acks: dict[str, _Pending] = {}  # envelope_id -> its ack, once the app sends it
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
            socket = self._connections[-1] if self._connections else None
            self._acks[envelope["envelope_id"]] = pending
        try:
            if socket is not None:
                socket.send_text(json.dumps(envelope, separators=(",", ":")))
                pending.acked.wait(timeout_s)
        except OSError:
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
