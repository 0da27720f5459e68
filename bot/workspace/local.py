"""`LocalWorkspace`: a Slack-compatible workspace on loopback, for tests and `make demo`.

It answers the Web API like Slack, delivers events with Slack's retries (signed
Events API requests to `events_url`, or Socket Mode envelopes to a connected
app when `events_url` is None), and serves a small browser UI. Tests drive it with
the real `slack_sdk.WebClient(base_url=ws.api_url)` and a real Bolt app: the
protocol is exercised, nothing is mocked.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable

from bot.workspace.delivery import EventDelivery
from bot.workspace.server import WorkspaceServer
from bot.workspace.shapes import (
    VERIFICATION_TOKEN,
    app_mention_event,
    event_envelope,
    mentions,
    message_event,
    names_to_mentions,
    new_event_id,
    user_message,
)
from bot.workspace.socket_mode import SocketModeDelivery
from bot.workspace.state import (
    BOT_ID,
    BOT_USER_ID,
    DIRECTOR_ID,
    SHOTS_ID,
    TEAM_ID,
    WorkspaceState,
)
from bot.workspace.webapi import WebApi


class LocalWorkspace:
    """One workspace (team T0LOCAL, bot U0SLATEBOT, user U0DIRECTOR, channel #shots) over HTTP."""

    bot_user_id = BOT_USER_ID
    bot_id = BOT_ID
    team_id = TEAM_ID
    default_user = DIRECTOR_ID
    default_channel = SHOTS_ID

    def __init__(
        self,
        *,
        signing_secret: str,
        bot_token: str = "xoxb-local-slate",
        app_token: str = "xapp-local-slate",
        events_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        retry_timeout_s: float = 3.0,
        retry_delays_s: tuple[float, ...] = (0.0, 60.0, 300.0),
        echo_bot_messages: bool = True,
        bot_events: tuple[str, ...] | None = None,
    ) -> None:
        """Nothing listens until `start()`.

        retry_timeout_s / retry_delays_s: Slack's 3 s and (~0, 60, 300) s; tests compress them.
        echo_bot_messages: send the bot its own posts back as `message` events, as Slack does.
        bot_events: the app manifest's subscriptions, as event types to deliver (None: all).
        """
        self.signing_secret = signing_secret
        self.bot_token = bot_token
        self.app_token = app_token
        self.events_url = events_url
        self.echo_bot_messages = echo_bot_messages
        self.bot_events = bot_events
        self.host = host
        self.port = port
        self.state = WorkspaceState()
        self.calls: list[tuple[str, dict]] = []
        self.sent_events: list[dict] = []
        self._lock = threading.Lock()
        self._server: WorkspaceServer | None = None
        self._thread: threading.Thread | None = None
        self.delivery = EventDelivery(
            signing_secret,
            events_url=lambda: self.events_url,
            retry_timeout_s=retry_timeout_s,
            retry_delays_s=retry_delays_s,
        )
        self.sockets = SocketModeDelivery(
            retry_timeout_s=retry_timeout_s, retry_delays_s=retry_delays_s, record=self.delivery.record
        )
        self.api = WebApi(
            self.state,
            bot_token=bot_token,
            app_token=app_token,
            base_url=lambda: self.url,
            on_bot_message=self._echo,
            socket_url=lambda: f"ws://{self.host}:{self.port}/socket?ticket={self.sockets.issue_ticket()}",
        )

    # ---- lifecycle -------------------------------------------------------

    def start(self) -> LocalWorkspace:
        """Bind (port 0 picks a free one) and serve on a daemon thread; returns self."""
        if self._server is not None:
            return self
        self.delivery.resume()
        self.sockets.resume()
        self._server = WorkspaceServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-slack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cancel pending event retries and close Socket Mode connections."""
        self.delivery.stop()
        self.sockets.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalWorkspace:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The browser UI, and the workspace URL auth.test reports."""
        return f"http://{self.host}:{self.port}/"

    @property
    def api_url(self) -> str:
        """Base URL for `WebClient(base_url=...)`; the trailing slash matters (urljoin)."""
        return f"{self.url}api/"

    # ---- acting as a person ----------------------------------------------

    def post_user_message(
        self, text: str, *, channel: str = SHOTS_ID, user: str = DIRECTOR_ID, thread_ts: str | None = None
    ) -> dict:
        """Store a person's message, then deliver `message` (and `app_mention` when the bot is named)."""
        channel_id = self.state.resolve_channel(channel)
        if channel_id is None:
            raise ValueError(f"channel_not_found: {channel}")
        if self.state.user(user) is None:
            raise ValueError(f"user_not_found: {user}")
        if thread_ts:
            parent = self.state.message(channel_id, thread_ts)
            if parent is None:
                raise ValueError(f"thread_not_found: {thread_ts}")
            thread_ts = parent.get("thread_ts") or parent["ts"]
        stored = self.state.add_message(channel_id, user_message(user, text, thread_ts))
        self._dispatch(message_event(stored))
        if self.bot_user_id in mentions(text):
            self._dispatch(app_mention_event(stored))
        return stored

    def post_from_ui(self, text: str, *, channel: str | None = None, thread_ts: str | None = None) -> dict:
        """The UI's compose box: '@slate' becomes a real mention, then the same path as a test's post."""
        names = {user["name"]: user["id"] for user in self.state.list_users()}
        text = names_to_mentions(text, names)
        return self.post_user_message(text, channel=channel or SHOTS_ID, thread_ts=thread_ts)

    # ---- events ----------------------------------------------------------

    def deliver_event(
        self,
        event: dict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        wait: bool = True,
    ) -> int:
        """One delivery of `event` in an event_callback envelope, no automatic retries.

        Returns the bot's HTTP status (0: no answer or no events URL). In Socket
        Mode (no events URL, an app connected) the envelope carries `retry_num` as
        `retry_attempt`, and 200 means the app acked it in time. With wait=False
        the delivery runs on a thread and 0 is returned at once.
        """
        envelope = event_envelope(event, event_id or new_event_id())
        with self._lock:
            self.sent_events.append(envelope)
        if self.socket_mode:
            send = functools.partial(
                self.sockets.send, envelope, retry_attempt=retry_num or 0, retry_reason=retry_reason or ""
            )
            if wait:
                return 200 if send() else 0
            threading.Thread(target=send, daemon=True).start()
            return 0
        if wait:
            return self.delivery.send(envelope, retry_num=retry_num, retry_reason=retry_reason)
        threading.Thread(
            target=self.delivery.send,
            args=(envelope,),
            kwargs={"retry_num": retry_num, "retry_reason": retry_reason},
            daemon=True,
        ).start()
        return 0

    def verify_events_url(self) -> bool:
        """Send Slack's url_verification challenge to `events_url`; True when it is echoed back."""
        if self.events_url is None:
            return False
        challenge = new_event_id()
        payload = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return challenge.encode() in self.delivery.challenge(self.events_url, payload)

    @property
    def deliveries(self) -> list[dict]:
        """Every POST or envelope to the bot, in the order answers came back (see `delivery.Attempt`)."""
        return self.delivery.deliveries

    @property
    def socket_mode(self) -> bool:
        """Events go over Socket Mode when no events URL is set and an app is connected."""
        return self.events_url is None and self.sockets.connections > 0

    def request_reconnect(self, reason: str = "refresh_requested") -> int:
        """Send Socket Mode's `disconnect` message to every connected app; how many got it."""
        return self.sockets.disconnect(reason)

    def _dispatch(self, event: dict) -> None:
        if self.bot_events is not None and event["type"] not in self.bot_events:
            return
        socket_mode = self.socket_mode
        if self.events_url is None and not socket_mode:
            return
        envelope = event_envelope(event, new_event_id())
        with self._lock:
            self.sent_events.append(envelope)
        if socket_mode:
            self.sockets.dispatch(envelope)
        else:
            self.delivery.dispatch(envelope)

    def _echo(self, message: dict) -> None:
        """Slack sends a bot its own posts back as `message` events (Bolt drops them as self events)."""
        if self.echo_bot_messages:
            self._dispatch(message_event(message))

    # ---- Web API bookkeeping ---------------------------------------------

    def record_call(self, method: str, args: dict) -> None:
        with self._lock:
            self.calls.append((method, dict(args)))

    def calls_to(self, method: str) -> list[dict]:
        with self._lock:
            return [args for name, args in self.calls if name == method]

    def set_rate_limit(self, method: str, per_minute: int | None, *, window_s: float = 60.0) -> None:
        """Answer `method` with 429 + Retry-After beyond `per_minute` calls per window; None lifts it."""
        self.api.rate_limits.set(method, per_minute, window_s=window_s)

    # ---- reading the workspace -------------------------------------------

    def messages(self, channel: str = SHOTS_ID) -> list[dict]:
        """Top-level messages, oldest first."""
        return self.state.top_level(self.state.resolve_channel(channel) or channel)

    def replies(self, channel: str, thread_ts: str) -> list[dict]:
        """A thread, parent first."""
        return self.state.thread(self.state.resolve_channel(channel) or channel, thread_ts)

    def file_bytes(self, file_id: str) -> bytes:
        stored = self.state.file(file_id)
        if stored is None or stored.data is None:
            raise KeyError(file_id)
        return stored.data

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Poll `predicate` until true or `timeout`; wakes early whenever the workspace changes."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self.state.changed:
                self.state.changed.wait(min(0.05, remaining))

    # ---- UI --------------------------------------------------------------

    def ui_state(self, channel: str | None, since: int) -> dict:
        """What the page needs to redraw, or just the version when nothing changed since `since`."""
        version = self.state.version
        if since == version:
            return {"version": version, "changed": False}
        channel_id = self.state.resolve_channel(channel or SHOTS_ID) or SHOTS_ID
        top = self.state.top_level(channel_id)
        threads = {m["ts"]: self.state.thread(channel_id, m["ts"])[1:] for m in top if m.get("reply_count")}
        users = {
            u["id"]: {"name": u["name"], "real_name": u["real_name"], "is_bot": u["is_bot"]}
            for u in self.state.list_users()
        }
        return {
            "version": version,
            "changed": True,
            "team": dict(self.state.team),
            "me": DIRECTOR_ID,
            "bot_user_id": self.bot_user_id,
            "bot_connected": self.events_url is not None or self.sockets.connections > 0,
            "channel": {"id": channel_id, "name": self.state.channel(channel_id)["name"]},
            "channels": [{"id": c["id"], "name": c["name"]} for c in self.state.list_channels()],
            "users": users,
            "messages": top,
            "threads": threads,
            "ephemeral": self.state.ephemeral_for(channel_id, DIRECTOR_ID),
        }
