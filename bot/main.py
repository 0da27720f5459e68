"""``python -m bot``: run Slate against Slack (Socket Mode or HTTP), or the local workspace demo.

With no ``SLACK_BOT_TOKEN`` it starts the local Slack-compatible workspace on loopback and
points the bot at it, so anyone can try Slate in a browser without a Slack account.
"""

from __future__ import annotations

import logging
import re
import secrets
import signal
import sys
from concurrent.futures import ThreadPoolExecutor

from bot.app import SlateBot, build_bot
from bot.client import web_client
from bot.commands import SUBCOMMANDS
from bot.directions import QueuedDirections
from bot.install import INSTALL_PATH, installation_client, oauth_settings
from bot.manifest import message_shortcuts, slash_commands
from bot.server import EVENTS_PATH, http_server, run_socket_mode
from config import Settings, SettingsError, load_settings
from localslack import LocalWorkspace
from localslack.ui import Command, Shortcut
from memory.ledger import JobBook, Ledger
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


def serve_local_demo(settings: Settings, services: GenerationServices) -> None:
    """The workspace first (Bolt calls auth.test on start), then the bot, then tell the person where to go."""
    signing_secret = secrets.token_hex(16)
    workspace = LocalWorkspace(
        signing_secret=signing_secret,
        host=settings.host,
        port=settings.workspace_port,
        commands=workspace_commands(),
        shortcuts=tuple(
            Shortcut(s["callback_id"], s["name"], s.get("description", "")) for s in message_shortcuts()
        ),
    )
    workspace.start()
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
        f"  Open {workspace.url} in a browser and write in #shots, e.g.:\n"
        "    @slate wide shot, Maya walks into the throne room at dusk, 2.39:1\n"
        "  then reply in the thread to revise it: “@slate make her cloak red”.\n"
        f"  Engine: {settings.engine_name}; data in {settings.data_dir.resolve()}. Ctrl-C to stop.\n",
        flush=True,
    )
    try:
        server.run()
    finally:
        workspace.stop()


def workspace_commands() -> tuple[Command, ...]:
    """Slate's slash commands as the local workspace's composer offers them, subcommands too
    (the words of each usage before its first placeholder: ``look use``, ``shots``)."""
    return tuple(
        Command(
            declared["command"],
            declared["description"],
            declared["usage_hint"],
            tuple((_literal_words(usage), usage, does) for usage, does in SUBCOMMANDS),
        )
        for declared in slash_commands()
    )


def _literal_words(usage: str) -> str:
    return re.split(r"\s[<\[@]", usage, maxsplit=1)[0]


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
    services: GenerationServices | None = None
    try:
        services = start_services(settings)  # generation never runs in the process that serves Slack
        serve = {"socket": serve_socket_mode, "http": serve_http}.get(settings.slack_mode, serve_local_demo)
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
    return 0
