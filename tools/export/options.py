"""The deployment's hand-off settings, kept apart so the bot reads them without loading the exporters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config import Settings


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
