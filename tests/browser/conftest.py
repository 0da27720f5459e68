"""Browser fixtures: Debian's Chromium under Playwright, the real Slate stack behind the page, screenshots.

The browser is the one `scripts/install-browser` puts in (``/usr/bin/chromium``, or
``SLATE_CHROMIUM``), launched by Playwright's sync API with ``executable_path``: no browser is
ever downloaded. When it is missing the tests *fail* saying so; a skipped browser test in CI is a
test that cannot fail.

Behind the page runs the product: a `LocalWorkspace` and the real Slate bot (Bolt under
waitress, the offline director, the previz engine, a real ledger), with the review roles seeded
as ``SLATE_ROLES`` would seed them. The page is the workspace's own, at ``workspace.url``.

Each step of a test saves a screenshot with ``shot(page, name)``, under
``test-artifacts/browser/<test>/<NN>-<name>.png`` (``SLATE_TEST_ARTIFACTS`` moves the root); a
failed test also leaves ``NN-failure.png`` and the page's console there.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from agents import Director, ShotDesk
from agents.continuity import Continuity
from agents.providers import chat_model
from bot.app import build_bot
from bot.demo.workspace import workspace_commands, workspace_shortcuts
from localslack.state import APPROVER_ID, ARTIST_ID, DIRECTOR_ID
from memory.canon import Canon
from memory.drift import DriftChecker
from memory.embeddings import TextEmbedder
from memory.ledger import ImageStore, Ledger
from memory.vectors import VectorIndex
from tests.conftest import SIGNING_SECRET, Stack, local_workspace, serving
from tools.previz import PrevizEngine

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("SLATE_CHROMIUM", "/usr/bin/chromium")
# Headless (Playwright's default) and nothing that reaches outside the machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
BASE_SIDE = 256  # previz frames big enough to read in a screenshot, still drawn in milliseconds
ROLES = {DIRECTOR_ID: "director", ARTIST_ID: "artist", APPROVER_ID: "approver"}
UI_TIMEOUT_MS = 5_000  # what the page shows without waiting on Slate
ARTIFACTS_ENV = "SLATE_TEST_ARTIFACTS"

_saved: list[Path] = []


def artifacts_root(config: pytest.Config) -> Path:
    return Path(os.environ.get(ARTIFACTS_ENV) or config.rootpath / "test-artifacts" / "browser")


# ---- the browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        pytest.fail(
            f"the browser tests need Playwright's Python package ({missing}): "
            "`make test` installs it with the test extra (pip install -e '.[test]')",
            pytrace=False,
        )
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}, and it is not there: run "
            "scripts/install-browser (Debian's 'chromium' package, which `make test` installs), "
            "or set SLATE_CHROMIUM to a Chromium binary",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test, so ``page`` knows at teardown whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """This test's artefact folder, emptied of an earlier run's."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    folder = artifacts_root(request.config) / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def shot(request: pytest.FixtureRequest, artifacts: Path) -> Callable[[Page, str], Path]:
    """``shot(page, "thread-open")`` saves ``<NN>-thread-open.png``: the page as it is now."""
    taken: list[Path] = []

    def save(page: Page, name: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
        path = artifacts / f"{len(taken) + 1:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        _saved.append(path)
        request.node.user_properties.append(("screenshot", str(path)))  # in --junitxml reports
        print(f"screenshot: {path}")
        return path

    return save


@pytest.fixture
def page(
    browser: Browser, request: pytest.FixtureRequest, shot: Callable[[Page, str], Path], artifacts: Path
) -> Iterator[Page]:
    """A fresh browser context and page for one test. A failed test leaves a screenshot and the
    page's console; an uncaught error in the page's script fails a test that otherwise passed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(UI_TIMEOUT_MS)
    opened = context.new_page()
    console: list[str] = []
    thrown: list[str] = []
    opened.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    opened.on("pageerror", lambda error: thrown.append(str(error)))
    try:
        yield opened
    finally:
        report = getattr(request.node, "report_call", None)
        failed = report is not None and report.failed
        if failed:
            try:
                shot(opened, "failure")
            except Exception as error:  # a page that is gone: the report says why the test failed
                print(f"no failure screenshot: {error}")
        if console or thrown:
            (artifacts / "console.log").write_text("\n".join(console + [f"pageerror: {t}" for t in thrown]))
        context.close()
    if thrown and not failed:
        pytest.fail(f"the page's script threw: {thrown}", pytrace=False)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    if _saved:
        terminalreporter.write_line(
            f"browser screenshots: {len(_saved)} under {artifacts_root(config)}/<test>/"
        )


# ---- the product behind the page ------------------------------------------------


def serve_slate(
    tmp_path: Path, continuity: Callable[[Ledger, ImageStore], Continuity] | None = None
) -> Iterator[Stack]:
    """A local workspace and the real Slate bot on it (offline director, previz engine), roles seeded."""
    # Slate's commands and shortcuts, as the demo's workspace offers them in the composer
    workspace = local_workspace(commands=workspace_commands(), shortcuts=workspace_shortcuts())
    ledger, images = Ledger(tmp_path / "ledger.sqlite3"), ImageStore(tmp_path / "images")
    memory = continuity(ledger, images) if continuity else None
    desk = ShotDesk(PrevizEngine(), ledger, images, BASE_SIDE, continuity=memory)
    listeners = ThreadPoolExecutor(max_workers=4)
    bot = build_bot(
        bot_token=workspace.bot_token,
        signing_secret=SIGNING_SECRET,
        api_url=workspace.api_url,
        ledger=ledger,
        director=Director(desk, chat_model("offline")),
        roles=ROLES,
        listener_executor=listeners,
    )
    try:
        with serving(bot.app, workspace) as events_url:
            yield Stack(workspace, ledger, images, events_url, bot)
    finally:
        listeners.shutdown(wait=True)
        bot.stop()
        workspace.stop()
        if memory is not None:
            memory.canon.vectors.close()


@pytest.fixture
def slate(tmp_path: Path) -> Iterator[Stack]:
    """Slate behind the page: director U0DIRECTOR, artist U0ARTIST, approver U0APRIL."""
    yield from serve_slate(tmp_path)


@pytest.fixture
def canon_slate(tmp_path: Path, text_embedder: TextEmbedder) -> Iterator[Stack]:
    """The same with continuity memory (real Chroma, MiniLM): characters keep reference stills."""

    def continuity(ledger: Ledger, images: ImageStore) -> Continuity:
        client = chromadb.PersistentClient(
            path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
        )
        return Continuity(Canon(ledger, VectorIndex(client, text_embedder), images), DriftChecker())

    yield from serve_slate(tmp_path, continuity)
