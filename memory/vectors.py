"""The vector index of continuity memory: Chroma collections per project and kind.

Every (project, kind) has its own collection, ``slate-p{project}-{kind}``, of MiniLM vectors
for texts and image captions; with an image model, the same images are also stored as CLIP
vectors in ``slate-p{project}-{kind}-clip``. Per-project collections keep queries flat as a
project grows (Chroma's metadata filters slow down with collection size) and one project never
sees another's data. Vectors are always computed here and handed to Chroma, which never runs
its own (downloading) default model; distances are cosine (0 same, 2 opposite).

Ids are the caller's stable strings, unique within a (project, kind): writing the same id
again replaces the item, and the data survives restarts. Safe to share between threads.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args
from urllib.parse import urlsplit

import chromadb
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from PIL import Image

from memory.embeddings import ImageEmbedder, TextEmbedder

if TYPE_CHECKING:
    from config.settings import Settings

Kind = Literal["characters", "styles", "shots", "facts", "references"]
KINDS: tuple[Kind, ...] = get_args(Kind)
MetadataValue = str | int | float | bool

_SPACE = {"hnsw": {"space": "cosine"}}
_INCLUDE: Any = ["documents", "metadatas", "distances"]
_EMBED_CHUNK = 512  # items embedded and written per round trip
_T = TypeVar("_T")


@dataclass(frozen=True)
class TextItem:
    id: str
    text: str
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class ImageItem:
    id: str
    image: Image.Image
    caption: str
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    id: str
    distance: float  # cosine distance: 0 is identical
    document: str  # the text, or the image's caption
    metadata: dict[str, MetadataValue]


class VectorIndex:
    """Texts and images of each project, findable by meaning (MiniLM) and by look (CLIP, optional)."""

    def __init__(self, client: chromadb.ClientAPI, text: TextEmbedder, image: ImageEmbedder | None = None):
        self.client = client
        self.text = text
        self.image = image
        self._collections: dict[str, Collection] = {}
        self._lock = threading.Lock()
        self._batch: int | None = None  # the most records Chroma takes in one write

    @classmethod
    def open(
        cls,
        *,
        path: Path | None = None,
        url: str | None = None,
        text_model: Path | None = None,
        image_model: Path | None = None,
        device: str = "cpu",
    ) -> VectorIndex:
        """Chroma embedded under ``path``, or the Chroma server at ``url`` ("http://127.0.0.1:8000")."""
        settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"chroma_url must look like http://host:port, not {url!r}")
            secure = parts.scheme == "https"
            port = parts.port or (443 if secure else 80)
            try:
                client = chromadb.HttpClient(host=parts.hostname, port=port, ssl=secure, settings=settings)
            except ValueError as error:
                raise ValueError(f"No Chroma server answers at {url} (chroma_url): {error}") from None
        elif path is not None:
            client = chromadb.PersistentClient(path=str(path), settings=settings)
        else:
            raise ValueError("VectorIndex.open needs path= (embedded Chroma) or url= (a Chroma server)")
        image = ImageEmbedder(image_model, device) if image_model else None
        return cls(client, TextEmbedder(text_model, device), image)

    @classmethod
    def from_settings(cls, settings: Settings) -> VectorIndex:
        """The index Slate's settings describe: a server if ``chroma_url`` is set, else data_dir/chroma."""
        return cls.open(
            path=settings.data_dir / "chroma",
            url=settings.chroma_url,
            text_model=settings.text_embedding_model,
            image_model=settings.image_embedding_model,
        )

    def close(self) -> None:
        """Release the client (an embedded database's files); the index is unusable afterwards."""
        with self._lock:
            self._collections.clear()
        self.client.close()

    def __enter__(self) -> VectorIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Writing.

    def upsert_texts(self, project_id: int, kind: Kind, items: Sequence[TextItem]) -> None:
        """Add or replace texts by id, embedding them in batches."""
        items = _last_per_id(items)
        if not items:
            return
        collection = self._text_collection(project_id, kind, create=True)
        assert collection is not None
        for chunk in _chunks(items, _EMBED_CHUNK):
            self._write(
                collection, chunk, [item.text for item in chunk], self.text.embed([i.text for i in chunk])
            )

    def upsert_embeddings(
        self, project_id: int, kind: Kind, items: Sequence[TextItem], embeddings: Sequence[Sequence[float]]
    ) -> None:
        """Add or replace texts whose vectors were made elsewhere by the same text model (bulk loads)."""
        if len(items) != len(embeddings):
            raise ValueError(f"{len(items)} items but {len(embeddings)} embeddings")
        last = {item.id: position for position, item in enumerate(items)}
        if not last:
            return
        collection = self._text_collection(project_id, kind, create=True)
        assert collection is not None
        for chunk in _chunks(list(last.values()), self._max_batch()):
            chosen = [items[position] for position in chunk]
            vectors = [embeddings[position] for position in chunk]
            self._write(collection, chosen, [item.text for item in chosen], vectors)

    def upsert_images(self, project_id: int, kind: Kind, items: Sequence[ImageItem]) -> None:
        """Add or replace images by id.

        The caption always goes into the kind's text collection (MiniLM), so ``query_texts``
        finds images by description with or without an image model. With an image model the
        pixels are also embedded into the kind's CLIP collection, for :meth:`query_image`
        and :meth:`query_images_by_text`.
        """
        items = _last_per_id(items)
        if not items:
            return
        self.upsert_texts(
            project_id, kind, [TextItem(item.id, item.caption, item.metadata) for item in items]
        )
        if self.image is None:
            return
        collection = self._clip_collection(project_id, kind, create=True)
        assert collection is not None
        for chunk in _chunks(items, _EMBED_CHUNK):
            vectors = self.image.embed_images([item.image for item in chunk])
            self._write(collection, chunk, [item.caption for item in chunk], vectors)

    def _write(
        self, collection: Collection, items: Sequence[Any], documents: list[str], vectors: Any
    ) -> None:
        for start in range(0, len(items), self._max_batch()):
            chunk = items[start : start + self._max_batch()]
            ids = [item.id for item in chunk]
            # Chroma's upsert merges metadata into what an id had; clearing the keys the new
            # item lacks makes a rewrite a true replacement (one atomic write, never absent).
            before = collection.get(ids=ids, include=["metadatas"])
            found = zip(before["ids"], before["metadatas"] or [], strict=True)
            old_keys = {id: set(meta or ()) for id, meta in found}
            metadatas = [
                {**dict.fromkeys(old_keys.get(item.id, ())), **item.metadata} or None for item in chunk
            ]
            collection.upsert(
                ids=ids,
                embeddings=vectors[start : start + len(chunk)],
                documents=documents[start : start + len(chunk)],
                metadatas=metadatas,  # type: ignore[arg-type]
            )

    def delete(
        self,
        project_id: int,
        kind: Kind,
        ids: Sequence[str] | None = None,
        where: dict | None = None,
    ) -> None:
        """Delete by ids, by a metadata filter, or both (items matching both).

        With neither, the whole kind is cleared; an empty ``ids`` list deletes nothing.
        """
        if ids is not None and not ids:
            return
        if ids is None and where is None:
            self._drop(_name(project_id, kind))
            self._drop(_name(project_id, kind, clip=True))
            return
        # Image vectors are deleted even when this index has no image model: a CLIP collection
        # written earlier must not keep images that are gone from the text side.
        clip = _name(project_id, kind, clip=True)
        for collection in (
            self._text_collection(project_id, kind),
            self._collection(clip, None, None, False),
        ):
            if collection is not None:
                collection.delete(ids=list(ids) if ids is not None else None, where=where)

    def drop_project(self, project_id: int) -> None:
        """Forget everything of one project."""
        for kind in KINDS:
            self._drop(_name(project_id, kind))
            self._drop(_name(project_id, kind, clip=True))

    # Reading.

    def count(self, project_id: int, kind: Kind) -> int:
        """Items of this kind: texts and images (every image is counted once, by its caption)."""
        collection = self._text_collection(project_id, kind)
        return collection.count() if collection is not None else 0

    def query_texts(
        self, project_id: int, kind: Kind, texts: Sequence[str], k: int = 8, where: dict | None = None
    ) -> list[list[Hit]]:
        """The ``k`` nearest items by meaning for each text, nearest first: one Chroma query for all."""
        texts = list(texts)
        if not texts:
            return []
        collection = self._text_collection(project_id, kind)
        if collection is None:
            return [[] for _ in texts]
        return _query(collection, self.text.embed_query(texts), k, where)

    def query_image(self, project_id: int, kind: Kind, image: Image.Image, k: int = 8) -> list[Hit]:
        """The ``k`` images that look most like ``image`` (CLIP), nearest first."""
        model = self._image_model("query_image")
        collection = self._clip_collection(project_id, kind)
        if collection is None:
            return []
        return _query(collection, model.embed_images([image]), k, None)[0]

    def query_images_by_text(
        self, project_id: int, kind: Kind, texts: Sequence[str], k: int = 8, where: dict | None = None
    ) -> list[list[Hit]]:
        """The ``k`` images whose pixels best match each text in CLIP's space (not their captions)."""
        model = self._image_model("query_images_by_text")
        texts = list(texts)
        if not texts:
            return []
        collection = self._clip_collection(project_id, kind)
        if collection is None:
            return [[] for _ in texts]
        return _query(collection, model.embed_texts(texts), k, where)

    # Collections.

    def _max_batch(self) -> int:
        if self._batch is None:
            self._batch = self.client.get_max_batch_size()
        return self._batch

    def _image_model(self, operation: str) -> ImageEmbedder:
        if self.image is None:
            raise ValueError(
                f"{operation} needs an image embedding model: set image_embedding_model "
                "(SLATE_IMAGE_EMBEDDING_MODEL) to a local CLIP directory. Without one, images are "
                "found by their captions through query_texts."
            )
        return self.image

    def _text_collection(self, project_id: int, kind: Kind, create: bool = False) -> Collection | None:
        return self._collection(_name(project_id, kind), self.text.label, lambda: self.text.dimension, create)

    def _clip_collection(self, project_id: int, kind: Kind, create: bool = False) -> Collection | None:
        if self.image is None:
            return None
        image, name = self.image, _name(project_id, kind, clip=True)
        return self._collection(name, image.label, lambda: image.dimension, create)

    def _collection(self, name: str, model: str | None, dimension: Any, create: bool) -> Collection | None:
        """The named collection (cached), created on first write; None when absent and not creating.

        Each collection records which model made its vectors; opening it with another model is an
        error rather than a silent mix of two embedding spaces.
        """
        with self._lock:
            collection = self._collections.get(name)
            if collection is None:
                # The text collection carries the embedding function (so Chroma never picks its
                # default); the CLIP one has none: its vectors are always given.
                function = self.text if not name.endswith("-clip") else None
                try:
                    if create:
                        collection = self.client.get_or_create_collection(
                            name,
                            configuration=dict(_SPACE),  # type: ignore[arg-type]
                            metadata={"slate:model": model, "slate:dimension": dimension()},
                            embedding_function=function,  # type: ignore[arg-type]
                        )
                    else:
                        collection = self.client.get_collection(
                            name,
                            embedding_function=function,  # type: ignore[arg-type]
                        )
                except NotFoundError:
                    return None
                recorded = (collection.metadata or {}).get("slate:model")
                if model is not None and recorded is not None and recorded != model:
                    raise ValueError(
                        f"Chroma collection {name} holds vectors from {recorded!r}, not {model!r}: "
                        "switch the embedding model back, or drop the project's vectors and reindex."
                    )
                self._collections[name] = collection
            return collection

    def _drop(self, name: str) -> None:
        with self._lock:
            self._collections.pop(name, None)
            with contextlib.suppress(NotFoundError):
                self.client.delete_collection(name)


def _name(project_id: int, kind: str, clip: bool = False) -> str:
    if isinstance(project_id, bool) or not isinstance(project_id, int) or project_id < 0:
        raise ValueError(f"project_id must be a non-negative int, not {project_id!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; not {kind!r}")
    return f"slate-p{project_id}-{kind}" + ("-clip" if clip else "")


def _last_per_id(items: Sequence[_T]) -> list[_T]:
    """One item per id, the last one given: Chroma refuses duplicate ids within one write."""
    return list({item.id: item for item in items}.values())  # type: ignore[attr-defined]


def _chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _query(collection: Collection, vectors: Any, k: int, where: dict | None) -> list[list[Hit]]:
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    result = collection.query(query_embeddings=vectors, n_results=k, where=where or None, include=_INCLUDE)
    columns = (result["ids"], result["distances"], result["documents"], result["metadatas"])
    rows = zip(*columns, strict=True)  # type: ignore[arg-type]
    return [
        [
            Hit(id, float(distance), document or "", dict(metadata or {}))
            for id, distance, document, metadata in zip(*row, strict=True)
        ]
        for row in rows
    ]
