"""Slack acknowledgements while shots generate: 200 events from 20 threads, in one run.

    python -m benchmarks.job_latency            # tiny SD from configs on CPU workers

The whole production path: the local Slack-compatible workspace delivers signed events to
the bot under waitress; the bot records a job per event, posts a placeholder and hands on;
generation runs on a real embedded Redis + Celery worker process. Each of 20 client threads
sends its Slack thread's 10 directions (a new shot, then 9 revisions) as fast as the bot
answers. Printed: ack latency (what Slack times against its 3 s limit), time to the first
visible sign of work (the placeholder), and jobs lost or duplicated end to end.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from agents.assembly import build_director
from bot.app import build_bot
from bot.server import EVENTS_PATH, http_server
from bot.workspace import LocalWorkspace
from config import Settings
from config.models import ModelSpec
from memory.ledger.models import Job
from tools.worker import celery_app
from tools.worker.embedded import start_services

BOT = "U0SLATEBOT"
REVISIONS = [
    "tighter",
    "add rain",
    "make the cloak red",
    "lower angle",
    "add fog",
    "add a lantern",
    "warmer light",
    "add a gull",
    "wider",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--per-thread", type=int, default=10)
    parser.add_argument("--steps", type=int, default=4, help="denoising steps per shot on the tiny model")
    args = parser.parse_args()

    from tests.tiny_models import build_tiny_sd

    home = Path(tempfile.mkdtemp(prefix="slate-bench-jobs-"))
    model = build_tiny_sd(home / "models")
    settings = Settings(
        data_dir=home / "data",
        engine="diffusers",
        models={"tiny": ModelSpec(path=model, steps=args.steps, width=64, height=64)},
        default_model="tiny",
    )
    services = start_services(settings)
    assert services.workers is not None
    services.workers.wait_ready(celery_app(services.broker_url))
    secret = secrets.token_hex(8)
    workspace = LocalWorkspace(signing_secret=secret, retry_timeout_s=3.0, retry_delays_s=()).start()
    director, ledger = build_director(settings, services.broker_url)
    bot = build_bot(
        bot_token=workspace.bot_token,
        signing_secret=secret,
        api_url=workspace.api_url,
        director=director,
        ledger=ledger,
    )
    server = http_server(bot.app, "127.0.0.1", 0, settings.http_threads)
    threading.Thread(target=server.run, daemon=True).start()
    events_url = f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"

    # Every message exists in the workspace first; the clients then deliver their events.
    threads: list[list[dict]] = []
    for n in range(args.threads):
        opener = workspace.post_user_message(f"<@{BOT}> WS, shot {n}: Maya at the harbour at dawn")
        events = [opener]
        for change in (REVISIONS * 10)[: args.per_thread - 1]:
            events.append(workspace.post_user_message(f"<@{BOT}> {change}", thread_ts=opener["ts"]))
        threads.append(
            [
                {
                    "type": "app_mention",
                    "user": f"U0DIR{n:03d}",
                    "text": m["text"],
                    "ts": m["ts"],
                    "channel": "C0SHOTS",
                    "event_ts": m["ts"],
                    **({"thread_ts": opener["ts"]} if m is not opener else {}),
                }
                for m in events
            ]
        )
    workspace.events_url = events_url

    acks: list[float] = []
    sent_at: dict[str, float] = {}
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def client(events: list[dict]) -> None:
        for event in events:
            start = time.perf_counter()
            wall = time.time()
            status = workspace.deliver_event(event)
            elapsed = time.perf_counter() - start
            with lock:
                acks.append(elapsed * 1000)
                sent_at[event["ts"]] = wall
                statuses[status] += 1

    started = time.monotonic()
    clients = [threading.Thread(target=client, args=(events,)) for events in threads]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    total = args.threads * args.per_thread

    def finished() -> list[Job]:
        with ledger.transaction() as session:
            return list(session.scalars(select(Job).where(Job.state.in_(("done", "failed", "cancelled")))))

    deadline = time.monotonic() + 1200
    while len(finished()) < total and time.monotonic() < deadline:
        time.sleep(0.5)
    wall_s = time.monotonic() - started
    time.sleep(1.0)  # a duplicate post would land within this

    with ledger.transaction() as session:
        jobs = list(session.scalars(select(Job)))
    placeholders = {c["thread_ts"]: c for c in workspace.calls_to("chat.postMessage") if c.get("thread_ts")}
    first_sign = []
    for job in jobs:
        posted = workspace.state.message(job.channel_id, job.placeholder_ts or "")
        if posted is not None and job.ts in sent_at:
            first_sign.append((float(posted["ts"]) - sent_at[job.ts]) * 1000)
    uploaded = Counter(
        (c["thread_ts"], entry["title"])
        for c in workspace.calls_to("files.completeUploadExternal")
        for entry in json.loads(c["files"])
    )
    done_with_version = sum(1 for j in jobs if j.state == "done" and j.version_ids)
    lost = total - done_with_version
    duplicated = sum(n - 1 for n in uploaded.values() if n > 1)
    del placeholders

    bot.stop()
    server.close()
    workspace.stop()
    services.stop()

    rows = [
        ("events delivered", f"{len(acks)} ({dict(statuses)})"),
        (
            "ack p50 / p99 / max (ms)",
            f"{percentile(acks, 0.5):.1f} / {percentile(acks, 0.99):.1f} / {max(acks):.1f}",
        ),
        (
            "first sign of work p50 / p99 (ms)",
            f"{percentile(first_sign, 0.5):.0f} / {percentile(first_sign, 0.99):.0f}",
        ),
        ("jobs lost / duplicated", f"{lost} / {duplicated}"),
        ("all jobs finished in (s)", f"{wall_s:.1f}"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(
        json.dumps(
            {
                "events": len(acks),
                "threads": args.threads,
                "ack_p50_ms": round(percentile(acks, 0.5), 1),
                "ack_p99_ms": round(percentile(acks, 0.99), 1),
                "ack_max_ms": round(max(acks), 1),
                "first_sign_p50_ms": round(percentile(first_sign, 0.5)),
                "first_sign_p99_ms": round(percentile(first_sign, 0.99)),
                "jobs_lost": lost,
                "jobs_duplicated": duplicated,
                "all_done_s": round(wall_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
