"""``python -m tools.worker``: one generation worker on the broker in ``SLATE_BROKER_URL``.

Run one per GPU (``CUDA_VISIBLE_DEVICES`` picks it); each runs one job at a time and keeps its
model loaded between jobs.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys

from tools.worker.app import GPU_QUEUE, TASK_MODULES, celery_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.worker", description=__doc__)
    parser.add_argument("--broker", default=os.environ.get("SLATE_BROKER_URL"), help="redis://host:port/0")
    parser.add_argument("--name", default=f"gpu0-{os.getpid()}", help="this worker's name")
    args = parser.parse_args(argv)
    if not args.broker:
        print("python -m tools.worker: set SLATE_BROKER_URL or pass --broker redis://…", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = celery_app(args.broker, tasks=TASK_MODULES)
    warm()  # imports and engine set-up before the first job, not during it
    app.worker_main(
        [
            "worker",
            "--pool",
            "solo",
            "--queues",
            GPU_QUEUE,
            "--hostname",
            f"{args.name}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ]
    )
    return 0


def warm() -> None:
    """Load the default model now, so it is in memory when the first shot arrives. A model that
    fails to load is left for the request to report, with its own message."""
    from tools.worker import tasks

    engine = tasks.engine()
    load = getattr(engine, "model", None)
    if callable(load):
        try:
            load()
        except Exception as error:
            logging.getLogger(__name__).warning("default model not loaded at start: %s", error)


if __name__ == "__main__":
    sys.exit(main())
