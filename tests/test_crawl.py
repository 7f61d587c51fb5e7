"""Crawl queries: names, synonyms and translations; detection pairs; dedup and caps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taxonomy import Store
from taxonomy.cli import main
from taxonomy.crawl import classification_queries, detection_queries, scene_words
from tests.conftest import copy_store

pytestmark = pytest.mark.slow


def test_scene_words_are_the_places365_categories() -> None:
    words = scene_words()
    assert len(words) == 365 and words[0] == "airfield"
    assert "bakery shop" in words and all("/" not in w and "_" not in w for w in words)


def test_classification_queries_have_names_synonyms_and_translations(wordnet_store: Store) -> None:
    queries = classification_queries(wordnet_store, "n02084071")
    pairs = [(q["query"], q["lang"], q["kind"]) for q in queries]
    assert pairs[:3] == [("dog", "en", "name"), ("domestic dog", "en", "synonym"),
                         ("Canis familiaris", "en", "synonym")]
    assert ("狗", "zh", "translation") in pairs and ("perro", "es", "translation") in pairs
    assert ("hond", "nl", "translation") in pairs and ("cane", "it", "translation") in pairs
    assert len({(q["lang"], q["query"].casefold()) for q in queries}) == len(queries)  # no duplicates
    assert len(classification_queries(wordnet_store, "n02084071", cap=2)) == 2


def test_queries_a_search_engine_can_take_as_they_are(wordnet_store: Store, writable_tiny_store: Store) -> None:
    crane = [(q["query"], q["lang"]) for q in classification_queries(wordnet_store, "n02012849")]
    assert crane[0] == ("crane bird", "en")  # not crane's first sense: qualified by its parent
    machine = [(q["query"], q["lang"]) for q in classification_queries(wordnet_store, "n03126707")]
    assert ("hijskraan", "nl") in machine and ("hijskraan", "nl") not in crane  # the OMW gives it to both
    assert ("grulla", "es") in crane and ("鹤", "zh") in crane
    assert classification_queries(wordnet_store, "n02084071")[0]["query"] == "dog"  # the first sense stays plain
    only = classification_queries(wordnet_store, "n02084071", langs=["zh", "es"])
    assert {q["lang"] for q in only} == {"zh", "es"}
    with writable_tiny_store.transaction() as writes:  # a wordnet's placeholder, and a text in two languages
        writes.add_names("corgi", "nl", ["GAP!", "corgi"], "omw")
    texts = [q["query"] for q in classification_queries(writable_tiny_store, "corgi")]
    assert "GAP!" not in texts and texts.count("corgi") == 1


def test_detection_queries_pair_scenes_and_concepts(wordnet_store: Store) -> None:
    queries = detection_queries(wordnet_store, "n02084071", ["n02084071", "n02121808"], cap=10)
    assert len(queries) == 10
    kinds = {q["kind"] for q in queries}
    assert kinds == {"scene", "pair"}
    pair = next(q for q in queries if q["kind"] == "pair")
    assert pair["query"] == "dog and domestic cat" and pair["partners"] == ["n02121808"]
    assert all(q["query"].startswith("dog ") for q in queries)
    assert queries == detection_queries(wordnet_store, "n02084071", ["n02084071", "n02121808"], cap=10)


def test_cli_queries(wordnet_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(copy_store(wordnet_store_path, tmp_path))]
    out = tmp_path / "q.jsonl"
    assert main(["queries", "n02084071", "-o", str(out), *store]) == 0
    assert capsys.readouterr().out.startswith("wrote 9 queries for 1 concepts")  # each text once
    assert main(["queries", "n02084071", "--detection", "-o", str(out), *store]) == 2
    assert "none of these concepts is common" in capsys.readouterr().err
    for name in ("a", "b", "c"):
        assert main(["vote", "n02084071", "--common", "yes", "--annotator", name, *store]) == 0
        assert main(["vote", "n02121808", "--common", "yes", "--annotator", name, *store]) == 0
    capsys.readouterr()
    assert main(["subset", "create", "common", "--where", "common=1", *store]) == 0
    assert main(["queries", "--subset", "common", "--detection", "--cap", "5", "-o", str(out), *store]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 10 and {r["concept"] for r in rows} == {"n02084071", "n02121808"}
    assert main(["queries", "n02084071", "--subset", "common", "-o", str(out), *store]) == 2
    capsys.readouterr()
    for name in ("a", "b", "c"):  # common, but nothing a picture shows: never a detection partner
        assert main(["vote", "n05833840", "--common", "yes", "--annotator", name, *store]) == 0
    assert main(["queries", "n02084071", "--detection", "--cap", "400", "-o", str(out), *store]) == 0
    pairs = [json.loads(line) for line in out.read_text().splitlines() if '"pair"' in line]
    assert pairs and all(p["partners"] == ["n02121808"] for p in pairs)
    capsys.readouterr()
    for concept in ("n14854581", "n09875663"):  # WordNet's obscenity pointer; a gloss "slang term for a woman"
        for name in ("a", "b", "c"):  # common and visual by votes, but no search engine should get them
            assert main(["vote", concept, "--common", "yes", "--visual", "yes", "--annotator", name, *store]) == 0
    assert main(["queries", "n02084071", "--detection", "--cap", "400", "-o", str(out), *store]) == 0
    pairs = [json.loads(line) for line in out.read_text().splitlines() if '"pair"' in line]
    assert pairs and all(p["partners"] == ["n02121808"] for p in pairs)


def test_usage_domains_come_from_wordnet(wordnet_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    from taxonomy.crawl import offensive

    redskin, crap, golden, ypres = wordnet_store.concepts(["n09667205", "n14854581", "n02099601", "n01301080"])
    assert redskin.usage == ("disparagement", "slang") and crap.usage == ("obscenity",) and golden.usage == ()
    assert offensive(redskin) and offensive(crap) and not offensive(golden)
    assert "offensive" in ypres.gloss and not offensive(ypres)  # an Allied offensive is no slur
    assert main(["show", "n09667205", "--store", str(wordnet_store.path)]) == 0
    assert "  usage:     disparagement, slang" in capsys.readouterr().out
