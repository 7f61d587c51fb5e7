"""Shared fixtures: the real WordNet store (built once per session) and a tiny hand-made store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomy import Store, build_store
from taxonomy.formats import import_file

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def wordnet_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the real WordNet 3.0 (Debian's wordnet-base) and the shipped label sets."""
    return build_store(tmp_path_factory.mktemp("wordnet") / "taxonomy.sqlite")


@pytest.fixture(scope="session")
def wordnet_store(wordnet_store_path: Path) -> Store:
    return Store.open(wordnet_store_path)


@pytest.fixture(scope="session")
def embedded_store_path(wordnet_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The WordNet store with every concept embedded (from the user's vector cache when warm)."""
    from taxonomy.linking.embedding import update_embeddings

    path = tmp_path_factory.mktemp("embedded") / "taxonomy.sqlite"
    path.write_bytes(wordnet_store_path.read_bytes())
    with Store.open(path, write=True) as store:
        update_embeddings(store)
    return path


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


def write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
