"""Blender blocking previz: render time at 1024×576 with the worker warm, and the animatic's.

    PYTHONPATH=. .venv/bin/python -m benchmarks.previz_render [--runs 12] [--case room|full]
        [--engine workbench|cycles] [--animatic-runs 3]

Workbench is what Slate renders; ``--engine cycles`` renders the same scenes in Cycles at 8 samples
on the CPU, for comparison. The animatic is timed apart: the same scene with a dolly in, 8 frames
at 512×288 in Workbench (what a shot with a camera move adds to its version).

Two cases: "room" (a two-shot in the room kit: walls, doorway, throne, window, stairs, table) and
"full" (the heaviest the kit draws: a place from the set kit — street, forest, harbour, tavern —
with practicals, rain or snow, fog cards, posed figures, OTS and POV).

Prints a table, then one JSON line last. Needs .venv-blender (`make install`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from tools.animatic import FRAMES_SHOWN, animatic_size
from tools.blender_client import BlenderWorker
from tools.blocking import SHOT_SIZES, Blocking, Camera, Figure, SetDressing


def _scene(i: int, width: int, height: int) -> Blocking:
    return Blocking(
        camera=Camera(
            SHOT_SIZES[i % len(SHOT_SIZES)], lens_mm=(24, 35, 50)[i % 3], angle=("eye", "low", "high")[i % 3]
        ),
        figures=(
            Figure("Maya", costume=(0.75, 0.12, 0.1), position="left", prop="sword"),
            Figure("Rook", costume=(0.2, 0.3, 0.5), position="right", pose="pointing", facing="left"),
        ),
        set=SetDressing(parts=("floor", "walls", "doorway", "throne", "window", "stairs", "table")),
        time_of_day=("day", "dusk", "night", "golden hour")[i % 4],
        width=width,
        height=height,
    )


_FULL = (
    (("street",), ("neon",), ("rain",), 0.15, "eye"),
    (("forest",), ("torchlight",), (), 0.5, "ots"),
    (("harbour",), ("moonlight",), ("snow",), 0.15, "pov"),
    (("tavern", "table"), ("candlelight", "low key"), (), 0.0, "low"),
)


def _full_scene(i: int, width: int, height: int) -> Blocking:
    parts, lighting, weather, fog, angle = _FULL[i % len(_FULL)]
    return Blocking(
        camera=Camera(SHOT_SIZES[1 + i % 5], lens_mm=(24, 35, 50)[i % 3], angle=angle),  # type: ignore[arg-type]
        figures=(
            Figure("Maya", costume=(0.75, 0.12, 0.1), position="left", prop="sword", pose="raising"),
            Figure("Rook", costume=(0.2, 0.3, 0.5), position="right", pose="walking", look_at="Maya"),
        ),
        set=SetDressing(interior="tavern" in parts, parts=("floor", *parts)),  # type: ignore[arg-type]
        time_of_day=("night", "dusk", "night", "day")[i % 4],
        lighting=lighting,
        weather=weather,
        fog=fog,
        width=width,
        height=height,
    )


CASES = {"room": _scene, "full": _full_scene}
ENGINES = {"workbench": "Workbench", "cycles": "Cycles (8 samples, CPU)"}


def _moving(blocking: Blocking) -> Blocking:
    """The same shot with a dolly in, for the animatic's time."""
    return replace(blocking, camera=replace(blocking.camera, move="dolly in"))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=576)
    parser.add_argument("--case", choices=sorted(CASES), default="room")
    parser.add_argument("--engine", choices=ENGINES, default="workbench")
    parser.add_argument("--animatic-runs", type=int, default=3)
    args = parser.parse_args()
    make = CASES[args.case]
    engine = None if args.engine == "workbench" else args.engine
    size = animatic_size(args.width, args.height)
    ask = {"frames": FRAMES_SHOWN, "width": size[0], "height": size[1]}
    with tempfile.TemporaryDirectory() as tmp, BlenderWorker() as worker:
        started = time.perf_counter()
        worker.rss_mb()
        start_s = time.perf_counter() - started
        worker.render(
            make(0, args.width, args.height), Path(tmp) / "warm.png", engine=engine
        )  # first render compiles shaders
        results = [
            worker.render(make(i, args.width, args.height), Path(tmp) / f"{i}.png", engine=engine)
            for i in range(args.runs)
        ]
        animatics = [
            worker.render(_moving(make(i, args.width, args.height)), Path(tmp) / f"a{i}.png", animatic=ask)
            for i in range(args.animatic_runs)
        ]
        rss = worker.rss_mb()
    animatic = [r.animatic_seconds for r in animatics] or [0.0]
    render = [r.render_seconds for r in results]
    build = [r.build_seconds for r in results]
    total = [r.seconds for r in results]
    rows = [
        ("worker start (bpy import)", start_s, start_s),
        ("scene build", statistics.median(build), _pct(build, 0.95)),
        (f"{ENGINES[args.engine]} render", statistics.median(render), _pct(render, 0.95)),
        ("request total (build+render+save)", statistics.median(total), _pct(total, 0.95)),
        (
            f"animatic ({FRAMES_SHOWN} frames {size[0]}×{size[1]} WB)",
            statistics.median(animatic),
            max(animatic),
        ),
    ]
    frame = f"{args.width}×{args.height}"
    print(f"{'stage':36} {'p50 s':>8} {'p95 s':>8}  ({args.case}: {args.runs} runs, {frame}, warm)")
    for name, p50, p95 in rows:
        print(f"{name:36} {p50:8.3f} {p95:8.3f}")
    print(f"{'worker RSS':36} {rss:8.0f} MB")
    print(
        json.dumps(
            {
                "benchmark": "previz_render",
                "engine": "CYCLES" if engine else "BLENDER_WORKBENCH",
                "cycles_samples": 8 if engine else None,
                "case": args.case,
                "width": args.width,
                "height": args.height,
                "runs": args.runs,
                "worker_start_s": round(start_s, 3),
                "build_p50_s": round(statistics.median(build), 4),
                "render_p50_s": round(statistics.median(render), 4),
                "render_p95_s": round(_pct(render, 0.95), 4),
                "total_p50_s": round(statistics.median(total), 4),
                "total_p95_s": round(_pct(total, 0.95), 4),
                "worker_rss_mb": round(rss, 1),
                "animatic_frames": FRAMES_SHOWN,
                "animatic_width": size[0],
                "animatic_height": size[1],
                "animatic_runs": len(animatics),
                "animatic_p50_s": round(statistics.median(animatic), 4),
                "animatic_max_s": round(max(animatic), 4),
            }
        )
    )


if __name__ == "__main__":
    main()
