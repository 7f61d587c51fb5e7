"""Hypernym-based OOD checks (paper section 4.1.3), exact under multiple inheritance.

Classification: an image crawled for query concept q, with model top-k predictions P, is
in-distribution iff some p in P lies in the related set of q: the descendants (inclusive) of
q's hypernyms (of q itself when q is a root).

The kernel works in "label rank" space: the labels a model can predict are sorted by their
post-order number in the graph, so the related set of any query is a union of a few ranges of
ranks (usually one). A check is then a table lookup and two comparisons per prediction.

Detection: fewer than ``min_proposals`` proposals is OOD (noise or semantic shift); more than
``max_per_class`` proposals of one class is OOD (covariate shift).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from taxonomy.graph import GraphIndex

IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


class RelatedSetChecker:
    """Checks predictions against the related sets of queries, for one set of predictable labels.

    ``label_nodes[i]`` is the graph position of label i (or -1 where a label has no concept);
    without it every concept of the graph is a label and labels are graph positions. Queries
    are graph positions. Tables: one rank per label, and the rank ranges of every concept's
    related set (a few MB for the whole of WordNet).

    >>> checker = RelatedSetChecker(store.graph, imagenet21k_positions)   # doctest: +SKIP
    >>> checker.classify(query_positions, top5_label_indices)             # doctest: +SKIP
    array([ True, False, ...])
    """

    def __init__(self, graph: GraphIndex, label_nodes: npt.ArrayLike | None = None, threads: int = 2):
        self.graph = graph
        self.threads = threads
        n = len(graph)
        nodes = np.arange(n, dtype=np.int64) if label_nodes is None else np.asarray(label_nodes, np.int64)
        if nodes.size and (nodes.max() >= n or nodes.min() < -1):
            raise ValueError("label_nodes must be graph positions, or -1 for a label without a concept")
        posts = graph.arrays["post"].astype(np.int64)
        valid = np.flatnonzero(nodes >= 0)
        order = valid[np.argsort(posts[nodes[valid]], kind="stable")]
        sorted_posts = posts[nodes[order]]
        # rank of every label by post order; the extra last entry is the "no prediction" sentinel
        self.rank = np.full(len(nodes) + 1, np.iinfo(np.int32).max, dtype=np.int32)
        self.rank[order] = np.arange(len(order), dtype=np.int32)
        self.sentinel = len(nodes)
        self._build_ranges(graph, sorted_posts)

    def _build_ranges(self, graph: GraphIndex, sorted_posts: npt.NDArray[np.int64]) -> None:
        """Rank ranges of every concept's related set, merged, as CSR (first range kept apart)."""
        n = len(graph)
        parent_ptr, parent_idx = graph.arrays["parent_ptr"], graph.arrays["parent_idx"]
        n_parents = np.diff(parent_ptr)
        query = np.concatenate([np.repeat(np.arange(n), n_parents), np.flatnonzero(n_parents == 0)])
        head = np.concatenate([parent_idx, np.flatnonzero(n_parents == 0)]).astype(np.int64)
        ivl_ptr = graph.arrays["ivl_ptr"].astype(np.int64)
        per_head = ivl_ptr[head + 1] - ivl_ptr[head]
        query = np.repeat(query, per_head)
        k = np.repeat(ivl_ptr[head], per_head) + (np.arange(per_head.sum()) - np.repeat(np.cumsum(per_head) - per_head,
                                                                                           per_head))
        lo = np.searchsorted(sorted_posts, graph.arrays["ivl_lo"][k], side="left")
        hi = np.searchsorted(sorted_posts, graph.arrays["ivl_hi"][k], side="right") - 1
        keep = lo <= hi
        query, lo, hi = query[keep], lo[keep], hi[keep]
        order = np.lexsort((lo, query))
        merged_q: list[int] = []
        merged_lo: list[int] = []
        merged_hi: list[int] = []
        for q_, lo_, hi_ in zip(query[order].tolist(), lo[order].tolist(), hi[order].tolist(), strict=True):
            if merged_q and merged_q[-1] == q_ and lo_ <= merged_hi[-1] + 1:  # ranks have no gaps
                merged_hi[-1] = max(merged_hi[-1], hi_)
            else:
                merged_q.append(q_)
                merged_lo.append(lo_)
                merged_hi.append(hi_)
        self._count = np.bincount(np.asarray(merged_q, dtype=np.int64), minlength=n).astype(np.int32)
        self._start = np.zeros(n, dtype=np.int32)
        np.cumsum(self._count[:-1], out=self._start[1:])
        self._lo = np.asarray(merged_lo, dtype=np.int32)
        self._hi = np.asarray(merged_hi, dtype=np.int32)
        # first range of each query, as (lo, width) for a single unsigned comparison; empty: (-1, 0)
        has = self._count > 0
        self._first_lo = np.full(n, -1, dtype=np.int32)
        self._first_width = np.zeros(n, dtype=np.int32)
        self._first_lo[has] = self._lo[self._start[has]]
        self._first_width[has] = self._hi[self._start[has]] - self._lo[self._start[has]]

    @property
    def table_bytes(self) -> int:
        """Memory of the lookup tables."""
        arrays = (self.rank, self._count, self._start, self._lo, self._hi, self._first_lo, self._first_width)
        return int(sum(a.nbytes for a in arrays))

    def related_ranks(self, query: int) -> list[tuple[int, int]]:
        """The rank ranges (inclusive) of a query's related set."""
        start, count = int(self._start[query]), int(self._count[query])
        return list(zip(self._lo[start : start + count].tolist(), self._hi[start : start + count].tolist(),
                        strict=True))

    # ------------------------------------------------------------------ checks
    def hits(self, queries: npt.ArrayLike, predictions: npt.ArrayLike) -> BoolArray:
        """(N, k) booleans: whether each prediction lies in the related set of its row's query."""
        q = np.asarray(queries, dtype=np.int64)
        ranks = self.rank[np.asarray(predictions, dtype=np.int64)]
        hit = np.zeros(ranks.shape, dtype=bool)
        for j in range(int(self._count[q].max(initial=0))):
            valid = self._count[q] > j
            k = np.where(valid, self._start[q] + j, 0)
            hit |= valid[:, None] & (ranks >= self._lo[k][:, None]) & (ranks <= self._hi[k][:, None])
        return hit

    def classify(self, queries: npt.ArrayLike, predictions: npt.ArrayLike, k: int = 5,
                 chunk: int = 1 << 16) -> BoolArray:
        """In-distribution flags for N images: ``queries`` (N,) graph positions of the crawl
        queries, ``predictions`` (N, >=k) label indices, best first (pad with ``sentinel``)."""
        q = np.ascontiguousarray(queries, dtype=np.int32)
        preds = np.asarray(predictions)[:, :k]
        out = np.empty(len(q), dtype=bool)
        starts = range(0, len(q), chunk)
        if self.threads > 1 and len(q) > chunk:
            with ThreadPoolExecutor(self.threads) as pool:  # numpy releases the GIL in these loops
                list(pool.map(lambda s: self._classify_chunk(q[s : s + chunk], preds[s : s + chunk],
                                                             out[s : s + chunk]), starts))
        else:
            for s in starts:
                self._classify_chunk(q[s : s + chunk], preds[s : s + chunk], out[s : s + chunk])
        return out

    def _classify_chunk(self, qs: IntArray, preds: npt.NDArray[np.integer], out: BoolArray) -> None:
        ranks = np.take(self.rank, preds)
        lo = np.take(self._first_lo, qs)
        # rank - lo, read as unsigned, is <= width exactly when lo <= rank <= lo + width; the
        # smallest over the k predictions decides (column by column: numpy is slow across rows)
        nearest = (ranks[:, 0] - lo).view(np.uint32)
        for j in range(1, ranks.shape[1]):
            np.minimum(nearest, (ranks[:, j] - lo).view(np.uint32), out=nearest)
        hit = nearest <= np.take(self._first_width, qs).view(np.uint32)
        count = np.take(self._count, qs)
        pending = np.flatnonzero(~hit & (count > 1))
        if pending.size:  # the other ranges of multi-range queries, all (row, range) pairs at once
            extra = count[pending] - 1
            rows = np.repeat(pending, extra)
            within = np.arange(extra.sum()) - np.repeat(np.cumsum(extra) - extra, extra)
            k = self._start[qs[rows]] + 1 + within
            lo_k = self._lo[k]
            near = (ranks[rows, 0] - lo_k).view(np.uint32)
            for j in range(1, ranks.shape[1]):
                np.minimum(near, (ranks[rows, j] - lo_k).view(np.uint32), out=near)
            hit[rows[near <= (self._hi[k] - lo_k).view(np.uint32)]] = True
        out[:] = hit


@dataclass(frozen=True, slots=True)
class DetectionVerdict:
    in_distribution: bool
    reason: str


def check_detection(proposal_classes: Sequence[Hashable], min_proposals: int = 2,
                    max_per_class: int = 15) -> DetectionVerdict:
    """The detection rule for one image, given the class of each of its proposals."""
    if len(proposal_classes) < min_proposals:
        return DetectionVerdict(False, f"{len(proposal_classes)} proposals, fewer than {min_proposals}: "
                                       "noise or semantic shift")
    if proposal_classes:
        label, count = Counter(proposal_classes).most_common(1)[0]
        if count > max_per_class:
            return DetectionVerdict(False, f"{count} proposals of {label}, more than {max_per_class}: "
                                           "covariate shift")
    return DetectionVerdict(True, "")
