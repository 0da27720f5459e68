"""Export formats by name. Adding one is a class with ``name``, ``summary`` and ``write`` and a line here.

The editorial timelines are written from one OTIO timeline through the published adapters
(``otio-cmx3600-adapter``, ``otio-fcp-adapter``, ``otio-fcpx-xml-adapter``, ``otio-aaf-adapter``),
never by hand, so each file is what those adapters read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import opentimelineio as otio

from tools.export.bundle import Bundle
from tools.export.cut import ExportError


class Exporter(Protocol):
    name: str
    summary: str

    def write(self, bundle: Bundle) -> list[Path]:
        """Write this format's files into the bundle; return them."""
        ...


@dataclass(frozen=True)
class FramesExporter:
    name: str = "frames"
    summary: str = "the signed frames as <scene>_<shot>_v<NNN>.png, with a CSV and a JSON manifest"

    def write(self, bundle: Bundle) -> list[Path]:
        return list(bundle.frames.values())


@dataclass(frozen=True)
class TimelineExporter:
    """One OTIO adapter: the timeline written by it to ``<slug><suffix>``."""

    name: str
    adapter: str
    suffix: str
    summary: str
    options: tuple[tuple[str, object], ...] = ()

    def write(self, bundle: Bundle) -> list[Path]:
        target = bundle.path(bundle.named(self.suffix))
        otio.adapters.write_to_file(
            bundle.timeline, str(target), adapter_name=self.adapter, **dict(self.options)
        )
        return [target]


def _storyboard() -> Exporter:
    from tools.export.storyboard import StoryboardExporter

    return StoryboardExporter()


def _psd() -> Exporter:
    from tools.export.layers import PsdExporter

    return PsdExporter()


EXPORTERS: dict[str, Callable[[], Exporter]] = {
    "otio": lambda: TimelineExporter("otio", "otio_json", ".otio", "OpenTimelineIO timeline"),
    "edl": lambda: TimelineExporter("edl", "cmx_3600", ".edl", "CMX 3600 EDL"),
    "fcp7": lambda: TimelineExporter("fcp7", "fcp_xml", "_fcp7.xml", "FCP 7 XML (Premiere, Resolve)"),
    "fcpxml": lambda: TimelineExporter("fcpxml", "fcpx_xml", ".fcpxml", "FCP X XML (Final Cut Pro)"),
    "aaf": lambda: TimelineExporter("aaf", "AAF", ".aaf", "AAF (Avid Media Composer)"),
    "frames": FramesExporter,
    "pdf": _storyboard,
    "psd": _psd,
}
ALIASES = {"fcpx": "fcpxml", "xml": "fcp7", "premiere": "fcp7", "avid": "aaf", "images": "frames"}
ALIASES |= {"storyboard": "pdf", "contact": "pdf", "photoshop": "psd"}


def format_named(word: str) -> str | None:
    """The format a word names, or None."""
    word = word.lower().strip(",.")
    word = ALIASES.get(word, word)
    return word if word in EXPORTERS else None


def exporters(names: Iterable[str]) -> list[Exporter]:
    """The exporters for these names (``all``: every one), in registry order, each once."""
    wanted = set()
    for name in names:
        if name == "all":
            wanted |= set(EXPORTERS)
        elif (found := format_named(name)) is not None:
            wanted.add(found)
        else:
            raise ExportError(f"There is no export format {name!r}. Formats: {', '.join(EXPORTERS)}, all.")
    return [EXPORTERS[name]() for name in EXPORTERS if name in wanted]
