"""Assemble a Director from settings: engine, ledger, image store, chat model."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from agents.continuity import Continuity
from agents.desk import ShotDesk
from agents.director import Director
from agents.providers import chat_model
from config import Settings
from memory.canon import Canon
from memory.drift import DriftChecker, FaceCheck
from memory.drift_task import RemoteDrift
from memory.ledger import ImageStore, Ledger
from memory.vectors import VectorIndex
from tools.engine import Engine
from tools.jobs import JobQueue
from tools.registry import base_side, build_engine
from tools.worker import RemoteCaller, celery_app
from tools.worker.remote import RemoteEngine


def build_director(settings: Settings, broker_url: str | None = None) -> tuple[Director, Ledger]:
    """With ``broker_url`` every generation and drift check runs on the workers behind it (the
    bot's way); without, in this process (scripts, the evaluation harness)."""
    ledger = Ledger(settings.data_dir / "ledger.sqlite3")
    images = ImageStore(settings.data_dir / "images")
    canon = Canon(ledger, VectorIndex.from_settings(settings), images)
    engine: Engine = build_engine(settings)
    drift: FaceCheck = DriftChecker()
    if broker_url is not None:
        caller = RemoteCaller(celery_app(broker_url))
        engine, drift = RemoteEngine(engine, caller), RemoteDrift(caller)
    desk = ShotDesk(
        engine,
        ledger,
        images,
        base_side(settings),
        JobQueue(workers=settings.workers, max_per_user=settings.max_jobs_per_user),
        Continuity(canon, drift),
    )
    return Director(
        desk, chat_model(settings.llm), conversations(settings.data_dir / "conversations.sqlite3")
    ), ledger


def conversations(path: Path) -> SqliteSaver:
    """Each Slack thread's agent conversation, kept across restarts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteSaver(sqlite3.connect(path, check_same_thread=False))
