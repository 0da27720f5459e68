"""Assemble a Director from settings: engine, ledger, image store, chat model."""

from __future__ import annotations

from agents.desk import ShotDesk
from agents.director import Director
from agents.providers import chat_model
from config import Settings
from memory.ledger import ImageStore, Ledger
from tools.jobs import JobQueue
from tools.registry import base_side, build_engine


def build_director(settings: Settings) -> tuple[Director, Ledger]:
    ledger = Ledger(settings.data_dir / "ledger.sqlite3")
    desk = ShotDesk(
        build_engine(settings),
        ledger,
        ImageStore(settings.data_dir / "images"),
        base_side(settings),
        JobQueue(workers=settings.workers, max_per_user=settings.max_jobs_per_user),
    )
    return Director(desk, chat_model(settings.llm)), ledger
