"""Growing a compiled graph index by new concepts under existing ones, without a compile."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import numpy.typing as npt

from taxonomy.graph_compile import IntArray


class Room:
    """A buffer with room at its end, shared by an index and those derived from it. An index
    writes into the room only when it holds the newest prefix (a discarded derivation, such as a
    transaction that rolled back, leaves room used that the next one must not read as its own)."""

    def __init__(self, values: IntArray, extra: int):
        self.buffer = np.empty(values.size + max(extra, values.size // 16, 1024), dtype=np.int32)
        self.buffer[: values.size] = values
        self.used = values.size
        self._lock = threading.Lock()  # two threads may grow the same index (a commit, a reload)

    def append(self, current: IntArray, values: npt.ArrayLike) -> IntArray | None:
        """``current`` with ``values`` after it, written into the room; None when there is none."""
        tail = np.asarray(values, dtype=np.int32).ravel()
        with self._lock:
            if current.size != self.used or (current.base is not self.buffer and current.size):
                return None
            if self.used + tail.size > self.buffer.size:
                return None
            self.buffer[self.used : self.used + tail.size] = tail
            self.used += tail.size
            return self.buffer[: self.used]


def appended(rooms: dict[str, Room], name: str, current: IntArray, values: npt.ArrayLike) -> IntArray:
    room = rooms.get(name)
    grown = room.append(current, values) if room is not None else None
    if grown is None:
        room = rooms[name] = Room(current, np.asarray(values).size)
        grown = room.append(room.buffer[: current.size], values)
        assert grown is not None
    return grown



def ancestor_nodes(arrays: dict[str, IntArray], x: int) -> IntArray:
    """Node ``x``'s ancestors. Those of added nodes are kept apart, in ``anc_tail`` after the
    compiled ``anc_idx`` (its 88 M entries at 4.3 M concepts are not copied to grow it), and
    one node's ancestors lie wholly in one of the two."""
    ptr, base = arrays["anc_ptr"], arrays["anc_idx"]
    lo, hi = int(ptr[x]), int(ptr[x + 1])
    if hi <= base.size:
        return base[lo:hi]
    return arrays["anc_tail"][lo - base.size : hi - base.size]


def whole(arrays: dict[str, IntArray]) -> dict[str, IntArray]:
    """The arrays as a compile gives them (``anc_tail`` back into ``anc_idx``), to be saved."""
    if "anc_tail" not in arrays:
        return arrays
    rest = {name: values for name, values in arrays.items() if name != "anc_tail"}
    return {**rest, "anc_idx": np.concatenate([arrays["anc_idx"], arrays["anc_tail"]])}


#: Per node: lo and hi of its first interval, and 1 if it has more than one.
FirstIntervals = tuple[IntArray, IntArray, IntArray]


def _i64(values: Sequence[int]) -> npt.NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


