"""Bamboo label-system JSON (export and import), JSON lines, GraphML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

import networkx as nx
import pytest

from taxonomy import GraphError, InputError, Store
from taxonomy.formats import EXPORTERS, export, import_file
from tests.conftest import copy_store, write_json


def test_import_reads_every_bamboo_key(tiny_store: Store) -> None:
    dog = tiny_store.concept("dog")
    assert dog.lemmas == ("dog", "domestic dog")
    assert dog.gloss == "a domesticated canine"
    assert (dog.visual, dog.common) == (1, 1)
    assert dog.names["zh"] == ("狗",) and dog.glosses["zh"] == "一种家养的犬科动物"
    cat = tiny_store.concept("cat")
    assert (cat.visual, cat.common) == (1, 1)  # the [visual, common] pair form
    assert tiny_store.concept("robot_dog").name == "robot dog"  # a single name string
    assert sorted(tiny_store.graph.parents("robot_dog")) == ["artifact", "dog", "toy"]  # both directions merged
    assert tiny_store.graph.is_a("corgi", "pet")


def test_bamboo_export_import_round_trip(tiny_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "bamboo.json"
    assert export(tiny_store, "bamboo-json", out) == len(tiny_store.graph)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) == {"father2child", "child2father", "id2name", "id2desc", "id2state",
                             "id2name_zh", "id2desc_zh"}
    assert sorted(document["child2father"]["dog"]) == ["canine", "pet"]
    assert document["id2state"]["dog"] == {"visual": 1, "common": 1}
    assert document["id2name_zh"]["cat"] == ["猫"]
    again = tmp_path / "again.sqlite"
    import_file(again, "bamboo-json", out)
    with Store.open(again) as copy:
        assert sorted(copy.graph.ids) == sorted(tiny_store.graph.ids)
        for concept_id in tiny_store.graph.ids:
            assert copy.graph.parents(concept_id) == tiny_store.graph.parents(concept_id)
            a, b = copy.concept(concept_id), tiny_store.concept(concept_id)
            assert (a.lemmas, a.gloss, a.visual, a.common, a.names, a.glosses) == (
                b.lemmas, b.gloss, b.visual, b.common, b.names, b.glosses)


def test_export_of_a_subtree(tiny_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "sub.json"
    assert export(tiny_store, "bamboo-json", out, root="dog") == 3
    document = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(document["id2name"]) == ["corgi", "dog", "robot_dog"]
    assert document["child2father"] == {"corgi": ["dog"], "robot_dog": ["dog"]}


def test_jsonl_has_one_concept_per_line_with_parents(tiny_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    export(tiny_store, "jsonl", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(tiny_store.graph)
    by_id = {line["id"]: line for line in lines}
    assert by_id["dog"]["parents"] == ["canine", "pet"]
    assert by_id["dog"]["edges"][0]["method"] == "bamboo"
    assert by_id["dog"]["names"] == {"zh": ["狗"]}


def test_graphml_is_readable_by_networkx(tiny_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "all.graphml"
    export(tiny_store, "graphml", out)
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() == len(tiny_store.graph)
    assert graph.number_of_edges() == tiny_store.graph.edge_count
    assert graph.nodes["dog"]["name"] == "dog" and graph.has_edge("dog", "pet")
    assert graph.edges["dog", "pet"]["method"] == "bamboo"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([1, 2], "not a Bamboo label system"),
        ({"child2father": {"a": "b"}}, r"child2father\['a'\] should be a list"),
        ({"child2father": {"a": ["b c"]}}, "non-empty string without spaces"),
        ({"id2state": {"a": {"visual": 3}}}, r"codes 0 \(no\), 1 \(yes\) or 2"),
        ({"id2state": {"a": "yes"}}, "should be an object"),
        ({"id2name": {"a": [""]}}, "list of non-empty names"),
        ({"id2desc": {"a": 5}}, "should be a string"),
    ],
)
def test_malformed_bamboo_files_are_refused_and_nothing_is_written(
        tiny_store_path: Path, tmp_path: Path, document: object, message: str) -> None:
    before = tiny_store_path.read_bytes()
    with pytest.raises(InputError, match=message):
        import_file(tiny_store_path, "bamboo-json", write_json(tmp_path / "bad.json", document))
    assert tiny_store_path.read_bytes() == before


def test_invalid_json_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        import_file(tmp_path / "s.sqlite", "bamboo-json", bad)
    with pytest.raises(InputError, match="no such file"):
        import_file(tmp_path / "s.sqlite", "bamboo-json", tmp_path / "absent.json")
    assert not (tmp_path / "s.sqlite").exists()


def test_an_import_that_would_make_a_cycle_is_rolled_back(tiny_store_path: Path, tmp_path: Path) -> None:
    before = Store.open(tiny_store_path)
    edges_before = before.graph.edge_count
    cyclic = write_json(tmp_path / "cycle.json", {"child2father": {"animal": ["corgi"]}, "id2name": {"new": ["x"]}})
    with pytest.raises(GraphError, match="cycle"):
        import_file(tiny_store_path, "bamboo-json", cyclic)
    with Store.open(tiny_store_path) as after:
        assert after.graph.edge_count == edges_before
        assert "new" not in after.graph
    before.close()


def test_importing_into_the_wordnet_store_merges(wordnet_store_path: Path, tmp_path: Path) -> None:
    path = copy_store(wordnet_store_path, tmp_path)
    extra = write_json(tmp_path / "extra.json", {
        "child2father": {"Q1196071": ["n02084071"]},  # Sumatran orangutan-style leaf under dog
        "id2name": {"Q1196071": ["test leaf"], "n02084071": ["dog", "doggo"]},
        "id2state": {"n02084071": {"visual": 1, "common": 1}},
    })
    assert import_file(path, "bamboo-json", extra) == (1, 1)
    with Store.open(path) as store:
        assert store.graph.is_a("Q1196071", "n00015388")
        dog = store.concept("n02084071")
        assert dog.lemmas[-1] == "doggo" and dog.visual == 1
        assert store.graph.edge_count == 84428
    assert import_file(path, "bamboo-json", extra) == (0, 0)  # importing again changes nothing


def test_a_failed_export_leaves_the_previous_file(tiny_store: Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "exports" / "out.json"
    out.parent.mkdir()
    out.write_text("previous", encoding="utf-8")

    def broken(store: Store, ids: object, handle: TextIO) -> None:
        handle.write("half a file")
        raise OSError("disk full")

    monkeypatch.setitem(EXPORTERS, "bamboo-json", broken)
    with pytest.raises(OSError, match="disk full"):
        export(tiny_store, "bamboo-json", out)
    assert out.read_text(encoding="utf-8") == "previous"
    assert list(out.parent.iterdir()) == [out]
    with pytest.raises(InputError, match="unknown export format 'nope'"):
        export(tiny_store, "nope", out)
