"""The placement ranker's trees: what scikit-learn trains is what the linker evaluates."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from taxonomy.graph import GraphIndex
from taxonomy.linking import placement


def test_the_shipped_trees_score_as_scikit_learn_does() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, len(placement.FEATURES)))
    y = (x[:, 0] + 0.5 * x[:, 3] * x[:, 5] + rng.normal(scale=0.5, size=len(x)) > 0).astype(float)
    document = placement.fit(x, y)
    theirs = HistGradientBoostingClassifier(**placement.BOOSTING).fit(x, y)
    trees = placement.Trees(document)
    rows = rng.normal(size=(500, len(placement.FEATURES)))
    assert len(document["trees"]) == theirs.n_iter_
    np.testing.assert_allclose(trees.decision(rows), theirs.decision_function(rows), atol=1e-5)
    np.testing.assert_allclose(trees.probability(rows), theirs.predict_proba(rows)[:, 1], atol=1e-5)


def test_the_shipped_ranker_reads_its_own_features() -> None:
    model = placement.load_model()
    assert model.feature.max() < len(placement.FEATURES) and model.depth >= 1
    probabilities = model.probability(np.zeros((4, len(placement.FEATURES))))
    assert probabilities.shape == (4,) and np.all((probabilities > 0) & (probabilities < 1))


def _training_script() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "scripts" / "train_placement.py"
    spec = importlib.util.spec_from_file_location("train_placement", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_hides_whole_families_of_leaves_beside_single_leaves() -> None:
    """A family is hidden whole or not at all; a parent with a kind that has kinds of its own,
    or with a leaf kept out of the pool (a dev set's), is no family to hide."""
    edges = [("a1", "a"), ("a2", "a"), ("b1", "b"), ("b2", "b"), ("b3", "b"), ("c1", "c"), ("c2", "c"),
             ("d1", "d"), ("d", "root"), ("a", "root"), ("b", "root"), ("c", "root"), ("lone", "root")]
    graph = GraphIndex.compile(sorted({x for edge in edges for x in edge}), edges)
    pool = ["a1", "a2", "b1", "b2", "b3", "c1", "d1", "lone"]  # c2 is a dev set's: c is no family
    hide = _training_script().hidden_leaves
    for seed in range(5):
        hidden = hide(graph, pool, 4, 1, seed)
        assert len(hidden) == 4 and hidden <= set(pool)
        families = [kids for kids in ({"a1", "a2"}, {"b1", "b2", "b3"}) if kids <= hidden]
        assert len(families) >= 1  # the one family drawn, whole (the single leaves may complete another)
    assert hide(graph, pool, 4, 1, 3) == hide(graph, pool, 4, 1, 3)  # the seed decides
    # every family asked for: a's and b's, never c (c2 is kept out) nor d (one kind), nothing more
    assert hide(graph, pool, 0, 9, 0) == {"a1", "a2", "b1", "b2", "b3"}
    singles = hide(graph, pool, 3, 0, 0)
    assert len(singles) == 3 and singles <= set(pool)


def test_a_taxon_name_is_told_from_other_names() -> None:
    assert [placement.taxon_name(n) for n in ("genus Canis", "Fregatidae", "Asteraceae", "Holbrookia", "Rottweiler",
                                               "sea cucumber", "iPhone", "dog")] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.0,
                                                                                      0.0, 0.0]
