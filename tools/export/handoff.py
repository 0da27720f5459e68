"""One export: the cut read, every frame signed, the asked formats written into one folder."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from memory.ledger import ImageStore, Ledger
from tools.export.bundle import Bundle
from tools.export.credentials import load_credentials
from tools.export.cut import Cut
from tools.export.formats import exporters
from tools.export.options import ExportOptions
from tools.export.provenance import Provenance
from tools.export.selection import select_cut


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
    bundle = Bundle(
        cut, Path(out), images, Provenance(credentials, images, options.do_not_train or cut.do_not_train)
    )
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
