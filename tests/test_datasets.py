"""Dataset label sets: (dataset, class index, class name) -> concept, in the shipped order."""

from __future__ import annotations

from pathlib import Path

import pytest

from taxonomy import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "labels" / "imagenet"
pytestmark = pytest.mark.slow


def test_imagenet21k_has_21843_classes_in_coyo_order(wordnet_store: Store) -> None:
    labels = wordnet_store.labels("imagenet21k")
    assert len(labels) == 21843 == wordnet_store.dataset("imagenet21k").num_classes
    wnids = (Path(__file__).parents[1] / "data" / "imagenet" / "imagenet21k_goog_synsets.txt").read_text().split()
    assert [lb.concept for lb in labels] == wnids
    assert [lb.class_index for lb in labels] == list(range(21843))
    if SHARED.is_dir():  # the shipped copy is the shared list, unchanged
        assert wnids == (SHARED / "imagenet21k_goog_synsets.txt").read_text().split()


def test_every_imagenet_class_maps_to_a_wordnet_concept(wordnet_store: Store) -> None:
    for dataset in ("imagenet1k", "imagenet21k"):
        concepts = wordnet_store.label_concepts(dataset)
        assert None not in concepts
        assert all(c in wordnet_store.graph for c in concepts)


def test_lookup_by_dataset_and_index(wordnet_store: Store) -> None:
    first = wordnet_store.label("imagenet1k", 0)
    assert (first.concept, first.class_name) == ("n01440764", "tench, Tinca tinca")
    golden = wordnet_store.label("imagenet1k", 207)
    assert golden.concept == "n02099601" and golden.class_name.startswith("golden retriever")
    assert wordnet_store.label("imagenet21k", 0).concept == "n00004475"  # organism, being
    assert [lb.dataset for lb in wordnet_store.labels_of("n02099601")] == ["imagenet1k", "imagenet21k"]
    page = wordnet_store.labels("imagenet21k", start=100, limit=3)
    assert [lb.class_index for lb in page] == [100, 101, 102]
