"""Slack's interactive surfaces in the local workspace, driven by a real Bolt app.

Buttons, selects, modals, slash commands, shortcuts, response URLs and the
App Home: the workspace sends what Slack sends (signed form posts to the
events URL, or Socket Mode envelopes), and honours the app's acks as Slack
does. The listeners are small ones written here; the app is a real Bolt `App`
under waitress (or the real `SocketModeHandler`). Nothing is mocked.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from urllib.error import HTTPError

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.server import EVENTS_PATH, http_server
from localslack import InteractionError, LocalWorkspace
from localslack.state import APPROVER_ID, ARTIST_ID, DIRECTOR_ID
from tests.conftest import stop_http_server

pytestmark = pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")

SECRET = "test-signing-secret"
TOKEN = "xoxb-local-slate"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") + (48).to_bytes(4, "big") + bytes(40)
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SHOTS = "C0SHOTS"

NOTE = {
    "type": "input",
    "block_id": "note",
    "label": {"type": "plain_text", "text": "Note"},
    "element": {"type": "plain_text_input", "action_id": "text"},
}


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def button(action_id: str, value: str, text: str = "Approve") -> dict:
    return {"type": "button", "action_id": action_id, "text": plain(text), "value": value}


def review_blocks() -> list[dict]:
    return [
        {"type": "section", "block_id": "frame", "text": {"type": "mrkdwn", "text": "*Shot 1 · v2*"}},
        {
            "type": "actions",
            "block_id": "review",
            "elements": [button("approve", "shot-1-v2"), button("reject", "shot-1-v2", "Reject")],
        },
    ]


def modal(callback_id: str = "note", *, blocks: list[dict] | None = None, **extra: object) -> dict:
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain("Review"),
        "submit": plain("Send"),
        "blocks": blocks or [NOTE],
    }
    return {**view, **extra}


def note(text: str) -> dict:
    return {"note": {"text": {"type": "plain_text_input", "value": text}}}


# ---- the stack: workspace + Bolt over HTTP ------------------------------------


@pytest.fixture
def ws() -> Iterator[LocalWorkspace]:
    # The app subscribes to app_home_opened only: people's messages here are context, not events.
    workspace = LocalWorkspace(
        signing_secret=SECRET,
        retry_timeout_s=1.0,
        retry_delays_s=(0.0, 0.2, 0.4),
        echo_bot_messages=False,
        bot_events=("app_home_opened",),
    )
    with workspace:
        yield workspace


@pytest.fixture
def client(ws: LocalWorkspace) -> WebClient:
    return WebClient(token=TOKEN, base_url=ws.api_url)


@pytest.fixture
def app(ws: LocalWorkspace) -> Iterator[App]:
    """A real Bolt app (acks before its listeners finish) at the workspace's events URL."""
    bolt = App(token=TOKEN, signing_secret=SECRET, client=WebClient(base_url=ws.api_url, token=TOKEN))
    server = http_server(bolt, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    ws.events_url = f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"
    try:
        yield bolt
    finally:
        stop_http_server(server, thread)


def seen_by(app: App) -> tuple[list[dict], Callable[..., None]]:
    """A list the returned listener fills with each request body after acking it."""
    bodies: list[dict] = []

    def listener(ack: Callable, body: dict) -> None:
        ack()
        bodies.append(body)

    return bodies, listener


def open_modal(ws: LocalWorkspace, app: App, user: str, view: dict) -> dict:
    """Open `view` for `user` the way Slate would: a slash command whose listener calls views.open."""

    @app.command("/review")
    def review(ack: Callable, body: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=view)

    assert ws.run_slash_command(user, SHOTS, "/review", "").status == 200
    assert ws.wait_for(lambda: len(ws.open_views(user)) == 1)
    return ws.open_views(user)[0]


def _post(url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with NO_PROXY.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def _refused(call: Callable[[], object]) -> dict:
    with pytest.raises(SlackApiError) as refused:
        call()
    return refused.value.response.data  # type: ignore[return-value]


# ---- people ---------------------------------------------------------------------


def test_artist_and_approver_are_people_of_shots(ws: LocalWorkspace, client: WebClient) -> None:
    artist = client.users_info(user=ARTIST_ID)["user"]
    approver = client.users_info(user=APPROVER_ID)["user"]
    assert (artist["name"], artist["real_name"], artist["is_bot"]) == ("ari", "Ari Artist", False)
    assert (approver["name"], approver["real_name"]) == ("april", "April Approver")
    assert all(ws.state.is_member(SHOTS, user) for user in (DIRECTOR_ID, ARTIST_ID, APPROVER_ID))


# ---- buttons, triggers and modals ---------------------------------------------


def test_button_press_reaches_the_listener_and_opens_a_modal_once(
    ws: LocalWorkspace, app: App, client: WebClient
) -> None:
    actions: list[dict] = []

    @app.action("approve")
    def approve(ack: Callable, body: dict, action: dict, client: WebClient) -> None:
        ack()
        actions.append(action)
        client.views_open(trigger_id=body["trigger_id"], view=modal(private_metadata="shot-1-v2"))

    posted = client.chat_postMessage(channel=SHOTS, text="", blocks=review_blocks())
    assert posted["message"]["blocks"] == review_blocks()  # stored and returned as given
    pressed = ws.press_button(APPROVER_ID, SHOTS, posted["ts"], "approve")
    assert (pressed.status, pressed.body, pressed.error) == (200, {}, None)
    assert ws.wait_for(lambda: len(ws.open_views(APPROVER_ID)) == 1)

    action = actions[0]
    assert (action["block_id"], action["type"], action["value"]) == ("review", "button", "shot-1-v2")
    assert action["text"] == plain("Approve") and action["action_ts"]
    payload = pressed.payload
    assert payload["type"] == "block_actions" and payload["user"]["id"] == APPROVER_ID
    assert payload["user"]["username"] == "april" and payload["team"]["id"] == "T0LOCAL"
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": SHOTS,
        "is_ephemeral": False,
    }
    assert payload["channel"] == {"id": SHOTS, "name": "shots"}
    assert payload["message"]["ts"] == posted["ts"] and payload["message"]["blocks"] == review_blocks()
    assert payload["enterprise"] is None and payload["is_enterprise_install"] is False
    assert payload["response_url"].startswith(ws.url + "actions/T0LOCAL/")

    view = ws.open_views(APPROVER_ID)[0]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["previous_view_id"] is None and view["hash"]
    assert (view["callback_id"], view["private_metadata"]) == ("note", "shot-1-v2")
    assert (view["app_id"], view["bot_id"], view["team_id"]) == ("A0SLATE", "B0SLATEBOT", "T0LOCAL")
    assert view["state"] == {"values": {}}

    trigger = payload["trigger_id"]
    assert (
        _refused(lambda: client.views_open(trigger_id=trigger, view=modal()))["error"]
        == "exchanged_trigger_id"
    )
    assert (
        _refused(lambda: client.views_open(trigger_id="1.2.3", view=modal()))["error"] == "invalid_trigger_id"
    )
    with pytest.raises(InteractionError, match="no element with action_id 'publish'"):
        ws.press_button(APPROVER_ID, SHOTS, posted["ts"], "publish")


def test_a_trigger_expires_after_its_time(ws: LocalWorkspace, app: App, client: WebClient) -> None:
    ws.api.triggers.ttl_s = 0.05  # Slack's 3 s, compressed
    bodies, listener = seen_by(app)
    app.action("approve")(listener)
    posted = client.chat_postMessage(channel=SHOTS, text="review", blocks=review_blocks())
    ws.press_button(DIRECTOR_ID, SHOTS, posted["ts"], "approve")
    time.sleep(0.1)
    trigger = bodies[0]["trigger_id"]
    assert (
        _refused(lambda: client.views_open(trigger_id=trigger, view=modal()))["error"] == "expired_trigger_id"
    )


def test_select_sends_the_chosen_option_and_ephemeral_buttons_only_for_their_viewer(
    ws: LocalWorkspace, app: App, client: WebClient
) -> None:
    bodies, listener = seen_by(app)
    app.action("take")(listener)
    options = [{"text": plain(f"Take {n}"), "value": f"take-{n}"} for n in (1, 2, 3)]
    select = {"type": "static_select", "action_id": "take", "placeholder": plain("Pick"), "options": options}
    blocks = [{"type": "section", "block_id": "takes", "text": plain("Which take?"), "accessory": select}]
    secret = client.chat_postEphemeral(channel=SHOTS, user=ARTIST_ID, text="", blocks=blocks)["message_ts"]

    chosen = ws.press_button(ARTIST_ID, SHOTS, secret, "take", selected_option="take-2")
    assert chosen.status == 200 and ws.wait_for(lambda: len(bodies) == 1)
    action = bodies[0]["actions"][0]
    assert (action["type"], action["block_id"], action["selected_option"]) == (
        "static_select",
        "takes",
        options[1],
    )
    assert bodies[0]["container"]["is_ephemeral"] is True and "message" not in bodies[0]
    with pytest.raises(InteractionError, match="no option 'take-9'"):
        ws.press_button(ARTIST_ID, SHOTS, secret, "take", selected_option="take-9")
    with pytest.raises(InteractionError, match="sees no message"):
        ws.press_button(DIRECTOR_ID, SHOTS, secret, "take", selected_option="take-1")


def test_a_button_in_a_thread_names_its_thread(ws: LocalWorkspace, app: App, client: WebClient) -> None:
    bodies, listener = seen_by(app)
    app.action("approve")(listener)
    parent = client.chat_postMessage(channel=SHOTS, text="Shot 1: a wide shot of the harbour")
    reply = client.chat_postMessage(channel=SHOTS, thread_ts=parent["ts"], text="v1", blocks=review_blocks())
    ws.press_button(DIRECTOR_ID, SHOTS, reply["ts"], "approve", value="shot-1-v2")
    assert ws.wait_for(lambda: len(bodies) == 1)
    assert bodies[0]["container"]["thread_ts"] == parent["ts"]
    assert bodies[0]["message"]["thread_ts"] == parent["ts"]
    with pytest.raises(InteractionError, match="carries 'shot-1-v2'"):
        ws.press_button(DIRECTOR_ID, SHOTS, reply["ts"], "approve", value="shot-9")


def test_submission_errors_keep_the_view_and_an_empty_ack_closes_it(ws: LocalWorkspace, app: App) -> None:
    submissions: list[dict] = []

    @app.view("note")
    def submitted(ack: Callable, view: dict) -> None:
        text = view["state"]["values"]["note"]["text"]["value"]
        if len(text) < 5:
            ack(response_action="errors", errors={"note": "Say a little more."})
        else:
            ack()
            submissions.append(view)

    opened = open_modal(ws, app, APPROVER_ID, modal(private_metadata="shot-1-v2"))
    short = ws.submit_view(APPROVER_ID, opened["id"], note("ok"))
    assert short.errors == {"note": "Say a little more."} and short.error is None
    assert short.view is not None and short.view["id"] == opened["id"]
    assert [v["id"] for v in ws.open_views(APPROVER_ID)] == [opened["id"]]

    done = ws.submit_view(APPROVER_ID, opened["id"], note("warmer key light, please"))
    assert (done.status, done.body, done.view) == (200, {}, None)
    assert ws.open_views(APPROVER_ID) == []
    assert ws.wait_for(lambda: len(submissions) == 1)
    view = submissions[0]
    assert (view["id"], view["callback_id"], view["private_metadata"]) == (opened["id"], "note", "shot-1-v2")
    assert view["state"]["values"] == {
        "note": {"text": {"type": "plain_text_input", "value": "warmer key light, please"}}
    }
    assert done.payload["type"] == "view_submission" and done.payload["trigger_id"]

    with pytest.raises(InteractionError, match="not the modal"):
        ws.submit_view(APPROVER_ID, opened["id"], note("again"))


def test_required_inputs_and_unknown_fields_cannot_be_submitted(ws: LocalWorkspace, app: App) -> None:
    opened = open_modal(ws, app, ARTIST_ID, modal())
    with pytest.raises(InteractionError, match="required"):
        ws.submit_view(ARTIST_ID, opened["id"], {})
    with pytest.raises(InteractionError, match="no input block 'mood'"):
        ws.submit_view(ARTIST_ID, opened["id"], {"mood": {"text": {"value": "x"}}})
    assert ws.interactions[-1].kind == "slash_command"  # nothing was sent for either


def test_response_actions_push_update_clear_and_notify_on_close(
    ws: LocalWorkspace, app: App, client: WebClient
) -> None:
    closed: list[dict] = []

    @app.view("note")
    def submitted(ack: Callable, view: dict) -> None:
        text = view["state"]["values"]["note"]["text"]["value"]
        if text == "push":
            ack(response_action="push", view=modal(notify_on_close=True))
        elif text == "update":
            ack(response_action="update", view=modal(title=plain("Updated")))
        else:
            ack(response_action="clear")

    @app.view_closed("note")
    def on_close(ack: Callable, body: dict) -> None:
        ack()
        closed.append(body)

    root = open_modal(ws, app, DIRECTOR_ID, modal())
    second = ws.submit_view(DIRECTOR_ID, root["id"], note("push")).view
    assert second is not None and (second["root_view_id"], second["previous_view_id"]) == (
        root["id"],
        root["id"],
    )
    third = ws.submit_view(DIRECTOR_ID, second["id"], note("push")).view
    assert third is not None and len(ws.open_views(DIRECTOR_ID)) == 3
    full = ws.submit_view(DIRECTOR_ID, third["id"], note("push"))
    assert full.error == "push_limit_reached" and len(ws.open_views(DIRECTOR_ID)) == 3

    updated = ws.submit_view(DIRECTOR_ID, third["id"], note("update")).view
    assert updated is not None and updated["id"] == third["id"] and updated["title"] == plain("Updated")
    assert updated["hash"] != third["hash"]

    # A stale hash is refused; the view's own is not. Closed views cannot be updated at all.
    stale = _refused(lambda: client.views_update(view_id=second["id"], hash="1.stale", view=modal()))
    assert stale["error"] == "hash_conflict"
    client.views_update(view_id=second["id"], hash=second["hash"], view=modal(notify_on_close=True))

    closing = ws.close_view(DIRECTOR_ID, updated["id"])  # the update dropped notify_on_close
    assert closing.status == 0 and closing.view is not None and closing.view["id"] == second["id"]
    notified = ws.close_view(DIRECTOR_ID, second["id"])
    assert notified.status == 200 and notified.view is not None and notified.view["id"] == root["id"]
    assert ws.wait_for(lambda: len(closed) == 1)
    assert closed[0]["type"] == "view_closed" and closed[0]["view"]["id"] == second["id"]
    assert closed[0]["is_cleared"] is False
    gone = _refused(lambda: client.views_update(view_id=second["id"], view=modal()))
    assert gone["error"] == "not_found"

    assert ws.submit_view(DIRECTOR_ID, root["id"], note("clear")).view is None
    assert ws.open_views(DIRECTOR_ID) == []


def test_views_push_from_a_button_in_the_modal(ws: LocalWorkspace, app: App, client: WebClient) -> None:
    @app.action("more")
    def more(ack: Callable, body: dict, client: WebClient) -> None:
        ack()
        client.views_push(trigger_id=body["trigger_id"], view=modal("detail"))

    actions = {"type": "actions", "block_id": "nav", "elements": [button("more", "1", "More")]}
    root = open_modal(ws, app, ARTIST_ID, modal(blocks=[NOTE, actions], external_id="review-1"))
    pressed = ws.press_view_button(ARTIST_ID, root["id"], "more")
    assert pressed.payload["container"] == {"type": "view", "view_id": root["id"]}
    assert pressed.payload["view"]["id"] == root["id"] and "response_url" not in pressed.payload
    assert ws.wait_for(lambda: len(ws.open_views(ARTIST_ID)) == 2)
    assert ws.open_views(ARTIST_ID)[1]["callback_id"] == "detail"
    updated = client.views_update(external_id="review-1", view=modal(blocks=[NOTE], external_id="review-1"))
    assert updated["view"]["id"] == root["id"]


# ---- slash commands, shortcuts and response URLs -------------------------------


def test_slash_command_ack_is_an_ephemeral_only_its_user_sees(ws: LocalWorkspace, app: App) -> None:
    commands: list[dict] = []

    @app.command("/slate")
    def slate(ack: Callable, command: dict) -> None:
        commands.append(command)
        if command["text"] == "announce":
            ack(response_type="in_channel", text="Shot 1 is locked.")
        else:
            ack(text=f"Only you see this, {command['user_name']}.")

    asked = ws.run_slash_command(ARTIST_ID, "#shots", "/slate", "status")
    assert asked.status == 200 and asked.body == {"text": "Only you see this, ari."}
    shown = ws.ephemeral_for(ARTIST_ID, SHOTS)
    assert [m["text"] for m in shown] == ["Only you see this, ari."] and shown[0]["bot_id"] == "B0SLATEBOT"
    assert ws.ephemeral_for(DIRECTOR_ID, SHOTS) == [] and ws.messages(SHOTS) == []
    command = commands[0]
    assert (command["command"], command["text"], command["channel_name"]) == ("/slate", "status", "shots")
    assert (command["user_id"], command["team_domain"], command["api_app_id"]) == (
        ARTIST_ID,
        "slate-local",
        "A0SLATE",
    )
    assert command["trigger_id"] and command["response_url"].startswith(ws.url + "commands/")

    announced = ws.run_slash_command(DIRECTOR_ID, SHOTS, "/slate", "announce")
    assert announced.message is not None and announced.message["text"] == "Shot 1 is locked."
    assert [(m["text"], m["bot_id"]) for m in ws.messages(SHOTS)] == [("Shot 1 is locked.", "B0SLATEBOT")]


def test_a_slow_ack_shows_operation_timeout(ws: LocalWorkspace, app: App) -> None:
    ws.interactivity.timeout_s = 0.2  # Slack's 3 s, compressed

    @app.command("/slow")
    def slow(ack: Callable) -> None:
        time.sleep(0.5)
        ack(text="too late")

    late = ws.run_slash_command(DIRECTOR_ID, SHOTS, "/slow", "")
    assert (late.status, late.error) == (0, "operation_timeout")
    assert [m["text"] for m in ws.ephemeral_for(DIRECTOR_ID, SHOTS)] == [
        '/slow failed with the error "operation_timeout"'
    ]


def test_response_url_replaces_posts_and_deletes_five_times_at_most(
    ws: LocalWorkspace, app: App, client: WebClient
) -> None:
    @app.action("approve")
    def approve(ack: Callable, respond: Callable) -> None:
        ack()
        respond(replace_original=True, text="Approved by April", blocks=[{"type": "divider"}])

    ts = client.chat_postMessage(channel=SHOTS, text="review", blocks=review_blocks())["ts"]
    url = ws.press_button(APPROVER_ID, SHOTS, ts, "approve").payload["response_url"]
    assert ws.wait_for(lambda: ws.messages(SHOTS)[0]["text"] == "Approved by April")
    assert ws.messages(SHOTS)[0]["blocks"] == [{"type": "divider"}]

    assert _post(url, {"text": "Only April sees this"}) == (200, {"ok": True})
    assert [m["text"] for m in ws.ephemeral_for(APPROVER_ID, SHOTS)] == ["Only April sees this"]
    assert _post(url, {"text": "For everyone", "response_type": "in_channel", "thread_ts": ts})[0] == 200
    assert [m["text"] for m in ws.replies(SHOTS, ts)] == ["Approved by April", "For everyone"]
    assert _post(url, {"blocks": [{"type": "nonsense"}]})[1]["error"] == "invalid_blocks"  # not a use
    assert _post(url, {"delete_original": True}) == (200, {"ok": True})
    assert ws.messages(SHOTS)[0]["subtype"] == "tombstone"  # deleted; its thread stays, as on Slack
    assert _post(url, {"text": "fifth"})[0] == 200
    assert _post(url, {"text": "sixth"}) == (404, {"ok": False, "error": "used_url"})
    assert _post(ws.url + "actions/T0LOCAL/1/made-up", {"text": "x"})[1]["error"] == "expired_url"


def test_message_shortcut_opens_a_modal_from_its_trigger(ws: LocalWorkspace, app: App) -> None:
    shortcuts: list[dict] = []

    @app.shortcut("save_frame")
    def save(ack: Callable, shortcut: dict, client: WebClient) -> None:
        ack()
        shortcuts.append(shortcut)
        client.views_open(trigger_id=shortcut["trigger_id"], view=modal("save"))

    message = ws.post_user_message("a wide shot of the harbour", user=ARTIST_ID)
    used = ws.use_message_shortcut(DIRECTOR_ID, SHOTS, message["ts"], "save_frame")
    assert used.status == 200
    assert ws.wait_for(lambda: len(ws.open_views(DIRECTOR_ID)) == 1)
    shortcut = shortcuts[0]
    assert (shortcut["type"], shortcut["callback_id"], shortcut["message_ts"]) == (
        "message_action",
        "save_frame",
        message["ts"],
    )
    assert shortcut["message"]["text"] == "a wide shot of the harbour" and shortcut["channel"]["id"] == SHOTS
    assert shortcut["response_url"].startswith(ws.url + "actions/")


def test_app_home_opened_and_views_publish(ws: LocalWorkspace, app: App, client: WebClient) -> None:
    opened: list[dict] = []
    home = {"type": "home", "blocks": [{"type": "actions", "elements": [button("refresh", "r", "Refresh")]}]}

    @app.event("app_home_opened")
    def on_home(event: dict, client: WebClient) -> None:
        opened.append(event)
        client.views_publish(user_id=event["user"], view=home)

    bodies, listener = seen_by(app)
    app.action("refresh")(listener)

    assert ws.home_view(ARTIST_ID) is None
    assert ws.open_app_home(ARTIST_ID).status == 200
    assert ws.wait_for(lambda: ws.home_view(ARTIST_ID) is not None)
    published = ws.home_view(ARTIST_ID)
    assert published is not None and published["type"] == "home" and published["id"].startswith("V")
    assert (opened[0]["tab"], opened[0]["user"]) == ("home", ARTIST_ID) and "view" not in opened[0]

    again = ws.open_app_home(ARTIST_ID)
    assert again.event_type == "app_home_opened"
    assert ws.wait_for(lambda: len(opened) == 2) and opened[1]["view"]["id"] == published["id"]
    stale = _refused(lambda: client.views_publish(user_id=ARTIST_ID, view=home, hash="1.stale"))
    assert stale["error"] == "hash_conflict"

    pressed = ws.press_view_button(ARTIST_ID, published["id"], "refresh")
    assert pressed.status == 200 and ws.wait_for(lambda: len(bodies) == 1)
    assert bodies[0]["view"]["type"] == "home"
    assert _refused(lambda: client.views_publish(user_id="U0NOBODY", view=home))["error"] == "user_not_found"


# ---- Block Kit checks and private files ---------------------------------------


def test_invalid_blocks_are_refused_like_slack(ws: LocalWorkspace, client: WebClient) -> None:
    post = client.chat_postMessage
    cases = {
        "must be less than 51 items": [{"type": "divider"}] * 51,
        "must be less than 26 items": [
            {"type": "actions", "elements": [button(f"b{n}", str(n)) for n in range(26)]}
        ],
        "action_id 'same' already exists": [
            {"type": "actions", "elements": [button("same", "1")]},
            {"type": "section", "text": plain("x"), "accessory": button("same", "2")},
        ],
        "block_id 'a' already exists": [
            {"type": "divider", "block_id": "a"},
            {"type": "divider", "block_id": "a"},
        ],
        "no such file": [{"type": "image", "alt_text": "frame", "slack_file": {"id": "F0NOPE"}}],
        "exactly one of `image_url` or `slack_file`": [{"type": "image", "alt_text": "frame"}],
        "must be less than 76 characters": [{"type": "actions", "elements": [button("b", "1", "x" * 76)]}],
        "must be less than 3001 characters": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
        ],
        "must be less than 151 characters": [{"type": "header", "text": plain("x" * 151)}],
        "must hold 1 to 100 options": [
            {"type": "actions", "elements": [{"type": "static_select", "action_id": "s", "options": []}]}
        ],
        "unknown block type 'video_clip'": [{"type": "video_clip"}],
    }
    for problem, blocks in cases.items():
        refused = _refused(lambda blocks=blocks: post(channel=SHOTS, text="", blocks=blocks))
        assert refused["error"] == "invalid_blocks", problem
        assert any(problem in m for m in refused["response_metadata"]["messages"]), (problem, refused)
    assert ws.messages(SHOTS) == []

    fine = post(channel=SHOTS, text="", blocks=[{"type": "divider"}] * 50)
    assert len(ws.messages(SHOTS)[0]["blocks"]) == 50
    too_long = [{"type": "actions", "elements": [button("b", "x" * 2001)]}]
    assert _refused(lambda: client.chat_update(channel=SHOTS, ts=fine["ts"], blocks=too_long))["error"] == (
        "invalid_blocks"
    )
    twin = [{"type": "divider", "block_id": "a"}] * 2
    assert _refused(lambda: client.chat_postEphemeral(channel=SHOTS, user=ARTIST_ID, blocks=twin))[
        "error"
    ] == ("invalid_blocks")
    long_title = modal(title=plain("x" * 25))
    assert (
        _refused(
            lambda: client.views_publish(
                user_id=ARTIST_ID, view={"type": "home", "blocks": [{"type": "divider"}] * 101}
            )
        )["error"]
        == "invalid_blocks"
    )
    assert (
        _refused(lambda: client.views_open(trigger_id="1.2.3", view=long_title))["error"]
        == "invalid_arguments"
    )
    no_label = {"type": "input", "element": {"type": "plain_text_input", "action_id": "t"}}
    refused = _refused(
        lambda: client.views_publish(user_id=ARTIST_ID, view={"type": "home", "blocks": [no_label]})
    )
    assert refused["error"] == "invalid_blocks"


