"""Benchmark of the classification OOD kernel on the real WordNet and the ImageNet-21K label set.

    python bench/bench_ood.py [--images N] [--runs N] [--store PATH]

Synthetic crawl: N images (default 10,000,000), each with a query concept drawn from the
ImageNet-21K classes and top-5 predictions drawn from the same label set, one of them from the
query's related set for half of the images. Prints the kernel's images/s (median of the runs,
all cores), a naive Python set-lookup version measured in the same run on the first million
images, the time to stream the input once, the size of the lookup tables, and checks that the
decisions of both versions are identical.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxonomy import Store, build_store
from taxonomy.ood import RelatedSetChecker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--naive-images", type=int, default=1_000_000)
    parser.add_argument("--store", help="a built store (default: build one)")
    args = parser.parse_args()

    path = Path(args.store) if args.store else build_store(Path(tempfile.mkdtemp()) / "taxonomy.sqlite")
    store = Store.open(path)
    graph = store.graph
    labels = store.label_concepts("imagenet21k")
    label_nodes = np.array([graph.position(c) if c else -1 for c in labels], dtype=np.int64)
    started = time.perf_counter()
    checker = RelatedSetChecker(graph, label_nodes, threads=os.cpu_count() or 1)
    build_seconds = time.perf_counter() - started

    rng = np.random.default_rng(0)
    n = args.images
    query_labels = rng.integers(0, len(labels), n)
    queries = label_nodes[query_labels].astype(np.int32)
    predictions = rng.integers(0, len(labels), (n, 5)).astype(np.int32)
    by_rank = np.argsort(checker.rank[:-1], kind="stable")  # label index at each rank
    starts, ends = checker._start[queries], checker._start[queries] + 1  # first range of each query
    lo, hi = checker._lo[starts], checker._hi[np.minimum(ends - 1, len(checker._hi) - 1)]
    related_pick = by_rank[np.minimum(lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64), len(by_rank) - 1)]
    half = rng.random(n) < 0.5
    predictions[half, rng.integers(0, 5, int(half.sum()))] = related_pick[half]

    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        decisions = checker.classify(queries, predictions)
        times.append(time.perf_counter() - started)
    kernel = n / statistics.median(times)

    stream = []
    for _ in range(args.runs):
        started = time.perf_counter()
        predictions.max()
        queries.max()
        stream.append(time.perf_counter() - started)

    m = min(args.naive_images, n)
    related: dict[int, set[int]] = {}
    for q in np.unique(queries[:m]).tolist():
        related[q] = {int(x) for lo_, hi_ in checker.related_ranks(q) for x in by_rank[lo_ : hi_ + 1]}
    rows = predictions[:m].tolist()
    qs = queries[:m].tolist()
    started = time.perf_counter()
    naive = [any(p in related[q] for p in row) for q, row in zip(qs, rows, strict=True)]
    naive_seconds = time.perf_counter() - started
    identical = naive == decisions[:m].tolist()
    # and against the graph itself, on a sample: is some prediction a descendant of a hypernym?
    sample = rng.integers(0, n, 2000)
    exact = all(decisions[i] == any(graph.is_related(labels[p], labels[query_labels[i]]) for p in predictions[i])
                for i in sample.tolist())

    print(f"{n:,} images, top-5 from ImageNet-21K ({len(labels):,} classes), {os.cpu_count()} cores, "
          f"medians of {args.runs} runs; {decisions.mean():.1%} in distribution\n")
    print(f"kernel                      {kernel / 1e6:10.1f} M images/s   target >= 40: "
          f"{'PASS' if kernel >= 40e6 else 'FAIL'}")
    print(f"naive Python sets ({m:,})  {m / naive_seconds / 1e6:10.2f} M images/s   "
          f"({kernel / (m / naive_seconds):,.0f}x slower than the kernel)")
    print(f"stream the input once       {statistics.median(stream) / n * 1e6 * 1e3:10.2f} ms per million images")
    print(f"lookup tables               {checker.table_bytes / 1e6:10.2f} MB   target <= 10: "
          f"{'PASS' if checker.table_bytes <= 10e6 else 'FAIL'}   (built in {build_seconds:.2f} s)")
    print(f"decisions identical to the naive version: {'yes' if identical else 'NO'}; "
          f"to the graph on 2,000 images: {'yes' if exact else 'NO'}")
    if not (identical and exact):
        raise SystemExit("the kernel disagrees")


if __name__ == "__main__":
    main()
