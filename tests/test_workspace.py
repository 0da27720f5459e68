"""The local Slack workspace, driven the way the bot drives Slack.

Web API calls go through the real `slack_sdk.WebClient`; events arrive at a
real stdlib HTTP receiver that checks signatures with `SignatureVerifier`;
Bolt runs for real against the workspace. Nothing is mocked.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from localslack import LocalWorkspace

SECRET = "test-signing-secret"
TOKEN = "xoxb-local-slate"
# A PNG signature and IHDR saying 64×48: enough for the workspace to report original_w / original_h.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") + (48).to_bytes(4, "big") + bytes(40)
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# ---- a tiny events receiver ------------------------------------------------

Respond = Callable[[dict], tuple[int, dict[str, str], float]]


class Receiver:
    """A stdlib HTTP server standing in for the bot's /slack/events URL; records every request."""

    def __init__(self, respond: Respond | None = None) -> None:
        self.respond = respond or (lambda request: (200, {}, 0.0))
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        verifier = SignatureVerifier(SECRET)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                record = {
                    "headers": dict(self.headers),
                    "payload": json.loads(body),
                    "valid": verifier.is_valid_request(body, dict(self.headers)),
                    "received": time.monotonic(),
                }
                with receiver.lock:
                    receiver.requests.append(record)
                status, headers, delay = receiver.respond(record)
                time.sleep(delay)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                record["answered"] = time.monotonic()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        serve = self.server.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    def of_type(self, event_type: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["payload"]["event"]["type"] == event_type]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ws() -> Iterator[LocalWorkspace]:
    workspace = LocalWorkspace(signing_secret=SECRET, retry_timeout_s=0.3, retry_delays_s=(0.0, 0.1, 0.2))
    with workspace:
        yield workspace


@pytest.fixture
def client(ws: LocalWorkspace) -> WebClient:
    return WebClient(token=TOKEN, base_url=ws.api_url)


@pytest.fixture
def receiver(ws: LocalWorkspace) -> Iterator[Receiver]:
    rec = Receiver()
    ws.events_url = rec.url
    yield rec
    rec.close()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    try:
        with NO_PROXY.open(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


def _post_json(url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with NO_PROXY.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


# ---- Web API ------------------------------------------------------------------


def test_auth_test_describes_the_bot(ws: LocalWorkspace, client: WebClient) -> None:
    auth = client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == ("U0SLATEBOT", "B0SLATEBOT", "T0LOCAL")
    assert auth["url"] == ws.url
    assert ws.calls_to("auth.test") == [{}]  # the token travelled as "Authorization: Bearer", not a field


def test_wrong_or_missing_token_is_refused(ws: LocalWorkspace) -> None:
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=ws.api_url).auth_test()
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=ws.api_url).auth_test()
    assert missing.value.response["error"] == "not_authed"
    status, body = _post_json(ws.api_url + "auth.test", {})
    assert (status, body) == (200, {"ok": False, "error": "not_authed"})


def test_reply_in_thread_updates_the_parent(ws: LocalWorkspace, client: WebClient) -> None:
    parent = ws.post_user_message("a wide shot of the harbour")
    first = client.chat_postMessage(channel="C0SHOTS", thread_ts=parent["ts"], text="on it")
    second = client.chat_postMessage(channel="C0SHOTS", thread_ts=parent["ts"], text="done")
    assert first["message"]["bot_id"] == "B0SLATEBOT" and first["message"]["user"] == "U0SLATEBOT"
    assert parent["ts"] < first["ts"] < second["ts"]
    assert all(len(ts.split(".")[1]) == 6 for ts in (parent["ts"], first["ts"], second["ts"]))
    head = ws.replies("C0SHOTS", parent["ts"])[0]
    assert head["reply_count"] == 2
    assert head["reply_users"] == ["U0SLATEBOT"]
    assert head["latest_reply"] == second["ts"]
    assert [m["ts"] for m in ws.messages()] == [parent["ts"]]  # replies stay in the thread


