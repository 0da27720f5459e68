"""Screenplay text as people paste it, made into Fountain that ``screenplain`` reads.

Scripts arrive as Fountain, as text copied out of a PDF (every element indented, no marks), or
typed into Slack (a lower-case heading, a cue in title case, ``NAME: line``). The repairs here
only make explicit what a reader sees anyway: a heading is a heading in any case, a short line
that names a speaker before their words is a cue, a transition is not action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.script.headings import is_heading

TRANSITION = re.compile(
    r"^>?\s*(?:[A-Z][A-Z .']*\bTO:|FADE (?:IN|OUT)[:.]?|FADE TO BLACK\.?|CUT TO BLACK\.?|THE END\.?)$"
)
EXTENSION = re.compile(
    r"\s*\((?:V\.?\s*O\.?|O\.?\s*S\.?|O\.?\s*C\.?|CONT'?D|CONT(?:INUED|’D)?|PRE-LAP|FILTERED)\)", re.I
)
INLINE_CUE = re.compile(r"^(?P<name>[A-Z][A-Z0-9 .'-]{0,28}[A-Z.])\s*:\s+(?P<words>\S.*)$")
INTRO = re.compile(r"^[A-Z][A-Z .'-]*(?P<paren>\([^)]*\)).*$")
_CUE_SHAPE = re.compile(r"^@?(?P<name>[A-Za-z][\w .'’-]{0,30}?)\s*(?P<ext>\(.*\))?\s*:?\s*\^?$")


@dataclass
class Prepared:
    """The Fountain to parse, and what came out of the text on the way."""

    lines: list[str]
    transitions: list[str] = field(default_factory=list)


def cue_name(cue: str) -> str:
    """The speaker a cue names: ``MAYA (V.O.)``, ``Maya (cont'd):``, ``@McCLANE ^`` → ``MAYA``."""
    name = re.sub(r"\(.*?\)", "", cue).strip().lstrip("@").rstrip("^: ").strip()
    return re.sub(r"\s+", " ", name).upper()


def prepare(text: str) -> Prepared:
    """Fountain lines for the parser, transitions taken out and kept."""
    raw = [line.expandtabs(4).rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines: list[str] = []
    transitions: list[str] = []
    for line in raw:
        stripped = line.strip()
        if TRANSITION.match(stripped):
            transitions.append(stripped.lstrip("> "))
            lines.append("")
            continue
        inline = INLINE_CUE.match(stripped)
        if inline and not is_heading(stripped) and len(inline["name"].split()) <= 3:
            lines += ["", inline["name"], inline["words"]]
            continue
        if is_heading(stripped):
            lines += ["", stripped.upper(), ""]
            continue
        if INTRO.match(stripped) and not EXTENSION.fullmatch(INTRO.match(stripped)["paren"]):  # type: ignore[index]
            stripped = f"!{stripped}"  # "ANWEN (50s, oilskin)" opens action, not a speech
        lines.append(stripped)
    known = _caps_cues(lines)
    return Prepared(_repair_cues(lines, known), transitions)


def _is_cue_shaped(lines: list[str], i: int) -> bool:
    """A short line after a blank with words right under it: where a cue stands."""
    line = lines[i]
    if not line or (i > 0 and lines[i - 1]) or i + 1 >= len(lines) or not lines[i + 1]:
        return False
    match = _CUE_SHAPE.match(line)
    return (
        match is not None and len(match["name"].split()) <= 4 and not line.rstrip().endswith((".", "!", "?"))
    )


def _caps_cues(lines: list[str]) -> dict[str, str]:
    """The names written as upper-case cues (by their folded form): the ones a title-case cue
    may repeat ("ms patel" is MS. PATEL)."""
    return {
        _folded(cue_name(line)): cue_name(line)
        for i, line in enumerate(lines)
        if _is_cue_shaped(lines, i) and re.sub(r"\(.*?\)", "", line).isupper()
    }


def _folded(name: str) -> str:
    return re.sub(r"[.\s]+", " ", name).strip().upper()


def _repair_cues(lines: list[str], known: dict[str, str]) -> list[str]:
    repaired = list(lines)
    for i, line in enumerate(lines):
        if not _is_cue_shaped(lines, i):
            continue
        said = _folded(cue_name(line))
        ext = EXTENSION.search(line)
        lower = not re.sub(r"\(.*?\)", "", line).isupper()
        if lower and (said in known or ext):  # a name cued in capitals elsewhere, or "Mum (O.S.)"
            extension = f" {ext.group(0).strip().upper()}" if ext else ""
            repaired[i] = known.get(said, cue_name(line)) + extension
        elif line.endswith(":") and line[:-1].isupper():
            repaired[i] = line[:-1]
    return repaired
