"""Installing an app into the local workspace: Slack's OAuth v2, the consent step and ``oauth.v2.access``.

Slack's flow: the app sends the installer's browser to ``/oauth/v2/authorize?client_id=…&scope=…
&state=…[&redirect_uri=…]``; the person approves and Slack redirects the browser to the app's
redirect URL with ``code`` and the same ``state``; the app trades the code, once and within ten
minutes, for the bot token with ``oauth.v2.access``, authenticating with its client id and
secret (HTTP Basic, or form fields) rather than a token. ``authorize(url)`` is the browser's
step here: it takes the authorize URL the app produced and returns where Slack would redirect.

The token issued is the workspace's bot token (``LocalWorkspace.bot_token``): the one bot of
the one team, which the Web API then accepts like any token it issued.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from localslack.params import ApiError
from localslack.state import APP_ID, BOT_USER_ID, DIRECTOR_ID, WorkspaceState

Handler = Callable[[dict], dict]
Reply = tuple[int, dict[str, str], dict]

CLIENT_ID = "1000000000001.2000000000002"
CLIENT_SECRET = "local-client-secret"
CODE_TTL_S = 600.0  # Slack's codes expire after ten minutes


class AuthorizeError(ValueError):
    """The consent page refuses the request (Slack shows an error page; nothing is redirected)."""


@dataclass(frozen=True)
class Grant:
    code: str
    client_id: str
    scopes: tuple[str, ...]
    user: str
    redirect_uri: str | None  # as given to authorize: oauth.v2.access must then name the same
    issued: float


class OAuthApi:
    """One app (``client_id`` / ``client_secret``) that people install into the workspace's team."""

    def __init__(
        self,
        state: WorkspaceState,
        *,
        bot_token: str,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        redirect_urls: tuple[str, ...] = (),
        code_ttl_s: float = CODE_TTL_S,
    ) -> None:
        """``redirect_urls``: the app's configured redirect URLs (manifest ``oauth_config.redirect_urls``).
        An authorize request's ``redirect_uri`` must start with one of them (any, when none is
        configured: more lenient than Slack); without one, Slack redirects to the first."""
        self.state = state
        self.bot_token = bot_token
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_urls = redirect_urls
        self.code_ttl_s = code_ttl_s
        self.installed_scopes: tuple[str, ...] = ()
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def methods(self) -> dict[str, Handler]:
        return {"oauth.v2.access": self.access}

    # ---- the browser's step -----------------------------------------------

    def authorize(self, url: str, *, user: str = DIRECTOR_ID, approve: bool = True) -> str:
        """The person at ``url`` (Slack's ``/oauth/v2/authorize?…``) approves, or cancels: the URL
        Slack redirects their browser to, with ``code`` and ``state`` (or ``error=access_denied``)."""
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        if query.get("client_id") != self.client_id:
            raise AuthorizeError("invalid_client_id")
        scopes = tuple(scope for scope in query.get("scope", "").split(",") if scope)
        if not scopes:
            raise AuthorizeError("invalid_scope: a bot install asks for at least one scope")
        if self.state.user(user) is None:
            raise AuthorizeError(f"user_not_found: {user}")
        asked = query.get("redirect_uri") or None
        if asked is None:
            if not self.redirect_urls:
                raise AuthorizeError("no_redirect_uri: no redirect_uri given and none configured")
            redirect = self.redirect_urls[0]
        elif self.redirect_urls and not any(asked.startswith(allowed) for allowed in self.redirect_urls):
            raise AuthorizeError("bad_redirect_uri: not under one of the app's redirect URLs")
        else:
            redirect = asked
        answer = {"state": query.get("state", "")}
        if approve:
            code = f"{int(time.time())}.{secrets.token_hex(12)}"
            with self._lock:
                self._grants[code] = Grant(code, self.client_id, scopes, user, asked, time.monotonic())
            answer = {"code": code, **answer}
        else:
            answer = {"error": "access_denied", **answer}
        return _with_query(redirect, answer)

    # ---- the app's call ---------------------------------------------------

    def answer(self, handler: Handler, args: dict, authorization: str | None) -> Reply:
        """Call ``handler`` for a method the app authenticates with its client id and secret."""
        client_id, client_secret = _basic(authorization)
        args = {**args, "client_id": args.get("client_id") or client_id}
        args["client_secret"] = args.get("client_secret") or client_secret
        try:
            return 200, {}, {"ok": True, **handler(args)}
        except ApiError as error:
            return 200, {}, {"ok": False, "error": error.code}

    def access(self, args: dict) -> dict:
        """``oauth.v2.access``: a code from ``authorize`` for the bot token, once."""
        if args.get("client_id") != self.client_id:
            raise ApiError("invalid_client_id")
        if not secrets.compare_digest(str(args.get("client_secret") or ""), self.client_secret):
            raise ApiError("bad_client_secret")
        if args.get("grant_type") not in (None, "", "authorization_code"):
            raise ApiError("invalid_grant_type")  # refresh tokens: token rotation is off
        with self._lock:
            grant = self._grants.pop(str(args.get("code") or ""), None)  # used or not, a code goes
        if grant is None or time.monotonic() - grant.issued > self.code_ttl_s:
            raise ApiError("invalid_code")
        if grant.redirect_uri is not None and args.get("redirect_uri") != grant.redirect_uri:
            raise ApiError("bad_redirect_uri")
        self.installed_scopes = grant.scopes
        team = self.state.team
        return {
            "access_token": self.bot_token,
            "token_type": "bot",
            "scope": ",".join(grant.scopes),
            "bot_user_id": BOT_USER_ID,
            "app_id": APP_ID,
            "team": {"id": team["id"], "name": team["name"]},
            "enterprise": None,
            "authed_user": {"id": grant.user},
            "is_enterprise_install": False,
        }


def _basic(authorization: str | None) -> tuple[str | None, str | None]:
    """(client id, secret) from ``Authorization: Basic …``, as slack-sdk sends them."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else (None, None)


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *extra.items()])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
