"""Shared fixtures: a tiny real diffusion model on disk, a real ledger, and the whole bot stack
(local Slack-compatible workspace + Bolt app under waitress) on loopback."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

# Tiny models on a 2-core machine: extra intra-op threads only contend with the bot's own threads.
torch.set_num_threads(1)

from slack_bolt import App  # noqa: E402
from waitress import wasyncore  # noqa: E402

from agents import Director, ShotDesk  # noqa: E402
from agents.providers import chat_model  # noqa: E402
from bot.app import SlateBot, build_bot  # noqa: E402
from bot.server import EVENTS_PATH, http_server  # noqa: E402
from config import Settings  # noqa: E402
from config.models import ModelSpec  # noqa: E402
from localslack import LocalWorkspace  # noqa: E402
from memory.embeddings import TextEmbedder  # noqa: E402
from memory.ledger import ImageStore, Ledger  # noqa: E402
from tests.tiny_models import build_tiny_sd  # noqa: E402
from tools.blender_client import BlenderUnavailable, BlenderWorker, blender_python  # noqa: E402
from tools.diffusers_engine import DiffusersEngine  # noqa: E402
from tools.engine import Engine  # noqa: E402
from tools.worker import RemoteCaller, celery_app  # noqa: E402
from tools.worker.embedded import GenerationServices, start_services  # noqa: E402
from tools.worker.remote import RemoteEngine  # noqa: E402

SIGNING_SECRET = "test-signing-secret"


SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL")


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings read from nothing but what the test sets: no Slack tokens, .env or slate.toml."""
    for name in SLACK_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLATE_CONFIG", str(tmp_path / "slate.toml"))
    return tmp_path


@pytest.fixture(scope="session")
def tiny_sd_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_sd(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def tiny_engine(tiny_sd_path: Path) -> DiffusersEngine:
    return DiffusersEngine({"tiny": ModelSpec(path=tiny_sd_path, steps=4, width=64, height=64)}, "tiny")


def worker_services(tmp: Path, **settings: object) -> GenerationServices:
    """A private Redis and one real generation worker process on ``settings``: the bot's own set-up."""
    services = start_services(Settings(data_dir=tmp, **settings))  # type: ignore[arg-type]
    assert services.workers is not None
    services.workers.wait_ready(celery_app(services.broker_url))
    return services


def remote(local: Engine, services: GenerationServices) -> RemoteEngine:
    """``local`` answers what models there are; every generation goes to the workers."""
    return RemoteEngine(local, RemoteCaller(celery_app(services.broker_url)))


def tiny_worker_services(tmp: Path, tiny_sd_path: Path) -> Iterator[GenerationServices]:
    """Workers on the tiny diffusion model, stopped when the fixture ends."""
    services = worker_services(
        tmp,
        engine="diffusers",
        models={"tiny": ModelSpec(path=tiny_sd_path, steps=4, width=64, height=64)},
        default_model="tiny",
    )
    yield services
    services.stop()


@pytest.fixture(scope="session")
def tiny_workers(
    tiny_sd_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GenerationServices]:
    yield from tiny_worker_services(tmp_path_factory.mktemp("tiny-workers"), tiny_sd_path)


@pytest.fixture(scope="session")
def remote_tiny_engine(tiny_engine: DiffusersEngine, tiny_workers: GenerationServices) -> RemoteEngine:
    return remote(tiny_engine, tiny_workers)


@pytest.fixture(scope="session")
def text_embedder() -> TextEmbedder:
    """The real MiniLM model from its package, loaded once for the session."""
    return TextEmbedder()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "ledger.sqlite3")


@pytest.fixture
def images(tmp_path: Path) -> ImageStore:
    return ImageStore(tmp_path / "images")


@dataclass
class Stack:
    workspace: LocalWorkspace
    ledger: Ledger
    images: ImageStore
    events_url: str
    bot: SlateBot | None = None


def placeholder_texts(workspace: LocalWorkspace, thread_ts: str) -> list[str]:
    """Every text the bot's messages in a thread were edited to, in order (progress, then answer)."""
    texts = []
    for call in workspace.calls_to("chat.update"):
        message = workspace.state.message(call["channel"], call["ts"])
        if message is not None and message.get("thread_ts") == thread_ts:
            texts.append(call["text"])
    return texts


