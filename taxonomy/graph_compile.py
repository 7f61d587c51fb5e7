"""Compiling the graph index: every array of it, a level of the DAG at a time, over whole numpy
arrays (no Python object per concept: millions of concepts compile in seconds)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from taxonomy.errors import GraphError

IntArray = npt.NDArray[np.int32]


def _csr(n: int, keys: npt.NDArray[np.int64], values: npt.NDArray[np.int64]) -> tuple[IntArray, IntArray]:
    """Group ``values`` by ``keys`` (stable, so source order survives) as (ptr, idx)."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, values[order].astype(np.int32)


def gather(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions ``starts[k] .. starts[k] + lengths[k] - 1`` of every k, concatenated."""
    total = int(lengths.sum())
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions: npt.NDArray[np.int64] = shift + np.arange(total, dtype=np.int64)
    return positions


def _rows(ptr: IntArray, idx: npt.NDArray[np.int32], nodes: npt.NDArray[np.int64]
          ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(values, owner) of the CSR rows of ``nodes``: every value with the node whose row it is in."""
    starts = ptr[nodes].astype(np.int64)
    lengths = ptr[nodes + 1].astype(np.int64) - starts
    return idx[gather(starts, lengths)].astype(np.int64), np.repeat(nodes, lengths)


class _Growing:
    """Variable-length rows appended a batch at a time into one buffer (rows of earlier batches
    stay readable while later ones are added): the compile's ancestor lists and interval sets."""

    def __init__(self, n: int, columns: int):
        self.start = np.zeros(n, dtype=np.int64)
        self.length = np.zeros(n, dtype=np.int64)
        self.data = np.empty((columns, max(n, 16)), dtype=np.int32)
        self.used = 0

    def add(self, owner: npt.NDArray[np.int64], *values: npt.NDArray[np.int64]) -> None:
        """Append rows: each owner's values contiguous, no owner seen before."""
        size = owner.size
        if self.used + size > self.data.shape[1]:
            grown = np.empty((self.data.shape[0], max(2 * self.data.shape[1], self.used + size)), dtype=np.int32)
            grown[:, : self.used] = self.data[:, : self.used]
            self.data = grown
        for column, value in enumerate(values):
            self.data[column, self.used : self.used + size] = value
        if size:
            first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            nodes = owner[first]
            self.start[nodes] = self.used + first
            self.length[nodes] = np.diff(np.r_[first, size])
        self.used += size

    def rows(self, nodes: npt.NDArray[np.int64], owner: npt.NDArray[np.int64]
             ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(positions in ``data``, owner) of the rows of ``nodes``, each with its ``owner`` value."""
        lengths = self.length[nodes]
        return gather(self.start[nodes], lengths), np.repeat(owner, lengths)

    def csr(self, column: int = 0) -> tuple[IntArray, IntArray]:
        """The rows of every node in node order, as (ptr, idx)."""
        ptr = np.zeros(self.start.size + 1, dtype=np.int32)
        np.cumsum(self.length, out=ptr[1:])
        return ptr, self.data[column, gather(self.start, self.length)]


def _levels(n: int, parent_ptr: IntArray, child_ptr: IntArray, child_idx: IntArray) -> list[npt.NDArray[np.int64]]:
    """Nodes by longest distance from a root (Kahn's algorithm a frontier at a time); nodes on a
    cycle are in no level."""
    pending = np.diff(parent_ptr).astype(np.int64)
    frontier = np.flatnonzero(pending == 0)
    levels = []
    while frontier.size:
        levels.append(frontier)
        kids, _ = _rows(child_ptr, child_idx, frontier)
        kids, times = np.unique(kids, return_counts=True)
        pending[kids] -= times
        frontier = kids[pending[kids] == 0]
    return levels


def _name_a_cycle(n: int, levels: list[npt.NDArray[np.int64]], parent_ptr: IntArray, parent_idx: IntArray,
                  ids: Sequence[str]) -> GraphError:
    stuck = np.ones(n, dtype=bool)
    for level in levels:
        stuck[level] = False
    node, seen = int(np.flatnonzero(stuck)[0]), []  # walk up inside the stuck part until a repeat
    while node not in seen:
        seen.append(node)
        node = next(p for p in parent_idx[parent_ptr[node] : parent_ptr[node + 1]].tolist() if stuck[p])
    cycle = [*seen[seen.index(node):], node]
    return GraphError("cycle: " + " -> ".join(ids[i] for i in cycle))


def _group_starts(owner: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Where each run of equal values starts in a sorted array."""
    return np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if owner.size else owner


def compile_arrays(n: int, children_of: npt.NDArray[np.int64], parents_of: npt.NDArray[np.int64],
                   ids: Sequence[str]) -> dict[str, IntArray]:
    """Every array of the index from its (child, parent) edges as positions, computed a level at
    a time over whole numpy arrays (no Python object per concept)."""
    parent_ptr, parent_idx = _csr(n, children_of, parents_of)
    child_ptr, child_idx = _csr(n, parents_of, children_of)
    levels = _levels(n, parent_ptr, child_ptr, child_idx)
    if sum(level.size for level in levels) != n:
        raise _name_a_cycle(n, levels, parent_ptr, parent_idx, ids)

    max_depth = np.zeros(n, dtype=np.int64)
    for depth, level in enumerate(levels):
        max_depth[level] = depth
    min_depth = np.zeros(n, dtype=np.int64)
    # Ancestors nearest first: by longest depth descending, then position; built parents first.
    ancestors = _Growing(n, 1)
    key_depth = int(max_depth.max(initial=0)) + 1
    parent_count = np.diff(parent_ptr)
    for level in levels[1:]:
        ups, owner = _rows(parent_ptr, parent_idx, level)  # owner sorted: level is
        min_depth[level] = np.minimum.reduceat(min_depth[ups], _group_starts(owner)) + 1
        # One parent (most nodes): the parent, then its ancestors, already in order.
        single = level[parent_count[level] == 1]
        if single.size:
            up = parent_idx[parent_ptr[single]].astype(np.int64)
            held, _ = ancestors.rows(up, single)
            lengths = ancestors.length[up] + 1
            row = np.empty(int(lengths.sum()), dtype=np.int64)
            heads = np.cumsum(lengths) - lengths
            row[heads] = up
            rest = np.ones(row.size, dtype=bool)
            rest[heads] = False
            row[rest] = ancestors.data[0, held]
            ancestors.add(np.repeat(single, lengths), row)
        # Several parents: the union of theirs, sorted and without repeats.
        several = np.isin(owner, single, invert=True) if single.size else np.ones(owner.size, dtype=bool)
        if several.any():
            ups, owner = ups[several], owner[several]
            held, whose = ancestors.rows(ups, owner)
            candidate = np.concatenate([ups, ancestors.data[0, held].astype(np.int64)])
            whose = np.concatenate([owner, whose])
            key = (whose * key_depth + (key_depth - 1 - max_depth[candidate])) * n + candidate
            key.sort()
            key = key[np.r_[True, key[1:] != key[:-1]]]
            ancestors.add(key // (key_depth * n), key % n)
    anc_ptr, anc_idx = ancestors.csr()

    # Spanning tree: each node hangs under its parent with most ancestors (ties: lowest position),
    # which leaves fewest other ancestors needing an extra interval; number it in post-order.
    edge_order = np.lexsort((parents_of, -ancestors.length[parents_of], children_of))
    firsts = edge_order[_group_starts(children_of[edge_order])]
    tree_parent = np.full(n, -1, dtype=np.int64)
    tree_parent[children_of[firsts]] = parents_of[firsts]
    size = np.ones(n, dtype=np.int64)
    for level in reversed(levels[1:]):
        np.add.at(size, tree_parent[level], size[level])
    # A node's subtree starts where its parent's does, after its earlier siblings' subtrees.
    hung = np.flatnonzero(tree_parent >= 0)
    hung = hung[np.lexsort((hung, tree_parent[hung]))]
    before = np.cumsum(size[hung]) - size[hung]
    sibling_offset = np.zeros(n, dtype=np.int64)
    if hung.size:
        first = _group_starts(tree_parent[hung])
        sibling_offset[hung] = before - np.repeat(before[first], np.diff(np.r_[first, hung.size]))
    roots = levels[0] if levels else np.zeros(0, dtype=np.int64)
    tree_lo = np.zeros(n, dtype=np.int64)
    tree_lo[roots] = np.cumsum(size[roots]) - size[roots]
    for level in levels[1:]:
        tree_lo[level] = tree_lo[tree_parent[level]] + sibling_offset[level]
    post = tree_lo + size - 1

    # A node's descendants are its tree interval plus every child's intervals, merged; children
    # are on deeper levels, so deepest level first. The interval holding the node itself goes
    # first: is_a checks it before the rest.
    intervals = _Growing(n, 2)
    for level in reversed(levels):
        kids, owner = _rows(child_ptr, child_idx, level)
        held, whose = intervals.rows(kids, owner)
        lo = np.concatenate([tree_lo[level], intervals.data[0, held]]).astype(np.int64)
        hi = np.concatenate([post[level], intervals.data[1, held]]).astype(np.int64)
        whose = np.concatenate([level, whose])
        shift = whose * (n + 1)
        order = np.argsort(shift + lo, kind="stable")
        lo_s, hi_s, whose_s = (shift + lo)[order], (shift + hi)[order], whose[order]
        reach = np.maximum.accumulate(hi_s)
        starts = np.flatnonzero(np.r_[True, lo_s[1:] > reach[:-1] + 1])
        merged_owner = whose_s[starts]
        merged_lo = lo_s[starts] - merged_owner * (n + 1)
        merged_hi = np.maximum.reduceat(hi_s, starts) - merged_owner * (n + 1)
        away = ~((merged_lo <= post[merged_owner]) & (post[merged_owner] <= merged_hi))
        final = np.lexsort((merged_lo, away, merged_owner))
        intervals.add(merged_owner[final], merged_lo[final], merged_hi[final])
    ivl_ptr, ivl_lo = intervals.csr(0)
    _, ivl_hi = intervals.csr(1)
    by_post = np.empty(n, dtype=np.int32)
    by_post[post] = np.arange(n, dtype=np.int32)

    def as_i32(values: npt.NDArray[np.int64]) -> IntArray:
        return values.astype(np.int32)

    return {
        "parent_ptr": parent_ptr, "parent_idx": parent_idx,
        "child_ptr": child_ptr, "child_idx": child_idx,
        "anc_ptr": anc_ptr, "anc_idx": anc_idx,
        "min_depth": as_i32(min_depth), "max_depth": as_i32(max_depth),
        "post": as_i32(post), "by_post": by_post,
        "ivl_ptr": ivl_ptr, "ivl_lo": ivl_lo, "ivl_hi": ivl_hi,
    }


def cyclic_core(parents: Mapping[str, list[str]]) -> set[str]:
    """What is left of the graph after taking away, again and again, every node without a parent
    or without a child: the nodes on cycles and between them (nothing, when there is no cycle)."""
    number: dict[str, int] = {}
    for child, ups in parents.items():
        number.setdefault(child, len(number))
        for parent in ups:
            number.setdefault(parent, len(number))
    lower = np.fromiter((number[c] for c, ups in parents.items() for _ in ups), dtype=np.int64)
    upper = np.fromiter((number[p] for ups in parents.values() for p in ups), dtype=np.int64)
    alive = np.ones(lower.size, dtype=np.bool_)
    while True:
        has_parent = np.bincount(lower[alive], minlength=len(number)) > 0
        has_child = np.bincount(upper[alive], minlength=len(number)) > 0
        inside = has_parent & has_child
        still = alive & inside[lower] & inside[upper]
        if np.array_equal(still, alive):
            break
        alive = still
    names = list(number)
    return {names[i] for i in np.unique(np.concatenate([lower[alive], upper[alive]])).tolist()}
