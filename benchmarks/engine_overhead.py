"""Engine overhead over a bare diffusers call, model loads, and batch efficiency.

Runs the bare pipeline call and Slate's engine on the *same* pipeline object, inputs, steps
and seeds, interleaved (A, B, A, B, …) so machine noise hits both alike, and compares medians.

    python -m benchmarks.engine_overhead                      # tiny pipeline built from configs, CPU
    python -m benchmarks.engine_overhead --model DIR --size 1024 --steps 30   # a real model (GPU)

Prints a table, then one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from config.models import ModelSpec
from tools.diffusers_engine import DiffusersEngine
from tools.engine import GenerationRequest
from tools.previz import PrevizEngine

PROMPT = "wide shot, Maya walks into the throne room at dusk, volumetric light"


def timed(fn: Callable[[], object]) -> float:
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start


def interleaved(
    a: Callable[[], object], b: Callable[[], object], rounds: int
) -> tuple[list[float], list[float]]:
    a(), b()  # warm-up: allocator, kernels, caches
    times_a, times_b = [], []
    for _ in range(rounds):
        times_a.append(timed(a))
        times_b.append(timed(b))
    return times_a, times_b


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, help="a local diffusers directory (default: a tiny pipeline)")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    if args.model is None:
        from tests.tiny_models import build_tiny_sd

        args.model = build_tiny_sd(Path(tempfile.mkdtemp(prefix="slate-bench-")), vae_scale=8)
        model_label = "tiny SD, x8 VAE (random weights)"
    else:
        model_label = str(args.model)
    engine = DiffusersEngine({"m": ModelSpec(path=args.model, steps=args.steps)}, "m")
    pipeline = engine.model().base  # the very object the engine calls
    size, steps = args.size, args.steps

    def bare(count: int = 1, seed: int = 7) -> object:
        generators = [torch.Generator("cpu").manual_seed(seed + i) for i in range(count)]
        return pipeline(
            prompt=PROMPT,
            width=size,
            height=size,
            num_inference_steps=steps,
            guidance_scale=7.0,
            num_images_per_prompt=count,
            generator=generators,
            output_type="pil",
        ).images

    def slate(count: int = 1, seed: int = 7) -> object:
        request = GenerationRequest(
            prompt=PROMPT, width=size, height=size, steps=steps, guidance=7.0, seed=seed, count=count
        )
        return engine.generate(request, progress=lambda p: None)

    bare_t, slate_t = interleaved(bare, slate, args.rounds)
    bare_med, slate_med = statistics.median(bare_t), statistics.median(slate_t)
    overhead = 100 * (slate_med - bare_med) / bare_med

    singles_t, batch_t = interleaved(
        lambda: [slate(1, 7 + i) for i in range(4)], lambda: slate(4, 7), max(3, args.rounds // 3)
    )
    batch_ratio = statistics.median(batch_t) / statistics.median(singles_t)

    previz = PrevizEngine()
    previz_requests = [GenerationRequest(prompt=PROMPT, width=1024, height=576, seed=i) for i in range(10)]
    previz_t = [timed(lambda r=r: previz.generate(r)) for r in previz_requests]

    device = str(engine.device) + (f" ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else "")
    rows = [
        ("model", model_label),
        ("device", device),
        ("size / steps", f"{size}×{size} / {steps}"),
        ("bare diffusers call, median", f"{bare_med * 1000:.1f} ms"),
        ("Slate engine, median", f"{slate_med * 1000:.1f} ms"),
        ("engine overhead", f"{overhead:+.2f} %"),
        ("images/s (engine, batch 1)", f"{1 / slate_med:.2f}"),
        ("4 single calls, median", f"{statistics.median(singles_t) * 1000:.1f} ms"),
        ("one batch of 4, median", f"{statistics.median(batch_t) * 1000:.1f} ms"),
        ("batch-of-4 / 4 singles", f"{batch_ratio:.3f}"),
        ("model loads after all requests", str(engine.load_count)),
        ("previz 1024×576, median", f"{statistics.median(previz_t) * 1000:.1f} ms"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(
        json.dumps(
            {
                "device": str(engine.device),
                "size": size,
                "steps": steps,
                "bare_ms": round(bare_med * 1000, 2),
                "engine_ms": round(slate_med * 1000, 2),
                "engine_overhead_pct": round(overhead, 2),
                "images_per_s": round(1 / slate_med, 3),
                "batch4_over_4_singles": round(batch_ratio, 3),
                "model_loads": engine.load_count,
                "previz_1024x576_ms": round(statistics.median(previz_t) * 1000, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
