"""The review flow as people do it in the local workspace's page, in headless Chromium.

The director writes a direction and the shot comes back in its thread with its buttons; a
thread reply makes v2; the artist varies; the artist's Approve is refused, with the reason, to
them alone; the approver approves and App Home shows it; ``/slate help`` answers; a reference
still goes in through the composer; the layout holds at 400 px. Only the page is driven (clicks,
typing, the file chooser); what matters is checked on the page and, where it is a record, in
the ledger. Each step leaves a screenshot (see conftest). Selectors: docs/localslack-ui.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from bot.version_message import BUTTONS
from localslack.state import APPROVER_ID, ARTIST_ID, DIRECTOR_ID
from memory.ledger.models import Character, ReferenceImage
from tests.browser.ui import (
    SLATE_MS,
    act_as,
    attach,
    button,
    channel_message,
    direct,
    direct_a_shot,
    ephemeral,
    expect,
    open_thread,
    open_workspace,
    replies_link,
    result_of,
    thread_pane,
    transitions,
    versions,
    wait_for_frames,
    write,
)
from tests.conftest import Stack

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]


def test_a_direction_comes_back_in_its_thread_with_its_buttons(page, slate: Stack, shot: Shot) -> None:
    """The smoke path, on today's page as on the new one: compose, replies link, thread, frame."""
    open_workspace(page, slate.workspace)
    shot(page, "empty-channel")
    ts = direct(page, "@slate WS, Maya at the harbour at dawn, seed 5")
    shot(page, "direction-sent")
    open_thread(page, ts)
    wait_for_frames(page, 1)
    thread = thread_pane(page)
    expect(thread).to_contain_text("Shot 1 · v1")
    expect(thread).to_contain_text("Pending review")
    for _, label, _ in BUTTONS:
        expect(thread.get_by_role("button", name=label, exact=True)).to_be_visible()
    shot(page, "shot-in-its-thread")
    (v1,) = versions(slate.ledger)
    assert (v1.number, v1.created_by, v1.is_previz) == (1, DIRECTOR_ID, True)
    assert "Maya" in v1.prompt and v1.seed == 5


def test_each_button_names_its_action_and_version(page, slate: Stack, shot: Shot) -> None:
    direct_a_shot(page, slate.workspace)
    (v1,) = versions(slate.ledger)
    for action, label, _ in BUTTONS:
        expect(button(page, action, v1.id), f"no button[data-action-id] for {action}").to_have_text(label)
    extend = page.locator(f'#thread-messages select[data-action-id="slate.extend.{v1.id}"]')
    expect(extend.locator("option[value='2.39:1']")).to_be_attached()
    expect(button(page, "approve", v1.id)).to_have_attribute("data-block-id", f"v{v1.id}.actions")
    shot(page, "buttons")


def test_a_thread_reply_makes_v2(page, slate: Stack, shot: Shot) -> None:
    direct_a_shot(page, slate.workspace)
    shot(page, "v1")
    write(page, "thread-compose", "@slate make her cloak red")
    expect(thread_pane(page).locator(".msg", has_text="make her cloak red")).to_be_visible()
    wait_for_frames(page, 2)
    expect(thread_pane(page)).to_contain_text("Shot 1 · v2")
    shot(page, "v2-in-the-thread")
    v1, v2 = versions(slate.ledger)
    assert (v2.number, v2.parent_id, v2.created_by) == (2, v1.id, DIRECTOR_ID)
    assert "red" in v2.prompt and v2.shot_id == v1.shot_id
    expect(channel_message(page, "make her cloak red")).to_have_count(0)  # a reply, not a new message


def test_the_artist_presses_vary(page, slate: Stack, shot: Shot) -> None:
    direct_a_shot(page, slate.workspace)
    (v1,) = versions(slate.ledger)
    act_as(page, ARTIST_ID)
    shot(page, "as-the-artist")
    button(page, "vary_subtle", v1.id).click()
    wait_for_frames(page, 2)
    expect(thread_pane(page)).to_contain_text("Shot 1 · v2")
    shot(page, "varied")
    _, v2 = versions(slate.ledger)
    assert (v2.parent_id, v2.created_by, v2.mode) == (v1.id, ARTIST_ID, "img2img")