def local_workspace(**options: Any) -> LocalWorkspace:
    """The local Slack-compatible server, with Slack's retry schedule compressed for tests."""
    return LocalWorkspace(
        signing_secret=SIGNING_SECRET, retry_timeout_s=3.0, retry_delays_s=(0.0, 0.2, 0.4), **options
    ).start()


def slate_bot(
    engine: Engine, base_side: int, tmp_path: Path, workspace: LocalWorkspace, **app_options: object
) -> tuple[SlateBot, Ledger, ImageStore]:
    """Slate on ``engine`` talking to ``workspace``; ledger and images under ``tmp_path``."""
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    images = ImageStore(tmp_path / "images")
    director = Director(ShotDesk(engine, ledger, images, base_side), chat_model("offline"))
    options = {"signing_secret": SIGNING_SECRET, "images": images, **app_options}
    bot = build_bot(
        bot_token=workspace.bot_token, api_url=workspace.api_url, director=director, ledger=ledger, **options
    )  # type: ignore[arg-type]
    return bot, ledger, images


def slate_app(
    engine: Engine, base_side: int, tmp_path: Path, workspace: LocalWorkspace, **app_options: object
) -> tuple[App, Ledger, ImageStore]:
    bot, ledger, images = slate_bot(engine, base_side, tmp_path, workspace, **app_options)
    return bot.app, ledger, images


def stop_http_server(server, thread: threading.Thread) -> None:  # type: ignore[no-untyped-def]
    """Close waitress from its own loop thread: ``server.close()`` from here races the loop's
    select() on a socket it closes (an EBADF traceback when a connection just ended)."""
    server.task_dispatcher.shutdown()
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(timeout=5)


@contextmanager
def serving(app: App, workspace: LocalWorkspace) -> Iterator[str]:
    """The Bolt app under waitress on a free port, the workspace delivering to it: its events URL."""
    server = http_server(app, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    workspace.events_url = f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"
    try:
        yield workspace.events_url
    finally:
        stop_http_server(server, thread)


def run_stack(
    engine: Engine, base_side: int, tmp_path: Path, listener_threads: int | None = 4
) -> Iterator[Stack]:
    """Slate on ``engine`` served to a fresh local workspace, stopped after; ``listener_threads``
    None keeps the bot's own listener pool."""
    workspace = local_workspace()
    listeners = ThreadPoolExecutor(max_workers=listener_threads) if listener_threads else None
    options = {"listener_executor": listeners} if listeners else {}
    bot, ledger, images = slate_bot(engine, base_side, tmp_path, workspace, **options)
    try:
        with serving(bot.app, workspace) as events_url:
            yield Stack(workspace, ledger, images, events_url, bot)
    finally:
        if listeners is not None:
            listeners.shutdown(wait=True)
        bot.stop()  # stop work still under way (a failed test's long shot) before the workspace goes
        workspace.stop()


@pytest.fixture
def stack(remote_tiny_engine: RemoteEngine, tmp_path: Path) -> Iterator[Stack]:
    """The bot on the tiny diffusion model (on a real worker process): 64 px frames, fast."""
    yield from run_stack(remote_tiny_engine, 64, tmp_path)


@pytest.fixture(scope="session")
def broken_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenerationServices]:
    tmp = tmp_path_factory.mktemp("broken-workers")
    services = worker_services(
        tmp, engine="diffusers", models={"gone": ModelSpec(path=tmp / "no-such-model")}, default_model="gone"
    )
    yield services
    services.stop()


@pytest.fixture
def broken_stack(tmp_path: Path, broken_workers: GenerationServices) -> Iterator[Stack]:
    """The bot on a model whose weights are missing: every generation fails."""
    engine = DiffusersEngine({"gone": ModelSpec(path=tmp_path / "no-such-model")}, "gone")
    yield from run_stack(remote(engine, broken_workers), 64, tmp_path)


@pytest.fixture(scope="session")
def worker() -> Iterator[BlenderWorker]:
    """One Blender (bpy) worker process for the previz tests, started once."""
    try:
        blender_python()
    except BlenderUnavailable as exc:
        pytest.fail(f"{exc} — run `make install` (it creates .venv-blender with bpy)")
    blender = BlenderWorker()
    yield blender
    blender.close()
