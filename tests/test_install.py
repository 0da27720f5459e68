"""Installing Slate: the app manifest, and OAuth into workspaces with installations in the ledger's database.

The install runs as Slack runs it, against the local workspace: the installer's browser asks
the bot for ``/slack/install``, is sent to the workspace's consent step, comes back to
``/slack/oauth_redirect`` with a code, which Bolt trades (``oauth.v2.access``) for the bot token
it stores; the next signed mention from that workspace is authorized with the stored token and
answered in its thread.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation

from agents import Director, ShotDesk
from agents.providers import chat_model
from bot import manifest
from bot.app import SlateBot, build_bot
from bot.install import (
    INSTALL_PATH,
    REDIRECT_PATH,
    authorization_url,
    installation_client,
    installation_store,
    oauth_settings,
)
from bot.runner import DirectionRunner
from bot.server import EVENTS_PATH, http_server
from config import Settings, SettingsError, load_settings
from localslack import LocalWorkspace
from localslack.oauth import CLIENT_ID, CLIENT_SECRET, AuthorizeError
from memory.ledger import ImageStore, JobBook, Ledger, ThreadRef
from tests.conftest import SIGNING_SECRET, placeholder_texts, stop_http_server
from tools.previz import PrevizEngine

BOT = "U0SLATEBOT"
INSTALLED_TOKEN = "xoxb-installed-into-t0local"
OAUTH_VARS = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_REDIRECT_URI")

# What Slate handles: the listeners' events, the command and the shortcut.
SUBSCRIBED_EVENTS = [
    "app_home_opened",
    "app_mention",
    "assistant_thread_context_changed",
    "assistant_thread_started",
    "message.channels",
    "message.groups",
    "message.im",
]
COMMANDS = ["/slate"]
SHORTCUTS = [("message", "make_shot_from_message")]

# The scope each event, feature or call needs (Slack's event and method references).
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "app_home_opened": set(),
    "assistant_thread_started": {"assistant:write"},
    "assistant_thread_context_changed": {"assistant:write"},
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
}
CALL_SCOPES = {
    "chat.postMessage / chat.update": {"chat:write"},
    "posting where Slate was not invited": {"chat:write.public"},
    "files.getUploadURLExternal / files.completeUploadExternal": {"files:write"},
    "url_private of reference stills": {"files:read"},
    "conversations.replies": {"channels:history", "groups:history", "im:history", "mpim:history"},
    "conversations.info": {"channels:read", "groups:read"},
    "reactions.add / reactions.remove": {"reactions:write"},
    "users.info": {"users:read"},
    "conversations.open (a DM)": {"im:write"},
}


@pytest.fixture(autouse=True)
def no_oauth_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OAUTH_VARS:
        monkeypatch.delenv(name, raising=False)


# ---- the manifest -------------------------------------------------------------------------


def test_the_manifest_is_slacks_format_with_slates_features() -> None:
    text = Path(manifest.__file__).with_name("manifest.yml").read_text()
    data = yaml.safe_load(text)
    assert data["_metadata"]["major_version"] == 2
    assert data["display_information"]["name"] == "Slate"
    assert 174 <= len(data["display_information"]["long_description"]) <= 4000  # Slack's bounds
    features = data["features"]
    assert features["bot_user"] == {"display_name": "slate", "always_online": True}
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    (command,) = features["slash_commands"]
    assert command["should_escape"] is False and command["description"]
    assert command["usage_hint"].startswith("help | new <direction> | shot <n> | shots [status] | role @user")
    (shortcut,) = features["shortcuts"]
    assert shortcut["name"] == "Make a shot from this" and len(shortcut["description"]) <= 150
    settings = data["settings"]
    assert settings["interactivity"] == {"is_enabled": True, "request_url": "https://YOUR-HOST/slack/events"}
    assert settings["event_subscriptions"]["request_url"] == "https://YOUR-HOST/slack/events"
    assert settings["socket_mode_enabled"] is False and settings["token_rotation_enabled"] is False
    assert data["oauth_config"]["redirect_urls"] == ["https://YOUR-HOST/slack/oauth_redirect"]
    assert manifest.manifest() == data


def test_it_declares_exactly_what_slate_subscribes_to() -> None:
    data = manifest.manifest()
    assert sorted(data["settings"]["event_subscriptions"]["bot_events"]) == sorted(SUBSCRIBED_EVENTS)
    assert sorted(manifest.bot_events()) == sorted(SUBSCRIBED_EVENTS)
    assert [c["command"] for c in data["features"]["slash_commands"]] == COMMANDS
    assert [(s["type"], s["callback_id"]) for s in data["features"]["shortcuts"]] == SHORTCUTS
    # What the local workspace delivers for them: message.* arrive as "message" events.
    assert sorted(manifest.event_types()) == sorted(
        ["app_home_opened", "app_mention", "assistant_thread_context_changed", "assistant_thread_started"]
        + ["message"]
    )


def test_its_scopes_cover_every_event_feature_and_call() -> None:
    data = manifest.manifest()
    scopes = set(manifest.bot_scopes())
    assert scopes == set(data["oauth_config"]["scopes"]["bot"]) and len(scopes) == len(manifest.bot_scopes())
    for event in manifest.bot_events():
        assert EVENT_SCOPES[event] <= scopes, event
    features = data["features"]
    if features.get("slash_commands") or features.get("shortcuts"):
        assert "commands" in scopes
    if "assistant_view" in features:
        assert "assistant:write" in scopes
    if features["app_home"]["messages_tab_enabled"]:
        assert {"im:history", "chat:write"} <= scopes
    for call, needed in CALL_SCOPES.items():
        assert needed <= scopes, call


def test_the_host_is_filled_in_everywhere_and_socket_mode_has_no_urls() -> None:
    data = manifest.manifest("https://studio.example.com/")
    text = manifest.dump(data)
    assert "YOUR-HOST" not in text
    assert data["settings"]["event_subscriptions"]["request_url"] == "https://studio.example.com/slack/events"
    assert data["settings"]["interactivity"]["request_url"] == "https://studio.example.com/slack/events"
    assert data["features"]["slash_commands"][0]["url"] == "https://studio.example.com/slack/events"
    assert data["oauth_config"]["redirect_urls"] == ["https://studio.example.com/slack/oauth_redirect"]

    socket = manifest.manifest(None, socket_mode=True)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert not [key for key in _keys(socket) if "url" in key] and "YOUR-HOST" not in manifest.dump(socket)
    assert sorted(socket["settings"]["event_subscriptions"]["bot_events"]) == sorted(SUBSCRIBED_EVENTS)
    assert manifest.manifest() == manifest.manifest(None)  # the template itself is never changed
    with pytest.raises(ValueError, match="https://host"):
        manifest.manifest("studio.example.com")


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(key for item in value.values() for key in _keys(item))]
    if isinstance(value, list):
        return [key for item in value for key in _keys(item)]
    return []


def test_python_m_bot_manifest_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert manifest.main(["--url", "https://studio.example.com"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == manifest.manifest("https://studio.example.com")
    assert manifest.main(["--socket-mode"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["settings"]["socket_mode_enabled"] is True


# ---- settings -----------------------------------------------------------------------------


@pytest.mark.usefixtures("isolated_env")
def test_client_id_and_secret_mean_installing_into_workspaces(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "CLIENTSECRET1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:3100/api")
    settings = load_settings()
    assert settings.multi_workspace and settings.slack_mode == "http"
    assert "CLIENTSECRET1" not in repr(settings)
    oauth = oauth_settings(settings, tmp_path / "ledger.sqlite3")
    assert oauth is not None
    assert oauth.client_id == "123.456" and oauth.client_secret == "CLIENTSECRET1"
    assert list(oauth.scopes) == list(manifest.bot_scopes()) and oauth.user_scopes == []
    assert (oauth.install_path, oauth.redirect_uri_path) == (INSTALL_PATH, REDIRECT_PATH)
    assert oauth.authorization_url == "http://127.0.0.1:3100/oauth/v2/authorize"
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    # Both stores live in the ledger's SQLite file.
    assert oauth.installation_store.engine.url.database == str(tmp_path / "ledger.sqlite3")
    assert oauth.state_store.engine.url.database == str(tmp_path / "ledger.sqlite3")


@pytest.mark.usefixtures("isolated_env")
def test_one_workspaces_token_keeps_single_workspace_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-abc")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    monkeypatch.setenv("SLACK_CLIENT_ID", "")  # blank is unset
    settings = load_settings()
    assert settings.slack_mode == "http" and not settings.multi_workspace
    assert oauth_settings(settings, tmp_path / "ledger.sqlite3") is None
    assert not (tmp_path / "ledger.sqlite3").exists()


@pytest.mark.usefixtures("isolated_env")
def test_half_or_mixed_install_settings_are_refused_without_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    with pytest.raises(SettingsError, match="SLACK_CLIENT_SECRET is required"):
        load_settings()
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "CLIENTSECRET2")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-abc")
    with pytest.raises(SettingsError, match="not both") as error:
        load_settings()
    assert "CLIENTSECRET2" not in str(error.value)
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET is required"):
        load_settings()


# ---- the local workspace's side ------------------------------------------------------------


def _authorize_url(state: str = "st4te", redirect_uri: str | None = None, client_id: str = CLIENT_ID) -> str:
    query = f"client_id={client_id}&scope=chat:write,commands&user_scope=&state={state}"
    if redirect_uri:
        query += f"&redirect_uri={redirect_uri}"
    return f"http://127.0.0.1/oauth/v2/authorize?{query}"


def test_the_workspace_grants_a_code_once_for_its_bot_token() -> None:
    with LocalWorkspace(signing_secret=SIGNING_SECRET, bot_token=INSTALLED_TOKEN) as workspace:
        workspace.api.oauth.redirect_urls = ("https://studio.example.com/slack/oauth_redirect",)
        redirect = workspace.api.oauth.authorize(_authorize_url())
        assert redirect.startswith("https://studio.example.com/slack/oauth_redirect?")
        query = parse_qs(urlsplit(redirect).query)
        assert query["state"] == ["st4te"]
        client = WebClient(base_url=workspace.api_url)
        with pytest.raises(SlackApiError, match="bad_client_secret"):
            client.oauth_v2_access(client_id=CLIENT_ID, client_secret="wrong", code=query["code"][0])
        answer = client.oauth_v2_access(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=query["code"][0]
        )
        assert answer["access_token"] == INSTALLED_TOKEN and answer["token_type"] == "bot"
        assert answer["scope"] == "chat:write,commands" and answer["bot_user_id"] == BOT
        assert answer["team"] == {"id": "T0LOCAL", "name": "Slate Local"} and answer["enterprise"] is None
        assert answer["authed_user"] == {"id": "U0DIRECTOR"} and answer["is_enterprise_install"] is False
        assert answer["app_id"]
        assert (
            WebClient(token=answer["access_token"], base_url=workspace.api_url).auth_test()["team_id"]
            == "T0LOCAL"
        )
        with pytest.raises(SlackApiError, match="invalid_code"):  # a code is good once
            client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=query["code"][0])
        with pytest.raises(SlackApiError, match="invalid_client_id"):
            client.oauth_v2_access(client_id="999.999", client_secret=CLIENT_SECRET, code="x")


def test_the_consent_step_checks_the_app_and_its_redirect() -> None:
    with LocalWorkspace(signing_secret=SIGNING_SECRET) as workspace:
        oauth = workspace.api.oauth
        with pytest.raises(AuthorizeError, match="no_redirect_uri"):
            oauth.authorize(_authorize_url())
        oauth.redirect_urls = ("https://studio.example.com/slack/oauth_redirect",)
        with pytest.raises(AuthorizeError, match="invalid_client_id"):
            oauth.authorize(_authorize_url(client_id="999.999"))
        with pytest.raises(AuthorizeError, match="bad_redirect_uri"):
            oauth.authorize(_authorize_url(redirect_uri="https://elsewhere.example.com/steal"))
        cancelled = parse_qs(urlsplit(oauth.authorize(_authorize_url(), approve=False)).query)
        assert cancelled == {"error": ["access_denied"], "state": ["st4te"]}
        # A code granted for a redirect_uri is traded only by naming the same one.
        asked = "https://studio.example.com/slack/oauth_redirect?from=test"
        code = parse_qs(urlsplit(oauth.authorize(_authorize_url(redirect_uri=asked))).query)["code"][0]
        client = WebClient(base_url=workspace.api_url)
        with pytest.raises(SlackApiError, match="bad_redirect_uri"):
            client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)


# ---- the whole install, through the bot's HTTP server --------------------------------------


@dataclass
class Installing:
    workspace: LocalWorkspace
    bot: SlateBot
    ledger: Ledger
    base_url: str
    settings: Settings


@pytest.fixture
def installing(isolated_env: Path, tmp_path: Path) -> Iterator[Installing]:
    """Slate set up to install into workspaces (no bot token anywhere), and a workspace it is not in yet."""
    workspace = LocalWorkspace(
        signing_secret=SIGNING_SECRET,
        bot_token=INSTALLED_TOKEN,
        retry_timeout_s=3.0,
        retry_delays_s=(0.0, 0.2, 0.4),
        bot_events=manifest.event_types(),
    ).start()
    settings = load_settings(
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=workspace.api_url,
        data_dir=tmp_path,
    )
    database = settings.data_dir / "ledger.sqlite3"
    ledger = Ledger(database)
    oauth = oauth_settings(settings, database)
    assert oauth is not None
    director = Director(
        ShotDesk(PrevizEngine(), ledger, ImageStore(tmp_path / "images"), 64), chat_model("offline")
    )
    runner = DirectionRunner(
        installation_client(oauth.installation_store, ledger, workspace.api_url), director, JobBook(ledger)
    )
    bot = build_bot(
        oauth_settings=oauth,
        signing_secret=SIGNING_SECRET,
        api_url=settings.slack_api_url,
        ledger=ledger,
        directions=runner,
    )
    server = http_server(bot.app, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.effective_port}"
    workspace.api.oauth.redirect_urls = (base_url + REDIRECT_PATH,)  # the app's configured redirect URL
    workspace.events_url = base_url + EVENTS_PATH
    try:
        yield Installing(workspace, bot, ledger, base_url, settings)
    finally:
        stop_http_server(server, thread)
        bot.stop()
        workspace.stop()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _browser() -> urllib.request.OpenerDirector:
    """A browser that keeps cookies and shows redirects instead of following them. Bolt's state
    cookie is ``Secure``: browsers send those to http://127.0.0.1 too (loopback is a secure context)."""
    jar = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects())


