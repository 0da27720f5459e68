"""Boards: a scene's shot list as the team edits it, and which project shot each panel became.

A board lives in one Slack thread (its shot list message and its frames message there). Its
shots are kept as the coverage proposed them and people edited them (JSON, one dict a panel);
Generate all links each panel to the project shot made for it, by that shot's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from memory.ledger.models import Base, _now
from memory.ledger.store import Ledger


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    list_ts: Mapped[str] = mapped_column(String(32), default="")  # the shot list message
    frames_ts: Mapped[str] = mapped_column(String(32), default="")  # the frames message
    scene_text: Mapped[str] = mapped_column(Text)
    scene_number: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300), default="")
    shots: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    proposed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # characters to confirm
    created_by: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)


class BoardBook:
    """Boards in the ledger: written whole, each change in one transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def create(self, board: Board) -> Board:
        with self.ledger.transaction() as session:
            session.add(board)
            session.flush()
            return board

    def get(self, board_id: int) -> Board | None:
        with self.ledger.reading() as session:
            return session.get(Board, board_id)

    def update(self, board_id: int, **changes: object) -> Board:
        with self.ledger.transaction() as session:
            board = session.get_one(Board, board_id)
            for field, value in changes.items():
                setattr(board, field, value)
            session.flush()
            return board

    def change(self, board_id: int, how: Callable[[Board], None]) -> Board:
        """Change a board read inside the transaction: concurrent changes (two panels' shots
        finishing at once) each see the other's."""
        with self.ledger.transaction() as session:
            board = session.get_one(Board, board_id)
            how(board)
            session.flush()
            return board

    def with_shot_thread(self, channel_id: str, thread_ts: str) -> tuple[Board, int] | None:
        """The board and panel whose project shot lives in this thread, if one does."""
        with self.ledger.reading() as session:
            boards = session.scalars(select(Board).where(Board.channel_id == channel_id)).all()
        for board in boards:
            for index, shot in enumerate(board.shots):
                if shot.get("thread_ts") == thread_ts:
                    return board, index
        return None
