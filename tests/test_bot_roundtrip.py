"""The first round trip, as Slack drives it: a signed app_mention in, a shot back in the thread."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

from memory.ledger.models import Shot, Version
from tests.conftest import SIGNING_SECRET, Stack
from tests.shown import frames, shown, wait_for_shown

BOT = "U0SLATEBOT"


def _placeholder_ts(stack: Stack) -> str:
    return stack.workspace.calls_to("chat.update")[-1]["ts"]


def _count(stack: Stack, model: type) -> int:
    with stack.ledger.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _updates(stack: Stack) -> list[str]:
    return [call["text"] for call in stack.workspace.calls_to("chat.update")]


def _wait_for_reply(stack: Stack, containing: str) -> str:
    """The placeholder's final text: progress lines come first, the agent's answer last."""
    assert stack.workspace.wait_for(lambda: any(containing in text for text in _updates(stack))), _updates(
        stack
    )
    return _updates(stack)[-1]


def _wait_for_uploads(stack: Stack, n: int) -> None:
    wait_for_shown(stack.workspace, n)


def test_mention_in_channel_comes_back_as_a_shot_in_its_thread(stack: Stack) -> None:
    message = stack.workspace.post_user_message(
        f"<@{BOT}> wide shot, Maya walks into the throne room at dusk, 2.39:1"
    )
    _wait_for_uploads(stack, 1)

    (result,) = shown(stack.workspace)
    assert result.thread_ts == message["ts"] and result.channel == "C0SHOTS"
    assert "Pending review" in result.status_line
    assert stack.workspace.calls_to("files.getUploadURLExternal")
    (image,) = frames(stack.workspace)
    assert image.format == "PNG" and image.size == (96, 64)  # 2.39:1 on the tiny model's 64 px budget
    assert "Seed:" in image.text["parameters"]

    version = stack.ledger.latest_version("C0SHOTS", message["ts"])
    assert version is not None and version.number == 1 and version.engine == "diffusers"
    assert "throne room" in version.prompt and (version.width, version.height) == (96, 64)
    assert result.version_id == version.id
    assert stack.images.path(version.image_sha256).read_bytes() == stack.workspace.file_bytes(result.file_id)
    # The "working" placeholder was posted into the thread first, then edited into the result.
    posts = stack.workspace.calls_to("chat.postMessage")
    assert posts[0]["thread_ts"] == message["ts"] and result.message_ts == _placeholder_ts(stack)
    assert "Shot 1 · v1" in _wait_for_reply(stack, "Shot 1 · v1")


def test_mention_in_thread_revises_the_threads_shot(stack: Stack) -> None:
    parent = stack.workspace.post_user_message(f"<@{BOT}> MS, Rook draws his sword, seed 7")
    _wait_for_uploads(stack, 1)
    stack.workspace.post_user_message(f"<@{BOT}> make his cloak red", thread_ts=parent["ts"])
    _wait_for_uploads(stack, 2)

    second = stack.ledger.latest_version("C0SHOTS", parent["ts"])
    assert second is not None and second.number == 2 and second.seed == 7
    assert second.parent_id is not None and "cloak red" in second.prompt
    assert _count(stack, Shot) == 1 and _count(stack, Version) == 2
    assert [s.thread_ts for s in shown(stack.workspace)] == [parent["ts"]] * 2
    assert [s.version_id for s in shown(stack.workspace)] == [second.parent_id, second.id]


def test_retried_delivery_of_the_same_event_makes_no_second_shot(stack: Stack) -> None:
    events_url, stack.workspace.events_url = stack.workspace.events_url, None
    message = stack.workspace.post_user_message(f"<@{BOT}> CU, Maya looks up, night")  # stored, not delivered
    stack.workspace.events_url = events_url
    event = {
        "type": "app_mention",
        "user": message["user"],
        "text": message["text"],
        "ts": message["ts"],
        "channel": "C0SHOTS",
        "event_ts": message["ts"],
    }
    assert stack.workspace.deliver_event(event, event_id="Ev0RETRY01") == 200
    # Slack's timeout retry can arrive while the first delivery is still being worked on.
    assert (
        stack.workspace.deliver_event(event, event_id="Ev0RETRY01", retry_num=1, retry_reason="http_timeout")
        == 200
    )
    _wait_for_uploads(stack, 1)
    assert (
        stack.workspace.deliver_event(event, event_id="Ev0RETRY01", retry_num=2, retry_reason="http_timeout")
        == 200
    )
    time.sleep(0.5)  # give a wrongly accepted retry the time to post
    assert len(shown(stack.workspace)) == 1
    assert _count(stack, Version) == 1
    assert len(stack.workspace.calls_to("chat.postMessage")) == 1


def test_unsigned_or_stale_requests_are_refused(stack: Stack) -> None:
    body = json.dumps(
        {"type": "event_callback", "event_id": "Ev0FORGED", "event": {"type": "app_mention"}}
    ).encode()
    stale = str(int(time.time()) - 600)
    for headers in (
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=forged"},
        {
            "X-Slack-Request-Timestamp": stale,
            "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
                timestamp=stale, body=body
            ),
        },
    ):
        request = urllib.request.Request(
            stack.events_url, data=body, headers={"Content-Type": "application/json", **headers}
        )
        try:
            urllib.request.urlopen(request, timeout=5)
            raise AssertionError("a forged request was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == 401
    assert _count(stack, Version) == 0


def test_a_mention_with_no_direction_gets_a_question_not_a_shot(stack: Stack) -> None:
    message = stack.workspace.post_user_message(f"<@{BOT}>")
    assert _wait_for_reply(stack, "What should the shot show?")
    assert stack.ledger.latest_version("C0SHOTS", message["ts"]) is None
    assert not stack.workspace.calls_to("files.getUploadURLExternal")


def test_a_failed_generation_says_why_in_the_thread_and_records_nothing(broken_stack: Stack) -> None:
    message = broken_stack.workspace.post_user_message(f"<@{BOT}> WS, the harbour at dawn")
    text = _wait_for_reply(broken_stack, "Could not")
    assert "Could not generate the shot" in text and "weights not found" in text
    assert broken_stack.ledger.latest_version("C0SHOTS", message["ts"]) is None
    assert _count(broken_stack, Version) == 0 and _count(broken_stack, Shot) == 0
    assert not broken_stack.workspace.calls_to("files.getUploadURLExternal")


def test_the_thread_so_far_is_read_from_slack_for_the_agent(stack: Stack) -> None:
    from slack_sdk import WebClient

    from bot.threads import thread_history

    parent = stack.workspace.post_user_message(f"<@{BOT}> WS, Rook and Maya at the gate")
    _wait_for_uploads(stack, 1)
    stack.workspace.post_user_message("tighter on Maya &amp; keep the rain", thread_ts=parent["ts"])
    current = stack.workspace.post_user_message(f"<@{BOT}> make her cloak red", thread_ts=parent["ts"])
    client = WebClient(token=stack.workspace.bot_token, base_url=stack.workspace.api_url)
    history = thread_history(client, "C0SHOTS", parent["ts"], current["ts"], BOT)
    assert history == ("WS, Rook and Maya at the gate", "tighter on Maya & keep the rain")
    assert stack.workspace.calls_to("conversations.replies")
    _wait_for_uploads(stack, 2)  # let the mention's own shot finish before the workspace stops


def test_a_direct_message_to_slate_is_a_direction_without_a_mention(stack: Stack) -> None:
    """Slack sends no app_mention in a DM: the message itself is the direction, once."""
    dm = stack.workspace.state.add_dm("U0DIRECTOR")["id"]
    message = stack.workspace.post_user_message("WS, Maya at the harbour at dawn, 16:9", channel=dm)
    sent = [envelope["event"]["type"] for envelope in stack.workspace.sent_events]
    assert "app_mention" not in sent
    assert stack.workspace.wait_for(lambda: stack.ledger.latest_version(dm, message["ts"]) is not None, 30)
    version = stack.ledger.latest_version(dm, message["ts"])
    assert version is not None and version.number == 1 and "harbour" in version.prompt
    assert stack.workspace.wait_for(lambda: len(shown(stack.workspace, message["ts"], channel=dm)) == 1, 30)
    (result,) = shown(stack.workspace, message["ts"], channel=dm)
    assert result.version_id == version.id and "Pending review" in result.status_line
    envelope = next(e for e in stack.workspace.sent_events if e["event"].get("ts") == message["ts"])
    stack.workspace.deliver_event(envelope["event"], event_id=envelope["event_id"], retry_num=1)
    time.sleep(0.5)
    assert _count(stack, Version) == 1  # Slack's retry of the DM made no second shot
