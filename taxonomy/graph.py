"""The compiled graph index: exact DAG queries (is-a, ancestors, descendants, LCA, related set).

The hierarchy is a DAG with multiple inheritance, so a single pre/post-order interval per node
is not enough. Each node gets a post-order number on a spanning tree, and the *set* of
post-order intervals that covers all of its descendants (Agrawal, Borgida & Jagadish, 1989).
``is_a(a, b)`` is then "does post[a] fall in one of b's intervals": one or two comparisons for
almost every node, exact for all of them, and vectorisable over numpy arrays. Ancestors are
stored flat (CSR) because they are few per node.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from taxonomy.errors import GraphError, UnknownConcept

IntArray = npt.NDArray[np.int32]

#: The arrays an index is made of; together with the ids they are all that is stored.
ARRAY_NAMES = (
    "parent_ptr", "parent_idx", "child_ptr", "child_idx", "anc_ptr", "anc_idx",
    "min_depth", "max_depth", "post", "by_post", "ivl_ptr", "ivl_lo", "ivl_hi",
)


class GraphIndex:
    """Answers hierarchy questions over concept ids in microseconds.

    >>> g = GraphIndex.compile(["a", "b", "c"], [("b", "a"), ("c", "b")])
    >>> g.is_a("c", "a"), g.ancestors("c")
    (True, ['b', 'a'])
    """

    def __init__(self, ids: Sequence[str], arrays: dict[str, IntArray]):
        missing = [name for name in ARRAY_NAMES if name not in arrays]
        if missing:
            raise GraphError(f"graph index is incomplete (missing {', '.join(missing)})")
        self.ids: list[str] = list(ids)
        self.arrays = arrays
        self._pos = {concept_id: i for i, concept_id in enumerate(self.ids)}
        self._parent_ptr, self._parent_idx = arrays["parent_ptr"], arrays["parent_idx"]
        self._child_ptr, self._child_idx = arrays["child_ptr"], arrays["child_idx"]
        self._anc_idx = arrays["anc_idx"]
        self._min_depth, self._max_depth = arrays["min_depth"], arrays["max_depth"]
        self._post, self._by_post = arrays["post"], arrays["by_post"]
        self._ivl_ptr, self._ivl_lo, self._ivl_hi = arrays["ivl_ptr"], arrays["ivl_lo"], arrays["ivl_hi"]
        # The scalar hot path reads Python lists: indexing numpy arrays one at a time is slow.
        self._post_list: list[int] = arrays["post"].tolist()
        self._anc_ptr_list: list[int] = arrays["anc_ptr"].tolist()
        ivl_ptr, ivl_lo, ivl_hi = arrays["ivl_ptr"], arrays["ivl_lo"], arrays["ivl_hi"]
        self._first_lo: list[int] = ivl_lo[ivl_ptr[:-1]].tolist()
        self._first_hi: list[int] = ivl_hi[ivl_ptr[:-1]].tolist()
        counts = np.diff(ivl_ptr)
        self._more_intervals: dict[int, list[tuple[int, int]]] = {
            node: list(zip(ivl_lo[ivl_ptr[node] + 1 : ivl_ptr[node + 1]].tolist(),
                           ivl_hi[ivl_ptr[node] + 1 : ivl_ptr[node + 1]].tolist(), strict=False))
            for node in np.flatnonzero(counts > 1).tolist()
        }

    # ----------------------------------------------------------------- building
    @classmethod
    def compile(cls, ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> GraphIndex:
        """Compile an index from concept ids and (child, parent) edges; raises GraphError on a cycle."""
        pos = {concept_id: i for i, concept_id in enumerate(ids)}
        if len(pos) != len(ids):
            raise GraphError("concept ids are not unique")
        child_list: list[int] = []
        parent_list: list[int] = []
        for child, parent in edges:
            if child not in pos or parent not in pos:
                missing = child if child not in pos else parent
                raise GraphError(f"edge {child} -> {parent} names a concept that does not exist: {missing!r}")
            if child == parent:
                raise GraphError(f"cycle: {child} is its own parent")
            child_list.append(pos[child])
            parent_list.append(pos[parent])
        return cls(ids, _compile_arrays(len(ids), child_list, parent_list, list(ids)))

    # ----------------------------------------------------------------- lookups
    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._pos

    @property
    def edge_count(self) -> int:
        return int(self._parent_idx.shape[0])

    def position(self, concept_id: str) -> int:
        """The integer position of a concept id (for the array functions)."""
        try:
            return self._pos[concept_id]
        except KeyError:
            raise UnknownConcept(concept_id, self.close_ids(concept_id)) from None

    def positions(self, concept_ids: Iterable[str]) -> IntArray:
        """Integer positions of many ids, as an int32 array."""
        return np.fromiter((self.position(c) for c in concept_ids), dtype=np.int32)

    def close_ids(self, concept_id: str, limit: int = 3) -> list[str]:
        """Ids that look like a mistyped ``concept_id``."""
        for size in (4, 2):  # compare with ids that share a prefix: all 82K would take too long
            pool = [c for c in self.ids if c.startswith(concept_id[:size])] if len(concept_id) >= size else []
            if pool:
                return difflib.get_close_matches(concept_id, pool, n=limit, cutoff=0.75)
        return []

    def _names(self, nodes: Iterable[int]) -> list[str]:
        ids = self.ids
        return [ids[i] for i in nodes]

    # ----------------------------------------------------------------- queries
    def is_a(self, concept_id: str, ancestor_id: str) -> bool:
        """True when ``concept_id`` is ``ancestor_id`` or lies below it (inclusive)."""
        try:
            x = self._post_list[self._pos[concept_id]]
            b = self._pos[ancestor_id]
        except KeyError as missing:
            raise UnknownConcept(missing.args[0], self.close_ids(missing.args[0])) from None
        if self._first_lo[b] <= x <= self._first_hi[b]:
            return True
        for lo, hi in self._more_intervals.get(b, ()):
            if lo <= x <= hi:
                return True
        return False

    def is_a_many(self, nodes: npt.ArrayLike, ancestors: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Element-wise ``is_a`` over integer positions (broadcasting like numpy).

        Every pair is tested against its ancestor's first interval; only the few pairs that miss
        it and whose ancestor has more intervals are tested further.
        """
        a, b = np.broadcast_arrays(np.asarray(nodes, dtype=np.int64), np.asarray(ancestors, dtype=np.int64))
        shape = a.shape
        x = self._post[a.ravel()]
        start = self._ivl_ptr[b.ravel()].astype(np.int64)
        count = self._ivl_ptr[b.ravel() + 1] - start
        hit = (self._ivl_lo[start] <= x) & (x <= self._ivl_hi[start])
        pending = np.flatnonzero(~hit & (count > 1))
        j = 1
        while pending.size:
            k = start[pending] + j
            inside = (self._ivl_lo[k] <= x[pending]) & (x[pending] <= self._ivl_hi[k])
            hit[pending[inside]] = True
            pending = pending[~inside & (count[pending] > j + 1)]
            j += 1
        answer: npt.NDArray[np.bool_] = hit.reshape(shape)
        return answer

    def parents(self, concept_id: str) -> list[str]:
        """Direct parents (hypernyms), in source order."""
        i = self.position(concept_id)
        return self._names(self._parent_idx[self._parent_ptr[i] : self._parent_ptr[i + 1]].tolist())

    def children(self, concept_id: str) -> list[str]:
        """Direct children (hyponyms)."""
        i = self.position(concept_id)
        return self._names(self._child_idx[self._child_ptr[i] : self._child_ptr[i + 1]].tolist())

    def ancestors(self, concept_id: str) -> list[str]:
        """Every proper ancestor, nearest first (by depth), the root last."""
        try:
            i = self._pos[concept_id]
        except KeyError:
            raise UnknownConcept(concept_id, self.close_ids(concept_id)) from None
        ptr = self._anc_ptr_list
        ids = self.ids
        return [ids[j] for j in self._anc_idx[ptr[i] : ptr[i + 1]].tolist()]

    def _intervals(self, i: int) -> tuple[IntArray, IntArray]:
        """The post-order intervals (lo, hi, inclusive) that cover node i and its descendants."""
        span = slice(self._ivl_ptr[i], self._ivl_ptr[i + 1])
        return self._ivl_lo[span], self._ivl_hi[span]

    def _descendant_nodes(self, i: int) -> IntArray:
        lo, hi = self._intervals(i)
        return np.concatenate([self._by_post[s : e + 1] for s, e in zip(lo.tolist(), hi.tolist(), strict=True)])

    def descendants(self, concept_id: str, *, limit: int | None = None, inclusive: bool = False) -> list[str]:
        """Every descendant, nearest first (by depth, then id); ``limit`` caps the list."""
        i = self.position(concept_id)
        nodes = self._descendant_nodes(i)
        if not inclusive:
            nodes = nodes[nodes != i]
        order = np.lexsort((nodes, self._min_depth[nodes]))
        if limit is not None:
            order = order[:limit]
        return self._names(nodes[order].tolist())

    def descendant_count(self, concept_id: str) -> int:
        """How many proper descendants a concept has, without listing them."""
        lo, hi = self._intervals(self.position(concept_id))
        return int((hi - lo).sum()) + len(lo) - 1

    def depth(self, concept_id: str) -> int:
        """Length of the shortest path to a root (a root has depth 0)."""
        return int(self._min_depth[self.position(concept_id)])

    def max_depth(self, concept_id: str) -> int:
        """Length of the longest path to a root."""
        return int(self._max_depth[self.position(concept_id)])

    def paths_to_root(self, concept_id: str, *, limit: int | None = None) -> list[list[str]]:
        """Every path from a root down to the concept (root first), like nltk's hypernym_paths."""
        start = self.position(concept_id)
        paths: list[list[int]] = []
        stack: list[list[int]] = [[start]]
        while stack and (limit is None or len(paths) < limit):
            path = stack.pop()
            head = path[-1]
            ups = self._parent_idx[self._parent_ptr[head] : self._parent_ptr[head + 1]].tolist()
            if not ups:
                paths.append(path[::-1])
            stack.extend([*path, p] for p in reversed(ups))
        return [self._names(p) for p in paths]

    def lowest_common_ancestors(self, a: str, b: str) -> list[str]:
        """The minimal common ancestors (inclusive) of two concepts; several under multiple inheritance."""
        common = set([*self.ancestors(a), a]) & set([*self.ancestors(b), b])
        lowest = [c for c in common if not any(o != c and self.is_a(o, c) for o in common)]
        return sorted(lowest, key=lambda c: (-int(self._max_depth[self._pos[c]]), c))

    def related(self, concept_id: str) -> list[str]:
        """The related set used by the OOD check: descendants (inclusive) of the concept's hypernyms.

        A root has no hypernym; its related set is its own descendants, inclusive.
        """
        heads = self.parents(concept_id) or [concept_id]
        nodes = np.unique(np.concatenate([self._descendant_nodes(self._pos[h]) for h in heads]))
        return self._names(nodes.tolist())

    def is_related(self, candidate_id: str, query_id: str) -> bool:
        """True when ``candidate_id`` lies in the related set of ``query_id``."""
        heads = self.parents(query_id) or [query_id]
        return any(self.is_a(candidate_id, h) for h in heads)

    def roots(self) -> list[str]:
        """Concepts without parents."""
        return self._names(np.flatnonzero(np.diff(self._parent_ptr) == 0).tolist())


