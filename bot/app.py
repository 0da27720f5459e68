"""Build the Bolt app: client, middleware, listeners. Nothing here does work of its own."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings

from agents import Director
from bot import (
    assistant,
    board,
    buttons,
    canon_modals,
    commands,
    home,
    mentions,
    messages,
    project_settings,
    review,
    scenes,
    shortcuts,
)
from bot.client import web_client
from bot.dedup import event_jobs
from bot.directions import Directions
from bot.parts import BotParts
from bot.runner import DirectionRunner
from memory.ledger import ImageStore, JobBook, Ledger
from memory.ledger.review import Review

if TYPE_CHECKING:
    from tools.export.options import ExportOptions


@dataclass
class SlateBot:
    """The Bolt app and where its directions run: start-up recovers, shutdown says so."""

    app: App
    runner: Directions

    def recover(self) -> int:
        return self.runner.recover()

    def stop(self) -> None:
        self.runner.stop()


def build_bot(
    *,
    bot_token: str | None = None,
    oauth_settings: OAuthSettings | None = None,
    signing_secret: str | None,
    api_url: str,
    ledger: Ledger,
    director: Director | None = None,
    directions: Directions | None = None,
    listener_executor: Executor | None = None,
    direction_executor: Executor | None = None,
    roles: dict[str, str] | None = None,
    models: tuple[str, ...] = (),
    images: ImageStore | None = None,
    exports: ExportOptions | None = None,
) -> SlateBot:
    """Directions run in the directing process (``directions``) or, given a ``director``, here.

    ``signing_secret`` is None only in Socket Mode, where requests arrive over an authenticated socket.
    ``roles`` seeds people's roles in every project (user id → director|approver|artist|viewer)."""
    app = App(
        client=web_client(bot_token, api_url),  # type: ignore[arg-type]  # no token: Bolt finds each one
        oauth_settings=oauth_settings,
        signing_secret=signing_secret,
        request_verification_enabled=signing_secret is not None,
        process_before_response=False,  # ack within Slack's 3 s; listeners only hand work on
        listener_executor=listener_executor,  # None: Bolt's own pool of 5
    )
    if oauth_settings is not None and (bot_token is not None or directions is None):
        # Installed into many workspaces (bot/install.py) each request carries its workspace's token;
        # the directions need a client that finds it too (bot.install.installation_client).
        raise ValueError("with oauth_settings, build_bot takes no bot_token and needs the directions")
    jobs = JobBook(ledger)
    if directions is None:
        if director is None:
            raise ValueError("build_bot needs a director, or the directions it hands jobs to")
        directions = DirectionRunner(web_client(bot_token, api_url), director, jobs, direction_executor)
    parts = BotParts(ledger, jobs, Review(ledger, roles), directions, models, images, exports)
    app.use(event_jobs(jobs))
    app.assistant(assistant.build(parts))
    mentions.register(app, parts)
    messages.register(app, parts)
    review.register(app, parts)
    buttons.register(app, parts)
    scenes.register(app, parts)
    commands.register(app, parts)
    shortcuts.register(app, parts)
    project_settings.register(app, parts)
    canon_modals.register(app, parts)
    home.register(app, parts)
    board.register(app, parts)
    return SlateBot(app, directions)


def build_app(**options: object) -> App:
    """Just the Bolt app (tests that drive the protocol); see ``build_bot``."""
    return build_bot(**options).app  # type: ignore[arg-type]