def _set_state_cookie(browser: urllib.request.OpenerDirector, value: str) -> None:
    (jar,) = [h.cookiejar for h in browser.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)]
    (cookie,) = list(jar)
    cookie.value = value


def _get(browser: urllib.request.OpenerDirector, url: str) -> tuple[int, str]:
    try:
        with browser.open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _install(installing: Installing, browser: urllib.request.OpenerDirector) -> tuple[str, int, str]:
    """Add to Slack → the workspace's consent step → back to the bot: (authorize URL, status, page)."""
    status, page = _get(browser, installing.base_url + INSTALL_PATH)
    assert status == 200, page
    match = re.search(r'<a href="([^"]+)"', page)
    assert match, page
    authorize = unescape(match.group(1))
    status, page = _get(browser, installing.workspace.api.oauth.authorize(authorize))
    return authorize, status, page


def _mention_statuses(workspace: LocalWorkspace) -> list[int]:
    return [d["status"] for d in workspace.deliveries if d["event_type"] == "app_mention"]


def _wait_for_answer(workspace: LocalWorkspace, thread_ts: str) -> list[str]:
    assert workspace.wait_for(
        lambda: any("Shot 1" in text for text in placeholder_texts(workspace, thread_ts))
    )
    return placeholder_texts(workspace, thread_ts)