def _csr(n: int, keys: npt.NDArray[np.int64], values: npt.NDArray[np.int64]) -> tuple[IntArray, IntArray]:
    """Group ``values`` by ``keys`` (stable, so source order survives) as (ptr, idx)."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, values[order].astype(np.int32)


def _topological_order(n: int, parent_ptr: IntArray, child_ptr: IntArray, child_idx: IntArray,
                       parent_idx: IntArray, ids: Sequence[str]) -> list[int]:
    """Parents before children (Kahn); raises GraphError naming one cycle if there is any."""
    pending = np.diff(parent_ptr).tolist()
    cp, ci = child_ptr.tolist(), child_idx.tolist()
    order = [i for i in range(n) if pending[i] == 0]
    for v in order:  # the list grows while we walk it
        for c in ci[cp[v] : cp[v + 1]]:
            pending[c] -= 1
            if pending[c] == 0:
                order.append(c)
    if len(order) == n:
        return order
    stuck = set(range(n)) - set(order)
    node, seen = next(iter(sorted(stuck))), []  # walk up inside the stuck part until a repeat
    while node not in seen:
        seen.append(node)
        node = next(p for p in parent_idx[parent_ptr[node] : parent_ptr[node + 1]].tolist() if p in stuck)
    cycle = [*seen[seen.index(node):], node]
    raise GraphError("cycle: " + " -> ".join(ids[i] for i in cycle))


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or touching integer intervals."""
    intervals.sort()
    merged = [intervals[0]]
    for lo, hi in intervals[1:]:
        last_lo, last_hi = merged[-1]
        if lo <= last_hi + 1:
            if hi > last_hi:
                merged[-1] = (last_lo, hi)
        else:
            merged.append((lo, hi))
    return merged


