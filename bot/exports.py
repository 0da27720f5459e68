"""``/slate export``: a scene's (or some shots', or the project's) hand-off posted to the channel.

The bundle is written by tools/export into a temporary folder and posted as one zip, or as the
single file when the formats asked for make only one (a storyboard PDF). The exporting modules
are imported here, after Slack was acknowledged, so the bot starts and acknowledges without them.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.parts import BotParts, Where

USAGE = (
    "Usage: `/slate export [scene N | shots 1,2,…] [otio|edl|fcp7|fcpxml|aaf|frames|pdf|psd|all] "
    "[include pending]`, e.g. `/slate export scene 12 edl pdf`. Without a scene or shots: the whole "
    "project; without a format: all of them."
)
_SHOTS = re.compile(r"^\d+(?:\s*,\s*\d+)*$")


@dataclass
class ExportAsk:
    """What ``/slate export …`` asked for, read from its words."""

    scene: str | None = None
    shots: list[int] | None = None
    formats: list[str] = field(default_factory=list)
    include_pending: bool = False


def read_export(text: str) -> ExportAsk:
    """The words of ``/slate export``; ``ValueError`` (saying which word) when one means nothing."""
    from tools.export.formats import format_named

    ask = ExportAsk()
    words = re.sub(r"\s*,\s*", ",", text.strip()).split()
    index = 0
    while index < len(words):
        word = words[index].lower().strip(".")
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "scene" and following:
            ask.scene, index = following, index + 2
        elif word in ("shot", "shots") and _SHOTS.match(following):
            ask.shots, index = [int(n) for n in following.split(",")], index + 2
        elif word == "include" and following.lower() == "pending":
            ask.include_pending, index = True, index + 2
        elif word == "pending":
            ask.include_pending, index = True, index + 1
        elif word == "all" or format_named(word):
            ask.formats.append(word)
            index += 1
        else:
            raise ValueError(f"I don't know what `{words[index]}` means here.")
    if ask.scene and ask.shots:
        raise ValueError("Say a scene or some shots, not both.")
    return ask


def export_command(parts: BotParts, client: WebClient, where: Where, rest: str) -> str:
    """Write the bundle, post it to the channel; the answer (to the caller alone) says what went."""
    from tools.export.cut import ExportError
    from tools.export.handoff import export, zip_bundle
    from tools.export.options import ExportOptions

    try:
        ask = read_export(rest)
    except ValueError as error:
        return f"{error}\n{USAGE}"
    parts.review.check(parts.project_id(where), where.user_id, "view")
    if parts.images is None:
        return "This Slate keeps no images, so there is nothing to export."
    options = parts.exports or ExportOptions(credentials_dir=parts.images.root.parent / "credentials")
    with tempfile.TemporaryDirectory(prefix="slate-export-") as folder:
        try:
            exported = export(
                parts.ledger,
                parts.images,
                parts.project_id(where),
                Path(folder) / "bundle",
                options,
                formats=ask.formats or ["all"],
                scene=ask.scene,
                shots=ask.shots,
                include_pending=ask.include_pending,
            )
        except ExportError as error:
            return str(error)
        upload = exported.single or zip_bundle(exported, Path(folder) / f"{exported.cut.slug or 'slate'}.zip")
        comment = _comment(where, exported.cut, ask)
        try:
            client.files_upload_v2(
                channel=where.channel_id,
                content=upload.read_bytes(),
                filename=upload.name,
                title=f"{exported.cut.scope} hand-off",
                initial_comment=comment,
            )
        except SlackApiError as error:
            return f"I made the export but couldn't post it: {error.response.get('error', error)}."
    return f"Posted `{upload.name}` to the channel: {_shots(len(exported.cut.takes))}."


def _comment(where: Where, cut, ask: ExportAsk) -> str:  # type: ignore[no-untyped-def]
    formats = ", ".join(ask.formats) if ask.formats else "all formats"
    lines = [
        f"<@{where.user_id}> exported *{cut.scope}* ({formats}): {_shots(len(cut.takes))}"
        + (", pending ones included" if ask.include_pending else ", approved only")
        + ". Every frame carries C2PA content credentials (model, settings, approval)."
    ]
    if cut.left_out:
        lines.append(f"Left out: {', '.join(cut.left_out)}.")
    return "\n".join(lines)


def _shots(count: int) -> str:
    return f"{count} shot{'s' if count != 1 else ''}"
