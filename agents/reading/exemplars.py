"""Telling kinds of message apart by meaning: nearest labelled exemplar phrasings, by MiniLM.

A reader holds a few short phrasings per label ("give me a few alternates" for variations,
"blow it up for print" for an upscale). A message is embedded once with the MiniLM model Slate
ships and compared with every exemplar (cosine: the vectors are unit length); each label scores
its nearest exemplar. A reader decides with a threshold and a margin over its default label, so
a message near nothing, or as near the default as anything else, keeps the default reading.
The nearest exemplar is the reason, in words, when Slate explains what it read.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from memory.embeddings import TextEmbedder


@dataclass(frozen=True)
class Nearest:
    """One label's nearest exemplar to a message."""

    label: str
    score: float
    phrase: str


class ExemplarSet:
    """Labelled exemplar phrasings, embedded once on first use; ``nearest`` costs one embedding."""

    def __init__(self, exemplars: Mapping[str, Sequence[str]], embedder: TextEmbedder | None = None) -> None:
        self._embedder = embedder or shared_embedder()
        self._labels = [label for label, phrases in exemplars.items() for _ in phrases]
        self._phrases = [phrase for phrases in exemplars.values() for phrase in phrases]
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def _exemplar_vectors(self) -> np.ndarray:
        with self._lock:
            if self._vectors is None:
                self._vectors = self._embedder.embed(self._phrases)
            return self._vectors

    def nearest(self, text: str) -> dict[str, Nearest]:
        """Each label's nearest exemplar to ``text`` (queries are cached by the embedder)."""
        return self.nearest_each([text])[0]

    def nearest_each(self, texts: Sequence[str]) -> list[dict[str, Nearest]]:
        """``nearest`` for several texts (a direction's clauses), embedded in one batch."""
        queries = np.asarray(self._embedder.embed_query(list(texts)))
        readings = []
        for similarities in queries @ self._exemplar_vectors().T:
            best: dict[str, Nearest] = {}
            for label, phrase, similarity in zip(self._labels, self._phrases, similarities, strict=True):
                if label not in best or similarity > best[label].score:
                    best[label] = Nearest(label, float(similarity), phrase)
            readings.append(best)
        return readings


_CLAUSE_BREAK = re.compile(r"\s*(?:[.;!?,:]+|\s[—–-]+)\s+|\s*[.;!?]+$")


def clauses(text: str, shortest: int = 3) -> list[str]:
    """The clauses of a direction, split at punctuation ("but" keeps a clause whole: "again but at
    night"); those under ``shortest`` characters ("WS") carry no meaning to compare and are left out."""
    return [part.strip() for part in _CLAUSE_BREAK.split(text) if len(part.strip()) >= shortest]


def decide(
    nearest: Mapping[str, Nearest], default: str, threshold: float, margin: float
) -> tuple[Nearest, Nearest]:
    """The winning label's nearest exemplar (the default's when unsure), and the default's own."""
    fallback = nearest[default]
    winner = max(nearest.values(), key=lambda n: n.score)
    if winner.label != default and (winner.score < threshold or winner.score - fallback.score < margin):
        winner = fallback
    return winner, fallback


def normalised(text: str, names: Iterable[str] = ()) -> str:
    """Slack mentions, markup and who is named carry no meaning for the kind of message."""
    text = re.sub(r"<[@#!][^>]*>|[*_`~]", " ", text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?:['’]s)?(?!\w)", "someone", text, flags=re.IGNORECASE)
    return text.strip()


@functools.cache
def shared_embedder() -> TextEmbedder:
    """One MiniLM per process for the readers, so a direction is embedded once for all of them."""
    return TextEmbedder()
