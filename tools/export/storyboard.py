"""A storyboard / contact sheet PDF: a panel per shot, N panels to a landscape page.

Each panel is what a board artist's template holds: the frame, the shot number and version,
size · angle · lens · move, the description and the dialogue. The grid is the one that gives
the panels the most room for the page and the frame's shape. Made with reportlab, in the Vera
fonts reportlab ships, so a PDF reads the same on every machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from tools.export.bundle import Bundle
from tools.export.cut import Cut, Take

PAGE = landscape(A4)
MARGIN, GAP, HEADER = 28.0, 14.0, 30.0
TEXT_HEIGHT = 74.0  # below each frame: number line, spec line, description, dialogue
INK, RULE, MUTED = (0.08, 0.08, 0.1), (0.55, 0.55, 0.6), (0.35, 0.35, 0.4)
FONT, BOLD, ITALIC = "SlateVera", "SlateVera-Bold", "SlateVera-Italic"


@dataclass(frozen=True)
class StoryboardExporter:
    name: str = "pdf"
    summary: str = "storyboard / contact sheet PDF, a panel per shot"
    panels_per_page: int = 6

    def write(self, bundle: Bundle) -> list[Path]:
        target = bundle.path(bundle.named("_storyboard.pdf"))
        frames = {t.version_id: bundle.images.image(t.image_sha256) for t in bundle.cut.takes}
        target.write_bytes(storyboard_pdf(bundle.cut, frames, self.panels_per_page))
        return [target]


@dataclass(frozen=True)
class Grid:
    columns: int
    rows: int
    width: float  # a panel's
    frame_height: float

    @property
    def height(self) -> float:
        return self.frame_height + TEXT_HEIGHT


def grid_for(panels: int, aspect: float) -> Grid:
    """The columns × rows holding ``panels`` that make each panel widest on the page."""
    usable_w, usable_h = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - HEADER
    best = None
    for columns in range(1, panels + 1):
        rows = math.ceil(panels / columns)
        width = (usable_w - GAP * (columns - 1)) / columns
        fits_h = (usable_h - GAP * (rows - 1)) / rows - TEXT_HEIGHT  # frame height the rows allow
        width = min(width, fits_h * aspect)
        if best is None or width > best.width:
            best = Grid(columns, rows, width, width / aspect)
    assert best is not None
    return best


def storyboard_pdf(cut: Cut, frames: dict, panels_per_page: int = 6) -> bytes:
    """The PDF's bytes; ``frames`` holds each take's frame (a PIL image) by version id."""
    _register_fonts()
    panels_per_page = max(1, panels_per_page)
    takes = list(cut.takes)
    aspect = _aspect(takes)
    grid = grid_for(min(panels_per_page, len(takes)) or 1, aspect)
    pages = [takes[i : i + panels_per_page] for i in range(0, len(takes), panels_per_page)] or [[]]
    out = BytesIO()
    canvas = Canvas(out, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(f"{cut.project} · {cut.scope} · storyboard")
    canvas.setAuthor("Slate")
    canvas.setCreator("Slate (reportlab)")
    for number, page in enumerate(pages, start=1):
        _header(canvas, cut, number, len(pages))
        for index, take in enumerate(page):
            column, row = index % grid.columns, index // grid.columns
            x = MARGIN + column * (grid.width + GAP)
            top = PAGE[1] - MARGIN - HEADER - row * (grid.height + GAP)
            _panel(canvas, take, frames[take.version_id], x, top, grid)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _header(canvas: Canvas, cut: Cut, page: int, pages: int) -> None:
    canvas.setFillColorRGB(*INK)
    canvas.setFont(BOLD, 13)
    canvas.drawString(MARGIN, PAGE[1] - MARGIN - 12, f"{cut.project} — {cut.scope}".strip(" —"))
    canvas.setFont(FONT, 8.5)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - MARGIN - 12, f"Storyboard · page {page} of {pages}")
    canvas.drawString(
        MARGIN, MARGIN - 14, f"Made with Slate · {len(cut.takes)} shots · {date.today().isoformat()}"
    )


def _panel(canvas: Canvas, take: Take, frame, x: float, top: float, grid: Grid) -> None:  # type: ignore[no-untyped-def]
    """One shot: the frame fitted in its box, the words beneath it."""
    box_bottom = top - grid.frame_height
    width, height = _fit(frame.size, grid.width, grid.frame_height)
    left, bottom = x + (grid.width - width) / 2, box_bottom + (grid.frame_height - height) / 2
    canvas.setFillColorRGB(0.93, 0.93, 0.94)
    canvas.rect(x, box_bottom, grid.width, grid.frame_height, stroke=0, fill=1)
    canvas.drawImage(ImageReader(frame), left, bottom, width, height)
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.6)
    canvas.rect(x, box_bottom, grid.width, grid.frame_height, stroke=1, fill=0)

    canvas.setFillColorRGB(*INK)
    canvas.setFont(BOLD, 10)
    number = f"SHOT {take.shot}" + (f" · SC {take.scene}" if take.scene else "")
    canvas.drawString(x, box_bottom - 12, number)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawRightString(
        x + grid.width, box_bottom - 12, f"v{take.version:03d} · {take.status.replace('_', ' ')}"
    )
    words = [(take.spec_line or "—", _style(BOLD, 8, INK)), (take.description, _style(FONT, 8, INK))]
    words += [(line, _style(ITALIC, 7.5, MUTED)) for line in take.dialogue]
    _words(canvas, words, x, box_bottom - 16, grid.width, TEXT_HEIGHT - 18)


def _words(
    canvas: Canvas, words: list[tuple[str, ParagraphStyle]], x: float, top: float, width: float, room: float
) -> None:
    """Paragraphs down from ``top`` while they fit; the last that does not is cut with an ellipsis."""
    for text, style in words:
        paragraph = Paragraph(escape(text), style)
        _, height = paragraph.wrap(width, room)
        if height > room:
            lines = max(1, int(room // style.leading))
            paragraph = Paragraph(escape(_shorten(text, style, width, lines)), style)
            _, height = paragraph.wrap(width, room)
            if height > room:
                return
        paragraph.drawOn(canvas, x, top - height)
        top, room = top - height - 1.5, room - height - 1.5


def _shorten(text: str, style: ParagraphStyle, width: float, lines: int) -> str:
    """As much of ``text`` as fills ``lines`` lines, ending in an ellipsis."""
    budget = width * lines * 0.92
    while text and pdfmetrics.stringWidth(text + "…", style.fontName, style.fontSize) > budget:
        text = text[:-1]
    return text.rstrip() + "…"


def _style(font: str, size: float, colour: tuple[float, float, float]) -> ParagraphStyle:
    from reportlab.lib.colors import Color

    return ParagraphStyle(font, fontName=font, fontSize=size, leading=size * 1.22, textColor=Color(*colour))


def _fit(size: tuple[int, int], width: float, height: float) -> tuple[float, float]:
    scale = min(width / size[0], height / size[1])
    return size[0] * scale, size[1] * scale


def _aspect(takes: list[Take]) -> float:
    """The frame shape most of the cut has (16:9 when unknown)."""
    shapes = [t.record.get("width", 16) / max(1, t.record.get("height", 9)) for t in takes]
    return sorted(shapes)[len(shapes) // 2] if shapes else 16 / 9


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(fonts / file)))
