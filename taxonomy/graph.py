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
import itertools
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

from taxonomy.errors import GraphError, UnknownConcept
from taxonomy.graph_compile import IntArray, compile_arrays
from taxonomy.graph_growth import FirstIntervals, Growth, Room, ancestor_nodes, int32s
from taxonomy.graph_ids import IdTable, build_slots, extended_slots
from taxonomy.graph_pending import FOLD_AT, Pending

#: The arrays an index is made of; together with the ids they are all that is stored.
ARRAY_NAMES = (
    "parent_ptr", "parent_idx", "child_ptr", "child_idx", "anc_ptr", "anc_idx",
    "min_depth", "max_depth", "post", "by_post", "ivl_ptr", "ivl_lo", "ivl_hi",
)


class AddedIds(Sequence[str]):
    """The ids of an index that grew: the compiled ones, then those added since (not copied: a
    list of millions takes tens of milliseconds to copy)."""

    def __init__(self, compiled: list[str], added: list[str]):
        self.compiled, self.added = compiled, added

    def __len__(self) -> int:
        return len(self.compiled) + len(self.added)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [*self.compiled, *self.added][i]
        if i < 0:
            i += len(self)
        if 0 <= i < len(self.compiled):
            return self.compiled[i]
        if i < 0:
            raise IndexError("concept position out of range")
        return self.added[i - len(self.compiled)]

    def __iter__(self) -> Iterator[str]:
        return itertools.chain(self.compiled, self.added)

    def pick(self, positions: Iterable[int]) -> list[str]:
        """The ids at ``positions`` (without a method call per id: ancestors are read this way)."""
        compiled, added, n = self.compiled, self.added, len(self.compiled)
        return [compiled[i] if i < n else added[i - n] for i in positions]


