"""Buttons and ``/slate`` while shots generate: 200 interactions from 20 threads, in one run.

    python -m benchmarks.review_latency          # tiny SD from configs on CPU workers

Each part runs in its own process as deployed (``benchmarks/slate_processes.py``); this
script is Slack: it signs each ``block_actions`` and slash-command post as Slack does and
times it to the answer. First each of 20 threads gets a shot; then 20 client threads each
send their thread's 10 interactions as fast as the bot answers: Vary (subtle), Upscale and
Reroll on v1 (each a generation job), Approve, Approve again (refused: already approved),
and ``/slate shots``, ``shot <n>``, ``status``, ``help``, ``shots approved``. Printed: ack
latency by kind (what Slack times against its 3 s), time from a press to its placeholder in
the thread, and jobs lost or duplicated end to end.
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

from benchmarks.slate_processes import (
    Slate,
    deliver,
    deliver_form,
    percentile,
    report,
    start_slate,
    stop_children,
)
from bot.version_message import shown_images

TEAM = "T0LOCAL"
CHANNEL = "C0SHOTS"
GENERATING = ("vary_subtle", "upscale", "reroll")


def mention(message: dict, user: str) -> dict:
    return {
        "type": "app_mention",
        "user": user,
        "text": message["text"],
        "ts": message["ts"],
        "channel": CHANNEL,
        "event_ts": message["ts"],
    }


def shown(slate: Slate, thread_ts: str) -> list[tuple[int, dict]]:
    """(version id, message) for each version the thread shows."""
    replies = slate.client.conversations_replies(channel=CHANNEL, ts=thread_ts, limit=1000)["messages"]
    return [(version_id, message) for version_id, _, message in shown_images(replies)]


def press(slate: Slate, message: dict, action_id: str, user: str) -> tuple[int, float]:
    """A ``block_actions`` post as Slack sends it when a person presses a button in a thread."""
    block_id, element = next(
        (b["block_id"], e)
        for b in message["blocks"]
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    now = f"{time.time():.6f}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A0SLATE",
        "token": "verification",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": CHANNEL,
            "is_ephemeral": False,
            "thread_ts": message.get("thread_ts"),
        },
        "trigger_id": f"{now}.bench",
        "team": {"id": TEAM, "domain": "local"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL, "name": "shots"},
        "message": message,
        "state": {"values": {}},
        "response_url": f"{slate.slack_url}/response/bench",
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "type": element["type"],
                "value": element.get("value", ""),
                "text": element.get("text"),
                "action_ts": now,
            }
        ],
    }
    status, seconds, _ = deliver_form(slate.events_url, slate.secret, {"payload": json.dumps(payload)})
    return status, seconds


def command(slate: Slate, text: str, user: str) -> tuple[int, float]:
    fields = {
        "token": "verification",
        "team_id": TEAM,
        "team_domain": "local",
        "channel_id": CHANNEL,
        "channel_name": "shots",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/slate",
        "text": text,
        "api_app_id": "A0SLATE",
        "is_enterprise_install": "false",
        "response_url": f"{slate.slack_url}/response/bench",
        "trigger_id": f"{time.time():.6f}.bench",
    }
    status, seconds, _ = deliver_form(slate.events_url, slate.secret, fields)
    return status, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--steps", type=int, default=4, help="denoising steps per shot on the tiny model")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="interactions per second across all threads (open loop, as people click); 0: each thread "
        "sends its next as soon as the last is answered (a closed-loop burst, the bot saturated)",
    )
    args = parser.parse_args()

    users = [f"U0DIR{n:03d}" for n in range(args.threads)]  # one director a thread, seeded by settings
    roles = json.dumps(dict.fromkeys(users, "director"))
    slate = start_slate(
        Path(tempfile.mkdtemp(prefix="slate-bench-review-")), args.steps, {"SLATE_ROLES": roles}
    )
    openers = []
    for n in range(args.threads):
        opener = slate.say(f"@slate WS, shot {n}: Maya at the harbour at dawn")
        deliver(slate.events_url, slate.secret, mention(opener, users[n]))
        openers.append(opener)
    deadline = time.monotonic() + 300
    while not all(shown(slate, o["ts"]) for o in openers) and time.monotonic() < deadline:
        time.sleep(0.5)
    firsts = [shown(slate, o["ts"])[0] for o in openers]

    acks: dict[str, list[float]] = {"button": [], "command": []}
    pressed_at: dict[str, float] = {}
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def send(n: int) -> None:
        version, message = firsts[n]
        steps = [
            ("button", "vary_subtle"),
            ("command", "shots"),
            ("button", "upscale"),
            ("command", f"shot {n + 1}"),
            ("button", "approve"),
            ("command", "status"),
            ("button", "approve"),  # refused: already approved
            ("command", "help"),
            ("button", "reroll"),
            ("command", "shots approved"),
        ]
        gap, due = (args.threads / args.rate if args.rate else 0.0), time.monotonic()
        for kind, what in steps:
            if gap:
                time.sleep(max(0.0, due - time.monotonic()))
                due += gap
            if kind == "button":
                sent = time.time()
                status, seconds = press(slate, message, f"slate.{what}.{version}", users[n])
                if what in GENERATING:
                    with lock:
                        pressed_at[f"{message['ts']}:{what}:{len(pressed_at)}"] = sent
            else:
                status, seconds = command(slate, what, users[n])
            with lock:
                acks[kind].append(seconds * 1000)
                statuses[status] += 1

    started = time.monotonic()
    clients = [threading.Thread(target=send, args=(n,)) for n in range(args.threads)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    expected = args.threads * len(GENERATING)

    def jobs() -> list[tuple]:
        with sqlite3.connect(slate.ledger) as db:
            return db.execute(
                "SELECT ts, state, version_ids, placeholder_ts, thread_ts FROM jobs "
                "WHERE payload LIKE '%\"action\"%'"
            ).fetchall()

    deadline = time.monotonic() + 1200
    while (
        sum(j[1] in ("done", "failed", "cancelled") for j in jobs()) < expected
        and time.monotonic() < deadline
    ):
        time.sleep(0.5)
    wall_s = time.monotonic() - started
    time.sleep(1.0)  # a duplicate post would land within this

    rows_ = jobs()
    to_placeholder = [(float(p) - float(ts)) * 1000 for ts, _s, _v, p, _t in rows_ if p and ts]
    made = sum(len(json.loads(v or "[]")) for _ts, state, v, *_ in rows_ if state == "done")
    shown_ids = Counter(version for o in openers for version, _ in shown(slate, o["ts"]))
    lost = expected - made
    duplicated = sum(n - 1 for n in shown_ids.values() if n > 1)
    stop_children()

    every = acks["button"] + acks["command"]

    def trio(values: list[float]) -> str:
        return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.99):.1f} / {max(values):.1f}"

    rows = [
        ("interactions delivered", f"{len(every)} ({dict(statuses)})"),
        ("ack p50 / p99 / max, all (ms)", trio(every)),
        ("ack p50 / p99 / max, buttons (ms)", trio(acks["button"])),
        ("ack p50 / p99 / max, /slate (ms)", trio(acks["command"])),
        (
            "press to placeholder p50 / p99 (ms)",
            f"{percentile(to_placeholder, 0.5):.0f} / {percentile(to_placeholder, 0.99):.0f}",
        ),
        ("button jobs lost / duplicated", f"{lost} / {duplicated}"),
        ("all button jobs finished in (s)", f"{wall_s:.1f}"),
    ]
    report(
        rows,
        {
            "interactions": len(every),
            "threads": args.threads,
            "rate_per_s": args.rate or "burst",
            "ack_p50_ms": round(percentile(every, 0.5), 1),
            "ack_p99_ms": round(percentile(every, 0.99), 1),
            "button_ack_p99_ms": round(percentile(acks["button"], 0.99), 1),
            "command_ack_p99_ms": round(percentile(acks["command"], 0.99), 1),
            "press_to_placeholder_p50_ms": round(percentile(to_placeholder, 0.5)),
            "press_to_placeholder_p99_ms": round(percentile(to_placeholder, 0.99)),
            "button_jobs_lost": lost,
            "button_jobs_duplicated": duplicated,
            "all_done_s": round(wall_s, 1),
        },
    )


if __name__ == "__main__":
    atexit.register(stop_children)
    main()
