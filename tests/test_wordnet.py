"""The store built from the real WordNet 3.0, checked against nltk reading the same files."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from taxonomy import Store
from taxonomy.sources.wordnet import synset_id

pytestmark = pytest.mark.slow


def test_every_noun_synset_and_edge_is_there(wordnet_store: Store) -> None:
    stats = wordnet_store.stats()
    assert stats["concepts"] == 82115
    assert stats["edges"] == 84427
    assert stats["edges_by_kind"] == {"hypernym": 75850, "instance_hypernym": 8577}
    assert stats["concepts_with_several_parents"] == 2213
    assert stats["roots"] == ["n00001740"]
    parents_per_concept = np.diff(wordnet_store.graph.arrays["parent_ptr"])
    assert parents_per_concept.max() == 6


def test_dog_is_n02084071_with_lemmas_gloss_and_lexname(wordnet_store: Store) -> None:
    dog = wordnet_store.concept("n02084071")
    assert dog.name == "dog"
    assert dog.lemmas == ("dog", "domestic dog", "Canis familiaris")
    assert dog.gloss.startswith("a member of the genus Canis")
    assert dog.lexname == "noun.animal"
    assert dog.external_ids["wn30"] == ("02084071-n",)
    # parents in data.noun's order (nltk's own order changes between runs)
    assert wordnet_store.graph.parents("n02084071") == ["n02083346", "n01317541"]


def test_a_name_resolves_to_its_senses_in_wordnet_order(wordnet_store: Store, nltk_wordnet) -> None:  # type: ignore[no-untyped-def]
    expected = [synset_id(s) for s in nltk_wordnet.synsets("dog", pos="n")]
    assert wordnet_store.resolve("dog") == expected
    assert wordnet_store.resolve("Domestic_Dog") == ["n02084071"]


def test_concepts_match_nltk(wordnet_store: Store, nltk_wordnet) -> None:  # type: ignore[no-untyped-def]
    synsets = list(nltk_wordnet.all_synsets("n"))
    sample = random.Random(7).sample(synsets, 400)
    for synset in sample:
        concept = wordnet_store.concept(synset_id(synset))
        assert list(concept.lemmas) == [name.replace("_", " ") for name in synset.lemma_names()]
        assert concept.gloss == synset.definition()
        assert concept.lexname == synset.lexname()


def test_hierarchy_queries_match_nltk(wordnet_store: Store, nltk_wordnet) -> None:  # type: ignore[no-untyped-def]
    graph = wordnet_store.graph
    synsets = list(nltk_wordnet.all_synsets("n"))
    multi = [s for s in synsets if len(s.hypernyms() + s.instance_hypernyms()) > 1]
    sample = random.Random(3).sample(synsets, 300) + random.Random(4).sample(multi, 200)
    up = lambda s: s.hypernyms() + s.instance_hypernyms()  # noqa: E731
    for synset in sample:
        sid = synset_id(synset)
        truth = {synset_id(a) for a in synset.closure(up)}
        assert set(graph.ancestors(sid)) == truth
        assert sorted(graph.parents(sid)) == sorted(synset_id(p) for p in up(synset))
        assert graph.depth(sid) == synset.min_depth()
        assert graph.max_depth(sid) == synset.max_depth()
        assert sorted(graph.paths_to_root(sid)) == sorted([synset_id(x) for x in p] for p in synset.hypernym_paths())
        for other in random.Random(sid).sample(synsets, 20) + list(synset.closure(up))[:5]:
            assert graph.is_a(sid, synset_id(other)) == (other == synset or synset_id(other) in truth)


def test_descendants_match_nltk(wordnet_store: Store, nltk_wordnet) -> None:  # type: ignore[no-untyped-def]
    down = lambda s: s.hyponyms() + s.instance_hyponyms()  # noqa: E731
    for name in ("dog.n.01", "animal.n.01", "artifact.n.01", "person.n.01", "city.n.01"):
        synset = nltk_wordnet.synset(name)
        truth = {synset_id(d) for d in synset.closure(down)}
        assert set(wordnet_store.graph.descendants(synset_id(synset))) == truth
        assert wordnet_store.graph.descendant_count(synset_id(synset)) == len(truth)


def test_lca_and_related_set_on_wordnet(wordnet_store: Store) -> None:
    graph = wordnet_store.graph
    # domestic cat and dog share two incomparable lowest ancestors: carnivore and domestic animal
    assert sorted(graph.lowest_common_ancestors("n02084071", "n02121808")) == ["n01317541", "n02075296"]
    related = set(graph.related("n02099601"))  # golden retriever: everything under retriever
    assert "n02099712" in related  # Labrador retriever
    assert "n02085620" not in related  # Chihuahua is a dog, not a retriever
    assert graph.is_related("n02099712", "n02099601")


def test_is_a_many_matches_is_a_on_wordnet(wordnet_store: Store) -> None:
    graph = wordnet_store.graph
    rng = np.random.default_rng(0)
    a = rng.integers(0, len(graph), 20000)
    b = np.concatenate([rng.integers(0, len(graph), 10000),
                        [graph.position(graph.ancestors(graph.ids[i])[0]) if graph.ancestors(graph.ids[i]) else i
                         for i in a[10000:]]])
    expected = [graph.is_a(graph.ids[i], graph.ids[j]) for i, j in zip(a, b, strict=False)]
    assert graph.is_a_many(a, b).tolist() == expected
    assert sum(expected) > 9000


def test_translations_come_from_the_omw_tables_with_their_source(wordnet_store: Store) -> None:
    found = wordnet_store.translations("n02084071")
    assert ("zh", "狗", "omw-cow") in found and ("es", "perro", "omw-wikt") in found
    assert ("nl", "hond", "omw-odwn") in found and ("it", "cane", "omw-mwn") in found
    assert "n02084071" in wordnet_store.resolve("狗")
    # every noun synset of each table that WordNet has carries its names
    root = Path(__file__).parents[1] / "data" / "multilingual"
    for lang, table in (("zh", "wn-data-cmn.tab"), ("nl", "wn-data-nld.tab")):
        expected = {f"n{line[:8]}" for line in (root / table).read_text(encoding="utf-8").splitlines()
                    if line[:1].isdigit() and line[9:10] == "n" and ":lemma\t" in line}
        expected &= set(wordnet_store.graph.ids)
        assert {row[0] for row in wordnet_store.table_rows("lemmas") if row[1] == lang} == expected


def test_wikidata_qids_from_open_english_wordnet(wordnet_store: Store) -> None:
    assert "Q144" in wordnet_store.concept("n02084071").external_ids["wikidata"]
    assert wordnet_store.concepts_with_external_id("wikidata", "Q729") == ["n00015388"]
