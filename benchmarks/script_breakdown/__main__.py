"""Break down a set of scenes and draw their boards: how much of each scene the board holds.

    PYTHONPATH=. .venv/bin/python -m benchmarks.script_breakdown            # the held-out test set
    PYTHONPATH=. .venv/bin/python -m benchmarks.script_breakdown --set dev  # the development set

For each scene (``test_set/*.fountain|txt`` with its ``.json`` answers): characters found vs
the scene's cast, speaking characters found, the script's lines read and covered by at least
one shot, headings read right, props found, canon matches, shots per page, and the time to draw
the whole board with the previz engine (``tools.previz.PrevizEngine``, 16:9 at 768 base side,
each shot's direction as Generate all sends it). Prints a table, then one JSON object last.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from agents.script import read_scene
from agents.script.cast import fold
from agents.script.coverage import propose
from agents.script.direction import shot_direction
from config.presets import frame_size
from tools.engine import GenerationRequest
from tools.previz import PrevizEngine

HERE = Path(__file__).parent
SETS = {"test": HERE / "test_set", "dev": HERE / "dev_set"}


@dataclass
class CanonEntry:
    name: str
    aliases: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _same_text(a: str, b: str) -> bool:
    return SequenceMatcher(None, _norm(a), _norm(b)).ratio() >= 0.9


def score(path: Path, engine: PrevizEngine, size: tuple[int, int]) -> dict:
    answers = json.loads(path.with_suffix(".json").read_text())
    canon = [CanonEntry(c["name"], c.get("aliases", [])) for c in answers.get("canon", [])]
    scene = read_scene(path.read_text(), canon)
    shots = propose(scene)
    aliases = {fold(k): fold(v) for k, v in answers.get("aliases", {}).items()}

    def found_as(name: str):  # the cast member the reader made of an expected name
        key = fold(name)
        for member in scene.cast:
            names = {fold(n) for n in (member.name, *member.aliases)}
            if key in names or any(aliases.get(n) == key for n in names):
                return member
        return None

    cast = [found_as(n) for n in answers["cast"]]
    speaking = [found_as(n) for n in answers["speaking"]]
    covered = {i for s in shots for i in s.lines}
    read = covered_lines = 0
    for speaker, text in answers["dialogue"]:
        member = found_as(speaker)
        match = next(
            (s for s in scene.lines if member and s.speaker == member.name and _same_text(s.text, text)), None
        )
        read += match is not None
        covered_lines += match is not None and match.index in covered
    headings = answers["headings"]
    right = sum(
        i < len(scene.headings)
        and (scene.headings[i].int_ext, scene.headings[i].location, scene.headings[i].time_of_day)
        == (h["int_ext"], h["location"], h["time_of_day"])
        for i, h in enumerate(headings)
    )
    props = answers.get("props", [])
    props_found = sum(any(p.split()[-1] in f for f in scene.props) for p in props)
    canon_ok = sum(
        (m := found_as(cue)) is not None and m.canon == name
        for cue, name in answers.get("canon_matches", {}).items()
    )
    said = answers.get("descriptions", {})
    described = sum(
        (m := found_as(name)) is not None
        and all(w.lower() in f"{m.description} {m.introduced}".lower() for w in words)
        for name, words in said.items()
    )
    singles = {c for s in shots if s.kind in ("single", "two-shot") for c in s.cast}
    on_screen = [m for m in speaking if m is not None and not m.off_screen]
    start = time.perf_counter()
    for number, shot in enumerate(shots, 1):
        direction = shot_direction(shot, scene, number)
        engine.generate(
            GenerationRequest(prompt=direction, width=size[0], height=size[1], title=direction[:80])
        )
    draw_s = time.perf_counter() - start
    return {
        "scene": path.stem,
        "cast": (sum(m is not None for m in cast), len(cast)),
        "speaking": (sum(m is not None for m in speaking), len(speaking)),
        "singles": (sum(m.label in singles for m in on_screen), len(on_screen)),
        "lines_read": (read, len(answers["dialogue"])),
        "lines_covered": (covered_lines, len(answers["dialogue"])),
        "headings": (right, len(headings)),
        "props": (props_found, len(props)),
        "canon": (canon_ok, len(answers.get("canon_matches", {}))),
        "descriptions": (described, len(said)),
        "shots": len(shots),
        "pages": scene.pages,
        "board_s": sum(s.duration_s for s in shots),
        "draw_s": draw_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    args = parser.parse_args()
    folder = SETS[args.set]
    scenes = sorted(p for p in folder.iterdir() if p.suffix in (".fountain", ".txt"))
    engine = PrevizEngine()
    size = frame_size("16:9", 768)
    engine.generate(
        GenerationRequest(prompt="WS, warm-up frame", width=size[0], height=size[1])
    )  # imports, fonts
    rows = [score(p, engine, size) for p in scenes]
    keys = (
        "cast",
        "speaking",
        "singles",
        "lines_read",
        "lines_covered",
        "headings",
        "props",
        "canon",
        "descriptions",
    )
    print(f"{'scene':36} " + " ".join(f"{k:>12}" for k in keys) + f" {'shots':>5} {'pages':>5} {'draw s':>7}")
    for r in rows:
        cells = " ".join(f"{r[k][0]:>5}/{r[k][1]:<6}" for k in keys)
        print(f"{r['scene']:36} {cells} {r['shots']:>5} {r['pages']:>5.2f} {r['draw_s']:>7.2f}")
    total = {k: (sum(r[k][0] for r in rows), sum(r[k][1] for r in rows)) for k in keys}
    print(f"{'total':36} " + " ".join(f"{total[k][0]:>5}/{total[k][1]:<6}" for k in keys))
    shots = sum(r["shots"] for r in rows)
    draw = sum(r["draw_s"] for r in rows)
    pct = {k: round(100 * total[k][0] / total[k][1], 1) if total[k][1] else None for k in keys}
    figures = {
        "set": args.set,
        "scenes": len(rows),
        "characters_found_of_cast_pct": pct["cast"],
        "speaking_characters_found_pct": pct["speaking"],
        "speakers_with_a_single_pct": pct["singles"],
        "dialogue_lines_read_pct": pct["lines_read"],
        "dialogue_lines_covered_by_a_shot_pct": pct["lines_covered"],
        "headings_read_right_pct": pct["headings"],
        "props_found_pct": pct["props"],
        "canon_matches_pct": pct["canon"],
        "descriptions_kept_pct": pct["descriptions"],
        "shots": shots,
        "shots_per_page": round(shots / sum(r["pages"] for r in rows), 1),
        "previz_draw_s_per_10_shots": round(10 * draw / shots, 2),
        "previz_draw_s_total": round(draw, 2),
        "largest_board_shots": max(r["shots"] for r in rows),
        "largest_board_draw_s": round(max(r["draw_s"] for r in rows), 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
