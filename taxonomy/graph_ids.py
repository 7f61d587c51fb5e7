"""Concept id -> position for indexes of millions of concepts, saved with the index.

A dict of 4.3 M ids takes 1.7 s to build at every open (its inserts miss the cache) and about
350 MB. This open-addressing table is built once, with the compile, saved beside the index's
arrays and read back as it is: an int32 slot array at most half full, keyed by the CRC-32 of
the id's UTF-8 (the same in every process, unlike ``hash``), linear probing. A lookup is one
CRC-32 and a probe or two; on ids not in cache that is about as fast as a dict, and ids once
found are kept in a dict (the ids a process asks for, not all of them).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from taxonomy.graph_compile import IntArray

EMPTY = -1


def slot_count(n: int) -> int:
    """A power of two at least twice ``n`` (a load of at most one half keeps probes short)."""
    return 1 << max(4, (2 * n - 1).bit_length())


def id_hashes(ids: Sequence[str]) -> np.ndarray:
    crc = zlib.crc32
    return np.fromiter((crc(concept_id.encode()) for concept_id in ids), dtype=np.uint32, count=len(ids))


def build_slots(ids: Sequence[str], size: int | None = None) -> IntArray:
    """The slot array of ``ids`` (positions 0..n-1), vectorised: each round places, in every
    free slot that pending ids want, the lowest of them; the rest move on one slot."""
    n = len(ids)
    size = size or slot_count(n)
    mask = size - 1
    slots = np.full(size, EMPTY, dtype=np.int32)
    want = id_hashes(ids).astype(np.int64) & mask
    pending = np.arange(n, dtype=np.int64)
    while pending.size:
        slot = want[pending]
        free = slots[slot] == EMPTY
        taken, first = np.unique(slot[free], return_index=True)
        winners = pending[free][first]
        slots[taken] = winners
        placed = np.zeros(n, dtype=bool)
        placed[winners] = True
        pending = pending[~placed[pending]]
        want[pending] = (want[pending] + 1) & mask
    return slots


class IdTable(dict[str, int]):
    """Positions of ``ids`` read from a slot array (``build_slots``). An id found there is kept
    in the dict itself, so an id asked for again costs a dict lookup (``index[id]`` is the C
    lookup; only a miss calls ``__missing__``): hot ids at a dict's speed, no dict of all ids."""

    def __init__(self, ids: Sequence[str], slots: IntArray):
        super().__init__()
        size = int(slots.shape[0])
        if size & (size - 1) or size < 2 * len(ids):
            raise ValueError(f"an id table of {size} slots cannot hold {len(ids)} ids")
        self.ids, self.slots = ids, slots
        self._mask = size - 1
        self._view = memoryview(np.ascontiguousarray(slots, dtype=np.int32))  # type: ignore[arg-type]

    def find(self, concept_id: str) -> int | None:
        """The position of ``concept_id`` in the slot array, or None (not kept)."""
        slot = zlib.crc32(concept_id.encode()) & self._mask
        view, ids = self._view, self.ids
        while True:
            at = view[slot]
            if at == EMPTY:
                return None
            if ids[at] == concept_id:
                return int(at)
            slot = (slot + 1) & self._mask

    def __missing__(self, concept_id: str) -> int:
        at = self.find(concept_id) if isinstance(concept_id, str) else None
        if at is None:
            raise KeyError(concept_id)
        self[concept_id] = at
        return at

    def get(self, concept_id: str, default: int | None = None) -> int | None:  # type: ignore[override]
        try:
            return self[concept_id]
        except KeyError:
            return default

    def __contains__(self, concept_id: object) -> bool:
        if dict.__contains__(self, concept_id):
            return True
        return isinstance(concept_id, str) and self.find(concept_id) is not None


def extended_slots(table: IdTable, ids: Sequence[str]) -> IntArray:
    """The slots of ``ids``, whose first ``len(table.ids)`` are the table's own: a copy of the
    table's slots with the rest inserted one by one (a grown index adds a few thousand), or
    built anew when they would fill it past one half."""
    if len(ids) * 2 > table.slots.shape[0]:
        return build_slots(ids)
    slots = np.array(table.slots, dtype=np.int32)
    mask = slots.shape[0] - 1
    for at in range(len(table.ids), len(ids)):
        slot = zlib.crc32(ids[at].encode()) & mask
        while slots[slot] != EMPTY:
            slot = (slot + 1) & mask
        slots[slot] = at
    return slots
