"""Named, versioned subsets: definitions, versions, reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from taxonomy import InputError, Store, UnknownDataset, UnknownSubset
from taxonomy.cli import main
from taxonomy.subsets import create, get, is_current, members, parse_where
from taxonomy.tags import vote

pytestmark = pytest.mark.slow


@pytest.fixture()
def store(writable_store: Store) -> Store:
    return writable_store


def test_where_is_parsed_and_checked() -> None:
    assert [str(c) for c in parse_where("visual=1, common=1")] == ["visual=1", "common=1"]
    assert str(parse_where("visual_prior>=0.9")[0]) == "visual_prior>=0.9"
    for bad, message in [("visual", "bad condition"), ("colour=1", "unknown key 'colour'"),
                         ("visual=7", "a decision: yes, no or unknown"), ("common=maybe", "a decision"),
                         ("depth>=deep", "needs a whole number"),
                         ("lexname>noun.animal", "compares with = or != only")]:
        with pytest.raises(InputError, match=message):
            parse_where(bad)


def test_a_subset_records_its_definition_and_store_versions(store: Store) -> None:
    for name in ("a", "b", "c"):
        vote(store, "n02084071", name, {"visual": 1, "common": 1})
        vote(store, "n02121808", name, {"visual": 1, "common": 0})
    first = create(store, "visual-common", "visual=1,common=1")
    assert (first.version, first.size, first.tags_version) == (1, 1, 6)
    assert members(store, first) == ["n02084071"]
    assert first.definition == {"where": "visual=1,common=1", "under": None}
    assert is_current(store, first)
    assert store.tags_version == first.tags_version  # a subset changes no tag: it is current by its versions
    for name in ("a", "b", "c"):
        vote(store, "n02121808", name, {"common": 1})
    assert not is_current(store, first)  # the votes changed: the stored members stand, flagged
    second = create(store, "visual-common", "visual=1,common=1")
    assert (second.version, second.size) == (2, 2)
    assert members(store, get(store, "visual-common", 1)) == ["n02084071"]  # version 1 is kept as it was
    assert get(store, "visual-common").version == 2


def test_conditions_on_priors_facts_and_a_subtree(store: Store) -> None:
    dogs = create(store, "imagenet-dogs", "dataset=imagenet1k", under="n02084071")
    assert dogs.size == 118  # the dog classes of ImageNet-1k
    assert all(store.graph.is_a(c, "n02084071") for c in members(store, dogs))
    animals = create(store, "animals", "lexname=noun.animal,visual_prior>=0.95,depth<=6")
    assert animals.size > 0
    assert all(store.concept(c).lexname == "noun.animal" and store.graph.depth(c) <= 6
               for c in members(store, animals))


def test_errors(writable_tiny_store: Store) -> None:
    store = writable_tiny_store
    with pytest.raises(UnknownSubset, match="no such subset: 'nope'"):
        get(store, "nope")
    create(store, "x", "visual=2", under="dog")
    with pytest.raises(UnknownSubset, match=r"versions: 1\.\.1"):
        get(store, "x", 5)
    with pytest.raises(InputError, match="bad subset name"):
        create(store, "bad name!", "visual=1")
    with pytest.raises(UnknownDataset, match="no such dataset: 'cooc'"):  # not an empty subset
        create(store, "typo", "dataset=cooc")


def test_cli_create_list_show_export(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(store.path)
    assert main(["subset", "create", "dogs", "--where", "dataset=imagenet1k", "--under", "n02084071",
                 "--store", path]) == 0
    assert capsys.readouterr().out.startswith("dogs v1: 118 concepts where dataset=imagenet1k under n02084071")
    assert main(["subset", "list", "--store", path]) == 0
    assert "dogs v1" in capsys.readouterr().out
    assert main(["subset", "show", "dogs", "--limit", "2", "--store", path]) == 0
    shown = capsys.readouterr().out
    assert "the store still gives these members" in shown and "(116 more; raise --limit)" in shown
    out = tmp_path / "dogs.json"
    assert main(["subset", "export", "dogs", "--format", "bamboo-json", "-o", str(out), "--store", path]) == 0
    assert '"n02085620"' in out.read_text()
    assert main(["subset", "create", "bad", "--where", "visual>>1", "--store", path]) == 2
    assert "visual is a decision: yes, no or unknown (or 1, 0, 2), got '>1'" in capsys.readouterr().err


def test_a_training_class_list_in_one_command(store: Store, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """"Every visual concept under dog that ImageNet-21K has a class for", as a class file."""
    path = str(store.path)
    assert main(["subset", "create", "dogs21k", "--where", "dataset=imagenet21k,visual_prior>=0.5", "--under", "dog",
                 "--store", path]) == 0
    created = capsys.readouterr().out
    assert created.startswith("dogs21k v1: 190 concepts")
    classes, synsets = tmp_path / "classes.tsv", tmp_path / "synsets.txt"
    assert main(["subset", "export", "dogs21k", "--format", "classes", "--leaves", "--order", "imagenet21k",
                 "-o", str(classes), "--store", path]) == 0
    rows = [line.split("\t") for line in classes.read_text().splitlines()]
    assert len(rows) == 147 and [int(r[0]) for r in rows] == list(range(147))  # inner dog, hunting dog ... dropped
    ids = [r[1] for r in rows]
    assert "n02084071" not in ids and "n02087122" not in ids and "n02099601" in ids  # golden retriever stays
    order = store.label_concepts("imagenet21k")
    assert [order.index(c) for c in ids] == sorted(order.index(c) for c in ids)  # ImageNet-21K's own order
    assert rows[ids.index("n02099601")][2] == "golden retriever"
    assert main(["subset", "export", "dogs21k", "--format", "synsets", "--leaves", "--order", "imagenet21k",
                 "-o", str(synsets), "--store", path]) == 0
    assert synsets.read_text().splitlines() == ids  # the same classes, ImageNet's synsets.txt
    capsys.readouterr()
    assert main(["subset", "create", "voted", "--where", "visual=yes", "--under", "dog", "--store", path]) == 0
    outcome = capsys.readouterr()
    assert outcome.out.startswith("voted v1: 0 concepts where visual=1")  # words are decisions too
    assert "decided by 3 agreeing votes or given by an import" in outcome.err and "visual_prior>=0.5" in outcome.err
    assert main(["subset", "export", "voted", "--format", "ids", "--order", "imagenet21k", "-o", str(synsets),
                 "--store", path]) == 2
    assert "--order goes with --format classes or synsets" in capsys.readouterr().err
