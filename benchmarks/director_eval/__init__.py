"""The director agent's evaluation: realistic directions (cases.jsonl) and how well the agent reads them.

``python -m benchmarks.director_eval.score`` runs every case through a real ``Director`` and
prints the figures; ``harness`` runs one case and records what happened, ``scoring`` compares
that with what the case expected.
"""
