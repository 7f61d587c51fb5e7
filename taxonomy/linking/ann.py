"""Approximate nearest search over concept vectors, for stores too large for exact search.

Exact search (a matrix product) is best up to a few hundred thousand concepts: it is exact and
needs no index. Above ``ANN_FROM`` concepts the linker asks an HNSW graph over 8-bit scalar-
quantized vectors (faiss ``IndexHNSWSQ``, chosen by measurement: bench/bench_ann.py), kept in a
file beside the store (``<store>.ann``) and checked against the embeddings it was built from;
concepts linked later are added to it as they come, without a rebuild. Vectors are unit length,
so the inner product is the cosine.
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
CONNECTIVITY = 16  # links a node keeps (HNSW's M) in an index built from fewer than WIDE_FROM vectors
EXPANSION_ADD = 128
EXPANSION_SEARCH = 96  # recall@10 0.985 at 64 on 1 M (bench/bench_ann.py): a margin; higher is slower and surer
# Recall falls as the index grows. At 4.3 M, as the linker asks (reranked; bench/bench_ann.py
# --size 4300000 --links N --widths ...): 16 links gave 0.914 at width 96 and 0.941 at 768 (p50
# 2.7 ms); 32 links give 0.995 at 192, 0.997 at 384 (p50 2.2 ms), for a longer build and an index
# of 2.8 GB instead of 2.3. So an index built from WIDE_FROM vectors keeps DENSE_CONNECTIVITY
# links and is searched at WIDE_SEARCH; one built smaller and grown past it keeps its 16 links
# and is searched at SPARSE_WIDE_SEARCH.
WIDE_FROM, WIDE_SEARCH, SPARSE_WIDE_SEARCH = 2_000_000, 384, 768
DENSE_CONNECTIVITY = 32
RERANK = 4  # candidates asked per result wanted, then ordered by their full vectors (bench/bench_ann.py)
TRAIN_ROWS = 100_000  # vectors the 8-bit quantizer learns its ranges from


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
    """An HNSW index whose ids are the row numbers of a ConceptEmbeddings matrix, in order."""

    def __init__(self, index: Any):
        self.index = index
        self._widen()

    def _widen(self) -> None:
        dense = self.index.hnsw.nb_neighbors(1) >= DENSE_CONNECTIVITY  # the upper layers keep M links
        self.index.hnsw.efSearch = (EXPANSION_SEARCH if self.index.ntotal < WIDE_FROM
                                    else WIDE_SEARCH if dense else SPARSE_WIDE_SEARCH)

    @classmethod
    def build(cls, matrix: np.ndarray, links: int | None = None) -> NearestIndex:
        """``links``: neighbours a node keeps (HNSW's M), by default by size (links_for); more is
        surer and slower to build."""
        faiss = require("faiss", "link", "approximate nearest search")
        index = faiss.IndexHNSWSQ(matrix.shape[1], faiss.ScalarQuantizer.QT_8bit, links or links_for(len(matrix)),
                                  faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EXPANSION_ADD
        rows = _unit(matrix)
        index.train(rows[:: max(1, len(rows) // TRAIN_ROWS)])  # the quantizer's ranges, from a sample
        index.add(rows)
        return cls(index)

    @classmethod
    def load_or_build(cls, path: Path | None, ids: Sequence[str], matrix: np.ndarray) -> NearestIndex:
        """The index saved at ``path`` if it was built from these ids (or the first of them, the
        rest added), else a new one, saved there."""
        faiss = require("faiss", "link", "approximate nearest search")
        stamp = fingerprint(ids)
        meta = path.with_name(path.name + ".json") if path else None
        if path and meta and path.is_file() and meta.is_file():
            try:  # built from these concepts, or from the first of them: the rest are added
                saved = json.loads(meta.read_text())
                rows = int(saved["rows"])
                if rows <= len(ids) and saved["fingerprint"] == fingerprint(ids[:rows]):
                    found = cls(faiss.read_index(str(path)))
                    if len(found) == rows:
                        if rows < len(ids):
                            found.add(rows, matrix[rows:])
                        return found
            except (OSError, ValueError, KeyError, RuntimeError):
                pass  # a damaged or foreign file: built again below
        built = cls.build(matrix)
        if path and meta:
            try:  # written whole or not at all; a read-only folder only means building again next time
                partial = path.with_name(path.name + ".partial")
                faiss.write_index(built.index, str(partial))
                os.replace(partial, path)
                meta.write_text(json.dumps({"fingerprint": stamp, "rows": len(ids)}))
            except (OSError, RuntimeError):
                pass
        return built

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, first_row: int, vectors: np.ndarray) -> None:
        """Rows ``first_row ..`` of the matrix, appended to it since the index was built."""
        if first_row != len(self):
            raise ValueError(f"the index holds {len(self)} rows; rows from {first_row} cannot follow them")
        self.index.add(_unit(vectors))
        self._widen()

    def search(self, vectors: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each vector: (row numbers, cosine similarities) of its ``k`` nearest, best first."""
        similarity, rows = self.index.search(_unit(np.atleast_2d(vectors)), k)
        return [(r[r >= 0], s[r >= 0]) for r, s in zip(rows, similarity, strict=True)]


def links_for(rows: int) -> int:
    """Links a node keeps in an index built from ``rows`` vectors."""
    return DENSE_CONNECTIVITY if rows >= WIDE_FROM else CONNECTIVITY


def _unit(vectors: np.ndarray) -> np.ndarray:
    rows = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.ascontiguousarray(rows / np.where(norms == 0, 1, norms), dtype=np.float32)
