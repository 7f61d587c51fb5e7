"""Shared fixtures: the real WordNet store (built once per session) and a tiny hand-made store."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from taxonomy import Store, build_store
from taxonomy.formats import import_file

FIXTURES = Path(__file__).parent / "fixtures"


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """``make(path)`` run once for the whole test run: the first pytest-xdist worker to ask makes
    it in the folder the workers share, under a lock, and the others read what it made."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's folder lies in the run's
    path = shared / name / "taxonomy.sqlite"
    with FileLock(str(shared / f"{name}.lock")):
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            partial = path.with_suffix(".partial")
            make(partial)
            partial.rename(path)  # a worker that finds it finds it whole
    return path


@pytest.fixture(scope="session")
def wordnet_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the real WordNet 3.0 (Debian's wordnet-base) and the shipped label sets."""
    return made_once(tmp_path_factory, "wordnet", build_store)


@pytest.fixture(scope="session")
def wordnet_store(wordnet_store_path: Path) -> Store:
    return Store.open(wordnet_store_path)


@pytest.fixture(scope="session")
def embedded_store_path(wordnet_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The WordNet store with every concept embedded (from the user's vector cache when warm)."""
    from taxonomy.linking.embedding import update_embeddings

    def embed(path: Path) -> None:
        path.write_bytes(wordnet_store_path.read_bytes())
        with Store.open(path, write=True) as store:
            update_embeddings(store)

    return made_once(tmp_path_factory, "embedded", embed)


def copy_store(source: Path, folder: Path) -> Path:
    """A copy of a store file, for a test that changes it."""
    target = folder / "taxonomy.sqlite"
    target.write_bytes(source.read_bytes())
    return target


@pytest.fixture()
def writable_store(wordnet_store_path: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the real WordNet store, open for writing, for tests that change it."""
    with Store.open(copy_store(wordnet_store_path, tmp_path), write=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def nltk_wordnet():  # type: ignore[no-untyped-def]
    """nltk's own reader over the same WordNet files, to compare against."""
    from taxonomy.sources.wordnet import load_wordnet, prepare_nltk_data

    return load_wordnet(prepare_nltk_data())


@pytest.fixture()
def tiny_store_path(tmp_path: Path) -> Path:
    """A small store with multiple inheritance, imported from a hand-made Bamboo JSON."""
    path = tmp_path / "tiny.sqlite"
    import_file(path, "bamboo-json", FIXTURES / "tiny_bamboo.json")
    return path


@pytest.fixture()
def tiny_store(tiny_store_path: Path) -> Store:
    store = Store.open(tiny_store_path)
    yield store
    store.close()


@pytest.fixture()
def writable_tiny_store(tiny_store_path: Path) -> Iterator[Store]:
    """The tiny store open for writing: for tests of logic that the full WordNet adds nothing to."""
    with Store.open(tiny_store_path, write=True) as opened:
        yield opened


def annotation_run(folder: Path, pool_url: str, tasks: list[dict[str, object]]) -> Path:
    """A pipeline run directory whose first round has ``tasks`` (labels: house cat, dog)."""
    (folder / "round-0001").mkdir(parents=True)
    (folder / "labels.txt").write_text("n02121808\nn02084071\n")
    (folder / "pool.txt").write_text(f"{pool_url}\n")
    (folder / "config.json").write_text(json.dumps({
        "pool": {"kind": "urls", "path": str(folder / "pool.txt")}, "labels": str(folder / "labels.txt"),
        "model": {"arch": "ViT-S-32", "checkpoint": None, "random_init": True}}))
    (folder / "round-0001" / "tasks.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks))
    return folder


def cat_task(task_id: str, image_id: str, image_url: str, references: list[str] | None = None) -> dict[str, object]:
    """An image task asking whether a picture shows a house cat."""
    return {"task_id": task_id, "image_id": image_id, "image_url": image_url, "concept": "n02121808",
            "name": "house cat", "question": "Is this a house cat?",
            "description": "any domesticated member of the genus Felis", "reference_images": references or [],
            "annotators": 5}


def write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
