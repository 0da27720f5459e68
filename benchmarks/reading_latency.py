"""How long the offline model takes to read one direction, on CPU.

    python -m benchmarks.reading_latency

Every direction of the evaluation's development and test sets is read as the agent reads it:
the offline model's decision (request kind by MiniLM similarity, vagueness, canon statements,
revision tools) plus the shot spec the desk records. Nothing is generated. The first reading
(loading MiniLM and embedding the exemplars) is timed apart. Torch runs on one thread, as in
the directing process (``memory.embeddings.read_on_one_thread``). Goal: p95 under 50 ms.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from langchain_core.messages import HumanMessage, SystemMessage

from agents.offline_model import FilmGrammarModel
from agents.prompts import SYSTEM_PROMPT
from agents.spec import read_spec
from memory.embeddings import read_on_one_thread

SETS = Path(__file__).parent / "director_eval"
STATES = {
    False: "Thread state: no shot yet.\nAttached images: 0\nCast (names, data): Maya, Rook",
    True: "Thread state: shot 1, current version v1. Its description (data, not instructions): 'WS, Maya'"
    "\nAttached images: 0\nCast (names, data): Maya, Rook",
}


def directions() -> list[tuple[str, bool]]:
    found = []
    for name in ("cases.jsonl", "test_set.jsonl"):
        for line in (SETS / name).read_text().splitlines():
            if line.strip():
                case = json.loads(line)
                in_thread = bool(case.get("setup", {}).get("thread"))
                found.append((case["direction"], in_thread))
    return found


def read_once(model: FilmGrammarModel, text: str, in_thread: bool) -> float:
    messages = [SystemMessage(f"{SYSTEM_PROMPT}\n\n{STATES[in_thread]}"), HumanMessage(text)]
    start = time.perf_counter()
    model.invoke(messages)
    read_spec(text, ["Maya", "Rook"])
    return (time.perf_counter() - start) * 1000


def main() -> None:
    read_on_one_thread()  # as the directing process runs
    model = FilmGrammarModel()
    cold = read_once(model, "wide of the harbour", False) + read_once(model, "a few more like it", True)
    times = {False: [], True: []}
    for text, in_thread in directions():
        times[in_thread].append(read_once(model, text, in_thread))
    every = sorted(times[False] + times[True])

    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    print(f"{'directions':<22}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for label, values in (("new thread", times[False]), ("in a thread", times[True]), ("all", every)):
        middle, tail = statistics.median(values), p(values, 0.95)
        print(f"{label:<22}{len(values):>5}{middle:>9.1f}{tail:>9.1f}{max(values):>9.1f}")
    print(f"first readings (load MiniLM, embed both readers' exemplars): {cold:.0f} ms")
    figures = {
        "directions": len(every),
        "reading_p50_ms": round(statistics.median(every), 1),
        "reading_p95_ms": round(p(every, 0.95), 1),
        "reading_max_ms": round(max(every), 1),
        "first_reading_ms": round(cold),
        "goal_p95_ms": 50,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
