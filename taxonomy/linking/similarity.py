"""Wu & Palmer similarity of two concepts: 2 * depth(lcs) / (depth(a) + depth(b)), depths
counted from 1 at the root along the longest path (as nltk), the lcs the deepest ancestor
(inclusive) the two share. Used to score placements (evaluation) and to read a dataset label's
sense from the labels around it (label_senses), which asks it thousands of times per label set:
the ancestries it reads are kept, so make one per batch (the store may change between batches).
"""

from __future__ import annotations

from taxonomy.graph import GraphIndex


class WuPalmer:
    def __init__(self, graph: GraphIndex):
        self.graph = graph
        self._above: dict[str, dict[str, int]] = {}

    def __call__(self, a: str, b: str) -> float:
        mine, theirs = self.ancestry(a), self.ancestry(b)
        shared = max((mine[c] for c in mine.keys() & theirs.keys()), default=0)
        return 2 * shared / (mine[a] + theirs[b])

    def ancestry(self, concept: str) -> dict[str, int]:
        """The concept and its ancestors, each with its depth."""
        if concept not in self._above:
            graph = self.graph
            self._above[concept] = {c: graph.max_depth(c) + 1 for c in [concept, *graph.ancestors(concept)]}
        return self._above[concept]
