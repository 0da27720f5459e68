"""``make demo``'s choices at start-up: where its data lives, and whether it seeds the sample project.

The local workspace keeps its messages in memory, so every run starts with an empty #shots,
while a ledger on disk would still hold the last run's project. The two are kept in step:

* With no ``SLATE_DATA_DIR`` (nor ``data_dir`` in ``slate.toml``), each demo run gets a fresh
  data directory under the OS temp directory, removed when it stops, and is seeded.
* With one set, its ledger is kept across runs; the sample project is seeded only while that
  ledger holds no shots and no characters for #shots (the same workspace's channel), so a
  second run never seeds the project twice and says why it didn't.
* ``SLATE_DEMO_SEED=0`` (``demo_seed = false``) starts an empty workspace, never seeded.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from config import Settings
from memory.ledger import Ledger
from memory.ledger.models import Character, Project, Shot

TRY = (
    "  Try, in #shots:\n"
    "    @slate MS, Rook draws his sword beside the throne, 2.39:1\n"
    "      (the canon says it broke in scene 11: Slate asks first; add “override” to go ahead)\n"
    "    @slate CU, Maya kneels before the empty throne, torchlight\n"
    "  in a shot's thread “@slate tighter, from a low angle”, or press Approve / Request changes / Vary;\n"
    "  `/slate shots` lists the shots, `/slate character list` the cast, `/slate help` the rest."
)


@dataclass(frozen=True)
class Seeding:
    seed: bool
    why: str  # a line for the start-up banner


def demo_data_dir(settings: Settings) -> tuple[Settings, Path | None]:
    """The settings the demo runs on, and the throwaway directory to remove when it stops
    (None when the person chose the data directory)."""
    if "data_dir" in settings.model_fields_set:
        return settings, None
    fresh = Path(tempfile.mkdtemp(prefix="slate-demo-"))
    return settings.model_copy(update={"data_dir": fresh}), fresh


def data_dir_note(throwaway: bool) -> str:
    if throwaway:
        return "fresh for this run, removed on exit; set SLATE_DATA_DIR to keep one"
    return "kept across runs"


def demo_seeding(settings: Settings, team_id: str, channel_id: str) -> Seeding:
    if not settings.demo_seed:
        return Seeding(False, "SLATE_DEMO_SEED=0: an empty workspace, no sample project")
    if holds_work(settings.data_dir / "ledger.sqlite3", team_id, channel_id):
        return Seeding(
            False,
            f"Not seeding the sample project: {settings.data_dir} already holds #shots' shots or "
            "characters from an earlier run (the ledger is kept; the workspace's messages start "
            "empty each run). Unset SLATE_DATA_DIR for a fresh sample project",
        )
    return Seeding(
        True,
        "Seeding the sample project — a cast with reference stills, a look, continuity facts "
        "and a scene of three shots — watch it arrive in #shots",
    )


def holds_work(ledger_path: Path, team_id: str, channel_id: str) -> bool:
    """Whether a ledger already holds shots or characters for the channel's project."""
    if not ledger_path.exists():
        return False
    with Ledger(ledger_path).reading() as session:
        project = session.scalar(
            select(Project.id).where(Project.team_id == team_id, Project.channel_id == channel_id)
        )
        if project is None:
            return False
        shots = session.scalar(select(func.count()).select_from(Shot).where(Shot.project_id == project))
        cast = session.scalar(
            select(func.count()).select_from(Character).where(Character.project_id == project)
        )
        return bool(shots or cast)