class GraphIndex:
    """Answers hierarchy questions over concept ids in microseconds.

    >>> g = GraphIndex.compile(["a", "b", "c"], [("b", "a"), ("c", "b")])
    >>> g.is_a("c", "a"), g.ancestors("c")
    (True, ['b', 'a'])
    """

    def __init__(self, ids: Sequence[str], arrays: dict[str, IntArray], *,
                 _pos: dict[str, int] | IdTable | None = None, _grown_from: GraphIndex | None = None,
                 _added: dict[str, int] | None = None, _firsts: FirstIntervals | None = None,
                 _pending: Pending | None = None):
        missing = [name for name in ARRAY_NAMES if name not in arrays]
        if missing:
            raise GraphError(f"graph index is incomplete (missing {', '.join(missing)})")
        self.ids: Sequence[str] = ids if isinstance(ids, list | AddedIds) else list(ids)
        self._plain_ids = isinstance(self.ids, list)
        self._arrays = arrays
        # concepts added since the arrays last grew (graph_pending): nodes from ``_first_pending`` on
        self._pending = _pending or Pending(int(arrays["post"].size))
        self._first_pending = self._pending.first
        self._folded: GraphIndex | None = None
        self._fold_lock = threading.Lock()
        # id -> position: the compiled concepts' table (a dict, or a saved IdTable when large) is
        # shared, never changed, by the indexes grown from this one (``with_concepts``); each
        # keeps the concepts added since apart.
        self._pos: dict[str, int] | IdTable
        if _grown_from is None:
            self._pos = _pos if _pos is not None else {concept_id: i for i, concept_id in enumerate(self.ids)}
            self._rooms: dict[str, Room] = {}
            self._shared = _Shared()
        else:
            self._pos, self._rooms = _grown_from._pos, _grown_from._rooms
            # the same arrays (only pending concepts added): their derived tables are shared
            self._shared = _grown_from._shared if _grown_from._arrays is arrays else _Shared()
        self._added: dict[str, int] = _added or {}
        self._parent_ptr, self._parent_idx = arrays["parent_ptr"], arrays["parent_idx"]
        self._child_ptr, self._child_idx = arrays["child_ptr"], arrays["child_idx"]
        self._anc_idx, self._anc_tail = arrays["anc_idx"], arrays.get("anc_tail", arrays["anc_idx"][:0])
        self._anc_base = int(self._anc_idx.size)  # anc_tail's entries come after anc_idx's
        self._min_depth, self._max_depth = arrays["min_depth"], arrays["max_depth"]
        self._post, self._by_post = arrays["post"], arrays["by_post"]
        self._ivl_ptr, self._ivl_lo, self._ivl_hi = arrays["ivl_ptr"], arrays["ivl_lo"], arrays["ivl_hi"]
        # The scalar hot path reads Python ints: from lists while the graph is small (fastest),
        # from memoryviews over the arrays when large (a list holds an object per entry).
        self._post_view = _fast(arrays["post"])
        self._anc_ptr_view = _fast(arrays["anc_ptr"])
        self._ivl_ptr_view = _fast(self._ivl_ptr)
        firsts = self._ivl_ptr[:-1]
        # (lo, hi of the first interval, 1 if there are more) per node: is_a's first test
        self._firsts = _firsts or (self._ivl_lo[firsts], self._ivl_hi[firsts],
                                   (np.diff(self._ivl_ptr) > 1).astype(np.int32))
        self._first_lo, self._first_hi, self._several = (_fast(a) for a in self._firsts)
        self._ivl_lo_view, self._ivl_hi_view = _view(self._ivl_lo), _view(self._ivl_hi)

    # ----------------------------------------------------------------- building
    @classmethod
    def compile(cls, ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> GraphIndex:
        """Compile an index from concept ids and (child, parent) edges; raises GraphError on a cycle."""
        ids = ids if isinstance(ids, list) else list(ids)
        pos = {concept_id: i for i, concept_id in enumerate(ids)}
        if len(pos) != len(ids):
            raise GraphError("concept ids are not unique")
        pairs = edges if isinstance(edges, list) else list(edges)
        try:
            children = np.fromiter(map(pos.__getitem__, (c for c, _ in pairs)), dtype=np.int64, count=len(pairs))
            parents = np.fromiter(map(pos.__getitem__, (p for _, p in pairs)), dtype=np.int64, count=len(pairs))
        except KeyError as missing:
            child, parent = next((c, p) for c, p in pairs if missing.args[0] in (c, p))
            raise GraphError(f"edge {child} -> {parent} names a concept that does not exist: "
                             f"{missing.args[0]!r}") from None
        loops = np.flatnonzero(children == parents)
        if loops.size:
            raise GraphError(f"cycle: {pairs[int(loops[0])][0]} is its own parent")
        return cls(ids, compile_arrays(len(ids), children, parents, ids), _pos=pos)

    def with_concepts(self, added: Sequence[tuple[str, Sequence[str]]]) -> GraphIndex:
        """A new index that also holds ``added``: (concept id, parent ids) of new concepts, each
        parent known or added before it. This index is left as it was (readers in other threads
        may hold it). A batch costs in proportion to its size: its concepts wait beside the
        arrays (``graph_pending``) until ``FOLD_AT`` of them have come, then grow the arrays in one
        pass (about 100 ms at 4.3 M concepts), never a compile; the answers are a compile's.
        Concepts added this way come after the compiled ones in position order (the tie-break
        of ``descendants``)."""
        if self._folded is not None:  # its arrays were read, so grown already: grow on from there
            return self._folded.with_concepts(added)
        positions = dict(self._added)
        if isinstance(self.ids, AddedIds):
            compiled, new_ids = self.ids.compiled, list(self.ids.added)
        else:
            compiled, new_ids = self.ids if isinstance(self.ids, list) else list(self.ids), []
        batch: list[list[int]] = []
        for concept_id, parents in added:
            if concept_id in self._pos or concept_id in positions:
                raise GraphError(f"concept {concept_id!r} is in the graph already")
            ups: list[int] = []
            for parent in parents:
                at = self._pos.get(parent, positions.get(parent))
                if at is None:
                    raise GraphError(f"edge {concept_id} -> {parent} names a concept that does not exist: {parent!r}")
                if at not in ups:
                    ups.append(at)
            batch.append(ups)
            positions[concept_id] = len(compiled) + len(new_ids)
            new_ids.append(concept_id)
        if not batch:
            return self
        ids = AddedIds(compiled, new_ids)
        if len(self._pending) + len(batch) >= FOLD_AT:
            return self._grown(ids, positions, batch)
        pending = self._pending.with_nodes(batch, self._array_ancestors, self._array_depths)
        return GraphIndex(ids, self._arrays, _grown_from=self, _added=positions, _firsts=self._firsts,
                          _pending=pending)

    def _grown(self, ids: AddedIds, positions: dict[str, int], batch: list[list[int]]) -> GraphIndex:
        """The index with its pending concepts and ``batch`` grown into its arrays."""
        every = [*map(list, self._pending.parents), *batch]
        arrays, firsts = Growth(self._arrays, self._first_pending, every).arrays(self._rooms, self._firsts)
        return GraphIndex(ids, arrays, _grown_from=self, _added=positions, _firsts=firsts)

    @property
    def arrays(self) -> dict[str, IntArray]:
        """The index's arrays (to save it, or for whole-graph passes over them), its pending
        concepts grown into them first (once)."""
        if not len(self._pending):
            return self._arrays
        with self._fold_lock:
            if self._folded is None:
                assert isinstance(self.ids, AddedIds)  # only a grown index has pending concepts
                self._folded = self._grown(self.ids, self._added, [])
        return self._folded._arrays

    def _array_ancestors(self, x: int) -> list[int]:
        return ancestor_nodes(self._arrays, x).tolist()  # type: ignore[no-any-return]

    def _array_depths(self, x: int) -> tuple[int, int]:
        return int(self._min_depth[x]), int(self._max_depth[x])

    def _depths(self, x: int) -> tuple[int, int]:
        """(min, max) depth of node x."""
        first = self._first_pending
        return self._pending.depths[x - first] if x >= first else self._array_depths(x)

    def id_slots(self) -> IntArray:
        """The slot array of an ``IdTable`` over all of this index's ids, to save beside it."""
        if isinstance(self._pos, IdTable):
            return self._pos.slots if not self._added else extended_slots(self._pos, self.ids)
        return build_slots(self.ids)

    # ----------------------------------------------------------------- lookups
    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._pos or concept_id in self._added

    @property
    def edge_count(self) -> int:
        return int(self._parent_idx.shape[0]) + sum(map(len, self._pending.parents))

    def position(self, concept_id: str) -> int:
        """The integer position of a concept id (for the array functions)."""
        try:
            return self._pos[concept_id]
        except KeyError:
            if concept_id in self._added:
                return self._added[concept_id]
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
        if isinstance(ids, AddedIds):
            return ids.pick(nodes)
        return [ids[i] for i in nodes]

    # ----------------------------------------------------------------- queries
    def is_a(self, concept_id: str, ancestor_id: str) -> bool:
        """True when ``concept_id`` is ``ancestor_id`` or lies below it (inclusive)."""
        try:
            x = self._post_view[self._pos[concept_id]]
            b = self._pos[ancestor_id]
        except KeyError:
            i, b = self.position(concept_id), self.position(ancestor_id)
            if i >= self._first_pending or b >= self._first_pending:
                return self._pending.is_a(i, b)
            x = self._post_view[i]
        if self._first_lo[b] <= x <= self._first_hi[b]:
            return True
        if not self._several[b]:
            return False
        # the other intervals are sorted and apart: a binary search (a hub has 100,000 of them)
        ptr = self._ivl_ptr_view
        k = bisect_right(self._ivl_lo_view, x, ptr[b] + 1, ptr[b + 1]) - 1
        return k > ptr[b] and x <= self._ivl_hi_view[k]

    def is_a_many(self, nodes: npt.ArrayLike, ancestors: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Element-wise ``is_a`` over integer positions (broadcasting like numpy).

        Every pair is tested against its ancestor's first interval; only the few pairs that miss
        it and whose ancestor has more intervals are looked up further, all in one binary search.
        """
        a, b = np.broadcast_arrays(np.asarray(nodes, dtype=np.int64), np.asarray(ancestors, dtype=np.int64))
        shape = a.shape
        a, b = a.ravel(), b.ravel()
        late = np.flatnonzero((a >= self._first_pending) | (b >= self._first_pending)) if len(self._pending) else ()
        if len(late):  # pairs with a pending concept: answered apart, the rest through the arrays
            answer = np.zeros(a.size, dtype=np.bool_)
            answer[late] = [self._pending.is_a(i, j) for i, j in zip(a[late].tolist(), b[late].tolist(), strict=True)]
            rest = np.setdiff1d(np.arange(a.size), late, assume_unique=True)
            answer[rest] = self._array_is_a_many(a[rest], b[rest])
            return answer.reshape(shape)
        return self._array_is_a_many(a, b).reshape(shape)

    def _array_is_a_many(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        x = self._post[a].astype(np.int64)
        start = self._ivl_ptr[b].astype(np.int64)
        hit = (self._ivl_lo[start] <= x) & (x <= self._ivl_hi[start])
        unsure = np.flatnonzero(~hit & (self._ivl_ptr[b + 1] - start > 1))
        if unsure.size:
            span = self._first_pending + 2
            k = np.searchsorted(self._interval_keys, b[unsure] * span + x[unsure] + 1, side="right") - 1
            hit[unsure] = (k > start[unsure]) & (x[unsure] <= self._ivl_hi[k])
        return hit

    @property
    def _interval_keys(self) -> npt.NDArray[np.int64]:
        """One sorted key per interval: its node, then its start (a node's first interval keyed
        below the rest, so a search never lands on it)."""
        if self._shared.interval_keys is None:
            n = self._first_pending
            span = n + 2
            owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(self._ivl_ptr))
            keys: npt.NDArray[np.int64] = owner * span + self._ivl_lo.astype(np.int64) + 1
            keys[self._ivl_ptr[:-1]] = np.arange(n, dtype=np.int64) * span
            self._shared.interval_keys = keys
        return self._shared.interval_keys

    def parents(self, concept_id: str) -> list[str]:
        """Direct parents (hypernyms), in source order."""
        return self._names(self._parent_nodes(self.position(concept_id)))

    def _parent_nodes(self, i: int) -> list[int]:
        if i >= self._first_pending:
            return list(self._pending.parents[i - self._first_pending])
        return self._parent_idx[self._parent_ptr[i] : self._parent_ptr[i + 1]].tolist()  # type: ignore[no-any-return]

    def children(self, concept_id: str, limit: int | None = None) -> list[str]:
        """Direct children (hyponyms); the first ``limit`` of them (a hub of a merged Wikidata
        tree has 500,000)."""
        i = self.position(concept_id)
        later = list(self._pending.children.get(i, ()))  # pending children come after the others
        if i >= self._first_pending:
            return self._names(later[:limit])
        start, stop = int(self._child_ptr[i]), int(self._child_ptr[i + 1])
        nodes = self._child_idx[start : stop if limit is None else min(stop, start + limit)].tolist()
        return self._names([*nodes, *later][:limit])

    def child_count(self, concept_id: str) -> int:
        i = self.position(concept_id)
        later = len(self._pending.children.get(i, ()))
        return later if i >= self._first_pending else int(self._child_ptr[i + 1] - self._child_ptr[i]) + later

    def ancestors(self, concept_id: str) -> list[str]:
        """Every proper ancestor, nearest first (by depth), the root last."""
        try:
            i = self._pos[concept_id]
        except KeyError:
            i = self.position(concept_id)
            if i >= self._first_pending:
                return self._names(self._pending.ancestors[i - self._first_pending])
        ptr = self._anc_ptr_view
        hi, base = ptr[i + 1], self._anc_base
        if hi <= base:
            nodes = self._anc_idx[ptr[i] : hi].tolist()
        else:  # a concept added since the compile
            nodes = self._anc_tail[ptr[i] - base : hi - base].tolist()
        ids = self.ids
        if self._plain_ids:  # the hot path of a compiled index: no call per id
            return [ids[j] for j in nodes]
        return self._names(nodes)

    def _intervals(self, i: int) -> tuple[IntArray, IntArray]:
        """The post-order intervals (lo, hi, inclusive) that cover node i and its descendants."""
        span = slice(self._ivl_ptr[i], self._ivl_ptr[i + 1])
        return self._ivl_lo[span], self._ivl_hi[span]

    def _descendant_nodes(self, i: int) -> IntArray:
        """Node i and every node below it."""
        later = int32s(self._pending.below.get(i, ()))
        if i >= self._first_pending:
            return np.concatenate([int32s([i]), later])
        lo, hi = self._intervals(i)
        return np.concatenate([*(self._by_post[s : e + 1] for s, e in zip(lo.tolist(), hi.tolist(), strict=True)),
                               later])

    def _min_depths(self, nodes: IntArray) -> IntArray:
        late = nodes >= self._first_pending
        if not late.any():
            return self._min_depth[nodes]
        depths = np.empty(nodes.size, dtype=np.int32)
        depths[~late] = self._min_depth[nodes[~late]]
        depths[late] = [self._pending.depths[x - self._first_pending][0] for x in nodes[late].tolist()]
        return depths

    def descendants(self, concept_id: str, *, limit: int | None = None, inclusive: bool = False) -> list[str]:
        """Every descendant, nearest first (by depth, then id); ``limit`` caps the list."""
        i = self.position(concept_id)
        nodes = self._descendant_nodes(i)
        if not inclusive:
            nodes = nodes[nodes != i]
        order = np.lexsort((nodes, self._min_depths(nodes)))
        if limit is not None:
            order = order[:limit]
        return self._names(nodes[order].tolist())

    def descendant_count(self, concept_id: str) -> int:
        """How many proper descendants a concept has, without listing them: one lookup in a table
        of every node's count, made from the intervals on first use (one pass over them)."""
        i = self.position(concept_id)
        below = self._pending.below
        if i >= self._first_pending:
            return len(below.get(i, ()))
        counts = self._shared.descendant_counts
        if counts is None:
            counts = self._shared.descendant_counts = self._count_descendants()
        return counts[i] + len(below.get(i, ())) if below else counts[i]

    def _count_descendants(self) -> Sequence[int]:
        sizes = (self._ivl_hi - self._ivl_lo + 1).astype(np.int64)
        counts = np.add.reduceat(sizes, self._ivl_ptr[:-1]) - 1 if self._first_pending else np.zeros(0, np.int64)
        return _fast(counts.astype(np.int32))

    def depth(self, concept_id: str) -> int:
        """Length of the shortest path to a root (a root has depth 0)."""
        return self._depths(self.position(concept_id))[0]

    def max_depth(self, concept_id: str) -> int:
        """Length of the longest path to a root."""
        return self._depths(self.position(concept_id))[1]

    def paths_to_root(self, concept_id: str, *, limit: int | None = None) -> list[list[str]]:
        """Every path from a root down to the concept (root first), like nltk's hypernym_paths."""
        start = self.position(concept_id)
        paths: list[list[int]] = []
        stack: list[list[int]] = [[start]]
        while stack and (limit is None or len(paths) < limit):
            path = stack.pop()
            head = path[-1]
            ups = self._parent_nodes(head)
            if not ups:
                paths.append(path[::-1])
            stack.extend([*path, p] for p in reversed(ups))
        return [self._names(p) for p in paths]

    def lowest_common_ancestors(self, a: str, b: str) -> list[str]:
        """The minimal common ancestors (inclusive) of two concepts; several under multiple inheritance."""
        common = set([*self.ancestors(a), a]) & set([*self.ancestors(b), b])
        lowest = [c for c in common if not any(o != c and self.is_a(o, c) for o in common)]
        return sorted(lowest, key=lambda c: (-self._depths(self.position(c))[1], c))

    def related(self, concept_id: str) -> list[str]:
        """The related set used by the OOD check: descendants (inclusive) of the concept's hypernyms.

        A root has no hypernym; its related set is its own descendants, inclusive.
        """
        heads = self.parents(concept_id) or [concept_id]
        nodes = np.unique(np.concatenate([self._descendant_nodes(self.position(h)) for h in heads]))
        return self._names(nodes.tolist())

    def is_related(self, candidate_id: str, query_id: str) -> bool:
        """True when ``candidate_id`` lies in the related set of ``query_id``."""
        heads = self.parents(query_id) or [query_id]
        return any(self.is_a(candidate_id, h) for h in heads)

    def roots(self) -> list[str]:
        """Concepts without parents."""
        first = self._first_pending
        later = [first + k for k, ups in enumerate(self._pending.parents) if not ups]
        return self._names([*np.flatnonzero(np.diff(self._parent_ptr) == 0).tolist(), *later])


class _Shared:
    """Tables derived from an index's arrays on first use (one pass over them), shared by the
    indexes that only add pending concepts to the same arrays."""

    def __init__(self) -> None:
        self.interval_keys: npt.NDArray[np.int64] | None = None
        self.descendant_counts: Sequence[int] | None = None


#: Up to this many entries, the arrays the scalar queries read are copied into Python lists.
FAST_LIST_MAX = 200_000
#: From this many concepts on, a saved index carries an ``IdTable`` (no dict built at open).
ID_TABLE_MIN = 200_000


def _fast(array: IntArray) -> Sequence[int]:
    return array.tolist() if array.size <= FAST_LIST_MAX else _view(array)


def _view(array: IntArray) -> memoryview:
    """A read-only view whose items are Python ints, in the machine's own byte order."""
    return memoryview(np.ascontiguousarray(array, dtype=np.int32))  # type: ignore[arg-type]
