"""Installing Slate into Slack workspaces (OAuth v2), installations kept in the project's database.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, ``GET /slack/install`` offers "Add to
Slack" with a one-use ``state`` (also set as a cookie, so only the browser that started may
finish); Slack sends the installer back to ``/slack/oauth_redirect`` with a ``code``, which
Bolt's ``OAuthFlow`` trades for the workspace's bot token (``oauth.v2.access``) and keeps.
Everything is slack-bolt's and slack-sdk's own: ``OAuthSettings``, the SQLAlchemy installation
store (tables ``slack_installations`` and ``slack_bots``) and state store (``slack_oauth_states``),
all in the ledger's SQLite file. Each request from a workspace is then authorized with that
workspace's bot token, found in the store.

Bolt's ``OAuthFlow`` calls Slack with the app's own client, so ``oauth.v2.access`` goes to
``SLACK_API_URL`` like every other call (``bot/app.py`` builds that client); the browser is sent
to the ``oauth/v2/authorize`` page beside it (``https://slack.com/oauth/v2/authorize``).

Directions are answered off Bolt's request threads, by a client that is not handed a token per
request: ``InstallationClient`` finds, for each call, the bot token of the workspace whose
channel the call names.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web import SlackResponse
from sqlalchemy import create_engine, desc, select
from sqlalchemy.engine import Engine, make_url

from bot.client import web_client
from bot.manifest import bot_scopes
from config import Settings
from memory.ledger import Ledger
from memory.ledger.models import Job
from memory.ledger.store import _sqlite_engine

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRATION_SECONDS = 600  # an installer has ten minutes between "Add to Slack" and Slack's redirect

Database = str | Path | Engine


def oauth_settings(settings: Settings, ledger_url_or_engine: Database) -> OAuthSettings | None:
    """Bolt's OAuth settings for installing into many workspaces; None unless both
    ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are set (one workspace's ``SLACK_BOT_TOKEN``).

    ``ledger_url_or_engine``: the ledger's file (``data_dir/ledger.sqlite3``), a SQLAlchemy URL,
    or an engine; the stores' tables are made there if missing."""
    if not settings.multi_workspace:
        return None
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    engine = store_engine(ledger_url_or_engine)
    state_store = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
    state_store.create_tables()
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(bot_scopes()),
        user_scopes=[],  # a bot, acting for no one person
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=installation_store(settings.slack_client_id, engine),
        state_store=state_store,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
    # Each request's token is still read from the store; only the auth.test answer for a token
    # is kept, as one workspace's token is checked once at start-up.
    oauth.authorize.cache_enabled = True  # type: ignore[attr-defined]
    return oauth


def installation_store(client_id: str, database: Database) -> SQLAlchemyInstallationStore:
    """The installations of app ``client_id`` (tables made if missing)."""
    store = SQLAlchemyInstallationStore(client_id=client_id, engine=store_engine(database))
    store.create_tables()
    return store


def store_engine(database: Database) -> Engine:
    """An engine for the stores: the ledger's own kind on a SQLite file (every transaction takes
    the write lock at its start, so a state is consumed once and an installation saved whole)."""
    if isinstance(database, Engine):
        return database
    text = str(database)
    if "://" not in text:
        return _sqlite_engine(Path(text))
    url = make_url(text)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return _sqlite_engine(Path(url.database))
    return create_engine(url)


def authorization_url(api_url: str) -> str:
    """Slack's consent page beside its Web API: ``https://slack.com/oauth/v2/authorize``."""
    return urljoin(api_url, "../oauth/v2/authorize")


class InstallationClient(WebClient):
    """A ``WebClient`` for work done outside Bolt's requests, installed into many workspaces.

    Each call goes out with the bot token of the workspace whose channel it names (``channel`` or
    ``channel_id``; a channel's workspace is the one its jobs came from). A call naming no channel
    (``auth.test``) and ``token`` itself (read for ``url_private`` downloads) fall back to the most
    recent installation: right with one workspace, a known limit with several. Tokens found are
    kept for ``TOKEN_TTL_SECONDS``, so a busy thread's edits do not each read the store.
    """

    TOKEN_TTL_SECONDS = 30.0

    def __init__(
        self,
        installations: SQLAlchemyInstallationStore,
        team_of_channel: Callable[[str], str | None],
        api_url: str,
    ) -> None:
        self.installations = installations
        self.team_of_channel = team_of_channel
        self._token: str | None = None
        self._tokens: dict[str | None, tuple[float, str | None]] = {}  # team (None: latest) → (when, token)
        self._tokens_lock = threading.Lock()
        super().__init__(base_url=api_url, retry_handlers=_retry_handlers())

    @property  # type: ignore[override]
    def token(self) -> str | None:
        return self._token or self._cached(None, self._latest_token)

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    def token_for_team(self, team_id: str) -> str | None:
        return self._cached(team_id, lambda: self._team_token(team_id))

    def token_for_channel(self, channel: str | None) -> str | None:
        team = self.team_of_channel(channel) if channel else None
        return self.token_for_team(team) if team else None

    def for_channel(self, channel: str | None) -> WebClient:
        """A plain client holding the token of ``channel``'s workspace."""
        return web_client(self.token_for_channel(channel) or self.token, self.base_url)  # type: ignore[arg-type]

    def api_call(  # type: ignore[override]
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict | None = None,
        data: dict | None = None,
        params: dict | None = None,
        json: dict | None = None,
        headers: dict | None = None,
        auth: dict | None = None,
    ) -> SlackResponse:
        if auth is None and not _names_token(data, params, json):
            token = self.token_for_channel(_channel(data, params, json))
            if token is not None:
                params = {**(params or {}), "token": token}  # slack-sdk sends it as the bearer token
        return super().api_call(
            api_method,
            http_verb=http_verb,
            files=files,
            data=data,
            params=params,
            json=json,
            headers=headers,
            auth=auth,
        )

    def files_upload_v2(self, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        """Its first call (``files.getUploadURLExternal``) names no channel: upload as the channel's."""
        return self.for_channel(kwargs.get("channel")).files_upload_v2(**kwargs)

    def _cached(self, key: str | None, find: Callable[[], str | None]) -> str | None:
        now = time.monotonic()
        with self._tokens_lock:
            found = self._tokens.get(key)
        if found is not None and now - found[0] < self.TOKEN_TTL_SECONDS:
            return found[1]
        token = find()
        if token is not None:  # a workspace not installed yet is asked about again next time
            with self._tokens_lock:
                self._tokens[key] = (now, token)
        return token

    def _team_token(self, team_id: str) -> str | None:
        bot = self.installations.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    def _latest_token(self) -> str | None:
        bots = self.installations.bots
        query = (
            select(bots.c.bot_token)
            .where(bots.c.client_id == self.installations.client_id, bots.c.bot_token.is_not(None))
            .order_by(desc(bots.c.installed_at))
            .limit(1)
        )
        with self.installations.engine.connect() as connection:
            return connection.scalar(query)


def installation_client(
    installations: SQLAlchemyInstallationStore, ledger: Ledger, api_url: str
) -> InstallationClient:
    """The client the directions are answered with when Slate is installed into many workspaces."""
    return InstallationClient(installations, channel_teams(ledger), api_url)


def channel_teams(ledger: Ledger) -> Callable[[str], str | None]:
    """A channel's workspace, from the jobs asked there (each job keeps the team Slack sent it from)."""
    known: dict[str, str] = {}
    lock = threading.Lock()

    def team_of(channel: str) -> str | None:
        with lock:
            if channel in known:
                return known[channel]
        with ledger.reading() as session:
            team = session.scalar(
                select(Job.team_id)
                .where(Job.channel_id == channel, Job.team_id != "")
                .order_by(desc(Job.id))
                .limit(1)
            )
        if team:
            with lock:
                known[channel] = team
        return team

    return team_of


def _retry_handlers() -> list:
    return [ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)]


def _names_token(*bodies: dict | None) -> bool:
    return any(body and body.get("token") for body in bodies)


def _channel(*bodies: dict | None) -> str | None:
    for body in bodies:
        if body:
            channel = body.get("channel") or body.get("channel_id")
            if isinstance(channel, str) and channel:
                return channel
    return None