def test_a_workspace_installs_slate_and_its_mentions_are_answered_with_the_stored_token(
    installing: Installing,
) -> None:
    workspace = installing.workspace
    # Not installed yet: Bolt finds no token for the team and refuses the event.
    before = workspace.post_user_message(f"<@{BOT}> wide shot, the harbour at dawn")
    assert workspace.wait_for(lambda: _mention_statuses(workspace))
    assert _mention_statuses(workspace) == [200]  # acknowledged so Slack won't retry, and not acted on
    assert not placeholder_texts(workspace, before["ts"]) and not workspace.calls_to("chat.postMessage")
    assert not JobBook(installing.ledger).unfinished()
    refused = len(_mention_statuses(workspace))

    browser = _browser()
    authorize, status, page = _install(installing, browser)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(workspace.url + "oauth/v2/authorize?")  # beside SLACK_API_URL
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == [",".join(manifest.bot_scopes())]
    assert status == 200 and "Thank you" in page, page
    (access,) = workspace.calls_to("oauth.v2.access")
    assert "code" in access and "client_secret" not in access  # the secret went as HTTP Basic

    store = installing.bot.app.installation_store
    installation = store.find_installation(enterprise_id=None, team_id="T0LOCAL")
    assert installation is not None and installation.bot_token == INSTALLED_TOKEN
    assert installation.bot_user_id == BOT and installation.user_id == "U0DIRECTOR"
    assert set(installation.bot_scopes) == set(manifest.bot_scopes())
    # The store is the ledger's own SQLite file: a fresh store on it finds the installation.
    again = installation_store(CLIENT_ID, installing.settings.data_dir / "ledger.sqlite3")
    assert again.find_bot(enterprise_id=None, team_id="T0LOCAL").bot_token == INSTALLED_TOKEN

    message = workspace.post_user_message(
        f"<@{BOT}> wide shot, Maya walks into the throne room at dusk, 2.39:1"
    )
    texts = _wait_for_answer(workspace, message["ts"])
    assert "Shot 1 · v1" in texts[-1]
    posts = [c for c in workspace.calls_to("chat.postMessage") if c.get("thread_ts") == message["ts"]]
    assert posts and workspace.calls_to("files.completeUploadExternal")
    assert workspace.wait_for(lambda: 200 in _mention_statuses(workspace)[refused:])


