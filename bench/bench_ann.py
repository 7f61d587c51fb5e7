"""Approximate nearest search for the linker's nearest-concept step: which library, measured.

    python bench/bench_ann.py [--store PATH] [--size N] [--queries Q] [--k 30]

The store's real concept vectors (all-MiniLM-L6-v2 of "name: gloss", 82,115 for WordNet) are
grown to ``--size`` by SYNTHETIC neighbours (a real vector plus noise, normalised: the cluster
structure of real names, at the size of a merged Wikidata tree). The queries are perturbed
copies of real vectors, not in the index. Ground truth: exact cosine search (numpy) on the same
vectors. For each candidate: build seconds, memory of the index, p50 / p90 of one query, and
recall@10 against the exact top 10 of the ``--k`` asked. Candidates: usearch HNSW (f16 and
int8 vectors) and faiss HNSW (flat f32, and SQ8); exact numpy for reference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxonomy import Store
from taxonomy.paths import default_store_path


def real_vectors(store_path: Path) -> np.ndarray:
    with Store.open(store_path) as store:
        rows = [np.frombuffer(v, dtype=np.float16) for _, v in store.iter_embeddings()]
    return np.vstack(rows).astype(np.float32)


def grown(real: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    extra = size - len(real)
    base = real[rng.integers(0, len(real), extra)]
    noisy = base + rng.normal(0, 0.04, base.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    return np.vstack([real, noisy]).astype(np.float32)


def exact_top(data: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    found = []
    for start in range(0, len(queries), 64):
        scores = queries[start : start + 64] @ data.T
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        found.append(np.take_along_axis(top, order, axis=1))
    return np.vstack(found)


def measure(name: str, build: Callable[[], object], search: Callable[[object, np.ndarray], np.ndarray],
            queries: np.ndarray, truth: np.ndarray, size_of: Callable[[object], int]) -> None:
    started = time.perf_counter()
    index = build()
    built = time.perf_counter() - started
    times, hits = [], 0
    for q, expected in zip(queries, truth, strict=True):
        t = time.perf_counter()
        got = search(index, q)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(set(got[:10].tolist()) & set(expected[:10].tolist()))
    times.sort()
    print(f"{name:<28} build {built:7.1f} s  index {size_of(index) / 1e6:8.0f} MB  "
          f"p50 {statistics.median(times):6.2f} ms  p90 {times[int(len(times) * 0.9)]:6.2f} ms  "
          f"recall@10 {hits / (10 * len(queries)):.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--k", type=int, default=30)
    parser.add_argument("--only", default="", help="comma-separated candidate names to run")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    real = real_vectors(args.store or default_store_path())
    data = grown(real, args.size, rng)
    queries = real[rng.integers(0, len(real), args.queries)] + rng.normal(0, 0.04, (args.queries, 384))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    print(f"{len(data):,} vectors ({len(real):,} real), {len(queries)} queries, k={args.k}, {os.cpu_count()} CPUs")
    started = time.perf_counter()
    truth = exact_top(data, queries, args.k)
    per_query = (time.perf_counter() - started) / len(queries) * 1000
    print(f"{'exact (numpy, blocks of 64)':<28} p50 ~{per_query:6.2f} ms a query (batched), recall 1.000", flush=True)
    k = args.k
    candidates: dict[str, tuple[Callable[[], object], Callable[[object, np.ndarray], np.ndarray],
                                Callable[[object], int]]] = {}

    def usearch_index(dtype: str) -> Callable[[], object]:
        def build() -> object:
            from usearch.index import Index

            index = Index(ndim=384, metric="cos", dtype=dtype, connectivity=16, expansion_add=128,
                          expansion_search=64)
            index.add(np.arange(len(data)), data, threads=os.cpu_count() or 1)
            return index
        return build

    for dtype in ("f16", "i8"):
        candidates[f"usearch HNSW {dtype}"] = (usearch_index(dtype),
                                               lambda index, q: index.search(q, k).keys,  # type: ignore[attr-defined]
                                               lambda index: index.memory_usage)  # type: ignore[attr-defined]

    def faiss_index(kind: str) -> Callable[[], object]:
        def build() -> object:
            import faiss

            index = faiss.IndexHNSWFlat(384, 16, faiss.METRIC_INNER_PRODUCT) if kind == "flat" else \
                faiss.IndexHNSWSQ(384, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 128
            if kind != "flat":
                index.train(data[:100_000])
            index.add(data)
            index.hnsw.efSearch = 64
            return index
        return build

    def faiss_search(index: object, q: np.ndarray) -> np.ndarray:
        found: np.ndarray = index.search(q[None, :], k)[1][0]  # type: ignore[attr-defined]
        return found

    def faiss_bytes(index: object) -> int:
        import faiss

        return int(faiss.serialize_index(index).nbytes)  # the index as saved: vectors and links

    for kind in ("flat", "sq8"):
        candidates[f"faiss HNSW {kind}"] = (faiss_index(kind), faiss_search, faiss_bytes)
    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    for name, (build, search, size_of) in candidates.items():
        if not chosen or any(c in name for c in chosen):
            measure(name, build, search, queries, truth, size_of)


if __name__ == "__main__":
    main()
