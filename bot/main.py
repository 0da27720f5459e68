"""``python -m bot``: run Slate against Slack (Socket Mode or HTTP), or the local workspace demo.

With no ``SLACK_BOT_TOKEN`` it starts the local Slack-compatible workspace on loopback and
points the bot at it, so anyone can try Slate in a browser without a Slack account.
"""

from __future__ import annotations

import logging
import secrets
import sys

from agents.assembly import build_director
from bot.app import build_app
from bot.server import EVENTS_PATH, http_server, run_socket_mode
from bot.workspace import LocalWorkspace
from config import Settings, SettingsError, load_settings

log = logging.getLogger("slate")


def http_bot(settings: Settings, *, bot_token: str, signing_secret: str, api_url: str):  # type: ignore[no-untyped-def]
    """The bot's HTTP server, bound but not yet serving."""
    director, ledger = build_director(settings)
    app = build_app(
        bot_token=bot_token, signing_secret=signing_secret, api_url=api_url, director=director, ledger=ledger
    )
    return http_server(app, settings.host, settings.port, settings.http_threads)


def serve_http(settings: Settings) -> None:
    assert settings.slack_bot_token and settings.slack_signing_secret  # validated by Settings
    server = http_bot(
        settings,
        bot_token=settings.slack_bot_token.get_secret_value(),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        api_url=settings.slack_api_url,
    )
    log.info("listening on http://%s:%s%s", settings.host, server.effective_port, EVENTS_PATH)
    server.run()


def serve_socket_mode(settings: Settings) -> None:
    assert settings.slack_bot_token and settings.slack_app_token  # validated by Settings
    director, ledger = build_director(settings)
    app = build_app(
        bot_token=settings.slack_bot_token.get_secret_value(),
        signing_secret=None,
        api_url=settings.slack_api_url,
        director=director,
        ledger=ledger,
    )
    log.info("connecting to Slack in Socket Mode")
    run_socket_mode(app, settings.slack_app_token.get_secret_value(), settings.slack_api_url)


def serve_local_demo(settings: Settings) -> None:
    """The workspace first (Bolt calls auth.test on start), then the bot, then tell the person where to go."""
    signing_secret = secrets.token_hex(16)
    workspace = LocalWorkspace(
        signing_secret=signing_secret, host=settings.host, port=settings.workspace_port
    )
    workspace.start()
    server = http_bot(
        settings, bot_token=workspace.bot_token, signing_secret=signing_secret, api_url=workspace.api_url
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


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        if settings.slack_mode == "socket":
            serve_socket_mode(settings)
        elif settings.slack_mode == "http":
            serve_http(settings)
        else:
            serve_local_demo(settings)
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
    return 0
