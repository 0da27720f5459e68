"""Continuity-memory retrieval at project scale: a "continuity pack" over 10,000 stored items.

A pack is what the director reads before a shot: the direction is embedded once, then four
``query_texts`` calls — characters (k=4), facts (k=6, no filter), shots (k=4), references
(k=4) — against one project's collections. Timed over ≥200 directions, none seen before.

    python -m benchmarks.memory_retrieval              # 10,000 items, embedded Chroma
    python -m benchmarks.memory_retrieval --large      # and then 100,000
    python -m benchmarks.memory_retrieval --server     # against a local `chroma run` server

What is real: every query direction is embedded by MiniLM when it is timed; ingest throughput
is measured with real MiniLM (and the tiny random-weight CLIP for images). The bulk store is
built from a pool of generated film sentences embedded by MiniLM for real, each stored item a
pool sentence's vector plus small noise (cosine ≈ 0.9 to its source), so 100,000 items load
in seconds with MiniLM's geometry. Prints a table, then one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from memory.embeddings import ImageEmbedder
from memory.vectors import ImageItem, Kind, TextItem, VectorIndex

PROJECT = 1
# How 10,000 items of one project split across kinds (shots and facts dominate a season).
MIX: dict[Kind, float] = {
    "characters": 0.03,
    "styles": 0.02,
    "shots": 0.45,
    "facts": 0.30,
    "references": 0.20,
}
PACK: list[tuple[Kind, int]] = [("characters", 4), ("facts", 6), ("shots", 4), ("references", 4)]

CHARACTERS = ["Maya", "Idris", "the old king", "Sister Ana", "Tomas", "the ferryman", "Lena", "Captain Roe"]
PLACES = ["throne room", "harbour", "castle kitchen", "pine forest", "market square", "chapel", "ship deck"]
TIMES = ["at dawn", "at dusk", "at night", "in the rain", "at noon", "by candlelight"]
SHOTS = ["wide shot", "close-up", "over-the-shoulder", "low angle", "tracking shot", "insert"]
ACTIONS = [
    "draws a sword",
    "reads a letter",
    "hides the key",
    "argues with the guard",
    "lights a lantern",
    "runs down the stairs",
]
OBJECTS = ["sword", "scarf", "ring", "map", "lantern", "cloak", "letter", "horse"]
STATES = ["is broken", "is lost", "was burned", "is stained with blood", "is new", "was given away"]
LOOKS = ["teal-and-orange grade", "bleach bypass", "soft pastel palette", "high-contrast noir", "16mm grain"]


def sentence(kind: Kind, rng: random.Random) -> str:
    c, p, t = rng.choice(CHARACTERS), rng.choice(PLACES), rng.choice(TIMES)
    if kind == "characters":
        return f"{c}: {rng.choice(['red', 'grey', 'black'])} hair, {rng.choice(OBJECTS)} always at hand"
    if kind == "facts":
        return f"{c}'s {rng.choice(OBJECTS)} {rng.choice(STATES)} since episode {rng.randint(1, 8)}"
    if kind == "shots":
        return f"{rng.choice(SHOTS)}: {c} {rng.choice(ACTIONS)} in the {p} {t}"
    if kind == "references":
        return f"reference still of the {p} {t}, {rng.choice(LOOKS)}"
    return f"{rng.choice(LOOKS)}, {rng.choice(['35mm', '50mm', '85mm'])} lens, {t}"


def direction(rng: random.Random, n: int) -> str:
    return (
        f"{rng.choice(SHOTS)} of {rng.choice(CHARACTERS)} who {rng.choice(ACTIONS)} "
        f"in the {rng.choice(PLACES)} {rng.choice(TIMES)} — take {n}"
    )


def ms(seconds: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(seconds) * 1000, q))


def still(rng: random.Random, side: int = 256) -> Image.Image:
    """A frame-like picture: a gradient with a block of colour, different every time."""
    gradient = np.linspace(0, 255, side, dtype=np.uint8)
    pixels = np.stack([np.tile(gradient, (side, 1))] * 3, axis=-1).copy()
    x, y = rng.randrange(side // 2), rng.randrange(side // 2)
    pixels[y : y + side // 3, x : x + side // 3] = [rng.randrange(256) for _ in range(3)]
    return Image.fromarray(pixels)


def bulk_load(
    index: VectorIndex, total: int, pools: dict[Kind, tuple[list[str], np.ndarray]], seed: int
) -> float:
    """Store ``total`` items in one project from the embedded pools; returns items/s of the writes."""
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    written, elapsed = 0, 0.0
    for kind, share in MIX.items():
        texts, vectors = pools[kind]
        count = max(1, round(total * share))
        source = noise.integers(0, len(texts), count)
        # Noise of norm ~0.45 on a unit vector: cosine to the source sentence ≈ 0.9.
        jitter = noise.normal(0, 0.45 / np.sqrt(vectors.shape[1]), (count, vectors.shape[1]))
        stored = vectors[source] + jitter
        stored /= np.linalg.norm(stored, axis=1, keepdims=True)
        first = index.count(PROJECT, kind)  # growing a store: new ids after the ones already there
        items = [
            TextItem(
                f"{kind}:{first + i}",
                f"{texts[s]} (#{first + i})",
                {"character": rng.choice(CHARACTERS), "episode": rng.randint(1, 8)},
            )
            for i, s in enumerate(source)
        ]
        start = time.perf_counter()
        index.upsert_embeddings(PROJECT, kind, items, stored.astype(np.float32))
        elapsed += time.perf_counter() - start
        written += count
    return written / elapsed


def measure_pack(index: VectorIndex, queries: int, seed: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    times: dict[str, list[float]] = {"embed": [], "pack": [], "total": [], "facts_where": []}
    times.update({kind: [] for kind, _ in PACK})
    for n in range(queries + 20):  # the first 20 warm caches and are not counted
        text = direction(rng, n)
        start = time.perf_counter()
        index.text.embed_query([text])  # the one real embedding; the four queries below reuse it
        embedded = time.perf_counter()
        per_kind = []
        for kind, k in PACK:
            before = time.perf_counter()
            hits = index.query_texts(PROJECT, kind, [text], k=k)[0]
            per_kind.append((kind, time.perf_counter() - before))
            assert len(hits) == k
        done = time.perf_counter()
        before = time.perf_counter()
        index.query_texts(PROJECT, "facts", [text], k=6, where={"character": rng.choice(CHARACTERS)})
        filtered = time.perf_counter() - before
        if n >= 20:
            times["embed"].append(embedded - start)
            times["pack"].append(done - embedded)
            times["total"].append(done - start)
            times["facts_where"].append(filtered)
            for kind, seconds in per_kind:
                times[kind].append(seconds)
    return times


def measure_ingest(index: VectorIndex, clip_index: VectorIndex, seed: int, count: int) -> dict[str, float]:
    rng = random.Random(seed)
    texts = [TextItem(f"t{i}", sentence("facts", rng) + f" ({i})") for i in range(count)]
    start = time.perf_counter()
    index.upsert_texts(900, "facts", texts)
    rates = {"texts": count / (time.perf_counter() - start)}
    images = [
        ImageItem(f"i{i}", still(rng), sentence("references", rng) + f" ({i})") for i in range(count // 2)
    ]
    start = time.perf_counter()
    index.upsert_images(901, "references", images)
    rates["images_by_caption"] = len(images) / (time.perf_counter() - start)
    start = time.perf_counter()
    clip_index.upsert_images(902, "references", images)
    rates["images_tiny_clip"] = len(images) / (time.perf_counter() - start)
    for project in (900, 901, 902):
        index.drop_project(project)
    return rates


@contextlib.contextmanager
def store(server: bool, root: Path) -> Iterator[dict[str, object]]:
    if not server:
        yield {"path": root / "chroma"}
        return
    from tests.chroma_server import running_chroma

    with running_chroma(root / "server") as url:
        yield {"url": url}


def run(target: dict[str, object], sizes: list[int], args: argparse.Namespace, clip: Path) -> list[dict]:
    index = VectorIndex.open(**target)  # type: ignore[arg-type]
    clip_index = VectorIndex(index.client, index.text, ImageEmbedder(clip))
    rng = random.Random(args.seed)

    start = time.perf_counter()
    index.text.embed(["warm-up"])
    load_s = time.perf_counter() - start
    pools: dict[Kind, tuple[list[str], np.ndarray]] = {}
    start = time.perf_counter()
    for kind in MIX:
        texts = list(dict.fromkeys(sentence(kind, rng) for _ in range(args.pool)))
        pools[kind] = (texts, index.text.embed(texts))
    pool_count = sum(len(texts) for texts, _ in pools.values())
    pool_rate = pool_count / (time.perf_counter() - start)

    ingest = measure_ingest(index, clip_index, args.seed, args.ingest)
    results = []
    loaded = 0
    for size in sizes:
        write_rate = bulk_load(index, size - loaded, pools, args.seed + size)
        loaded = size
        counts = {kind: index.count(PROJECT, kind) for kind in MIX}
        times = measure_pack(index, args.queries, args.seed + size)
        results.append(
            {
                "items": sum(counts.values()),
                "counts": counts,
                "times": times,
                "bulk_write_per_s": write_rate,
                "ingest": ingest,
                "pool": pool_count,
                "pool_embed_per_s": pool_rate,
                "model_load_s": load_s,
            }
        )
    index.close()
    return results


def report(results: list[dict], args: argparse.Namespace) -> dict:
    rows: list[tuple[str, str]] = [
        (
            "backend",
            "Chroma server (chroma run, loopback)" if args.server else "Chroma embedded (PersistentClient)",
        ),
        (
            "embedded for real",
            f"{results[0]['pool']} pool sentences, every query direction, all ingest items",
        ),
        ("torch threads (MiniLM)", str(torch.get_num_threads())),
        ("MiniLM load + first call", f"{results[0]['model_load_s'] * 1000:.0f} ms"),
        ("MiniLM pool embedding", f"{results[0]['pool_embed_per_s']:.0f} texts/s"),
    ]
    ingest = results[0]["ingest"]
    rows += [
        ("ingest texts (MiniLM, batched)", f"{ingest['texts']:.0f} items/s"),
        ("ingest images by caption", f"{ingest['images_by_caption']:.0f} items/s"),
        ("ingest images, tiny CLIP + caption", f"{ingest['images_tiny_clip']:.0f} items/s"),
    ]
    summary: dict = {
        "backend": "server" if args.server else "embedded",
        "queries": args.queries,
        "torch_threads": torch.get_num_threads(),
        "ingest_texts_per_s": round(ingest["texts"], 1),
        "ingest_images_caption_per_s": round(ingest["images_by_caption"], 1),
        "ingest_images_tiny_clip_per_s": round(ingest["images_tiny_clip"], 1),
    }
    for n, result in enumerate(results):
        t, size = result["times"], result["items"]
        rows.append((f"— {size:,} items", ", ".join(f"{k} {v}" for k, v in result["counts"].items())))
        rows.append(("bulk write (given vectors)", f"{result['bulk_write_per_s']:.0f} items/s"))
        rows.append(("embed direction p50 / p95", f"{ms(t['embed'], 50):.1f} / {ms(t['embed'], 95):.1f} ms"))
        for kind, k in PACK:
            rows.append((f"  query {kind} k={k} p50", f"{ms(t[kind], 50):.2f} ms"))
        rows.append(("pack, 4 queries p50 / p95", f"{ms(t['pack'], 50):.1f} / {ms(t['pack'], 95):.1f} ms"))
        rows.append(("embed + pack p50 / p95", f"{ms(t['total'], 50):.1f} / {ms(t['total'], 95):.1f} ms"))
        rows.append(
            (
                "facts k=6 where character= p50 / p95",
                f"{ms(t['facts_where'], 50):.1f} / {ms(t['facts_where'], 95):.1f} ms",
            )
        )
        figures = {
            "items": size,
            "pack_p50_ms": round(ms(t["pack"], 50), 2),
            "pack_p95_ms": round(ms(t["pack"], 95), 2),
            "embed_direction_p50_ms": round(ms(t["embed"], 50), 2),
            "embed_direction_p95_ms": round(ms(t["embed"], 95), 2),
            "embed_plus_pack_p50_ms": round(ms(t["total"], 50), 2),
            "embed_plus_pack_p95_ms": round(ms(t["total"], 95), 2),
            "facts_where_p50_ms": round(ms(t["facts_where"], 50), 2),
            "bulk_write_per_s": round(result["bulk_write_per_s"], 1),
        }
        if n == 0:
            summary |= figures
        else:
            summary[f"at_{size}"] = figures
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000, help="items stored in the project")
    parser.add_argument("--large", action="store_true", help="then grow the same project to 100,000")
    parser.add_argument("--queries", type=int, default=200, help="directions timed (at least 200)")
    parser.add_argument("--pool", type=int, default=400, help="sentences embedded for real per kind")
    parser.add_argument("--ingest", type=int, default=512, help="texts for the ingest rate (half as images)")
    parser.add_argument("--server", action="store_true", help="run against a local `chroma run` server")
    parser.add_argument("--threads", type=int, help="torch intra-op threads for MiniLM (default: torch's)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    sizes = [args.items] + ([100_000] if args.large and args.items < 100_000 else [])

    from tests.tiny_clip import build_tiny_clip

    with tempfile.TemporaryDirectory(prefix="slate-memory-bench-") as tmp:
        root = Path(tmp)
        clip = build_tiny_clip(root / "models")
        with store(args.server, root) as target:
            results = run(target, sizes, args, clip)
    print(json.dumps(report(results, args)))


if __name__ == "__main__":
    main()
