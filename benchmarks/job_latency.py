"""Slack acknowledgements while shots generate: 200 events from 20 threads, in one run.

    python -m benchmarks.job_latency            # tiny SD from configs on CPU workers

The whole production path, each part in its own process as deployed: the local
Slack-compatible workspace stands in for Slack's Web API, ``python -m bot`` serves the events,
and this script is Slack's event delivery (signed, timed to the answer). The bot records a job
per event, posts a placeholder and hands on;
generation runs on a real embedded Redis + Celery worker process. Each of 20 client threads
sends its Slack thread's 10 directions (a new shot, then 9 revisions) as fast as the bot
answers. Printed: ack latency (what Slack times against its 3 s limit), time to the first
visible sign of work (the placeholder), and jobs lost or duplicated end to end.
"""

from __future__ import annotations

import argparse
import atexit
import json
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from benchmarks.slate_processes import deliver, percentile, report, start_slate, stop_children
from bot.version_message import shown_images

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--per-thread", type=int, default=10)
    parser.add_argument("--steps", type=int, default=4, help="denoising steps per shot on the tiny model")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="events per second across all threads (open loop, as people type); 0: each thread sends "
        "its next event as soon as the last is answered (a closed-loop burst, the bot saturated)",
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="slate-bench-jobs-"))
    slate = start_slate(home, args.steps)
    events_url, secret, client = slate.events_url, slate.secret, slate.client

    say = slate.say

    def event(message: dict, user: str) -> dict:
        extra = {"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}
        return {
            "type": "app_mention",
            "user": user,
            "text": message["text"],
            "ts": message["ts"],
            "channel": message["channel"],
            "event_ts": message["ts"],
            **extra,
        }

    def uploads(thread_ts: str) -> list[int]:
        """The versions the thread shows (its result messages' image blocks), a repeat each time."""
        replies = client.conversations_replies(channel="C0SHOTS", ts=thread_ts, limit=1000)["messages"]
        return [version_id for version_id, _, _ in shown_images(replies)]

    warm = say("@slate warm-up: WS, the harbour")  # the worker is up and its model loaded
    deliver(events_url, secret, event(warm, "U0WARM"))
    deadline = time.monotonic() + 120
    while not uploads(warm["ts"]) and time.monotonic() < deadline:
        time.sleep(0.2)

    threads: list[list[dict]] = []
    for n in range(args.threads):
        opener = say(f"@slate WS, shot {n}: Maya at the harbour at dawn")
        replies = [
            say(f"@slate {change}", opener["ts"]) for change in (REVISIONS * 10)[: args.per_thread - 1]
        ]
        threads.append([event(m, f"U0DIR{n:03d}") for m in (opener, *replies)])

    acks: list[float] = []
    sent_at: dict[str, float] = {}
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    gap = args.threads / args.rate if args.rate else 0.0

    def send(events: list[dict]) -> None:
        due = time.monotonic()
        for e in events:
            if gap:
                time.sleep(max(0.0, due - time.monotonic()))
                due += gap
            wall = time.time()
            status, seconds = deliver(events_url, secret, e)
            with lock:
                acks.append(seconds * 1000)
                sent_at[e["ts"]] = wall
                statuses[status] += 1

    started = time.monotonic()
    clients = [threading.Thread(target=send, args=(events,)) for events in threads]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    total = args.threads * args.per_thread
    ledger = slate.ledger

    def jobs() -> list[tuple]:
        with sqlite3.connect(ledger) as db:
            return db.execute(
                "SELECT ts, state, version_ids, placeholder_ts, thread_ts FROM jobs WHERE user_id != 'U0WARM'"
            ).fetchall()

    deadline = time.monotonic() + 1200
    while (
        sum(j[1] in ("done", "failed", "cancelled") for j in jobs()) < total and time.monotonic() < deadline
    ):
        time.sleep(0.5)
    wall_s = time.monotonic() - started
    time.sleep(1.0)  # a duplicate post would land within this

    rows_ = jobs()
    first_sign = [(float(p) - sent_at[ts]) * 1000 for ts, _s, _v, p, _t in rows_ if p and ts in sent_at]
    titles = Counter((thread[0]["ts"], title) for thread in threads for title in uploads(thread[0]["ts"]))
    done_with_version = sum(
        1 for _ts, state, versions, *_ in rows_ if state == "done" and json.loads(versions)
    )
    lost = total - done_with_version
    duplicated = sum(n - 1 for n in titles.values() if n > 1)
    stop_children()

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
    report(
        rows,
        {
            "events": len(acks),
            "threads": args.threads,
            "rate_per_s": args.rate or "burst",
            "ack_p50_ms": round(percentile(acks, 0.5), 1),
            "ack_p99_ms": round(percentile(acks, 0.99), 1),
            "ack_max_ms": round(max(acks), 1),
            "first_sign_p50_ms": round(percentile(first_sign, 0.5)),
            "first_sign_p99_ms": round(percentile(first_sign, 0.99)),
            "jobs_lost": lost,
            "jobs_duplicated": duplicated,
            "all_done_s": round(wall_s, 1),
        },
    )


if __name__ == "__main__":
    atexit.register(stop_children)
    main()