def test_the_artists_approve_is_refused_with_the_reason(page, slate: Stack, shot: Shot) -> None:
    direct_a_shot(page, slate.workspace)
    (v1,) = versions(slate.ledger)
    act_as(page, ARTIST_ID)
    button(page, "approve", v1.id).click()
    refusal = ephemeral(page, "approve needs an approver")
    expect(refusal).to_be_visible(timeout=SLATE_MS)
    expect(refusal).to_contain_text("You are an artist in this project")
    shot(page, "refused")
    assert transitions(slate.ledger) == []  # nothing written
    expect(thread_pane(page)).to_contain_text("Pending review")

    act_as(page, APPROVER_ID)  # said to the artist alone
    expect(button(page, "approve", v1.id)).to_be_visible()
    expect(ephemeral(page, "approve needs")).to_have_count(0)
    shot(page, "the-approver-does-not-see-it")


def test_the_approver_approves_and_app_home_shows_it(page, slate: Stack, shot: Shot) -> None:
    direct_a_shot(page, slate.workspace)
    (v1,) = versions(slate.ledger)
    act_as(page, APPROVER_ID)
    button(page, "approve", v1.id).click()
    result = result_of(page, v1.id)
    expect(result).to_contain_text(re.compile(r"Approved by @(April Approver|april)"), timeout=SLATE_MS)
    shot(page, "approved-in-the-thread")
    assert transitions(slate.ledger) == [(v1.id, APPROVER_ID, "pending_review", "approved")]

    page.locator("a[data-home]").click()
    home = page.locator("#home")
    expect(home).to_be_visible()
    expect(home).to_contain_text("Shot 1 · v1 · Approved", timeout=SLATE_MS)
    expect(home.locator("img[src^='/ui/files/F']").first).to_be_visible()  # the version's frame
    expect(page.locator("a[data-home]")).to_have_class(re.compile(r"\bactive\b"))
    shot(page, "app-home")


def test_slate_help_answers(page, slate: Stack, shot: Shot) -> None:
    open_workspace(page, slate.workspace)
    box = page.locator("#channel-compose textarea")
    box.fill("/")
    menu = page.locator("#command-menu")
    expect(menu, "typing / shows no #command-menu").to_be_visible()
    option = menu.locator('.command-option[data-command="/slate help"]')
    expect(option).to_be_visible()
    shot(page, "command-menu")
    option.click()
    if box.input_value().strip():  # the option filled the box: send it; else it ran already
        expect(box).to_have_value(re.compile(r"^/slate help\s*$"))
        box.press("Enter")
    answer = ephemeral(page, "new <direction>")
    expect(answer).to_be_visible(timeout=SLATE_MS)
    expect(answer).to_contain_text("/slate")
    shot(page, "help")
    (command,) = [i for i in slate.workspace.interactions if i.kind == "slash_command"]
    assert (command.payload["command"], command.payload["text"].strip()) == ("/slate", "help")
    assert command.payload["user_id"] == DIRECTOR_ID
    assert not any("/slate" in m.get("text", "") for m in slate.workspace.messages())  # not a message


def test_a_reference_still_is_attached_through_the_composer(
    page, canon_slate: Stack, shot: Shot, tmp_path: Path
) -> None:
    still = tmp_path / "maya.png"
    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), (180, 120, 90)).save(buffer, format="PNG")
    still.write_bytes(buffer.getvalue())

    open_workspace(page, canon_slate.workspace)
    composer = page.locator("#channel-compose")
    attach(page, "channel-compose", str(still))
    expect(composer.locator(".attachment-chip", has_text="maya.png")).to_be_visible()
    shot(page, "still-attached")
    ts = direct(page, "@slate character: Maya is a young woman with dark braided hair")
    expect(composer.locator(".attachment-chip")).to_have_count(0)
    posted = page.locator(f'#channel-messages .msg[data-ts="{ts}"]')
    expect(posted.locator(".file img")).to_have_attribute("src", re.compile(r"/ui/files/F"))
    shot(page, "sent-with-the-still")
    open_thread(page, ts)
    expect(thread_pane(page)).to_contain_text("Kept 1 reference still(s) for Maya", timeout=SLATE_MS)
    shot(page, "kept")

    message = canon_slate.workspace.state.message("C0SHOTS", ts)
    assert message is not None and message.get("subtype") == "file_share"
    assert [f["name"] for f in message["files"]] == ["maya.png"]
    with canon_slate.ledger.reading() as session:
        (maya,) = session.scalars(select(Character))
        (reference,) = session.scalars(select(ReferenceImage))
        assert maya.name == "Maya" and (reference.owner_kind, reference.owner_id) == ("character", maya.id)
        assert reference.added_by == DIRECTOR_ID


