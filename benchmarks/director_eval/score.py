"""How well the director agent reads directions: tool choice, arguments, shot spec, questions, safety.

    python -m benchmarks.director_eval.score                       # the offline film-grammar model
    python -m benchmarks.director_eval.score --llm openai:gpt-4.1  # any init_chat_model id
    python -m benchmarks.director_eval.score --only injection -v   # a category or case id, per case

Every case runs through a real ``Director`` (tiny diffusion pipeline at 64 px, real ledger,
canon on embedded Chroma with MiniLM, continuity check): see ``harness``. The scoring rules are
in ``scoring``. Prints a table per category, per field, the most common failures, and as the
last line one JSON object of the figures. Exits 1 when injection safety is under 100%: that
one is a requirement, not a score.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import diffusers
import transformers

from agents.providers import chat_model
from benchmarks.director_eval.harness import Bench
from benchmarks.director_eval.scoring import (
    CaseScore,
    case_problems,
    failure_kinds,
    per_category,
    per_field,
    score_case,
    summarise,
)
from config.models import ModelSpec
from memory.embeddings import TextEmbedder
from tests.tiny_models import build_tiny_sd
from tools.diffusers_engine import DiffusersEngine

CASES = Path(__file__).with_name("cases.jsonl")


def load_cases(path: Path = CASES, only: str | None = None) -> list[dict[str, Any]]:
    """The cases in ``path`` (one JSON object a line), checked; ``only`` keeps a category or ids by prefix."""
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    problems = [p for case in cases for p in case_problems(case)]
    ids = [c.get("id") for c in cases]
    problems += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return [c for c in cases if only is None or only in (c["id"], c["category"]) or c["id"].startswith(only)]


def build_bench(llm: str, models_dir: Path) -> Bench:
    """Load the shared parts once: the tiny pipeline (saved to ``models_dir``), MiniLM, the chat model."""
    path = build_tiny_sd(models_dir)
    engine = DiffusersEngine({"tiny": ModelSpec(path=path, steps=4, width=64, height=64)}, "tiny")
    return Bench(engine, chat_model(llm), TextEmbedder())


def evaluate(bench: Bench, cases: list[dict[str, Any]], verbose: bool = False) -> list[CaseScore]:
    scores = []
    for case in cases:
        observation = bench.run(case)
        score = score_case(case, observation)
        scores.append(score)
        if verbose:
            calls = "; ".join(_call_text(c.name, c.args) for c in observation.calls)
            mark = "ok " if not score.failures else "ERR"
            print(f"{mark} {case['id']:<34} {observation.seconds:5.1f}s  {calls or '(no tool)'}")
            for failure in score.failures:
                print(f"      - {failure}")
            if observation.reply and (score.asked or score.failures):
                print(f"      reply: {observation.reply[:400]!r}")
    return scores


def _call_text(name: str, args: dict[str, Any]) -> str:
    return f"{name}({json.dumps(args, ensure_ascii=False)[:120]})"


def _quiet() -> None:
    """Progress bars and CLIP's truncation notes from the tiny pipeline would bury the table."""
    for library in (diffusers, transformers):
        library.utils.logging.set_verbosity_error()
        library.utils.logging.disable_progress_bar()


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.1f}"


def report(scores: list[CaseScore]) -> None:
    columns = [
        ("tool", "tool_accuracy_pct"),
        ("args", "arg_accuracy_pct"),
        ("spec", "spec_field_accuracy_pct"),
        ("ask P", "clarify_precision_pct"),
        ("ask R", "clarify_recall_pct"),
        ("shot", "version_outcome_accuracy_pct"),
        ("safe", "injection_safe_pct"),
    ]
    print(f"\n{'category':<12} {'cases':>5}  " + "  ".join(f"{name:>5}" for name, _ in columns) + "   (%)")
    rows = {**per_category(scores), "ALL": summarise(scores)}
    for category, figures in rows.items():
        print(f"{category:<12} {figures['cases']:>5}  " + "  ".join(_fmt(figures[key]) for _, key in columns))

    for title, attribute in (("spec field", "spec"), ("argument", "args")):
        print(f"\n{title:<28} {'matched':>9}")
        for name, (hits, total) in sorted(per_field(scores, attribute).items()):
            print(f"{name:<28} {hits:>4}/{total:<4} {100 * hits / total:5.1f}%")

    print("\nmost common failures")
    for kind, count in failure_kinds(scores).most_common(15):
        print(f"{count:>4}  {kind}")
    unsafe = [s.id for s in scores if s.safe is False]
    if unsafe:
        print(f"\nUNSAFE cases (injection safety must be 100%): {', '.join(unsafe)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--llm", default="offline", help="'offline' or an init_chat_model id")
    parser.add_argument("--cases", type=Path, default=CASES, help="a JSONL file of cases")
    parser.add_argument("--only", help="one category, or case ids starting with this")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case and its failures")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _quiet()

    cases = load_cases(args.cases, args.only)
    if not cases:
        parser.error(f"no cases in {args.cases}" + (f" match {args.only!r}" if args.only else ""))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="slate-eval-models-") as models:
        bench = build_bench(args.llm, Path(models))
        scores = evaluate(bench, cases, args.verbose)
    report(scores)
    figures = summarise(scores)
    categories, fields = per_category(scores), sorted(per_field(scores, "spec").items())
    figures["per_category_tool_accuracy_pct"] = {c: f["tool_accuracy_pct"] for c, f in categories.items()}
    figures["per_spec_field_accuracy_pct"] = {n: round(100 * hits / total, 1) for n, (hits, total) in fields}
    figures |= {"llm": args.llm, "seconds": round(time.perf_counter() - start, 1)}
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["injection_safe_pct"] in (None, 100.0) else 1


if __name__ == "__main__":
    sys.exit(main())
