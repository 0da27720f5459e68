"""``python -m bot``: run Slate against Slack (Socket Mode or HTTP), or the local workspace demo.

With no ``SLACK_BOT_TOKEN`` it starts the local Slack-compatible workspace on loopback and
points the bot at it, so anyone can try Slate in a browser without a Slack account.
"""

from __future__ import annotations

import functools
import logging
import secrets
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.app import SlateBot, build_bot
from bot.client import web_client
from bot.demo import TRY, data_dir_note, demo_data_dir, demo_seeding
from bot.demo.project import FIRST_STEP_S, DemoProject
from bot.demo.workspace import demo_workspace
from bot.directions import QueuedDirections
from bot.install import INSTALL_PATH, installation_client, oauth_settings
from bot.server import EVENTS_PATH, http_server, run_socket_mode
from config import Settings, SettingsError, load_settings
from localslack import LocalWorkspace
from memory.ledger import ImageStore, JobBook, Ledger
from tools.export.options import ExportOptions
from tools.worker import celery_app
from tools.worker.embedded import GenerationServices, WorkerProcesses, start_services
from tools.worker.settings import SETTINGS_FILE_ENV, write_worker_settings

log = logging.getLogger("slate")

DIRECTING_NICENESS = 3  # below the process that acknowledges Slack, above generation
# Bolt runs each listener on a pool (5 threads by default) and acknowledges Slack only once the
# listener's ack() has run: a listener still answering a command after its ack holds a thread,
# and with 5 a burst of commands queued the next requests' acks behind them (p99 ~0.85 s).
LISTENER_THREADS = 32


def slate_bot(
    settings: Settings,
    services: GenerationServices,
    *,
    bot_token: str | None,
    signing_secret: str | None,
    api_url: str,
) -> SlateBot:
    """The process that answers Slack, and the directing process it hands each job to (which
    takes on last run's unfinished jobs when it starts); generation runs behind ``services``.

    No ``bot_token``: installed into many workspaces, each one's token kept beside the ledger."""
    ledger = Ledger(settings.data_dir / "ledger.sqlite3")  # tables made here, before the child opens it
    oauth = oauth_settings(settings, settings.data_dir / "ledger.sqlite3")  # None: one workspace's token
    if oauth is None:
        client = web_client(bot_token, api_url)  # type: ignore[arg-type]
    else:
        client = installation_client(oauth.installation_store, ledger, api_url)  # type: ignore[arg-type]
    directions = QueuedDirections(client, JobBook(ledger), services.broker_url)
    bot = build_bot(
        bot_token=bot_token,
        oauth_settings=oauth,
        signing_secret=signing_secret,
        api_url=api_url,
        ledger=ledger,
        directions=directions,
        roles=dict(settings.roles),
        models=tuple(settings.models),
        images=ImageStore(settings.data_dir / "images"),  # the directing process's store: one data dir
        exports=ExportOptions.from_settings(settings),
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="slate-listener"),
    )
    services.clients.append(start_directing(settings, services.broker_url, bot_token, api_url))
    return bot


def start_directing(
    settings: Settings, broker_url: str, bot_token: str | None, api_url: str
) -> WorkerProcesses:
    """``python -m bot.directing``, supervised, a little below this process in CPU priority.

    Installed into many workspaces it gets the client id instead of a token, and finds each
    workspace's token in the installation store."""
    settings_file = write_worker_settings(settings, settings.data_dir / "run" / "directing-settings.json")
    env = {
        SETTINGS_FILE_ENV: str(settings_file),
        "SLATE_BROKER_URL": broker_url,
        "SLACK_API_URL": api_url,
    }
    if bot_token is not None:
        env["SLACK_BOT_TOKEN"] = bot_token
    else:
        env["SLACK_CLIENT_ID"] = settings.slack_client_id or ""
    directing = WorkerProcesses("bot.directing", env, name="directing", niceness=DIRECTING_NICENESS)
    directing.start()
    return directing


def http_bot(
    settings: Settings,
    services: GenerationServices,
    *,
    bot_token: str | None,
    signing_secret: str,
    api_url: str,
):  # type: ignore[no-untyped-def]
    """The bot's HTTP server, bound but not yet serving."""
    bot = slate_bot(settings, services, bot_token=bot_token, signing_secret=signing_secret, api_url=api_url)
    return http_server(bot.app, settings.host, settings.port, settings.http_threads)