class Growth:
    """New nodes n, n+1, ... added to compiled arrays in one batch, each under earlier nodes.

    Post-order numbers stay dense. As in a compile, a new node hangs in the spanning tree under
    its parent with most ancestors, so its number goes just before that parent's: each old node
    "anchors" the group of new nodes that end up just before it, and every number moves along by
    the size of the groups before it. An old interval that holds an anchor holds its whole group
    (they are all its descendants). Each ancestor that does not reach a new node through the tree
    gets the one-number interval of that node at the end of its set.
    """

    def __init__(self, arrays: dict[str, IntArray], n: int, batch: list[list[int]]):
        self.a, self.n, self.batch = arrays, n, batch
        a = arrays
        self.ancestors: list[list[int]] = []
        self.depths: list[tuple[int, int]] = []
        tree_parent: list[int | None] = []
        for ups in batch:
            rows = [self._ancestors_of(u) for u in ups]
            found = set(ups).union(*rows)
            self.ancestors.append(sorted(found, key=lambda x: (-self._max_depth(x), x)))
            tree_parent.append(min(ups, key=lambda u: (-len(rows[ups.index(u)]), u)) if ups else None)
            self.depths.append((min((self._min_depth(u) for u in ups), default=-1) + 1,
                                max((self._max_depth(u) for u in ups), default=-1) + 1))
        # the groups: old anchor -> new nodes just before it, in order; new roots go last, each
        # with its own group ending in itself
        groups: dict[int, list[int]] = {}
        root_groups: list[list[int]] = []
        group_of: dict[int, list[int]] = {}
        for i, tp in enumerate(tree_parent):
            v = n + i
            if tp is None:
                group = [v]
                root_groups.append(group)
            elif tp < n:
                group = groups.setdefault(tp, [])
                group.append(v)
            else:
                group = group_of[tp]
                group.insert(group.index(tp), v)
            group_of[v] = group
        post = a["post"]
        anchors = np.asarray(sorted(groups, key=lambda p: post[p]), dtype=np.int64)
        anchor_post = post[anchors]
        ahead = np.cumsum([len(groups[int(p)]) for p in anchors]).astype(np.int32)  # new nodes up to each anchor

        self.anchor_post, self.ahead = anchor_post, ahead
        self.post = self.moved(post, inclusive=True)
        self.lo = self.moved(a["ivl_lo"], inclusive=False)
        self.hi = self.moved(a["ivl_hi"], inclusive=True)
        number: dict[int, int] = {}
        for p, group in groups.items():
            for j, v in enumerate(group):
                number[v] = int(self.post[p]) - len(group) + j
        start = n + int(ahead[-1]) if ahead.size else n
        for group in root_groups:
            for j, v in enumerate(group):
                number[v] = start + j
            start += len(group)
        self.number = [number[n + i] for i in range(len(batch))]
        # a new node's tree subtree is the run of its group just before it
        size = [1] * len(batch)
        for i in reversed(range(len(batch))):
            if tree_parent[i] is not None and tree_parent[i] >= n:  # type: ignore[operator]
                size[tree_parent[i] - n] += size[i]  # type: ignore[operator]
        self.own = [(self.number[i] - size[i] + 1, self.number[i]) for i in range(len(batch))]
        self.extra: dict[int, list[int]] = {}  # node -> numbers of new nodes it reaches outside its intervals
        for i, ancestors in enumerate(self.ancestors):
            x = self.number[i]
            for b in ancestors:
                if not self._reaches(b, x):
                    self.extra.setdefault(b, []).append(x)

    def moved(self, values: IntArray, *, inclusive: bool) -> IntArray:
        """Old numbers moved along by the size of the groups whose anchors come before each (an
        interval's end moves with an anchor equal to it, its start does not: it takes the group in)."""
        if self.anchor_post.size > 8:
            return values + self._shifts[inclusive][values]
        out = values  # a link's few anchors: a pass per anchor beats a gather
        for at, size in zip(self.anchor_post.tolist(), np.diff(self.ahead, prepend=0).tolist(), strict=True):
            after = (values >= at) if inclusive else (values > at)
            out = np.add(out, after if size == 1 else after * np.int32(size), dtype=np.int32)
        return out

    @cached_property
    def _shifts(self) -> dict[bool, IntArray]:
        """Per old number: how far it moves, read by ``moved`` when there are many anchors (a
        gather is 3x faster than a binary search over 20 anchors at 10 M numbers)."""
        at = np.zeros(self.n + 1, dtype=np.int32)
        at[self.anchor_post] = np.diff(self.ahead, prepend=0)  # anchors are distinct numbers
        inclusive = np.cumsum(at, dtype=np.int32)
        return {True: inclusive, False: np.concatenate([int32s([0]), inclusive[:-1]])}

    def _ancestors_of(self, x: int) -> list[int]:
        if x >= self.n:
            return self.ancestors[x - self.n]
        return ancestor_nodes(self.a, x).tolist()  # type: ignore[no-any-return]

    def _max_depth(self, x: int) -> int:
        return self.depths[x - self.n][1] if x >= self.n else int(self.a["max_depth"][x])

    def _min_depth(self, x: int) -> int:
        return self.depths[x - self.n][0] if x >= self.n else int(self.a["min_depth"][x])

    def _reaches(self, b: int, x: int) -> bool:
        if x in self.extra.get(b, ()):
            return True
        if b >= self.n:
            lo, hi = self.own[b - self.n]
            return lo <= x <= hi
        ptr = self.a["ivl_ptr"]
        span = slice(int(ptr[b]), int(ptr[b + 1]))
        return bool(np.any((self.lo[span] <= x) & (x <= self.hi[span])))

    def arrays(self, rooms: dict[str, Room], firsts: FirstIntervals) -> tuple[dict[str, IntArray], FirstIntervals]:
        """The grown arrays, and the first-interval table the index reads (moved, not recomputed)."""
        a, n, k = self.a, self.n, len(self.batch)
        # intervals: old rows, each with its extra numbers at the end, then the new nodes' rows
        # (kept in order after the first, so that is_a can search them)
        old_extra = sorted((b, x) for b, xs in self.extra.items() if b < n for x in xs)
        ptr = a["ivl_ptr"]
        at = _i64([int(ptr[b]) + 1 + int(np.searchsorted(self.lo[ptr[b] + 1 : ptr[b + 1]], x)) for b, x in old_extra])
        values = int32s([x for _, x in old_extra])
        rows = [[self.own[i], *((x, x) for x in sorted(self.extra.get(n + i, [])))] for i in range(k)]
        at = np.concatenate([at, np.full(sum(map(len, rows)), self.lo.size, dtype=np.int64)])  # new rows at the end
        lo = np.insert(self.lo, at, np.concatenate([values, int32s([r[0] for row in rows for r in row])]))
        hi = np.insert(self.hi, at, np.concatenate([values, int32s([r[1] for row in rows for r in row])]))
        ivl_ptr = _after_inserts(a["ivl_ptr"], [b for b, _ in old_extra], [len(row) for row in rows])
        # every number of a new node goes in the post-order table where it falls
        order = sorted(range(k), key=lambda i: self.number[i])
        by_post = np.insert(a["by_post"], _i64([self.number[i] - j for j, i in enumerate(order)]),
                            int32s([n + i for i in order]))
        # children: old rows gain their new children at the end; new nodes' rows follow
        pairs = sorted((u, n + i) for i, ups in enumerate(self.batch) for u in ups)
        old_pairs = [(u, v) for u, v in pairs if u < n]
        new_children = [[v for u, v in pairs if u == n + i] for i in range(k)]
        tail = [v for row in new_children for v in row]  # the new rows, at the end
        ends = [int(a["child_ptr"][u + 1]) for u, _ in old_pairs] + [a["child_idx"].size] * len(tail)
        child_idx = np.insert(a["child_idx"], _i64(ends), int32s([*(v for _, v in old_pairs), *tail]))
        child_ptr = _after_inserts(a["child_ptr"], [u for u, _ in old_pairs], [len(row) for row in new_children])
        parent_ends = int(a["parent_ptr"][-1]) + np.cumsum([len(ups) for ups in self.batch])
        anc_ends = int(a["anc_ptr"][-1]) + np.cumsum([len(row) for row in self.ancestors])
        several = firsts[2].copy()
        several[_i64([b for b, _ in old_extra])] = 1
        grown_firsts = (np.concatenate([self.moved(firsts[0], inclusive=False), int32s([lo for lo, _ in self.own])]),
                        np.concatenate([self.moved(firsts[1], inclusive=True), int32s([hi for _, hi in self.own])]),
                        np.concatenate([several, int32s([int(len(row) > 1) for row in rows])]))
        return {
            "parent_ptr": appended(rooms, "parent_ptr", a["parent_ptr"], parent_ends),
            "parent_idx": appended(rooms, "parent_idx", a["parent_idx"], [u for ups in self.batch for u in ups]),
            "child_ptr": child_ptr, "child_idx": child_idx,
            "anc_ptr": appended(rooms, "anc_ptr", a["anc_ptr"], anc_ends),
            "anc_idx": a["anc_idx"],
            "anc_tail": appended(rooms, "anc_tail", a.get("anc_tail", int32s([])),
                                 [x for row in self.ancestors for x in row]),
            "min_depth": appended(rooms, "min_depth", a["min_depth"], [d for d, _ in self.depths]),
            "max_depth": appended(rooms, "max_depth", a["max_depth"], [d for _, d in self.depths]),
            "post": np.concatenate([self.post, int32s(self.number)]), "by_post": by_post,
            "ivl_ptr": ivl_ptr, "ivl_lo": lo, "ivl_hi": hi,
        }, grown_firsts


def _after_inserts(ptr: IntArray, rows: list[int], new_rows: list[int]) -> IntArray:
    """A CSR pointer after one entry is added at the end of each of ``rows`` (sorted; repeats
    allowed) and rows of ``new_rows`` lengths are appended."""
    moved = ptr.copy()
    if len(rows) > 16:
        moved[1:] += np.cumsum(np.bincount(_i64(rows), minlength=ptr.size - 1), dtype=np.int64).astype(np.int32)
    else:
        for row in rows:
            moved[row + 1 :] += 1
    return np.concatenate([moved, moved[-1] + np.cumsum(int32s(new_rows), dtype=np.int32)])


def int32s(values: Sequence[int]) -> IntArray:
    return np.asarray(values, dtype=np.int32)
