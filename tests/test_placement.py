"""The placement ranker's trees: what scikit-learn trains is what the linker evaluates."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

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
