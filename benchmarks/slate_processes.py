"""Slate's processes for a benchmark, as deployed: the local Slack-compatible workspace and
``python -m bot`` (which starts its directing process, Redis and a generation worker), each its
own process, on the tiny diffusion model built from configs. The benchmark is Slack's delivery:
it signs each request as Slack does and times it to the answer.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from localslack.shapes import event_envelope, new_event_id


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


CHILDREN: list[subprocess.Popen[bytes]] = []  # stopped at exit, however the run ends


def stop_children() -> None:
    for process in CHILDREN:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def start(
    name: str, argv: list[str], env: dict[str, str], home: Path, ready_url: str
) -> subprocess.Popen[bytes]:
    log = open(home / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(
        [sys.executable, *argv], env={**os.environ, **env}, cwd=home, stdout=log, stderr=log
    )
    CHILDREN.append(process)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit((home / f"{name}.log").read_text()[-3000:])
        try:
            urllib.request.urlopen(ready_url, timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # answering, if not with 200
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{name} did not start")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_json(url: str, payload: dict, headers: dict[str, str] | None = None) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def deliver(events_url: str, secret: str, event: dict) -> tuple[int, float]:
    """One signed delivery as Slack makes it; the HTTP status and the seconds to the answer."""
    body = json.dumps(event_envelope(event, new_event_id())).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    start = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(events_url, data=body, headers=headers), timeout=30
    ) as r:
        r.read()
        return r.status, time.perf_counter() - start


def deliver_form(url: str, secret: str, fields: dict[str, str]) -> tuple[int, float, bytes]:
    """A signed form post as Slack sends interactivity (``payload=``) and slash commands."""
    body = urllib.parse.urlencode(fields).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body),
    }
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as r:
        answer = r.read()
        return r.status, time.perf_counter() - start, answer


@dataclass
class Slate:
    home: Path
    slack_url: str
    events_url: str
    secret: str
    token: str
    client: WebClient

    @property
    def ledger(self) -> Path:
        return self.home / "data" / "ledger.sqlite3"

    def say(self, text: str, thread_ts: str | None = None) -> dict:
        """A person's message, posted through the workspace's page (delivered to the bot as Slack would)."""
        return post_json(f"{self.slack_url}/ui/post", {"text": text, "thread_ts": thread_ts})["message"]


def start_slate(home: Path, steps: int, env: dict[str, str] | None = None) -> Slate:
    """The workspace, then the bot against it, on a tiny model at ``steps`` denoising steps."""
    from tests.tiny_models import build_tiny_sd

    model = build_tiny_sd(home / "models")
    (home / "slate.toml").write_text(
        f'default_model = "tiny"\n[models.tiny]\npath = "{model}"\nsteps = {steps}\nwidth = 64\nheight = 64\n'
    )
    secret, token = secrets.token_hex(8), "xoxb-local-slate"
    slack_port, bot_port = free_port(), free_port()
    slack = f"http://127.0.0.1:{slack_port}"
    events_url = f"http://127.0.0.1:{bot_port}/slack/events"
    start(
        "workspace",
        ["-m", "localslack", "--port", str(slack_port), "--signing-secret", secret, "--bot-token", token],
        {},
        home,
        f"{slack}/",
    )
    start(
        "bot",
        ["-m", "bot"],
        {
            "SLACK_BOT_TOKEN": token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": f"{slack}/api/",
            "SLATE_PORT": str(bot_port),
            "SLATE_DATA_DIR": str(home / "data"),
            "SLATE_CONFIG": str(home / "slate.toml"),
            **(env or {}),
        },
        home,
        f"http://127.0.0.1:{bot_port}/healthz",
    )
    client = WebClient(token=token, base_url=f"{slack}/api/")
    return Slate(home, slack, events_url, secret, token, client)


def report(rows: list[tuple[str, str]], figures: dict) -> None:
    """The table for people, then its figures as one JSON object on the last line."""
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(json.dumps(figures))
