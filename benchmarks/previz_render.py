"""Blender blocking previz: Workbench render time at 1024×576 with the worker warm.

    PYTHONPATH=. .venv/bin/python -m benchmarks.previz_render [--runs 12]

Prints a table, then one JSON line last. Needs .venv-blender (`make install`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

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


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=576)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, BlenderWorker() as worker:
        started = time.perf_counter()
        worker.rss_mb()
        start_s = time.perf_counter() - started
        worker.render(
            _scene(0, args.width, args.height), Path(tmp) / "warm.png"
        )  # first render compiles shaders
        results = [
            worker.render(_scene(i, args.width, args.height), Path(tmp) / f"{i}.png")
            for i in range(args.runs)
        ]
        rss = worker.rss_mb()
    render = [r.render_seconds for r in results]
    build = [r.build_seconds for r in results]
    total = [r.seconds for r in results]
    rows = [
        ("worker start (bpy import)", start_s, start_s),
        ("scene build", statistics.median(build), _pct(build, 0.95)),
        ("Workbench render", statistics.median(render), _pct(render, 0.95)),
        ("request total (build+render+save)", statistics.median(total), _pct(total, 0.95)),
    ]
    print(f"{'stage':36} {'p50 s':>8} {'p95 s':>8}  ({args.runs} runs, {args.width}×{args.height}, warm)")
    for name, p50, p95 in rows:
        print(f"{name:36} {p50:8.3f} {p95:8.3f}")
    print(f"{'worker RSS':36} {rss:8.0f} MB")
    print(
        json.dumps(
            {
                "benchmark": "previz_render",
                "engine": "BLENDER_WORKBENCH",
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
            }
        )
    )


if __name__ == "__main__":
    main()