def test_private_upload_shown_by_an_image_block(ws: LocalWorkspace, client: WebClient) -> None:
    file = client.files_upload_v2(content=PNG, filename="frame.png", title="Shot 1 · v2")["file"]
    info = client.files_info(file=file["id"])["file"]
    assert (info["id"], info["is_public"], info["channels"], info["original_w"]) == (
        file["id"],
        False,
        [],
        64,
    )
    assert ws.messages(SHOTS) == []  # nothing was shared

    by_id = {"type": "image", "alt_text": "Shot 1 · v2", "slack_file": {"id": file["id"]}}
    by_url = {"type": "image", "alt_text": "again", "slack_file": {"url": info["url_private"]}}
    outside = {"type": "image", "alt_text": "a reference", "image_url": "https://example.com/ref.png"}
    posted = client.chat_postMessage(channel=SHOTS, text="Shot 1 · v2", blocks=[by_id, by_url, outside])
    assert ws.message_images(SHOTS, posted["ts"]) == [PNG, PNG]

    shared = client.files_upload_v2(channel=SHOTS, content=PNG, filename="shared.png")["file"]
    share = next(m for m in ws.messages(SHOTS) if m.get("files"))
    assert share["files"][0]["id"] == shared["id"] and ws.message_images(SHOTS, share["ts"]) == [PNG]