def test_replies_come_parent_first_and_paginate(ws: LocalWorkspace, client: WebClient) -> None:
    parent = ws.post_user_message("the lighthouse at dusk")
    sent = [client.chat_postMessage(channel="C0SHOTS", thread_ts=parent["ts"], text=v)["ts"] for v in "abcde"]
    everything = client.conversations_replies(channel="C0SHOTS", ts=parent["ts"])
    assert [m["ts"] for m in everything["messages"]] == [parent["ts"], *sent]
    assert everything["has_more"] is False and everything["response_metadata"]["next_cursor"] == ""
    # The SDK's iterator re-fetches with next_cursor, reusing one response object: copy each page.
    paginated = client.conversations_replies(channel="C0SHOTS", ts=parent["ts"], limit=2)
    pages = [page["messages"] for page in paginated]
    assert [len(page) for page in pages] == [2, 2, 2]
    assert [m["ts"] for page in pages for m in page] == [parent["ts"], *sent]
    with pytest.raises(SlackApiError) as missing:
        client.conversations_replies(channel="C0SHOTS", ts="1.000001")
    assert missing.value.response["error"] == "thread_not_found"


def test_history_is_newest_first_and_metadata_needs_asking(ws: LocalWorkspace, client: WebClient) -> None:
    metadata = {"event_type": "slate_version", "event_payload": {"version": 3}}
    older = client.chat_postMessage(channel="C0SHOTS", text="older")["ts"]
    newer = client.chat_postMessage(channel="C0SHOTS", text="newer", metadata=metadata)["ts"]
    history = client.conversations_history(channel="C0SHOTS", limit=1)
    assert [m["ts"] for m in history["messages"]] == [newer] and history["has_more"]
    rest = client.conversations_history(channel="C0SHOTS", cursor=history["response_metadata"]["next_cursor"])
    assert [m["ts"] for m in rest["messages"]] == [older]
    assert "metadata" not in history["messages"][0]
    with_metadata = client.conversations_history(channel="C0SHOTS", limit=1, include_all_metadata=True)
    assert with_metadata["messages"][0]["metadata"] == metadata


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_slack_error_codes(ws: LocalWorkspace, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="#shots", text="hello", blocks=[{"type": "divider"}])
    cases = {
        "channel_not_found": lambda: client.chat_postMessage(channel="C0NOPE", text="x"),
        "no_text": lambda: client.chat_postMessage(channel="C0SHOTS"),
        "invalid_blocks": lambda: client.chat_postMessage(channel="C0SHOTS", blocks=[{"text": "typeless"}]),
        "message_not_found": lambda: client.chat_update(channel="C0SHOTS", ts="1.000001", text="x"),
        "user_not_found": lambda: client.users_info(user="U0NOBODY"),
        "unknown_method": lambda: client.api_call("slate.nothing"),
    }
    for code, call in cases.items():
        with pytest.raises(SlackApiError) as error:
            call()
        assert error.value.response.status_code == 200
        assert error.value.response["error"] == code
    client.reactions_add(channel="C0SHOTS", timestamp=posted["ts"], name="eyes")
    with pytest.raises(SlackApiError) as again:
        client.reactions_add(channel="C0SHOTS", timestamp=posted["ts"], name="eyes")
    assert again.value.response["error"] == "already_reacted"
    client.reactions_remove(channel="C0SHOTS", timestamp=posted["ts"], name="eyes")
    assert "reactions" not in ws.messages()[-1]


