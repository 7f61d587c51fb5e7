"""Approximate nearest search for the linker's nearest-concept step: which library, measured.

    python bench/bench_ann.py [--store PATH] [--size N] [--queries Q] [--k 30]

The store's real concept vectors (all-MiniLM-L6-v2 of "name: gloss", 82,115 for WordNet) are
grown to ``--size`` by SYNTHETIC neighbours (a real vector plus noise, normalised: the cluster
structure of real names, at the size of a merged Wikidata tree). The queries are perturbed
copies of real vectors, not in the index. Ground truth: exact cosine search (numpy) on the same
vectors. For each candidate: build seconds, memory of the index, p50 / p90 of one query, and
recall@10 against the exact top 10 of the ``--k`` asked. Candidates: usearch HNSW (f16 and
int8 vectors) and faiss HNSW (flat f32, and SQ8); the linker's own ``NearestIndex`` (faiss SQ8
at its search width); exact numpy for reference. The target size: ``--size 4300000 --only
shipped`` (about 35 minutes and 16 GB on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxonomy import Store
from taxonomy.linking import ann
from taxonomy.linking.ann import NearestIndex
from taxonomy.linking.embedding import ConceptEmbeddings
from taxonomy.paths import default_store_path


def real_vectors(store_path: Path) -> np.ndarray:
    with Store.open(store_path) as store:
        rows = [np.frombuffer(v, dtype=np.float16) for _, v in store.iter_embeddings()]
    return np.vstack(rows).astype(np.float32)


def grown(real: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``real`` and synthetic neighbours up to ``size`` rows, made a block at a time (4.3 M rows
    are 6.6 GB; the noise for all of them at once would be twice that in float64)."""
    data = np.empty((max(size, len(real)), real.shape[1]), dtype=np.float32)
    data[: len(real)] = real
    for start in range(len(real), size, 200_000):
        stop = min(size, start + 200_000)
        block = real[rng.integers(0, len(real), stop - start)]
        block += rng.normal(0, 0.04, block.shape).astype(np.float32)
        data[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return data


def exact_top(data: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    found = []
    for start in range(0, len(queries), 64):
        scores = queries[start : start + 64] @ data.T
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        found.append(np.take_along_axis(top, order, axis=1))
    return np.vstack(found)


Search = Callable[[object, np.ndarray], np.ndarray]


def measure(name: str, build: Callable[[], object], searches: dict[str, Search], queries: np.ndarray,
            truth: np.ndarray, size_of: Callable[[object], int], widths: Sequence[int] = (),
            set_width: Callable[[object, int], None] | None = None) -> None:
    """Build once, then ask the queries each way of ``searches`` (again at each search width of
    ``widths``, where the index has one)."""
    started = time.perf_counter()
    index = build()
    built = time.perf_counter() - started
    print(f"{name}: built in {built:.1f} s, index {size_of(index) / 1e6:,.0f} MB", flush=True)
    for width in [None, *(widths if set_width else [])]:
        if width is not None and set_width is not None:
            set_width(index, width)
        for label, search in searches.items():
            asked(f"  {label}" + (f", width {width}" if width else ""), index, search, queries, truth)


def asked(label: str, index: object, search: Search, queries: np.ndarray, truth: np.ndarray) -> None:
    times, hits = [], 0
    for q, expected in zip(queries, truth, strict=True):
        t = time.perf_counter()
        got = search(index, q)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(set(got[:10].tolist()) & set(expected[:10].tolist()))
    times.sort()
    print(f"{label:<40} p50 {statistics.median(times):6.2f} ms  p90 {times[int(len(times) * 0.9)]:6.2f} ms  "
          f"recall@10 {hits / (10 * len(queries)):.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--k", type=int, default=30)
    parser.add_argument("--only", default="", help="comma-separated candidate names to run")
    parser.add_argument("--widths", default="", help="comma-separated search widths to ask faiss indexes at "
                        "as well, on the same build")
    parser.add_argument("--links", type=int, default=None,
                        help="neighbours a node keeps in the shipped index (HNSW's M; default: by size, as shipped)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    real = real_vectors(args.store or default_store_path())
    data = grown(real, args.size, rng)
    queries = real[rng.integers(0, len(real), args.queries)] + rng.normal(0, 0.04, (args.queries, 384))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    print(f"{len(data):,} vectors ({len(real):,} real), {len(queries)} queries, k={args.k}, {os.cpu_count()} CPUs, "
          f"shipped index: {args.links or ann.links_for(args.size)} links a node")
    started = time.perf_counter()
    truth = exact_top(data, queries, args.k)
    per_query = (time.perf_counter() - started) / len(queries) * 1000
    print(f"{'exact (numpy, blocks of 64)':<28} p50 ~{per_query:6.2f} ms a query (batched), recall 1.000", flush=True)
    k = args.k
    candidates: dict[str, tuple[Callable[[], object], dict[str, Search], Callable[[object], int],
                                Callable[[object, int], None] | None]] = {}

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
                                               {"asked": lambda index, q: index.search(q, k).keys},  # type: ignore[attr-defined]
                                               lambda index: index.memory_usage, None)  # type: ignore[attr-defined]

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

    def faiss_width(index: object, width: int) -> None:
        index.hnsw.efSearch = width  # type: ignore[attr-defined]

    for kind in ("flat", "sq8"):
        candidates[f"faiss HNSW {kind}"] = (faiss_index(kind), {"asked": faiss_search}, faiss_bytes, faiss_width)

    # What the linker runs: faiss HNSW SQ8 at the linker's search width, asked alone and as the
    # linker asks it (ann.RERANK times the candidates, ordered by their full vectors).
    def shipped() -> object:
        found = ConceptEmbeddings([str(i) for i in range(len(data))], data)
        found._ann = NearestIndex.build(data, args.links)
        return found

    def reranked(found: object, q: np.ndarray) -> np.ndarray:
        return np.array([int(c) for c, _ in found.nearest(q[None, :], k)[0]])  # type: ignore[attr-defined]

    candidates["shipped"] = (shipped,
                             {"NearestIndex alone": lambda found, q: found._ann.search(q, k)[0][0],  # type: ignore[attr-defined]
                              "the linker (reranked)": reranked},
                             lambda found: faiss_bytes(found._ann.index),  # type: ignore[attr-defined]
                             lambda found, width: faiss_width(found._ann.index, width))  # type: ignore[attr-defined]
    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    widths = [int(w) for w in args.widths.split(",") if w.strip()]
    for name, (build, searches, size_of, set_width) in candidates.items():
        if not chosen or any(c in name for c in chosen):
            measure(name, build, searches, queries, truth, size_of, widths, set_width)


if __name__ == "__main__":
    main()
