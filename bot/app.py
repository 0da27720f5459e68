"""Build the Bolt app: client, middleware, listeners. Nothing here does work of its own."""

from __future__ import annotations

from concurrent.futures import Executor

from slack_bolt import App

from agents import Director
from bot import mentions, messages
from bot.client import web_client
from bot.dedup import event_dedup
from memory.ledger import Ledger


def build_app(
    *,
    bot_token: str,
    signing_secret: str | None,
    api_url: str,
    director: Director,
    ledger: Ledger,
    listener_executor: Executor | None = None,
) -> App:
    """``signing_secret`` is None only in Socket Mode, where requests arrive over an authenticated socket."""
    app = App(
        client=web_client(bot_token, api_url),
        signing_secret=signing_secret,
        request_verification_enabled=signing_secret is not None,
        process_before_response=False,  # ack within Slack's 3 s, work on Bolt's worker pool
        listener_executor=listener_executor,  # None: Bolt's own pool of 5
    )
    app.use(event_dedup(ledger))
    mentions.register(app, director, ledger)
    messages.register(app)
    return app