def test_update_delete_ephemeral_and_directory(ws: LocalWorkspace, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0SHOTS", text="Generating… 0%")
    updated = client.chat_update(channel="C0SHOTS", ts=posted["ts"], text="Generating… 100%")
    assert updated["message"]["text"] == "Generating… 100%" and "edited" in ws.messages()[-1]
    ephemeral = client.chat_postEphemeral(channel="C0SHOTS", user="U0DIRECTOR", text="only you")
    assert ephemeral["message_ts"] and all(m["text"] != "only you" for m in ws.messages())
    client.chat_delete(channel="C0SHOTS", ts=posted["ts"])
    assert ws.messages() == []
    assert client.users_info(user="U0DIRECTOR")["user"]["name"] == "director"
    info = client.conversations_info(channel="C0SHOTS")["channel"]
    assert info["name"] == "shots" and info["is_member"] is True


def test_files_upload_v2_round_trip(ws: LocalWorkspace, client: WebClient) -> None:
    parent = ws.post_user_message("a storyboard frame")
    upload = client.files_upload_v2(
        channel="C0SHOTS",
        thread_ts=parent["ts"],
        content=PNG,
        filename="shot.png",
        title="Shot 1",
        initial_comment="v1 of the shot",
    )
    file = upload["file"]
    assert ws.file_bytes(file["id"]) == PNG
    assert (file["mimetype"], file["original_w"], file["original_h"]) == ("image/png", 64, 48)
    assert _get(file["url_private"], {"Authorization": f"Bearer {TOKEN}"}) == (200, PNG)
    assert _get(file["url_private"])[0] == 403
    thread = ws.replies("C0SHOTS", parent["ts"])
    assert thread[0]["reply_count"] == 1
    share = thread[1]
    assert (share["subtype"], share["text"]) == ("file_share", "v1 of the shot")
    assert share["files"][0]["id"] == file["id"]
    assert [m for m, _ in ws.calls if m.startswith("files.")] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    assert client.files_info(file=file["id"])["file"]["shares"]["public"]["C0SHOTS"][0]["ts"] == share["ts"]


def test_upload_refuses_a_length_mismatch(ws: LocalWorkspace, client: WebClient) -> None:
    target = client.files_getUploadURLExternal(filename="x.png", length=10)
    request = urllib.request.Request(target["upload_url"], data=b"12345", method="POST")
    with pytest.raises(HTTPError) as error:
        NO_PROXY.open(request, timeout=5)
    assert error.value.code == 400
    with pytest.raises(SlackApiError) as incomplete:
        client.files_completeUploadExternal(files=[{"id": target["file_id"]}], channel_id="C0SHOTS")
    assert incomplete.value.response["error"] == "file_not_found"


def test_rate_limit_answers_429_and_the_sdk_handler_waits(ws: LocalWorkspace) -> None:
    ws.set_rate_limit("chat.postMessage", 1, window_s=1.0)
    plain = WebClient(token=TOKEN, base_url=ws.api_url)
    plain.chat_postMessage(channel="C0SHOTS", text="first")
    with pytest.raises(SlackApiError) as limited:
        plain.chat_postMessage(channel="C0SHOTS", text="too soon")
    response = limited.value.response
    assert response.status_code == 429 and response["error"] == "ratelimited"
    assert int(response.headers["Retry-After"]) >= 1
    patient = WebClient(token=TOKEN, base_url=ws.api_url, retry_handlers=[RateLimitErrorRetryHandler(1)])
    assert patient.chat_postMessage(channel="C0SHOTS", text="after waiting")["ok"]
    assert [m["text"] for m in ws.messages()] == ["first", "after waiting"]


# ---- Events API ---------------------------------------------------------------


def test_user_message_is_delivered_signed_with_mention(
    ws: LocalWorkspace, receiver: Receiver, client: WebClient
) -> None:
    stored = ws.post_user_message("<@U0SLATEBOT> a close-up of Maya")
    assert ws.wait_for(lambda: len(receiver.requests) == 2)
    message, mention = receiver.of_type("message")[0], receiver.of_type("app_mention")[0]
    for request in (message, mention):
        assert request["valid"]
        assert request["headers"]["Content-Type"] == "application/json"
        assert "X-Slack-Retry-Num" not in request["headers"]
        payload = request["payload"]
        assert payload["type"] == "event_callback" and payload["team_id"] == "T0LOCAL"
        auth = client.auth_test()
        assert payload["authorizations"][0]["user_id"] == auth["user_id"]
        assert payload["authorizations"][0]["team_id"] == auth["team_id"]
    assert message["payload"]["event_id"] != mention["payload"]["event_id"]
    event = message["payload"]["event"]
    assert (event["ts"], event["user"], event["channel"], event["channel_type"]) == (
        stored["ts"],
        "U0DIRECTOR",
        "C0SHOTS",
        "channel",
    )
    assert {"type": "user", "user_id": "U0SLATEBOT"} in event["blocks"][0]["elements"][0]["elements"]
    assert mention["payload"]["event"]["text"] == "<@U0SLATEBOT> a close-up of Maya"


def test_thread_reply_event_names_its_thread(ws: LocalWorkspace, receiver: Receiver) -> None:
    parent = ws.post_user_message("wide shot")
    ws.post_user_message("<@U0SLATEBOT> warmer light", thread_ts=parent["ts"])
    assert ws.wait_for(lambda: len(receiver.of_type("app_mention")) == 1)
    event = receiver.of_type("app_mention")[0]["payload"]["event"]
    assert (event["thread_ts"], event["parent_user_id"]) == (parent["ts"], "U0DIRECTOR")


def test_bot_posts_come_back_as_message_events(
    ws: LocalWorkspace, receiver: Receiver, client: WebClient
) -> None:
    client.chat_postMessage(channel="C0SHOTS", text="hello from Slate")
    assert ws.wait_for(lambda: len(receiver.requests) == 1)
    assert receiver.requests[0]["payload"]["event"]["bot_id"] == "B0SLATEBOT"


def test_slow_answer_gets_a_timeout_retry_while_still_in_flight(
    ws: LocalWorkspace, receiver: Receiver
) -> None:
    receiver.respond = lambda r: (200, {}, 0.6 if "X-Slack-Retry-Num" not in r["headers"] else 0.0)
    ws.post_user_message("no mention, one event")
    assert ws.wait_for(lambda: len(receiver.requests) == 2 and "answered" in receiver.requests[0], timeout=5)
    first, retry = receiver.requests
    assert retry["valid"]
    assert retry["headers"]["X-Slack-Retry-Num"] == "1"
    assert retry["headers"]["X-Slack-Retry-Reason"] == "http_timeout"
    assert retry["payload"]["event_id"] == first["payload"]["event_id"]
    assert retry["received"] < first["answered"]
    # Retry 2 would have gone out 0.1 s after retry 1 failed, well before the first answer: none came.
    time.sleep(0.2)
    assert len(receiver.requests) == 2


def test_errors_are_retried_three_times(ws: LocalWorkspace, receiver: Receiver) -> None:
    receiver.respond = lambda r: (500, {}, 0.0)
    ws.post_user_message("anyone there?")
    assert ws.wait_for(lambda: len(ws.deliveries) == 4, timeout=5)
    assert [(d["retry_num"], d["retry_reason"], d["status"]) for d in ws.deliveries] == [
        (0, None, 500),
        (1, "http_error", 500),
        (2, "http_error", 500),
        (3, "http_error", 500),
    ]
    assert [r["headers"].get("X-Slack-Retry-Num") for r in receiver.requests] == [None, "1", "2", "3"]


def test_no_retry_header_stops_retries(ws: LocalWorkspace, receiver: Receiver) -> None:
    receiver.respond = lambda r: (503, {"X-Slack-No-Retry": "1"}, 0.0)
    ws.post_user_message("please don't retry")
    assert ws.wait_for(lambda: len(ws.deliveries) == 1)
    time.sleep(0.25)  # retry 1 would go out at once (delay 0.0)
    assert len(receiver.requests) == 1 and ws.deliveries[0]["no_retry"]


def test_deliver_event_by_hand_resends_an_event_id(ws: LocalWorkspace, receiver: Receiver) -> None:
    event = {
        "type": "app_mention",
        "user": "U0DIRECTOR",
        "text": "<@U0SLATEBOT> hi",
        "ts": "1.000001",
        "channel": "C0SHOTS",
        "event_ts": "1.000001",
    }
    assert ws.deliver_event(event, event_id="Ev0SAME") == 200
    assert ws.deliver_event(event, event_id="Ev0SAME", retry_num=1, retry_reason="http_timeout") == 200
    first, retry = receiver.requests
    assert first["payload"]["event_id"] == retry["payload"]["event_id"] == "Ev0SAME"
    assert retry["headers"]["X-Slack-Retry-Num"] == "1"
    assert retry["headers"]["X-Slack-Retry-Reason"] == "http_timeout"


def test_only_subscribed_event_types_are_delivered() -> None:
    rec = Receiver()
    with LocalWorkspace(signing_secret=SECRET, events_url=rec.url, bot_events=("app_mention",)) as ws:
        ws.post_user_message("<@U0SLATEBOT> just the mention")
        assert ws.wait_for(lambda: len(ws.deliveries) == 1)
        assert [d["event_type"] for d in ws.deliveries] == ["app_mention"]
    rec.close()


def test_without_events_url_messages_are_only_stored(ws: LocalWorkspace) -> None:
    ws.post_user_message("<@U0SLATEBOT> nobody listening")
    assert len(ws.messages()) == 1 and ws.deliveries == []


# ---- Bolt against the workspace -----------------------------------------------


def test_bolt_app_constructs_against_the_workspace(ws: LocalWorkspace) -> None:
    App(token=TOKEN, signing_secret=SECRET, client=WebClient(base_url=ws.api_url, token=TOKEN))
    assert len(ws.calls_to("auth.test")) == 1


def test_bolt_answers_a_mention_in_its_thread(ws: LocalWorkspace) -> None:
    app = App(token=TOKEN, signing_secret=SECRET, client=WebClient(base_url=ws.api_url, token=TOKEN))

    @app.event("app_mention")
    def mention(event: dict, say: Callable) -> None:
        say(text="Rolling.", thread_ts=event.get("thread_ts") or event["ts"])

    @app.event("message")
    def message() -> None:
        pass

    class BoltHandler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            response = app.dispatch(BoltRequest(body=body, headers={k: [v] for k, v in self.headers.items()}))
            self.send_response(response.status)
            self.send_header("Content-Length", str(len(response.body.encode())))
            self.end_headers()
            self.wfile.write(response.body.encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), BoltHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        ws.events_url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
        assert ws.verify_events_url()  # Bolt echoes Slack's url_verification challenge
        parent = ws.post_user_message("<@U0SLATEBOT> roll camera")
        assert ws.wait_for(lambda: len(ws.replies("C0SHOTS", parent["ts"])) == 2)
        assert ws.replies("C0SHOTS", parent["ts"])[1]["text"] == "Rolling."
        # message, app_mention and Slate's own echoed reply: all acknowledged, none retried
        assert ws.wait_for(lambda: len(ws.deliveries) == 3)
        assert all(d["status"] == 200 and d["retry_num"] == 0 for d in ws.deliveries)
    finally:
        server.shutdown()
        server.server_close()


# ---- browser UI ---------------------------------------------------------------


def test_ui_page_state_post_and_images(ws: LocalWorkspace, receiver: Receiver, client: WebClient) -> None:
    status, page = _get(ws.url)
    assert status == 200 and b"channel-compose" in page
    status, answer = _post_json(ws.url + "ui/post", {"text": "@slate a harbour at night"})
    assert status == 200 and answer["message"]["text"] == "<@U0SLATEBOT> a harbour at night"
    assert ws.wait_for(lambda: len(receiver.of_type("app_mention")) == 1)
    parent_ts = answer["message"]["ts"]
    upload = client.files_upload_v2(channel="C0SHOTS", thread_ts=parent_ts, content=PNG, filename="n.png")
    file = upload["file"]
    state = json.loads(_get(ws.url + "ui/state?since=-1")[1])
    assert state["messages"][0]["ts"] == parent_ts
    assert state["threads"][parent_ts][0]["files"][0]["id"] == file["id"]
    unchanged = json.loads(_get(ws.url + f"ui/state?since={state['version']}")[1])
    assert unchanged == {"version": state["version"], "changed": False}
    assert _get(ws.url + f"ui/files/{file['id']}") == (200, PNG)


def test_a_persons_attachment_arrives_as_slack_file_objects_the_bot_can_fetch(
    ws: LocalWorkspace, client: WebClient, receiver: Receiver
) -> None:
    file = ws.upload_as("U0DIRECTOR", "maya.png", PNG)
    assert file["user"] == "U0DIRECTOR" and not file["is_public"]  # unshared until a message carries it
    posted = ws.post_user_message("<@U0SLATEBOT> this is Maya", files=[file["id"]])
    assert posted["subtype"] == "file_share" and posted["files"][0]["id"] == file["id"]
    events = lambda: [envelope["event"] for envelope in ws.sent_events]  # noqa: E731
    assert ws.wait_for(lambda: any(e["type"] == "app_mention" for e in events()))
    mention = next(e for e in events() if e["type"] == "app_mention")
    assert mention["files"][0]["url_private"] == file["url_private"]
    assert _get(mention["files"][0]["url_private"], {"Authorization": f"Bearer {TOKEN}"}) == (200, PNG)
    assert client.files_info(file=file["id"])["file"]["shares"]["public"]["C0SHOTS"][0]["ts"] == posted["ts"]
    with pytest.raises(ValueError, match="file_not_found"):
        ws.post_user_message("someone else's file", user="U0ARTIST", files=[file["id"]])
