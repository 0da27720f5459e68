"""Hand-off: a project's shots to editorial and to artists' tools, each frame with its provenance.

``export`` reads the cut from the ledger (tools/export/selection.py), signs every frame with
C2PA content credentials (provenance.py) and writes the asked formats (formats.py) into one
folder; ``zip_bundle`` packs it for Slack. ``/slate export`` (bot/exports.py) and the CLI
(``python -m tools.export``) are two doors onto this one function.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from memory.ledger import ImageStore, Ledger
from tools.export.bundle import Bundle
from tools.export.credentials import load_credentials
from tools.export.cut import Cut, ExportError, Take
from tools.export.formats import EXPORTERS, exporters, format_named
from tools.export.provenance import Provenance
from tools.export.selection import select_cut

__all__ = [
    "EXPORTERS",
    "Cut",
    "ExportError",
    "ExportOptions",
    "Exported",
    "Take",
    "export",
    "format_named",
    "select_cut",
    "zip_bundle",
]


@dataclass(frozen=True)
class ExportOptions:
    """The deployment's hand-off settings (config/settings.py)."""

    credentials_dir: Path
    signing_key: Path | None = None
    signing_cert: Path | None = None
    default_seconds: float = 3.0
    fps: float = 24.0
    do_not_train: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ExportOptions:
        return cls(
            credentials_dir=settings.data_dir / "credentials",
            signing_key=settings.signing_key,
            signing_cert=settings.signing_cert,
            default_seconds=settings.default_shot_seconds,
            fps=settings.export_fps,
            do_not_train=settings.do_not_train,
        )


@dataclass(frozen=True)
class Exported:
    cut: Cut
    out: Path
    files: tuple[Path, ...]

    @property
    def single(self) -> Path | None:
        """The one file of an export that made only one (a storyboard PDF), else None."""
        return self.files[0] if len(self.files) == 1 else None


def export(
    ledger: Ledger,
    images: ImageStore,
    project_id: int,
    out: Path,
    options: ExportOptions,
    *,
    formats: Iterable[str] = ("all",),
    scene: str | None = None,
    shots: Iterable[int] | None = None,
    include_pending: bool = False,
) -> Exported:
    """Write the asked formats of the chosen shots into ``out``; ``ExportError`` says what is wrong
    before anything is written."""
    chosen = exporters(formats)
    cut = select_cut(
        ledger,
        project_id,
        scene=scene,
        shots=shots,
        include_pending=include_pending,
        default_seconds=options.default_seconds,
        fps=options.fps,
    )
    credentials = load_credentials(options.credentials_dir, options.signing_key, options.signing_cert)
    bundle = Bundle(cut, Path(out), images, Provenance(credentials, images, options.do_not_train))
    for exporter in chosen:
        exporter.write(bundle)
    return Exported(cut, Path(out), tuple(bundle.written))


def zip_bundle(exported: Exported, target: Path) -> Path:
    """The bundle as one zip, its files under a folder named for the cut."""
    root = exported.cut.slug or "slate"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in exported.files:
            archive.write(path, f"{root}/{path.relative_to(exported.out).as_posix()}")
    return target
