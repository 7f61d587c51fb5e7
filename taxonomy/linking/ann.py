"""Approximate nearest search over concept vectors, for stores too large for exact search.

Exact search (a matrix product) is best up to a few hundred thousand concepts: it is exact and
needs no index. Above ``ANN_FROM`` concepts the linker asks an HNSW graph over 8-bit scalar-
quantized vectors (faiss ``IndexHNSWSQ``, chosen by measurement: bench/bench_ann.py), kept in a
file beside the store (``<store>.ann``, with the ids of its entries) and mapped onto the
embeddings as they are now; concepts linked later are searched beside it, without a rebuild.
Vectors are unit length, so the inner product is the cosine.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping, Sequence
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
#: Concepts added after the saved index was built are searched exactly (3.5 ms a query at 50,000);
#: past this many, a process reads the index into memory and adds them to its graph instead.
TAIL_LIMIT = 50_000


def index_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".ann")


class NearestIndex:
    """An HNSW index over the rows of a ConceptEmbeddings matrix.

    The index numbers its entries as it was built; ``rows`` maps them to the matrix's rows now
    (-1: a concept removed since). A store's concepts are ordered by id, so one linked later
    lands among the others, not at the end: the map keeps a saved index usable. Rows the index
    lacks (concepts linked since it was built) are searched exactly, in the tail.

    An index read back from its file is memory-mapped (faiss ``IO_FLAG_MMAP_IFC``): its 8-bit
    codes, 1.6 GB at 4.3 M concepts, are pages of the file that every process serving the store
    shares, and it opens in a fraction of a second. Such an index cannot grow, hence the tail."""

    def __init__(self, index: Any, rows: np.ndarray | None = None, size: int | None = None):
        self.index = index
        self.rows = np.arange(index.ntotal, dtype=np.int64) if rows is None else rows
        self.size = int(index.ntotal) if size is None else size  # matrix rows covered: the index's and the tail's
        self._tail = np.empty((0, int(index.d)), dtype=np.float32)
        self._tail_rows = np.empty(0, dtype=np.int64)
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
    def load_or_build(cls, path: Path | None, ids: Sequence[str], matrix: np.ndarray,
                      row_of: Mapping[str, int] | None = None) -> NearestIndex:
        """The index saved at ``path``, its concepts mapped to their rows in ``ids`` and the
        others searched exactly (or, past TAIL_LIMIT, added to it in memory); else a new one,
        saved there. ``row_of``: each id's row in ``ids``, when the caller has it."""
        faiss = require("faiss", "link", "approximate nearest search")
        if path is not None:
            try:
                found = cls._read(path, ids, matrix, row_of or {c: i for i, c in enumerate(ids)})
                if found is not None:
                    return found
            except (OSError, ValueError, KeyError, RuntimeError):
                pass  # a damaged or foreign file: built again below
        built = cls.build(matrix)
        if path is not None:
            try:  # written whole or not at all; a read-only folder only means building again next time
                partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
                faiss.write_index(built.index, str(partial))
                listed = "".join(f"{c}\n" for c in ids).encode()
                partial_ids = partial.with_name(partial.name + ".ids")
                partial_ids.write_bytes(listed)
                os.replace(partial, path)
                os.replace(partial_ids, _ids_path(path))
                _meta_path(path).write_text(json.dumps({"rows": len(ids), "ids_sha256": _digest(listed)}))
            except (OSError, RuntimeError):
                pass
        return built

    @classmethod
    def _read(cls, path: Path, ids: Sequence[str], matrix: np.ndarray,
              row_of: Mapping[str, int]) -> NearestIndex | None:
        faiss = require("faiss", "link", "approximate nearest search")
        meta = json.loads(_meta_path(path).read_text())
        listed = _ids_path(path).read_bytes()
        if _digest(listed) != meta["ids_sha256"]:
            return None  # written by another build than the index
        saved = listed.decode().splitlines()
        if int(meta["rows"]) != len(saved):
            return None
        rows = np.fromiter((row_of.get(c, -1) for c in saved), dtype=np.int64, count=len(saved))
        covered = np.zeros(len(ids), dtype=bool)
        covered[rows[rows >= 0]] = True
        missing = np.flatnonzero(~covered)
        mapped = len(missing) <= TAIL_LIMIT  # else read whole, to take the many rows into the graph
        index = faiss.read_index(str(path), getattr(faiss, "IO_FLAG_MMAP_IFC", 0) if mapped else 0)
        if index.ntotal != len(saved):
            return None
        if not mapped:
            index.add(_unit(matrix[missing]))
            return cls(index, np.concatenate([rows, missing]), size=len(ids))
        found = cls(index, rows, size=len(ids) - len(missing))
        found._search_exactly(missing, matrix[missing])
        _read_ahead(path)
        return found

    def __len__(self) -> int:
        return self.size

    def add(self, first_row: int, vectors: np.ndarray) -> None:
        """Rows ``first_row ..`` of the matrix, appended to it since the index was made."""
        if first_row != self.size:
            raise ValueError(f"the index covers {self.size} rows; rows from {first_row} cannot follow them")
        self._search_exactly(np.arange(first_row, first_row + len(vectors)), vectors)

    def _search_exactly(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        """Matrix ``rows``, with their ``vectors``, into the tail."""
        self._tail = np.vstack([self._tail, _unit(vectors)])
        self._tail_rows = np.concatenate([self._tail_rows, rows.astype(np.int64)])
        self.size += len(rows)

    def search(self, vectors: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each vector: (matrix rows, cosine similarities) of its ``k`` nearest, best first."""
        queries = _unit(np.atleast_2d(vectors))
        similarity, entries = self.index.search(queries, k)
        tail_scores = queries @ self._tail.T
        found = []
        for entry, score, extra in zip(entries, similarity, tail_scores, strict=True):
            rows = np.where(entry >= 0, self.rows[entry], -1)
            rows, score = rows[rows >= 0], score[rows >= 0]
            if len(extra):
                best = np.argpartition(-extra, min(k, len(extra)) - 1)[:k]
                rows, score = np.concatenate([rows, self._tail_rows[best]]), np.concatenate([score, extra[best]])
                order = np.argsort(-score, kind="stable")[:k]
                rows, score = rows[order], score[order]
            found.append((rows, score))
        return found


def _read_ahead(path: Path) -> None:
    """Bring a mapped index into memory now, reading it through once in the background (3 s for
    2.8 GB here): searched cold, each query faults pages in at random, 80 ms a query at 4.3 M
    concepts instead of 2 (``posix_fadvise`` alone fetched only part of it)."""
    def read() -> None:
        chunk = bytearray(16 << 20)
        with path.open("rb", buffering=0) as file:
            while file.readinto(chunk):
                pass

    threading.Thread(target=read, name="nearest-index-read-ahead", daemon=True).start()


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _ids_path(path: Path) -> Path:
    """The concept ids of the index's entries, one a line, in their order."""
    return path.with_name(path.name + ".ids")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def links_for(rows: int) -> int:
    """Links a node keeps in an index built from ``rows`` vectors."""
    return DENSE_CONNECTIVITY if rows >= WIDE_FROM else CONNECTIVITY


def _unit(vectors: np.ndarray) -> np.ndarray:
    rows = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.ascontiguousarray(rows / np.where(norms == 0, 1, norms), dtype=np.float32)
