"""Approximate nearest search over concept vectors, for stores too large for exact search.

Exact search (a matrix product) is best up to a few hundred thousand concepts: it is exact and
needs no index. Above ``ANN_FROM`` concepts the linker asks an HNSW graph (usearch, chosen by
measurement: bench/bench_ann.py) with 8-bit vectors, kept in a file beside the store
(``<store>.ann``) and checked against the embeddings it was built from; concepts linked later are
added to it as they come, without a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from taxonomy.extras import require

ANN_FROM = 300_000  # concepts; below, exact search is fast enough (82 K: ~1 ms a name in blocks)
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 96  # recall@10 >= 0.95 at 1 M (bench/bench_ann.py); higher is slower and surer


def index_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".ann")


def fingerprint(ids: Sequence[str]) -> str:
    """What the index was built from: the concept ids in row order (vectors follow them)."""
    digest = hashlib.sha256()
    for concept in ids:
        digest.update(concept.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class NearestIndex:
    """An HNSW index whose keys are row numbers of a ConceptEmbeddings matrix."""

    def __init__(self, index: Any):
        self.index = index

    @classmethod
    def build(cls, matrix: np.ndarray) -> NearestIndex:
        usearch = require("usearch.index", "link", "approximate nearest search")
        index = usearch.Index(ndim=matrix.shape[1], metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                              expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        index.add(np.arange(len(matrix)), np.ascontiguousarray(matrix, dtype=np.float32))
        return cls(index)

    @classmethod
    def load_or_build(cls, path: Path | None, ids: Sequence[str], matrix: np.ndarray) -> NearestIndex:
        """The index saved at ``path`` if it was built from these ids, else a new one (saved there)."""
        stamp = fingerprint(ids)
        meta = path.with_name(path.name + ".json") if path else None
        if path and meta and path.is_file() and meta.is_file():
            try:
                if json.loads(meta.read_text()).get("fingerprint") == stamp:
                    usearch = require("usearch.index", "link", "approximate nearest search")
                    return cls(usearch.Index.restore(str(path), view=False))
            except (OSError, ValueError, RuntimeError):
                pass  # a damaged or foreign file: built again below
        built = cls.build(matrix)
        if path and meta:
            try:  # written whole or not at all; a read-only folder only means building again next time
                partial = path.with_name(path.name + ".partial")
                built.index.save(str(partial))
                os.replace(partial, path)
                meta.write_text(json.dumps({"fingerprint": stamp, "rows": len(ids)}))
            except OSError:
                pass
        return built

    def __len__(self) -> int:
        return len(self.index)

    def add(self, first_row: int, vectors: np.ndarray) -> None:
        """Rows ``first_row ..`` of the matrix, appended to it since the index was built."""
        self.index.add(np.arange(first_row, first_row + len(vectors)), np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, vectors: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each vector: (row numbers, cosine similarities) of its ``k`` nearest, best first."""
        found = self.index.search(np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32), k)
        keys, distances = np.atleast_2d(found.keys), np.atleast_2d(found.distances)
        counts: np.ndarray = np.atleast_1d(np.asarray(getattr(found, "counts", keys.shape[1])))  # one query: no counts
        return [(keys[i][: counts[i]], 1.0 - distances[i][: counts[i]]) for i in range(len(keys))]
