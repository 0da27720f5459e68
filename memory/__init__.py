"""Slate's memory: the shot ledger (SQLite through SQLAlchemy) and, later, continuity vectors."""