def test_a_state_slate_did_not_issue_to_this_browser_is_refused(installing: Installing) -> None:
    workspace = installing.workspace
    redirect = installing.base_url + REDIRECT_PATH
    status, _ = _get(_browser(), f"{redirect}?code=anything&state=made-up")  # no state cookie at all
    assert status == 400

    forger = _browser()
    _get(forger, installing.base_url + INSTALL_PATH)
    _set_state_cookie(forger, "made-up")  # cookie and query agree, but Slate never issued it
    status, _ = _get(forger, f"{redirect}?code=anything&state=made-up")
    assert status == 401

    authorize, status, _ = _install(installing, _browser())
    assert status == 200
    used = parse_qs(urlsplit(authorize).query)["state"][0]
    replay = _browser()
    _get(replay, installing.base_url + INSTALL_PATH)
    _set_state_cookie(replay, used)  # a state already consumed: refused before any code is traded
    status, _ = _get(replay, f"{redirect}?code=anything&state={used}")
    assert status == 401
    assert len(workspace.calls_to("oauth.v2.access")) == 1  # the one real install's


def test_a_cancelled_install_stores_nothing(installing: Installing) -> None:
    browser = _browser()
    _, page = _get(browser, installing.base_url + INSTALL_PATH)
    authorize = unescape(re.search(r'<a href="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    status, page = _get(browser, installing.workspace.api.oauth.authorize(authorize, approve=False))
    assert status == 200 and "access_denied" in page and "Thank you" not in page
    assert installing.bot.app.installation_store.find_bot(enterprise_id=None, team_id="T0LOCAL") is None


# ---- one workspace's token: as before ------------------------------------------------------


def test_with_one_bot_token_there_is_no_install_page_and_mentions_are_answered(tmp_path: Path) -> None:
    workspace = LocalWorkspace(signing_secret=SIGNING_SECRET, retry_delays_s=(0.0, 0.2, 0.4)).start()
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    director = Director(
        ShotDesk(PrevizEngine(), ledger, ImageStore(tmp_path / "images"), 64), chat_model("offline")
    )
    bot = build_bot(
        bot_token=workspace.bot_token,
        signing_secret=SIGNING_SECRET,
        api_url=workspace.api_url,
        ledger=ledger,
        director=director,
    )
    server = http_server(bot.app, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.effective_port}"
    workspace.events_url = base_url + EVENTS_PATH
    try:
        assert bot.app.oauth_flow is None and bot.app.installation_store is None
        assert _get(_browser(), base_url + INSTALL_PATH)[0] == 404
        message = workspace.post_user_message(f"<@{BOT}> CU, Rook looks up, night")
        assert "Shot 1 · v1" in _wait_for_answer(workspace, message["ts"])[-1]
        assert not workspace.calls_to("oauth.v2.access")
    finally:
        stop_http_server(server, thread)
        bot.stop()
        workspace.stop()


@pytest.mark.usefixtures("isolated_env")
def test_build_bot_takes_a_token_or_oauth_settings_with_directions(tmp_path: Path) -> None:
    settings = load_settings(
        slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET, slack_signing_secret=SIGNING_SECRET
    )
    oauth = oauth_settings(settings, tmp_path / "ledger.sqlite3")
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    director = Director(
        ShotDesk(PrevizEngine(), ledger, ImageStore(tmp_path / "images"), 64), chat_model("offline")
    )
    with pytest.raises(ValueError, match="needs the directions"):
        build_bot(
            oauth_settings=oauth,
            signing_secret=SIGNING_SECRET,
            api_url="http://127.0.0.1:9/api/",
            ledger=ledger,
            director=director,
        )


# ---- answering outside Bolt's requests, in several workspaces -------------------------------


class _Recorder(http.server.ThreadingHTTPServer):
    """A Web API that answers ok and keeps each call's method and bearer token."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(handler) -> None:  # noqa: N805
                handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
                method = handler.path.rsplit("/", 1)[-1]
                self.calls.append((method, handler.headers.get("Authorization", "")))
                body = json.dumps({"ok": True, "user_id": "U0X", "ts": "1.000001"}).encode()
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def log_message(handler, *args: object) -> None:  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def test_the_directions_client_uses_each_channels_workspace_token(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    store = installation_store(CLIENT_ID, tmp_path / "ledger.sqlite3")
    for team, token, at in (("T0ONE", "xoxb-one", 1_700_000_000.0), ("T0TWO", "xoxb-two", 1_700_000_100.0)):
        store.save(
            Installation(
                app_id="A0SLATE",
                team_id=team,
                bot_token=token,
                bot_id="B" + team,
                bot_user_id="U" + team,
                user_id="U1",
                installed_at=at,
            )
        )
    jobs = JobBook(ledger)
    jobs.create(ThreadRef("T0ONE", "C0ONE", "1.000001"), "U1", "wide shot", {"ts": "1.000001"})
    jobs.create(ThreadRef("T0TWO", "C0TWO", "2.000001"), "U1", "wide shot", {"ts": "2.000001"})
    recorder = _Recorder()
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    try:
        client = installation_client(store, ledger, f"http://127.0.0.1:{recorder.server_address[1]}/api/")
        client.chat_postMessage(channel="C0ONE", text="one")
        client.chat_update(channel="C0TWO", ts="2.000001", text="two")
        client.conversations_replies(channel="C0ONE", ts="1.000001")
        client.auth_test()  # no channel: the latest installation
        assert recorder.calls == [
            ("chat.postMessage", "Bearer xoxb-one"),
            ("chat.update", "Bearer xoxb-two"),
            ("conversations.replies", "Bearer xoxb-one"),
            ("auth.test", "Bearer xoxb-two"),
        ]
        assert client.for_channel("C0ONE").token == "xoxb-one" and client.token == "xoxb-two"
        assert client.token_for_channel("C0NOWHERE") is None
    finally:
        recorder.shutdown()
        recorder.server_close()


def test_the_directing_process_takes_a_token_or_a_client_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import directing

    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLATE_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    assert directing.main([]) == 2
    assert "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID)" in capsys.readouterr().err
