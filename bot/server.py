"""Running the Bolt app: HTTP under waitress (a threaded WSGI server), or Socket Mode."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

EVENTS_PATH = "/slack/events"


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    """Bolt at ``/slack/events`` plus ``/healthz`` for load balancers and the demo's start-up check."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return slack(environ, start_response)

    return application


def http_server(app: App, host: str, port: int, threads: int = 8):  # type: ignore[no-untyped-def]
    """A waitress server, bound now (port 0 picks a free one); ``.run()`` serves, ``.close()`` stops."""
    return create_server(wsgi_app(app), host=host, port=port, threads=threads, ident="slate")


def run_socket_mode(app: App, app_token: str, api_url: str) -> None:
    """Blocks; ``apps.connections.open`` goes to the same API URL as everything else."""
    SocketModeHandler(app, app_token, web_client=WebClient(base_url=api_url)).start()
