"""``python -m bot.directing``: the process that reads directions and answers them in Slack.

``python -m bot`` starts it (and restarts it if it dies), on the same broker as the generation
workers. It owns the reading of directions: the director agent, the embedding model and the
continuity memory, so the process that acknowledges Slack never waits behind them. Each job
arrives by its id (the book in the ledger has the rest); at start-up it first takes on what
an earlier run left unfinished. Only the bot token is handed over, in the environment, and
it is taken out again before any settings are read.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from datetime import UTC, datetime

from celery.signals import worker_shutting_down

from agents.assembly import build_director
from bot.client import web_client
from bot.directions import DIRECT_QUEUE, DIRECT_TASK
from bot.install import installation_client, installation_store
from bot.runner import DirectionRunner
from memory.embeddings import read_on_one_thread
from memory.ledger import JobBook
from tools.worker import celery_app
from tools.worker.settings import worker_settings

SLACK_SECRETS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_SECRET")
CONCURRENCY = 4  # messages taken at once; each hands its job to the runner's own pool and returns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.directing", description=__doc__)
    parser.add_argument("--name", default=f"directing0-{os.getpid()}", help="this process's worker name")
    args = parser.parse_args(argv)
    read_on_one_thread()
    token = os.environ.get("SLACK_BOT_TOKEN")
    client_id = os.environ.get("SLACK_CLIENT_ID")  # installed into many workspaces: tokens in the store
    broker = os.environ.get("SLATE_BROKER_URL")
    if not (token or client_id) or not broker:
        print(
            "python -m bot.directing: needs SLACK_BOT_TOKEN (or SLACK_CLIENT_ID) and SLATE_BROKER_URL",
            file=sys.stderr,
        )
        return 2
    for name in (*SLACK_SECRETS, "SLACK_CLIENT_ID"):
        os.environ.pop(name, None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    started = datetime.now(UTC)
    settings = worker_settings()
    director, ledger = build_director(settings, broker)
    if token:
        client = web_client(token, settings.slack_api_url)
    else:
        store = installation_store(client_id or "", settings.data_dir / "ledger.sqlite3")
        client = installation_client(store, ledger, settings.slack_api_url)
    runner = DirectionRunner(client, director, JobBook(ledger))
    app = celery_app(broker)

    @app.task(name=DIRECT_TASK, ignore_result=True)
    def direct(job_id: int) -> None:
        runner.submit(job_id)

    worker_shutting_down.connect(lambda **_: runner.stop(), weak=False)
    runner.recover(before=started)
    app.worker_main(
        [
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            str(CONCURRENCY),
            "--queues",
            DIRECT_QUEUE,
            "--hostname",
            f"{args.name}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
