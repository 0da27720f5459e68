"""A person's acts on the local workspace's page, by the DOM contract in docs/localslack-ui.md.

Everything here clicks, types and chooses files in the page; nothing calls the workspace's
Python methods. Waits are Playwright's: ``SLATE_MS`` for what Slate has to make, the context's
default (5 s) for what the page shows at once, so a missing element fails fast and names itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select

from localslack import LocalWorkspace
from localslack.state import DIRECTOR_ID, SHOTS_ID
from memory.ledger import Ledger
from memory.ledger.models import Approval, Version

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

SLATE_MS = 30_000  # a direction's answer on a 2-core machine (previz frames, offline director)
CONTRACT = "docs/localslack-ui.md"


def expect(target, message: str | None = None):  # type: ignore[no-untyped-def]
    """Playwright's ``expect``, imported when first used (the conftest says when Playwright is missing)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, message)


# ---- reading the page -------------------------------------------------------------


def open_workspace(page: Page, workspace: LocalWorkspace) -> None:
    """Load the page and wait for its first state (the sidebar lists #shots; on a phone the
    sidebar may be folded away, so listed is enough)."""
    page.goto(workspace.url)
    expect(page.locator(f'a[data-channel="{SHOTS_ID}"]')).to_be_attached()
    expect(page.locator("#channel-messages")).to_be_visible()


def channel_message(page: Page, text: str) -> Locator:
    return page.locator("#channel-messages .msg[data-ts]", has_text=text)


def thread_pane(page: Page) -> Locator:
    return page.locator("#thread-messages")


def thread_images(page: Page) -> Locator:
    """The frames Slate's results show in the open thread (image blocks)."""
    return page.locator("#thread-messages img.image")


def attach(page: Page, composer: str, path: str) -> None:
    """Choose a file in the composer's attach input, as the file chooser does."""
    chooser = page.locator(f"#{composer} input[type=file]")
    expect(chooser, f"#{composer} has no input[type=file] to attach with ({CONTRACT})").to_be_attached()
    chooser.set_input_files(path)


def button(page: Page, action: str, version_id: int) -> Locator:
    """The button ``slate.<action>.<version id>`` in the open thread."""
    return thread_pane(page).locator(f'button[data-action-id="slate.{action}.{version_id}"]')


def result_of(page: Page, version_id: int) -> Locator:
    """The message in the open thread that shows this version (its Approve button's message)."""
    approve = page.locator(f'button[data-action-id="slate.approve.{version_id}"]')
    return thread_pane(page).locator(".msg[data-ts]", has=approve)


def ephemeral(page: Page, text: str | re.Pattern[str]) -> Locator:
    """Messages only the person acting sees, in the channel or the open thread."""
    return page.locator(".msg.ephemeral", has_text=text)


# ---- acting -------------------------------------------------------------------------


def act_as(page: Page, user: str) -> None:
    """Choose who the page acts as in ``#user-switcher``. The page of today has no switcher and
    acts as the director: that one person it can still be."""
    switcher = page.locator("#user-switcher")
    if user == DIRECTOR_ID and switcher.count() == 0:
        return
    expect(switcher, f"the page has no #user-switcher to act as {user} ({CONTRACT})").to_be_attached()
    switcher.select_option(user)
    expect(switcher).to_have_value(user)


def write(page: Page, composer: str, text: str) -> None:
    """Type into ``#channel-compose`` or ``#thread-compose`` and press Enter; wait for it to go."""
    box = page.locator(f"#{composer} textarea")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")  # the page empties the box once the workspace took the message


def direct(page: Page, text: str) -> str:
    """Write a direction in the channel; the ts of the person's message it became."""
    write(page, "channel-compose", text)
    posted = channel_message(page, text.removeprefix("@slate ").strip()[:40])
    expect(posted).to_have_count(1)
    ts = posted.get_attribute("data-ts")
    assert ts, "a message without data-ts"
    return ts


def replies_link(page: Page, ts: str) -> Locator:
    """The message's link to its thread once it has replies ("1 reply": it shows a count)."""
    return page.locator(f'#channel-messages .replies-link[data-thread="{ts}"]', has_text=re.compile(r"\d"))


def open_thread(page: Page, ts: str) -> None:
    """Follow the message's replies link (once Slate has replied) into the thread pane."""
    link = replies_link(page, ts)
    expect(link).to_be_visible(timeout=SLATE_MS)
    page.locator(f'#channel-messages .msg[data-ts="{ts}"]').hover()
    link.click()
    expect(page.locator("#thread")).to_be_visible()
    expect(page.locator(f'#thread-messages .msg[data-ts="{ts}"]')).to_be_visible()


def wait_for_frames(page: Page, n: int) -> None:
    """Until the open thread shows ``n`` of Slate's frames, each loaded."""
    frames = thread_images(page)
    expect(frames).to_have_count(n, timeout=SLATE_MS)
    for index in range(n):
        expect(frames.nth(index)).to_have_attribute("src", re.compile(r"/ui/files/F"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('#thread-messages img.image')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )


def direct_a_shot(page: Page, workspace: LocalWorkspace) -> str:
    """The director's first direction, its thread open on v1; the thread's ts."""
    open_workspace(page, workspace)
    act_as(page, DIRECTOR_ID)
    ts = direct(page, "@slate WS, Maya at the harbour at dawn, seed 5")
    open_thread(page, ts)
    wait_for_frames(page, 1)
    return ts


# ---- the ledger, where it matters -------------------------------------------------------


def versions(ledger: Ledger) -> list[Version]:
    with ledger.reading() as session:
        return list(session.scalars(select(Version).order_by(Version.id)))


def transitions(ledger: Ledger) -> list[tuple[int, str, str, str]]:
    """(version id, who, from, to) for every review change, oldest first."""
    with ledger.reading() as session:
        rows = session.scalars(select(Approval).order_by(Approval.id))
        return [(r.version_id, r.user_id, r.from_status, r.decision) for r in rows]
