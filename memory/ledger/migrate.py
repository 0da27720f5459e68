"""Columns added to tables that already exist in a ledger from an earlier release.

``create_all`` makes missing tables but never alters existing ones; a ledger written before a
column existed would fail on its first read. Each missing column is added with its default,
so old rows read as they did. (Renames and type changes would need real migrations; the
scale-out to PostgreSQL brings Alembic for those.)
"""

from __future__ import annotations

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Engine


def add_missing_columns(engine: Engine, metadata: MetaData) -> list[str]:
    """Add every column the models have and the database lacks; returns "table.column" added."""
    added = []
    with engine.begin() as connection:  # one connection: the engine's every transaction takes the write lock
        inspector = inspect(connection)
        existing_tables = set(inspector.get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in existing_tables:
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                kind = column.type.compile(dialect=engine.dialect)
                default = (
                    column.default.arg if column.default is not None and column.default.is_scalar else None
                )
                clause = f" DEFAULT {_literal(default)}" if default is not None else ""
                connection.execute(
                    text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{clause}')
                )
                added.append(f"{table.name}.{column.name}")
    return added


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"
