"""The page's endpoints: each act a person takes in the browser reaches the app as Slack sends it.

Plain HTTP against a running workspace and a real Bolt app (the fixtures of
test_workspace_surfaces): what the page posts, what the app receives, what the page then
draws. The browser itself is driven in tests/browser/.
"""

from __future__ import annotations

import json
import urllib.request
from urllib.error import HTTPError

from slack_bolt import App
from slack_sdk import WebClient

from localslack import LocalWorkspace
from localslack.state import APPROVER_ID, ARTIST_ID, DIRECTOR_ID
from localslack.ui import Command
from tests import test_workspace_surfaces as surfaces
from tests.test_workspace_surfaces import PNG, SHOTS, modal, review_blocks, seen_by

ws, client, app = surfaces.ws, surfaces.client, surfaces.app  # the same stack: workspace + Bolt over HTTP

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def ui(ws: LocalWorkspace, path: str, payload: dict | bytes, query: str = "") -> tuple[int, dict]:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(f"{ws.url}ui/{path}{query}", data=data, method="POST")
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def page_state(ws: LocalWorkspace, user: str, channel: str = SHOTS) -> dict:
    with NO_PROXY.open(f"{ws.url}ui/state?user={user}&channel={channel}&since=-1", timeout=10) as r:
        return json.loads(r.read())


def test_the_page_shows_each_person_their_own_places_views_and_ephemerals(
    ws: LocalWorkspace, client: WebClient
) -> None:
    client.chat_postEphemeral(channel=SHOTS, user=ARTIST_ID, text="only for Ari")
    artist, approver = page_state(ws, ARTIST_ID), page_state(ws, APPROVER_ID)
    assert [p["id"] for p in artist["people"]] == [DIRECTOR_ID, ARTIST_ID, APPROVER_ID]
    assert {p["real_name"]: p["title"] for p in artist["people"]}["April Approver"].startswith("Producer")
    assert [c["name"] for c in artist["channels"]] == ["shots", "general"]
    assert artist["dms"][0]["name"] == "Slate" and artist["dms"][0]["id"] != approver["dms"][0]["id"]
    assert [e["text"] for e in artist["ephemeral"]] == ["only for Ari"] and approver["ephemeral"] == []
    dm = page_state(ws, ARTIST_ID, artist["dms"][0]["id"])
    assert dm["channel"] == {"id": artist["dms"][0]["id"], "name": "Slate", "is_im": True}
    assert page_state(ws, APPROVER_ID, artist["dms"][0]["id"])["channel"]["id"] == SHOTS  # not April's DM
    with NO_PROXY.open(f"{ws.url}ui/avatar/{ARTIST_ID}.svg", timeout=10) as avatar:
        assert avatar.headers["Content-Type"] == "image/svg+xml" and b">AA</text>" in avatar.read()


def test_a_post_with_an_attachment_from_the_page_arrives_as_a_file_share(ws: LocalWorkspace) -> None:
    status, uploaded = ui(ws, "upload", PNG, f"?user={ARTIST_ID}&filename=maya.png")
    assert status == 200 and uploaded["file"]["mimetype"] == "image/png"
    status, posted = ui(
        ws,
        "post",
        {
            "user": ARTIST_ID,
            "channel": SHOTS,
            "text": "@slate this is Maya",
            "files": [uploaded["file"]["id"]],
        },
    )
    message = posted["message"]
    assert status == 200 and message["user"] == ARTIST_ID and message["subtype"] == "file_share"
    assert message["text"] == "<@U0SLATEBOT> this is Maya" and message["files"][0]["name"] == "maya.png"
    assert ui(ws, "post", {"user": ARTIST_ID, "channel": SHOTS, "text": " "}) == (
        400,
        {"ok": False, "error": "no_text"},
    )
    status, refused = ui(ws, "post", {"user": "U0NOBODY", "channel": SHOTS, "text": "hi"})
    assert status == 400 and "user_not_found" in refused["error"]


def test_presses_selects_commands_and_modals_from_the_page_reach_the_app(
    ws: LocalWorkspace, app: App, client: WebClient
) -> None:
    presses, on_press = seen_by(app)
    app.action("approve")(on_press)
    commands, on_command = seen_by(app)
    app.command("/slate")(on_command)
    submitted: list[dict] = []

    @app.action("reject")
    def open_note(ack, body, client: WebClient) -> None:  # type: ignore[no-untyped-def]
        ack()
        still = {
            "type": "input",
            "block_id": "stills",
            "label": {"type": "plain_text", "text": "Stills"},
            "element": {"type": "file_input", "action_id": "stills"},
        }
        client.views_open(trigger_id=body["trigger_id"], view=modal(blocks=[still]))

    @app.view("note")
    def on_submit(ack, view) -> None:  # type: ignore[no-untyped-def]
        ack()
        submitted.append(view["state"]["values"])

    posted = client.chat_postMessage(channel=SHOTS, text="v2", blocks=review_blocks())
    press = {"user": APPROVER_ID, "channel": SHOTS, "message_ts": posted["ts"], "action_id": "approve"}
    assert ui(ws, "action", press) == (200, {"ok": True, "status": 200})
    assert ws.wait_for(lambda: bool(presses))
    assert presses[0]["user"]["id"] == APPROVER_ID and presses[0]["actions"][0]["value"] == "shot-1-v2"
    status, missing = ui(ws, "action", {**press, "action_id": "no-such-button"})
    assert status == 400 and "no-such-button" in missing["error"]

    assert (
        ui(ws, "command", {"user": ARTIST_ID, "channel": SHOTS, "command": "/slate", "text": "help"})[0]
        == 200
    )
    assert ws.wait_for(lambda: bool(commands)) and commands[0]["text"] == "help"

    assert ui(ws, "action", {**press, "user": ARTIST_ID, "action_id": "reject"})[0] == 200
    assert ws.wait_for(lambda: bool(page_state(ws, ARTIST_ID)["views"]))
    view = page_state(ws, ARTIST_ID)["views"][-1]
    _, uploaded = ui(ws, "upload", PNG, f"?user={ARTIST_ID}&filename=still.png")
    values = {"stills": {"stills": {"type": "file_input", "files": [{"id": uploaded["file"]["id"]}]}}}
    assert ui(ws, "view-submit", {"user": ARTIST_ID, "view_id": view["id"], "values": values})[0] == 200
    assert ws.wait_for(lambda: bool(submitted))
    file = submitted[0]["stills"]["stills"]["files"][0]
    assert (file["id"], file["name"], file["mimetype"]) == (uploaded["file"]["id"], "still.png", "image/png")
    assert page_state(ws, ARTIST_ID)["views"] == []


def test_the_page_offers_the_apps_commands_and_refuses_others() -> None:
    slate = Command("/slate", "Shots", "help | new", (("help", "help", "what it does"),))
    with LocalWorkspace(signing_secret="s", commands=(slate,)) as ws:
        state = page_state(ws, DIRECTOR_ID)
        assert state["commands"][0]["subcommands"] == [
            {"name": "help", "usage": "help", "description": "what it does"}
        ]
        status, refused = ui(
            ws, "command", {"user": DIRECTOR_ID, "channel": SHOTS, "command": "/nope", "text": ""}
        )
        assert status == 400 and "/slate" in refused["error"]
