"""``python -m memory``: keep a project's canon from the command line.

python -m memory --channel C0SHOTS character add Maya "young woman, dark braided hair" --alias "the queen"
python -m memory --channel C0SHOTS reference add Maya stills/maya_front.jpg --caption "front, soft key"
python -m memory --channel C0SHOTS fact add "The sword broke in scene 14" --subject Rook --where "scene 14"
python -m memory --channel C0SHOTS look add "Act 2 night exterior" "anamorphic, teal" --negative daylight
python -m memory --channel C0SHOTS character list
python -m memory --channel C0SHOTS character delete Maya
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config import SettingsError, load_settings
from memory.canon import Canon, CanonError
from memory.ledger import ImageStore, Ledger
from memory.vectors import VectorIndex


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m memory", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--channel", required=True, help="the Slack channel id of the project")
    p.add_argument("--team", default="T0LOCAL", help="the Slack team id (default: the local workspace's)")
    sub = p.add_subparsers(dest="what", required=True)
    character = sub.add_parser("character").add_subparsers(dest="action", required=True)
    add = character.add_parser("add")
    add.add_argument("name")
    add.add_argument("description")
    add.add_argument("--alias", action="append", default=[])
    add.add_argument("--pronouns", default="")
    add.add_argument("--costume", default="")
    character.add_parser("list")
    character.add_parser("delete").add_argument("name")
    reference = sub.add_parser("reference").add_subparsers(dest="action", required=True)
    ref = reference.add_parser("add")
    ref.add_argument("owner")
    ref.add_argument("files", nargs="+", type=Path)
    ref.add_argument("--caption", default="")
    fact = sub.add_parser("fact").add_subparsers(dest="action", required=True).add_parser("add")
    fact.add_argument("text")
    fact.add_argument("--subject", default="")
    fact.add_argument("--where", default="")
    look = sub.add_parser("look").add_subparsers(dest="action", required=True).add_parser("add")
    look.add_argument("name")
    look.add_argument("description")
    look.add_argument("--negative", default="")
    return p


def run(args: argparse.Namespace, canon: Canon) -> str:
    project = canon.ledger.project(args.team, args.channel).id
    if args.what == "character" and args.action == "add":
        costumes = {"default": args.costume} if args.costume else {}
        c = canon.add_character(
            project,
            args.name,
            args.description,
            aliases=args.alias,
            pronouns=args.pronouns,
            costumes=costumes,
        )
        return f"added {c.name}"
    if args.what == "character" and args.action == "list":
        return (
            "\n".join(f"{c.name}: {c.description}" for c in canon.characters(project)) or "no characters yet"
        )
    if args.what == "character" and args.action == "delete":
        canon.delete_character(project, args.name)
        return f"deleted {args.name}"
    if args.what == "reference":
        kind = "character" if canon.character(project, args.owner) else "style"
        stills = [path.read_bytes() for path in args.files]
        for data in stills:  # all or none
            canon.check_reference(data)
        for data in stills:
            canon.add_reference(project, kind, args.owner, data, args.caption, added_by="cli")
        return f"kept {len(stills)} reference still(s) for {args.owner}"
    if args.what == "fact":
        return f"noted: {canon.add_fact(project, args.text, args.subject, args.where, added_by='cli').text}"
    style = canon.add_style(project, args.name, args.description, args.negative)
    return f"saved look {style.name}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    ledger = Ledger(settings.data_dir / "ledger.sqlite3")
    canon = Canon(ledger, VectorIndex.from_settings(settings), ImageStore(settings.data_dir / "images"))
    try:
        print(run(args, canon))
    except (CanonError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