# At 400 px (a phone) the pane being read takes most of the window, and nothing spills past it:
# no sideways scrolling, its frames and its composer's Send button inside the window.
LAYOUT = """({pane, compose, least}) => {
  const width = window.innerWidth, problems = [];
  const inside = (box) => box.width >= 1 && box.left >= -0.5 && box.right <= width + 0.5;
  const spans = (box) => `${Math.round(box.left)}..${Math.round(box.right)} px`;
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page is ${page} px wide in a ${width} px window`);
  const shown = document.querySelector(pane).getBoundingClientRect();
  if (!inside(shown)) problems.push(`${pane} spans ${spans(shown)}`);
  if (shown.width < least) problems.push(`${pane} is ${Math.round(shown.width)} px wide, under ${least}`);
  for (const img of document.querySelectorAll(`${pane} img.image`)) {
    const frame = img.getBoundingClientRect();
    if (!inside(frame)) problems.push(`a frame spans ${spans(frame)}`);
  }
  const send = document.querySelector(`${compose} button[type=submit]`);
  const box = send && send.getBoundingClientRect();
  if (!box || !inside(box)) problems.push(`${compose}'s Send spans ${box ? spans(box) : "nothing"}`);
  return problems;
}"""


def test_the_layout_holds_at_400_px(page, slate: Stack, shot: Shot) -> None:
    page.set_viewport_size({"width": 400, "height": 800})
    open_workspace(page, slate.workspace)
    ts = direct(page, "@slate WS, Maya at the harbour at dawn, seed 5")
    expect(replies_link(page, ts)).to_be_visible(timeout=SLATE_MS)
    shot(page, "channel-at-400")
    channel = {"pane": "#channel-messages", "compose": "#channel-compose", "least": 300}
    problems = [f"channel: {p}" for p in page.evaluate(LAYOUT, channel)]
    open_thread(page, ts)
    wait_for_frames(page, 1)
    shot(page, "thread-at-400")
    thread = {"pane": "#thread", "compose": "#thread-compose", "least": 300}
    problems += [f"thread: {p}" for p in page.evaluate(LAYOUT, thread)]
    assert not problems, problems


def test_a_message_shortcut_makes_a_shot_from_a_plain_message(page, slate: Stack, shot: Shot) -> None:
    open_workspace(page, slate.workspace)
    ts = direct(page, "WS, Maya at the harbour at dawn, seed 9")  # no @slate: only a message
    message = page.locator(f'#channel-messages .msg[data-ts="{ts}"]')
    message.hover()
    message.locator("button.message-shortcuts").click()
    choice = page.locator('[data-callback-id="make_shot_from_message"]')
    expect(choice).to_have_text("Make a shot from this")
    shot(page, "shortcut-menu")
    choice.click()
    open_thread(page, ts)
    wait_for_frames(page, 1)
    shot(page, "shot-from-the-message")
    (v1,) = versions(slate.ledger)
    assert (v1.created_by, v1.seed) == (DIRECTOR_ID, 9)
    (used,) = [i for i in slate.workspace.interactions if i.kind == "message_action"]
    assert used.payload["callback_id"] == "make_shot_from_message" and used.payload["message"]["ts"] == ts


def test_a_thread_link_opens_without_a_reload_and_shift_enter_breaks_the_line(
    page, slate: Stack, shot: Shot
) -> None:
    open_workspace(page, slate.workspace)
    first = direct(page, "@slate WS, Maya at the harbour at dawn, seed 5")
    second = direct(page, "@slate CU, Rook in the rain, seed 6")
    expect(replies_link(page, second)).to_be_visible(timeout=SLATE_MS)
    page.evaluate("() => { window.__kept = true; }")  # gone if the page reloads
    page.evaluate(f"() => {{ location.hash = 'thread={first}'; }}")
    expect(page.locator(f'#thread-messages .msg[data-ts="{first}"]')).to_be_visible()
    page.evaluate(f"() => {{ location.hash = 'thread={second}'; }}")
    expect(page.locator(f'#thread-messages .msg[data-ts="{second}"]')).to_be_visible()
    assert page.evaluate("() => window.__kept === true"), "changing #thread= reloaded the page"
    box = page.locator("#thread-compose textarea")
    box.click()
    box.type("tighter")
    box.press("Shift+Enter")
    box.type("and lower")
    expect(box).to_have_value("tighter\nand lower")  # Shift+Enter broke the line, sent nothing
    shot(page, "second-thread-by-its-link")
    box.press("Enter")
    expect(box).to_have_value("")
    expect(page.locator("#thread-messages .msg", has_text="and lower")).to_be_visible()
