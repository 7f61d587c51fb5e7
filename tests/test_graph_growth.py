"""Commits that add concepts under existing ones grow the saved graph index instead of compiling
it again, on the real WordNet store; every reader (a later open, a store holding the old index,
another writer) sees the same graph a compile would give."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomy import GraphIndex, Store, StoreError
from taxonomy import store as store_module
from taxonomy.graph_ids import IdTable
from taxonomy.model import ConceptRecord, EdgeRecord
from tests.conftest import copy_store

DOG, CANINE, ANIMAL, PET = "n02084071", "n02083346", "n00015388", "n01318894"


def concept(concept_id: str) -> ConceptRecord:
    return {"id": concept_id, "name": concept_id, "lemmas": [concept_id], "gloss": "a test concept",
            "lexname": None, "source": "test"}


def edge(child: str, parent: str) -> EdgeRecord:
    return {"child": child, "parent": parent, "kind": "hypernym", "method": "test", "score": 1.0}


@pytest.fixture()
def path(wordnet_store_path: Path, tmp_path: Path) -> Path:
    return copy_store(wordnet_store_path, tmp_path)


@pytest.fixture()
def no_compile(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*_: object) -> GraphIndex:
        raise AssertionError("the index was compiled")

    monkeypatch.setattr(GraphIndex, "compile", refuse)
    yield


def test_a_commit_grows_the_index_and_every_reader_sees_the_same_graph(path: Path, no_compile: None) -> None:
    with Store.open(path) as reader, Store.open(path, write=True) as writer:
        before = writer.graph_version
        writer.merge([concept("puppy-robot"), concept("robot-dog-2")],
                     [edge("robot-dog-2", "puppy-robot"), edge("puppy-robot", DOG), edge("puppy-robot", PET)])
        assert writer.graph_version == before + 1
        assert writer.graph.is_a("robot-dog-2", ANIMAL) and writer.graph.is_a("puppy-robot", PET)
        assert writer.graph.parents("puppy-robot") == [DOG, PET]
        assert {"puppy-robot", "robot-dog-2"} <= set(writer.graph.descendants(DOG))
        assert writer.meta["graph_index_added"]  # a log beside the arrays

        fresh = Store.open(path)  # a later open replays the log onto the saved arrays
        replayed = reader.reload_graph(reader.graph)  # a reader holding the old index catches up
        for graph in (fresh.graph, replayed):
            assert len(graph) == len(writer.graph)
            assert graph.ancestors("robot-dog-2") == writer.graph.ancestors("robot-dog-2")
            assert graph.descendant_count(CANINE) == writer.graph.descendant_count(CANINE)
            assert graph.is_a("robot-dog-2", PET) and not graph.is_a(DOG, "puppy-robot")
        fresh.close()
        assert reader.graph.descendant_count(DOG) + 2 == replayed.descendant_count(DOG)

        with Store.open(path) as priors:  # the new concepts got their priors in the same commit
            assert set(priors.priors("visual")) >= {"puppy-robot", "robot-dog-2"}


@pytest.mark.parametrize("log_limit", [100, 0], ids=["log", "whole"])
def test_a_writer_holding_an_old_index_adds_to_the_current_one(path: Path, no_compile: None, log_limit: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "LOG_LIMIT", log_limit)
    with Store.open(path, write=True) as first, Store.open(path, write=True) as second:
        first.merge([concept("first-new")], [edge("first-new", DOG)])
        second.merge([concept("second-new")], [edge("second-new", DOG)])  # loaded before the first commit
        assert {"first-new", "second-new"} <= set(second.graph.children(DOG))
        with Store.open(path) as later:
            assert {"first-new", "second-new"} <= set(later.graph.children(DOG))


def test_the_log_is_saved_into_the_arrays_when_it_is_long(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "LOG_LIMIT", 3)
    with Store.open(path, write=True) as writer:
        for k in range(4):
            writer.merge([concept(f"n-{k}")], [edge(f"n-{k}", DOG)])
        assert not writer.meta["graph_index_added"]
        # the writer goes on from the saved arrays: no concepts kept apart, copied by every growth
        assert isinstance(writer.graph.ids, list) and writer.graph.is_a("n-3", ANIMAL)
        writer.merge([concept("n-4")], [edge("n-4", DOG)])
        assert writer.graph.children(DOG)[-2:] == ["n-3", "n-4"]
    with Store.open(path) as later:
        assert [c for c in later.graph.children(DOG) if c.startswith("n-")] == ["n-0", "n-1", "n-2", "n-3", "n-4"]


def test_a_change_other_than_an_addition_compiles(path: Path) -> None:
    with Store.open(path, write=True) as writer:
        writer.merge([concept("leaf-1")], [edge("leaf-1", DOG)])
        with writer.transaction() as writes:
            writes.insert_edges([edge("leaf-1", PET)])  # an edge between concepts that were there
        assert not writer.meta["graph_index_added"]  # compiled and saved whole
        assert writer.graph.parents("leaf-1") == [DOG, PET]
    with Store.open(path) as later:
        assert later.graph.is_a("leaf-1", PET)


def test_a_damaged_log_is_reported(path: Path) -> None:
    with Store.open(path, write=True) as writer:
        writer.merge([concept("leaf-2")], [edge("leaf-2", DOG)])
        writer._conn.execute("UPDATE meta SET value = ? WHERE key = 'graph_index_added'", ("leaf-2\tnowhere",))
        writer._conn.commit()
    with pytest.raises(StoreError, match="damaged"):
        Store.open(path)


def test_a_commit_that_adds_only_names_keeps_the_index_whole(path: Path, no_compile: None) -> None:
    """A structure transaction that adds no concept (a name on an existing one) still moves the
    graph version (cached views of the concept go stale) and leaves an index that opens."""
    with Store.open(path, write=True) as writer:
        before = writer.graph_version
        with writer.transaction() as writes:
            writes.add_names(DOG, "en", ["good boy"], "test")
        assert writer.graph_version == before + 1
    with Store.open(path) as later:
        assert "good boy" in later.concept(DOG).lemmas and later.graph.is_a(DOG, ANIMAL)


def test_a_large_index_is_saved_with_its_id_table_and_opens_without_a_dict(path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """From ID_TABLE_MIN concepts on (here: all), the saved index carries the id -> position
    table, so an open builds no dict; a grown index saved whole carries the table extended."""
    monkeypatch.setattr(store_module, "ID_TABLE_MIN", 0)
    monkeypatch.setattr(store_module, "LOG_LIMIT", 1)
    with Store.open(path, write=True) as writer:
        with writer.transaction() as writes:
            writes.insert_edges([edge(DOG, PET)])  # a compile, saved whole with the table
        compiled = writer.graph
    with Store.open(path, write=True) as tabled:
        assert isinstance(tabled.graph._pos, IdTable)
        assert tabled.graph.ancestors(DOG) == compiled.ancestors(DOG) and tabled.graph.is_a(DOG, PET)
        for k in range(2):  # past the log's limit: saved whole, the table extended
            tabled.merge([concept(f"big-{k}")], [edge(f"big-{k}", DOG)])
        assert not tabled.meta["graph_index_added"]
    with Store.open(path) as later:
        assert isinstance(later.graph._pos, IdTable)
        assert [later.graph.position(f"big-{k}") for k in range(2)] == [len(compiled) + k for k in range(2)]
        assert later.graph.is_a("big-1", ANIMAL) and later.graph.position(CANINE) == compiled.position(CANINE)


def test_compile_on_demand_takes_the_log_into_the_saved_arrays(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from taxonomy.cli import main

    with Store.open(path, write=True) as writer:
        writer.merge([concept("kept-1"), concept("kept-2")], [edge("kept-1", DOG), edge("kept-2", "kept-1")])
        grown = writer.graph
        assert writer.meta["graph_index_added"]
    assert main(["compile", "--store", str(path)]) == 0
    assert "(2 added since the last compile taken in)" in capsys.readouterr().out
    with Store.open(path) as later:
        assert not later.meta["graph_index_added"]  # saved whole
        assert later.graph.ancestors("kept-2") == grown.ancestors("kept-2")
        assert later.graph.descendant_count(CANINE) == grown.descendant_count(CANINE)


def test_a_server_takes_the_index_of_a_store_that_committed(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's pool adopts the grown index a lent store committed, instead of replaying the
    log onto its own (70 ms a link at 4.3 M concepts); a commit by another process is replayed."""
    from api.stores import StoreHub

    hub = StoreHub(path)
    lent = hub.acquire()
    lent.merge([concept("pool-new")], [edge("pool-new", DOG)])
    replays: list[int] = []
    real_reload = Store.reload_graph
    monkeypatch.setattr(Store, "reload_graph", lambda self, known=None: replays.append(1) or real_reload(self, known))
    hub.release(lent)
    again = hub.acquire()
    assert again.graph is lent.graph and "pool-new" in again.graph.children(DOG) and not replays
    hub.release(again)
    with Store.open(path, write=True) as elsewhere:  # another worker's commit
        elsewhere.merge([concept("other-new")], [edge("other-new", DOG)])
    third = hub.acquire()
    assert replays and {"pool-new", "other-new"} <= set(third.graph.children(DOG))
    hub.release(third)


def test_a_commit_grows_in_what_others_added_since_in_the_same_pass(path: Path, no_compile: None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer whose index is older than the file grows it once, by the others' concepts and its
    own together (each pass costs ~70 ms at 4.3 M concepts), and may hang its own under theirs."""
    with Store.open(path, write=True) as first, Store.open(path, write=True) as second:
        first.merge([concept("theirs")], [edge("theirs", DOG)])
        passes: list[int] = []
        real = GraphIndex.with_concepts
        monkeypatch.setattr(GraphIndex, "with_concepts",
                            lambda self, added: passes.append(len(added)) or real(self, added))
        second.merge([concept("ours")], [edge("ours", "theirs")])  # under a concept it has not loaded
        assert passes == [2]
        assert second.graph.ancestors("ours")[:2] == ["theirs", DOG]
    with Store.open(path) as later:
        assert later.graph.parents("ours") == ["theirs"] and later.graph.is_a("ours", ANIMAL)