def _compile_arrays(n: int, child_list: list[int], parent_list: list[int], ids: list[str]) -> dict[str, IntArray]:
    children_of = np.asarray(child_list, dtype=np.int64)
    parents_of = np.asarray(parent_list, dtype=np.int64)
    parent_ptr, parent_idx = _csr(n, children_of, parents_of)
    child_ptr, child_idx = _csr(n, parents_of, children_of)
    topo = _topological_order(n, parent_ptr, child_ptr, child_idx, parent_idx, ids)
    pp, pi = parent_ptr.tolist(), parent_idx.tolist()
    cp, ci = child_ptr.tolist(), child_idx.tolist()

    min_depth = [0] * n
    max_depth = [0] * n
    ancestor_sets: list[set[int]] = [set()] * n
    for v in topo:
        ups = pi[pp[v] : pp[v + 1]]
        if ups:
            min_depth[v] = 1 + min(min_depth[p] for p in ups)
            max_depth[v] = 1 + max(max_depth[p] for p in ups)
            found: set[int] = set(ups)
            for p in ups:
                found |= ancestor_sets[p]
            ancestor_sets[v] = found
    anc_lists = [sorted(s, key=lambda a: (-max_depth[a], a)) for s in ancestor_sets]
    anc_ptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum([len(a) for a in anc_lists], out=anc_ptr[1:])
    anc_idx = np.fromiter((a for lst in anc_lists for a in lst), dtype=np.int32, count=int(anc_ptr[-1]))

    # Spanning tree: each node hangs under its deepest parent (the one with most ancestors),
    # which leaves fewest other ancestors needing an extra interval; number it in post-order.
    tree_children: list[list[int]] = [[] for _ in range(n)]
    for v in range(n):
        if pp[v] != pp[v + 1]:
            tree_children[max(pi[pp[v] : pp[v + 1]], key=lambda p: (len(ancestor_sets[p]), -p))].append(v)
    post = [0] * n
    tree_lo = [0] * n
    counter = 0
    for root in (v for v in range(n) if pp[v] == pp[v + 1]):
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            v, k = stack.pop()
            if k == 0:
                tree_lo[v] = counter
            if k < len(tree_children[v]):
                stack.append((v, k + 1))
                stack.append((tree_children[v][k], 0))
            else:
                post[v] = counter
                counter += 1

    # A node's descendants are its tree interval plus every child's intervals.
    intervals: list[list[tuple[int, int]]] = [[]] * n
    for v in reversed(topo):
        own = [(tree_lo[v], post[v])]
        for c in ci[cp[v] : cp[v + 1]]:
            own.extend(intervals[c])
        merged = _merge(own)
        # The interval holding the node itself goes first: is_a checks it before the rest.
        home = next(k for k, (lo, hi) in enumerate(merged) if lo <= post[v] <= hi)
        merged.insert(0, merged.pop(home))
        intervals[v] = merged
    ivl_ptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum([len(iv) for iv in intervals], out=ivl_ptr[1:])
    flat = [pair for iv in intervals for pair in iv]
    by_post = np.empty(n, dtype=np.int32)
    by_post[np.asarray(post, dtype=np.int64)] = np.arange(n, dtype=np.int32)
    def as_i32(values: list[int]) -> IntArray:
        return np.asarray(values, dtype=np.int32)

    return {
        "parent_ptr": parent_ptr, "parent_idx": parent_idx,
        "child_ptr": child_ptr, "child_idx": child_idx,
        "anc_ptr": anc_ptr, "anc_idx": anc_idx,
        "min_depth": as_i32(min_depth), "max_depth": as_i32(max_depth),
        "post": as_i32(post), "by_post": by_post,
        "ivl_ptr": ivl_ptr,
        "ivl_lo": as_i32([lo for lo, _ in flat]), "ivl_hi": as_i32([hi for _, hi in flat]),
    }
