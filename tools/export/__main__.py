"""``python -m tools.export``: the same bundle ``/slate export`` posts, written to a folder.

    python -m tools.export --data-dir .slate --channel C0SHOTS --scene 12 --format all --out handoff/

Exit status 2 with one line on stderr for anything asked wrongly (no such project, scene, shot
or format); nothing is written then.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from config import SettingsError, load_settings
from memory.ledger import ImageStore, Ledger
from memory.ledger.models import Project
from tools.export.cut import ExportError
from tools.export.formats import EXPORTERS
from tools.export.handoff import export, zip_bundle
from tools.export.options import ExportOptions


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
        ledger_path = settings.data_dir / "ledger.sqlite3"
        if not ledger_path.exists():
            raise ExportError(f"There is no Slate ledger in {settings.data_dir} (looked for {ledger_path}).")
        ledger = Ledger(ledger_path)
        project_id = _project_id(ledger, args.channel, args.team)
        exported = export(
            ledger,
            ImageStore(settings.data_dir / "images"),
            project_id,
            Path(args.out),
            ExportOptions.from_settings(settings),
            formats=args.format or ["all"],
            scene=args.scene,
            shots=args.shots,
            include_pending=args.include_pending,
        )
    except (ExportError, SettingsError) as error:
        print(f"slate export: {error}", file=sys.stderr)
        return 2
    takes = len(exported.cut.takes)
    shots = f"{takes} shot{'s' if takes != 1 else ''}"
    print(f"{exported.cut.scope}: {shots}, {len(exported.files)} files in {args.out}")
    for left in exported.cut.left_out:
        print(f"  left out: {left}")
    if args.zip:
        print(f"  zipped: {zip_bundle(exported, Path(args.zip))}")
    return 0


def _project_id(ledger: Ledger, channel: str, team: str | None) -> int:
    with ledger.reading() as session:
        query = select(Project).where(Project.channel_id == channel)
        found = list(session.scalars(query.where(Project.team_id == team) if team else query))
    if not found:
        raise ExportError(f"There is no project in channel {channel}.")
    if len(found) > 1:
        teams = ", ".join(p.team_id for p in found)
        raise ExportError(f"Channel {channel} has a project in several workspaces ({teams}): say --team.")
    return found[0].id


def _shots(text: str) -> list[int]:
    try:
        return [int(n) for n in text.replace(" ", "").split(",") if n]
    except ValueError:
        raise argparse.ArgumentTypeError(f"shots are numbers separated by commas, not {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.export", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, help="Slate's data directory (default: SLATE_DATA_DIR or .slate)"
    )
    parser.add_argument("--channel", required=True, help="the project's Slack channel id, e.g. C0SHOTS")
    parser.add_argument("--team", help="the workspace id, when the channel id is in several")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--scene", help="one scene, e.g. 12 (default: the whole project)")
    scope.add_argument("--shots", type=_shots, help="some shots by number, e.g. 1,2,5")
    parser.add_argument(
        "--format",
        action="append",
        help=f"repeatable: {', '.join(EXPORTERS)} or all (default: all)",
    )
    parser.add_argument("--include-pending", action="store_true", help="shots not yet approved go in too")
    parser.add_argument("--out", required=True, help="the folder to write the bundle into")
    parser.add_argument("--zip", help="also pack the bundle into this zip file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