# ---- Socket Mode -------------------------------------------------------------------


def test_button_and_slash_command_over_socket_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    workspace = LocalWorkspace(signing_secret=SECRET, echo_bot_messages=False).start()
    app = App(token=TOKEN, signing_secret=SECRET, client=WebClient(base_url=workspace.api_url, token=TOKEN))
    pressed: list[dict] = []

    @app.action("approve")
    def approve(ack: Callable, action: dict) -> None:
        ack()
        pressed.append(action)

    @app.command("/slate")
    def slate(ack: Callable) -> None:
        ack(text="Over the socket, only for you.")

    handler = SocketModeHandler(app, workspace.app_token, web_client=WebClient(base_url=workspace.api_url))
    handler.connect()
    try:
        assert workspace.wait_for(lambda: workspace.socket_mode, timeout=5)
        ts = WebClient(token=TOKEN, base_url=workspace.api_url).chat_postMessage(
            channel=SHOTS, text="review", blocks=review_blocks()
        )["ts"]
        button_press = workspace.press_button(APPROVER_ID, SHOTS, ts, "approve")
        assert (button_press.status, button_press.body, button_press.error) == (200, {}, None)
        assert workspace.wait_for(lambda: len(pressed) == 1)
        assert (pressed[0]["block_id"], pressed[0]["value"]) == ("review", "shot-1-v2")

        command = workspace.run_slash_command(ARTIST_ID, SHOTS, "/slate", "status")
        assert (command.status, command.body) == (200, {"text": "Over the socket, only for you."})
        assert [m["text"] for m in workspace.ephemeral_for(ARTIST_ID, SHOTS)] == [
            "Over the socket, only for you."
        ]
        assert workspace.deliveries == []  # interactions are not events: nothing in the events log
    finally:
        workspace.stop()
        handler.close()