def serve_http(settings: Settings, services: GenerationServices) -> None:
    assert settings.slack_signing_secret  # validated by Settings, with a bot token or a client id
    bot_token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    server = http_bot(
        settings,
        services,
        bot_token=bot_token,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        api_url=settings.slack_api_url,
    )
    log.info("listening on http://%s:%s%s", settings.host, server.effective_port, EVENTS_PATH)
    if bot_token is None:
        log.info(
            "add Slate to a workspace at http://%s:%s%s", settings.host, server.effective_port, INSTALL_PATH
        )
    server.run()


def serve_socket_mode(settings: Settings, services: GenerationServices) -> None:
    assert settings.slack_bot_token and settings.slack_app_token  # validated by Settings
    bot = slate_bot(
        settings,
        services,
        bot_token=settings.slack_bot_token.get_secret_value(),
        signing_secret=None,
        api_url=settings.slack_api_url,
    )
    log.info("connecting to Slack in Socket Mode")
    run_socket_mode(bot.app, settings.slack_app_token.get_secret_value(), settings.slack_api_url)


def serve_local_demo(settings: Settings, services: GenerationServices, *, throwaway: bool = False) -> None:
    """The workspace first (Bolt calls auth.test on start), then the bot, then tell the person
    where to go; the sample project is seeded on a thread of its own once the bot serves.

    ``throwaway``: the data directory is this run's own (``bot.demo.demo_data_dir``)."""
    signing_secret = secrets.token_hex(16)
    workspace = demo_workspace(signing_secret, settings.host, settings.workspace_port)
    workspace.start()
    seeding = demo_seeding(settings, workspace.team_id, workspace.default_channel)
    server = http_bot(
        settings,
        services,
        bot_token=workspace.bot_token,
        signing_secret=signing_secret,
        api_url=workspace.api_url,
    )
    workspace.events_url = f"http://{settings.host}:{server.effective_port}{EVENTS_PATH}"
    print(
        "\nSlate is running against a local Slack-compatible workspace (no Slack account needed).\n"
        f"  Open {workspace.url} in a browser.\n"
        f"  Engine: {settings.engine_name}; data in {settings.data_dir.resolve()}"
        f" ({data_dir_note(throwaway)}).\n"
        f"  {seeding.why}. Ctrl-C to stop.\n",
        flush=True,
    )
    stopping = threading.Event()
    if seeding.seed:
        threading.Thread(
            target=seed_and_say, args=(workspace, services, stopping), name="slate-demo-seed", daemon=True
        ).start()
    else:
        print(TRY, flush=True)
    try:
        server.run()
    finally:
        stopping.set()
        workspace.stop()


def seed_and_say(workspace: LocalWorkspace, services: GenerationServices, stopping: threading.Event) -> None:
    """Once the directing process answers, seed the sample project; then say how it went."""
    started = time.monotonic()
    for processes in services.clients:  # the directing process: its first job then waits for nothing
        try:
            processes.wait_ready(celery_app(services.broker_url), timeout=FIRST_STEP_S)
        except RuntimeError as error:
            log.warning("demo: %s; seeding anyway", error)
    log.info("demo: the bot and its directing process are up (%.1f s); seeding", time.monotonic() - started)
    project = DemoProject(workspace, stopping=stopping)
    report = project.run()
    if stopping.is_set():
        return
    first = project.threads.get("shot 1")  # the approved shot: the page opens on its thread
    where = f"{workspace.url}#thread={first}  (shot 1, approved by April)" if first else workspace.url
    print(f"\n{report.summary()}\n  Open {where}\n{TRY}", flush=True)


def _stop_on_sigterm() -> None:
    """A plain ``kill`` stops like Ctrl-C: work under way is left for the next start, and said so."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main() -> int:
    _stop_on_sigterm()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    throwaway: Path | None = None
    if settings.slack_mode == "local":  # the demo's own data directory, unless one is set
        settings, throwaway = demo_data_dir(settings)
    services: GenerationServices | None = None
    try:
        services = start_services(settings)  # generation never runs in the process that serves Slack
        local = functools.partial(serve_local_demo, throwaway=throwaway is not None)
        serve = {"socket": serve_socket_mode, "http": serve_http}.get(settings.slack_mode, local)
        serve(settings, services)
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:  # a provider or device that can't be had: say which, no traceback
        print(f"slate: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # most often a port already in use
        print(
            f"slate: could not start the server: {error}. Set SLATE_PORT / SLATE_WORKSPACE_PORT.",
            file=sys.stderr,
        )
        return 2
    finally:
        if services is not None:
            services.stop()
        if throwaway is not None:
            shutil.rmtree(throwaway, ignore_errors=True)
    return 0
