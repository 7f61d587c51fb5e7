"""OOD rectification (paper 4.1.3): an image crawled for concept q whose current-model top-5 has
no concept in q's related set (the descendants of q's hypernyms) is out of distribution."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from taxonomy.graph import GraphIndex
from taxonomy.ood import RelatedSetChecker


def rectify(graph: GraphIndex, label_concepts: Sequence[str | None], queries: Sequence[str | None],
            top5: npt.NDArray[np.int64]) -> list[bool | None]:
    """In-distribution flag of each image; None where it has no query concept the graph knows."""
    label_nodes = [graph.position(c) if c is not None and c in graph else -1 for c in label_concepts]
    checker = RelatedSetChecker(graph, label_nodes, threads=1)
    known = [i for i, q in enumerate(queries) if q is not None and q in graph]
    flags: list[bool | None] = [None] * len(queries)
    if known:
        positions = np.asarray([graph.position(str(queries[i])) for i in known], dtype=np.int32)
        answers = checker.classify(positions, np.asarray(top5)[known])
        for i, answer in zip(known, answers.tolist(), strict=True):
            flags[i] = bool(answer)
    return flags
