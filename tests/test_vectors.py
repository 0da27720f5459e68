"""The vector index on real Chroma (embedded and a ``chroma run`` server) with the real MiniLM
and a tiny random-weight CLIP built from configs and loaded from disk (``text_embedder``, the
session's MiniLM, comes from conftest)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import chromadb
import pytest
from PIL import Image

from config.settings import Settings
from memory.embeddings import ImageEmbedder, TextEmbedder, minilm_path
from memory.vectors import KINDS, ImageItem, TextItem, VectorIndex
from tests.chroma_server import chroma_server_url, running_chroma  # noqa: F401  (fixture)
from tests.tiny_clip import TINY_CLIP_DIMENSION, build_tiny_clip

FACTS = [
    TextItem("sword", "The knight's sword snapped in half during the duel in episode 2.", {"episode": 2}),
    TextItem("scarf", "Maya always wears a green wool scarf outdoors.", {"episode": 1, "character": "maya"}),
    TextItem("kitchen", "The castle kitchen is lit by copper lanterns.", {"episode": 1}),
    TextItem("weather", "It has been raining in the valley since the pilot.", {"episode": 3}),
    TextItem("horse", "Maya's horse is a grey mare called Ash.", {"episode": 3, "character": "maya"}),
]

MakeIndex = Callable[..., VectorIndex]


def swatch(rgb: tuple[int, int, int], size: tuple[int, int] = (48, 40)) -> Image.Image:
    """A colour field with a stripe, so images differ in more than their mean."""
    image = Image.new("RGB", size, rgb)
    image.paste(tuple(255 - c for c in rgb), (0, 0, size[0], size[1] // 4))
    return image


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_clip(tmp_path_factory.mktemp("clip"))


@pytest.fixture(scope="session")
def image_embedder(tiny_clip: Path) -> ImageEmbedder:
    return ImageEmbedder(tiny_clip)


@pytest.fixture(params=["embedded", "server"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_index(
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    text_embedder: TextEmbedder,
    image_embedder: ImageEmbedder,
) -> Iterator[MakeIndex]:
    """Indexes on a fresh store: a directory per test, or the session server emptied after each test."""
    opened: list[VectorIndex] = []

    def make(images: bool = False) -> VectorIndex:
        if backend == "embedded":
            client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
        else:
            url = urlsplit(request.getfixturevalue("chroma_server_url"))
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 80)
        index = VectorIndex(client, text_embedder, image_embedder if images else None)
        opened.append(index)
        return index

    yield make
    if backend == "server" and opened:
        client = opened[0].client
        for collection in client.list_collections():
            client.delete_collection(collection.name)
    for index in opened:
        index.close()


def test_minilm_ships_in_its_package() -> None:
    path = minilm_path()
    assert (path / "config.json").is_file() and (path / "modules.json").is_file()


def test_text_embedder_is_a_chroma_embedding_function(text_embedder: TextEmbedder) -> None:
    vectors = text_embedder(["a knight", "a scarf"])
    assert len(vectors) == 2 and len(vectors[0]) == text_embedder.dimension == 384
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-5
    assert not text_embedder.is_legacy()
    rebuilt = TextEmbedder.build_from_config(text_embedder.get_config())
    assert rebuilt.model_path == minilm_path() and text_embedder.get_config()["model_path"] is None
    first = text_embedder.embed_query(["the duel at dawn"])[0]
    assert text_embedder.embed_query(["other", "the duel at dawn"])[1] is first  # cached, not re-embedded


def test_image_embedder_shares_one_normalised_space(image_embedder: ImageEmbedder) -> None:
    images = image_embedder.embed_images([swatch((200, 20, 20)), swatch((20, 20, 200), (17, 90))])
    texts = image_embedder.embed_texts(["a red frame", "the knight"])
    assert image_embedder.dimension == TINY_CLIP_DIMENSION
    for vector in images + texts:
        assert len(vector) == TINY_CLIP_DIMENSION
        assert abs(sum(x * x for x in vector) - 1.0) < 1e-4


def test_finds_facts_by_meaning(make_index: MakeIndex) -> None:
    index = make_index()
    index.upsert_texts(1, "facts", FACTS)
    sword, horse = index.query_texts(1, "facts", ["the knight's broken sword", "what does Maya ride?"], k=3)
    assert sword[0].id == "sword" and horse[0].id == "horse"
    assert len(sword) == 3 and [h.distance for h in sword] == sorted(h.distance for h in sword)
    assert sword[0].document == FACTS[0].text and sword[0].metadata == {"episode": 2}
    only_maya = index.query_texts(1, "facts", ["the knight's sword"], k=8, where={"character": "maya"})[0]
    assert {hit.id for hit in only_maya} == {"scarf", "horse"}


def test_upsert_is_idempotent_on_id(make_index: MakeIndex) -> None:
    index = make_index()
    index.upsert_texts(1, "characters", [TextItem("maya", "Maya, a young archer")])
    index.upsert_texts(1, "characters", [TextItem("maya", "Maya, a young archer")])
    assert index.count(1, "characters") == 1
    index.upsert_texts(
        1, "characters", [TextItem("maya", "first"), TextItem("maya", "Maya, red hair, green scarf")]
    )
    [hit] = index.query_texts(1, "characters", ["red hair"], k=5)[0]
    assert hit.document == "Maya, red hair, green scarf"
    index.upsert_texts(
        1, "facts", [TextItem("f", "the sword is broken", {"character": "maya", "episode": 2})]
    )
    index.upsert_texts(1, "facts", [TextItem("f", "the sword is mended", {"episode": 3})])  # a replacement
    [hit] = index.query_texts(1, "facts", ["sword"], k=5)[0]
    assert hit.metadata == {"episode": 3}
    assert index.query_texts(1, "facts", ["sword"], where={"character": "maya"}) == [[]]
    index.upsert_texts(1, "facts", [TextItem("f", "the sword is gone")])
    assert index.query_texts(1, "facts", ["sword"])[0][0].metadata == {}


def test_projects_never_see_each_other(make_index: MakeIndex) -> None:
    index = make_index()
    index.upsert_texts(1, "facts", FACTS)
    index.upsert_texts(2, "facts", [TextItem("p2-sword", "A sword hangs over the fireplace.")])
    hits = index.query_texts(2, "facts", ["the knight's broken sword"], k=8)[0]
    assert [hit.id for hit in hits] == ["p2-sword"]
    assert index.count(1, "facts") == len(FACTS) and index.count(1, "shots") == 0
    index.drop_project(1)
    assert index.count(1, "facts") == 0 and index.count(2, "facts") == 1
    assert index.query_texts(1, "facts", ["sword"]) == [[]]


def test_delete_by_id_by_filter_and_whole_kind(make_index: MakeIndex) -> None:
    index = make_index()
    index.upsert_texts(1, "facts", FACTS)
    index.delete(1, "facts", ids=[])  # nothing
    index.delete(1, "facts", ids=["sword", "no-such-id"])
    assert index.count(1, "facts") == 4
    index.delete(1, "facts", where={"character": "maya"})
    assert {hit.id for hit in index.query_texts(1, "facts", ["anything"], k=8)[0]} == {"kitchen", "weather"}
    index.delete(1, "facts")
    assert index.count(1, "facts") == 0
    index.upsert_texts(1, "facts", FACTS[:1])  # the kind comes back on the next write
    assert index.count(1, "facts") == 1


def test_reads_create_nothing_and_bad_arguments_are_clear(make_index: MakeIndex) -> None:
    index = make_index()
    assert index.query_texts(7, "shots", ["a wide shot", "a close-up"]) == [[], []]
    assert index.query_texts(7, "shots", []) == []
    assert index.count(7, "shots") == 0
    index.delete(7, "shots", ids=["x"])
    assert index.client.list_collections() == []
    with pytest.raises(ValueError, match="kind must be one of"):
        index.count(1, "props")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="project_id"):
        index.count(-1, "facts")
    index.upsert_texts(1, "facts", FACTS)
    with pytest.raises(ValueError, match="k must be"):
        index.query_texts(1, "facts", ["x"], k=0)


def test_images_without_an_image_model_are_found_by_caption(make_index: MakeIndex) -> None:
    index = make_index()
    index.upsert_images(
        1,
        "references",
        [
            ImageItem(
                "ref-throne", swatch((120, 90, 30)), "a gilded throne room at dusk", {"source": "upload"}
            ),
            ImageItem("ref-forest", swatch((20, 120, 40)), "a misty pine forest at dawn"),
        ],
    )
    [hits] = index.query_texts(1, "references", ["the king's throne"], k=2)
    assert hits[0].id == "ref-throne" and hits[0].metadata == {"source": "upload"}
    assert index.count(1, "references") == 2
    with pytest.raises(ValueError, match="image embedding model"):
        index.query_image(1, "references", swatch((120, 90, 30)))


def test_images_with_a_clip_model(make_index: MakeIndex) -> None:
    index = make_index(images=True)
    colours = {"red": (200, 20, 20), "green": (20, 160, 40), "blue": (30, 40, 210), "grey": (128, 128, 128)}
    items = [ImageItem(f"ref-{name}", swatch(rgb), f"a {name} frame") for name, rgb in colours.items()]
    index.upsert_images(1, "references", items)
    assert index.count(1, "references") == len(colours)  # each image once, however it is indexed

    nearest = index.query_image(1, "references", swatch(colours["green"]), k=3)
    assert len(nearest) == 3 and nearest[0].id == "ref-green" and abs(nearest[0].distance) < 1e-4
    assert nearest[0].document == "a green frame"

    by_text = index.query_images_by_text(1, "references", ["a green frame", "a knight"], k=2)
    assert [len(hits) for hits in by_text] == [2, 2]
    assert all(hit.id.startswith("ref-") for hits in by_text for hit in hits)
    assert index.query_texts(1, "references", ["a blue frame"], k=1)[0][0].id == "ref-blue"  # captions too

    clip = index.client.get_collection("slate-p1-references-clip")
    stored = clip.get(ids=["ref-red"], include=["embeddings"])["embeddings"]
    assert len(stored[0]) == TINY_CLIP_DIMENSION
    index.delete(1, "references", ids=["ref-green"])
    assert index.query_image(1, "references", swatch(colours["green"]), k=1)[0].id != "ref-green"

    without_clip = make_index()  # the bot restarted with no image model: deletes still reach CLIP vectors
    without_clip.delete(1, "references", ids=["ref-red"])
    assert clip.get(ids=["ref-red"])["ids"] == [] and clip.count() == 2


def test_collections_carry_our_embedding_function_and_cosine(make_index: MakeIndex) -> None:
    index = make_index()
    index.upsert_texts(3, "styles", [TextItem("noir", "high-contrast black-and-white noir lighting")])
    collection = index.client.get_collection("slate-p3-styles")  # no function given: Chroma rebuilds ours
    configuration = collection.configuration_json
    assert configuration["embedding_function"]["name"] == TextEmbedder.name()
    assert configuration["hnsw"]["space"] == "cosine"
    assert collection.query(query_texts=["film noir"], n_results=1)["ids"] == [["noir"]]


def test_a_different_text_model_is_refused(make_index: MakeIndex, text_embedder: TextEmbedder) -> None:
    index = make_index()
    index.upsert_texts(1, "facts", FACTS[:1])
    other = VectorIndex(index.client, TextEmbedder(model_path=minilm_path()))  # a custom path: another label
    with pytest.raises(ValueError, match="holds vectors from 'all-MiniLM-L6-v2'"):
        other.count(1, "facts")


def test_data_survives_a_new_client(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if backend == "embedded":
        target = {"path": tmp_path / "chroma"}
    else:
        target = {"url": request.getfixturevalue("chroma_server_url")}
    with VectorIndex.open(**target) as index:
        index.drop_project(41)  # the session server is shared
        index.upsert_texts(41, "facts", FACTS)
    with VectorIndex.open(**target) as reopened:
        assert reopened.count(41, "facts") == len(FACTS)
        assert reopened.query_texts(41, "facts", ["a broken blade"], k=1)[0][0].id == "sword"
        reopened.drop_project(41)


def test_from_settings_opens_embedded_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.chroma_url is None and settings.image_embedding_model is None
    with VectorIndex.from_settings(settings) as index:
        assert index.image is None and index.text.label == "all-MiniLM-L6-v2"
    assert (tmp_path / "chroma").is_dir()
    with pytest.raises(ValueError, match="chroma_url"):
        VectorIndex.open(url="127.0.0.1:8000")
    with pytest.raises(ValueError, match="No Chroma server answers at http://127.0.0.1:9"):
        VectorIndex.open(url="http://127.0.0.1:9")


def test_worker_threads_share_one_index(make_index: MakeIndex) -> None:
    index = make_index()
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for round_ in range(3):
                kind = KINDS[(worker + round_) % len(KINDS)]
                index.upsert_texts(
                    5, kind, [TextItem(f"w{worker}-{round_}", f"worker {worker} note {round_}")]
                )
                index.query_texts(5, kind, [f"note {round_}"], k=2)
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(index.count(5, kind) for kind in KINDS) == 12


@pytest.mark.slow
def test_server_restart_keeps_the_data(tmp_path: Path) -> None:
    with running_chroma(tmp_path / "server") as url, VectorIndex.open(url=url) as index:
        index.upsert_texts(1, "facts", FACTS)
    with running_chroma(tmp_path / "server") as url, VectorIndex.open(url=url) as index:
        assert index.count(1, "facts") == len(FACTS)
