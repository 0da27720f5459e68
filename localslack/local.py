"""`LocalWorkspace`: a Slack-compatible workspace on loopback, for tests and `make demo`.

It answers the Web API like Slack, delivers events with Slack's retries (signed
Events API requests to `events_url`, or Socket Mode envelopes to a connected
app when `events_url` is None), delivers a person's interactions (buttons,
modals, slash commands, shortcuts, the App Home) and honours the app's answers,
and serves a small browser UI. Tests drive it with
the real `slack_sdk.WebClient(base_url=ws.api_url)` and a real Bolt app: the
protocol is exercised, nothing is mocked.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable

from localslack.blocks import image_blocks
from localslack.delivery import Attempt, EventDelivery
from localslack.interactive import INTERACTION_TIMEOUT_S, Interaction, Interactivity
from localslack.params import ApiError
from localslack.payloads import app_home_opened_event
from localslack.server import WorkspaceServer
from localslack.shapes import (
    VERIFICATION_TOKEN,
    app_mention_event,
    bot_message,
    event_envelope,
    mentions,
    message_event,
    names_to_mentions,
    new_event_id,
    user_message,
)
from localslack.socket_mode import SocketModeDelivery
from localslack.state import (
    APPROVER_ID,
    ARTIST_ID,
    BOT_ID,
    BOT_USER_ID,
    DIRECTOR_ID,
    SHOTS_ID,
    TEAM_ID,
    WorkspaceState,
)
from localslack.ui import Command, Page, Shortcut
from localslack.views import TRIGGER_TTL_S
from localslack.webapi import WebApi


class LocalWorkspace:
    """One workspace (team T0LOCAL, bot U0SLATEBOT, people U0DIRECTOR, U0ARTIST and U0APRIL,
    channel #shots) over HTTP."""

    bot_user_id = BOT_USER_ID
    bot_id = BOT_ID
    team_id = TEAM_ID
    default_user = DIRECTOR_ID
    artist = ARTIST_ID
    approver = APPROVER_ID
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
        interaction_timeout_s: float = INTERACTION_TIMEOUT_S,
        trigger_ttl_s: float = TRIGGER_TTL_S,
        commands: tuple[Command, ...] = (),
        shortcuts: tuple[Shortcut, ...] = (),
    ) -> None:
        """Nothing listens until `start()`.

        retry_timeout_s / retry_delays_s: Slack's 3 s and (~0, 60, 300) s; tests compress them.
        interaction_timeout_s: how long Slack waits for an interaction's ack (3 s).
        trigger_ttl_s: how long a trigger_id can open a modal (3 s).
        echo_bot_messages: send the bot its own posts back as `message` events, as Slack does.
        bot_events: the app manifest's subscriptions, as event types to deliver (None: all).
        commands: the app's slash commands, as the page's composer offers them.
        shortcuts: the app's message shortcuts, as the page offers them on each message.
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
            socket_url=self.sockets.url,
        )
        self.api.triggers.ttl_s = trigger_ttl_s
        self.interactivity = Interactivity(self, interaction_timeout_s)
        self.page = Page(
            self.state, self, commands=commands, shortcuts=shortcuts, bot_connected=self._bot_connected
        )

    # ---- lifecycle -------------------------------------------------------

    def start(self) -> LocalWorkspace:
        """Bind (port 0 picks a free one) and serve on daemon threads; returns self."""
        if self._server is not None:
            return self
        self.delivery.resume()
        self._server = WorkspaceServer(
            (self.host, self.port),
            api=self.api,
            page=self.page,
            on_call=self.record_call,
        )
        self.port = self._server.server_address[1]
        self.sockets.start(self.host)  # Socket Mode's WebSocket server, on a port of its own
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
        self,
        text: str,
        *,
        channel: str = SHOTS_ID,
        user: str = DIRECTOR_ID,
        thread_ts: str | None = None,
        files: list[str] | None = None,
    ) -> dict:
        """Store a person's message, then deliver `message` (and `app_mention` when the bot is named).

        `files`: ids from `upload_as`; the message is a `file_share` carrying their file objects,
        as Slack sends a message with attachments (`app_mention` carries them too)."""
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
        message = user_message(user, text, thread_ts)
        if files:
            message.update({"subtype": "file_share", "upload": True, "display_as_bot": False})
            try:
                message["files"] = self.api.files.attachable(user, files)
            except ApiError as error:
                raise ValueError(f"{error.code}: {', '.join(files)}") from None
        stored = self.state.add_message(channel_id, message)
        self.api.files.record_shares(stored)
        event = message_event(stored)
        if (self.state.channel(channel_id) or {}).get("is_im"):
            event["channel_type"] = "im"
        self._dispatch(event)
        if self.bot_user_id in mentions(text) and event["channel_type"] != "im":  # never for a DM
            self._dispatch(app_mention_event(stored))
        return stored

    def upload_as(self, user: str, filename: str, data: bytes) -> dict:
        """A person attaches a file (files v2's steps, as the client takes them); its file object.
        It is shared when a message names it: `post_user_message(..., files=[id])`."""
        if self.state.user(user) is None:
            raise ValueError(f"user_not_found: {user}")
        try:
            return self.api.files.upload_as(user, filename, data)
        except ApiError as error:
            raise ValueError(error.code) from None

    def post_from_ui(
        self,
        text: str,
        *,
        user: str = DIRECTOR_ID,
        channel: str | None = None,
        thread_ts: str | None = None,
        files: list[str] | None = None,
    ) -> dict:
        """The page's composer: '@slate' becomes a real mention, then the same path as a test's post."""
        names = {person["name"]: person["id"] for person in self.state.list_users()}
        text = names_to_mentions(text, names)
        return self.post_user_message(
            text, channel=channel or SHOTS_ID, user=user, thread_ts=thread_ts, files=files
        )

    def file_object(self, file_id: str) -> dict | None:
        """A file as files.info describes it, or None."""
        stored = self.state.file(file_id)
        return self.api.files.file_object(stored) if stored is not None else None

    # ---- interacting as a person -----------------------------------------

    def press_button(
        self,
        user: str,
        channel: str,
        message_ts: str,
        action_id: str,
        *,
        value: str | None = None,
        selected_option: str | None = None,
    ) -> Interaction:
        """Press a button (or choose `selected_option`, an option's value, in a select) in a message.

        Sends `block_actions` with a fresh trigger_id and response_url; raises
        `InteractionError` when the message shows no element with `action_id`.
        """
        return self.interactivity.press(
            user, channel, message_ts, action_id, value=value, selected_option=selected_option
        )

    def press_view_button(
        self,
        user: str,
        view_id: str,
        action_id: str,
        *,
        value: str | None = None,
        selected_option: str | None = None,
    ) -> Interaction:
        """The same in one of the user's open modals or their App Home (its trigger can views.push)."""
        return self.interactivity.press_in_view(
            user, view_id, action_id, value=value, selected_option=selected_option
        )

    def submit_view(self, user: str, view_id: str, values: dict | None = None) -> Interaction:
        """Submit the user's top modal with `values` ({block_id: {action_id: {"type": …, "value": …}}}).

        The ack's `response_action` is honoured: `errors` keeps the view open,
        `update` replaces it, `push` stacks a new one, `clear` closes all; an
        empty ack closes it. `Interaction.view` is the top modal afterwards.
        """
        return self.interactivity.submit(user, view_id, values or {})

    def close_view(self, user: str, view_id: str) -> Interaction:
        """Close the user's top modal; `view_closed` reaches the app only with notify_on_close."""
        return self.interactivity.close(user, view_id)

    def open_views(self, user: str) -> list[dict]:
        """The user's modal stack, root first, top last."""
        return self.api.view_store.stack(user)

    def home_view(self, user: str) -> dict | None:
        """The App Home view published for the user, if any."""
        return self.api.view_store.home(user)

    def run_slash_command(self, user: str, channel: str, command: str, text: str = "") -> Interaction:
        """Type `/command text` in a channel; the ack's text/blocks show as Slack shows them
        (`in_channel`: posted by the bot for everyone; otherwise ephemeral for `user`)."""
        return self.interactivity.slash_command(user, channel, command, text)

    def use_message_shortcut(self, user: str, channel: str, message_ts: str, callback_id: str) -> Interaction:
        """Choose a message shortcut on a message: `message_action`."""
        return self.interactivity.shortcut(user, channel, message_ts, callback_id)

    def open_app_home(self, user: str) -> Attempt:
        """The user opens the app's Home tab: one `app_home_opened` delivery (with the published view).

        Status 0 when the app does not subscribe to the event or nothing listens.
        """
        if self.state.user(user) is None:
            raise ValueError(f"user_not_found: {user}")
        event = app_home_opened_event(user, self.home_view(user))
        event_id = new_event_id()
        subscribed = self.bot_events is None or event["type"] in self.bot_events
        if subscribed and (self.events_url is not None or self.socket_mode):
            self.deliver_event(event, event_id=event_id)
            attempts = [d for d in self.deliveries if d["event_id"] == event_id]
            if attempts:
                return Attempt(**attempts[-1])
        return Attempt(event_id, event["type"], 0, None, 0, False, 0.0)

    @property
    def interactions(self) -> list[Interaction]:
        """Every interaction sent to the app, oldest first."""
        return self.interactivity.log

    # ---- assistant threads -------------------------------------------------

    def start_assistant_thread(self, user: str = DIRECTOR_ID, context_channel: str | None = SHOTS_ID) -> str:
        """The person opens Slate's assistant container: a new thread in their DM with the app,
        and ``assistant_thread_started`` (with the channel they were viewing as context)."""
        dm = self.state.add_dm(user)["id"]
        root = self.state.add_message(dm, {**bot_message("New chat"), "subtype": "assistant_app_thread"})
        context = {"channel_id": context_channel, "team_id": TEAM_ID, "enterprise_id": None}
        event = {
            "type": "assistant_thread_started",
            "assistant_thread": {
                "user_id": user,
                "context": context if context_channel else {},
                "channel_id": dm,
                "thread_ts": root["ts"],
            },
            "event_ts": root["ts"],
        }
        self._dispatch(event)
        return root["ts"]

    def assistant_status(self, user: str, thread_ts: str) -> str | None:
        """The status line Slack shows under the assistant thread ("is drawing…"), if any."""
        return self.api.assistant.status.get(("D" + user[1:], thread_ts))

    def suggested_prompts(self, user: str, thread_ts: str) -> dict | None:
        return self.api.assistant.prompts.get(("D" + user[1:], thread_ts))

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

    def _bot_connected(self) -> bool:
        return self.events_url is not None or self.sockets.connections > 0

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

    def ephemeral_for(self, user: str, channel: str = SHOTS_ID) -> list[dict]:
        """The ephemeral messages only `user` sees in `channel`, oldest first."""
        return self.state.ephemeral_for(self.state.resolve_channel(channel) or channel, user)

    def message_images(self, channel: str, ts: str) -> list[bytes]:
        """The bytes of every image a message shows: its image files, then its image blocks.

        Image blocks count when they name a file of this workspace (`slack_file`,
        or an `image_url` on this server); an outside URL has nothing to read here.
        """
        channel_id = self.state.resolve_channel(channel) or channel
        message = self.state.message(channel_id, ts)
        if message is None:
            message = next(
                (m for m in list(self.state.ephemeral) if m["channel"] == channel_id and m["ts"] == ts), None
            )
        if message is None:
            raise KeyError(f"message_not_found: {channel} {ts}")
        images = [
            self.file_bytes(f["id"])
            for f in message.get("files") or []
            if str(f.get("mimetype", "")).startswith("image/")
        ]
        for block in image_blocks(message.get("blocks")):
            file_id = self.api.files.file_id_for(block.get("slack_file") or block.get("image_url") or "")
            if file_id is not None:
                images.append(self.file_bytes(file_id))
            elif "slack_file" in block:
                raise KeyError(f"file_not_found: {block['slack_file']}")
        return images

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
