"""Benchmark of the annotation pipeline's stages, in images per second.

    python bench/bench_pipeline.py [--runs N] [--images N] [--arch ViT-B-32] [--store PATH]

- fetch + decode: the real photos of ../shared/data/images served over loopback, N requests,
  16 threads (beside a baseline: the same bytes read from disk and decoded, no HTTP);
- CLIP image embedding with a randomly initialised open_clip model (no weights are available
  offline; speed does not depend on them) on CUDA when present, else CPU;
- scoring over the ImageNet-1k label set + OOD rectification on the WordNet graph;
- sampling: margin, CoreSet and ClusterMargin (clustering included) over a pool of embeddings.

Every figure is the median of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import ipaddress
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from retrieval import sampling
from retrieval.embed import ClipEmbedder, ModelSpec
from retrieval.fetch import Fetcher, pillow
from retrieval.pools import PoolItem
from retrieval.rectify import rectify
from retrieval.scoring import score
from taxonomy import Store, build_store
from tests.images import PHOTOS
from tests.sparql import free_port, wait_until_serving


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(name: str, count: int, seconds: float, unit: str = "images") -> None:
    print(f"  {name:<58s} {count / seconds:>10,.0f} {unit}/s   ({count:,} in {seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--images", type=int, default=400, help="images fetched and embedded per run")
    parser.add_argument("--arch", default="ViT-B-32", help="the open_clip architecture (random weights)")
    parser.add_argument("--pool", type=int, default=20_000, help="pool size for scoring and sampling")
    parser.add_argument("--store", type=Path, help="a WordNet store (default: build one)")
    args = parser.parse_args()
    photos = sorted(p.name for p in PHOTOS.iterdir() if p.suffix in (".png", ".jpg"))

    print("fetch + decode")
    port = free_port()  # Python's own file server, in its own process (in ours it would share our GIL)
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(PHOTOS)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/", server)
        items = [PoolItem.of(f"http://127.0.0.1:{port}/{photos[i % len(photos)]}?n={i}") for i in range(args.images)]
        fetcher = Fetcher(allowed_networks=[ipaddress.ip_network("127.0.0.0/8")], threads=16)
        fetched: list = []
        seconds = median_seconds(lambda: fetched.__setitem__(slice(None), fetcher.fetch_many(items)), args.runs)
        assert all(f.status == "ok" for f in fetched), {f.error for f in fetched}
        line("HTTP on loopback, 16 threads, Pillow decode to RGB", len(items), seconds)
    finally:
        server.terminate()
    image_module = pillow()
    blobs = [(PHOTOS / photos[i % len(photos)]).read_bytes() for i in range(args.images)]
    import io

    seconds = median_seconds(lambda: [image_module.open(io.BytesIO(b)).convert("RGB") for b in blobs], args.runs)
    line("baseline: decode the same bytes from memory, one thread", len(blobs), seconds)

    embedder = ClipEmbedder(ModelSpec(args.arch, random_init=True), batch_size=64)
    images = [f.image for f in fetched[: min(len(fetched), 256)]]
    embedder.images(images[:8])  # warm up
    seconds = median_seconds(lambda: embedder.images(images), args.runs)
    print(f"\nCLIP image embedding ({args.arch}, random weights, {embedder.device}, batches of 64)")
    line("preprocess + encode_image", len(images), seconds)

    with tempfile.TemporaryDirectory() as folder:
        path = args.store or build_store(Path(folder) / "taxonomy.sqlite")
        with Store.open(path) as store:
            concepts = store.label_concepts("imagenet1k")
            rng = np.random.default_rng(0)
            dimension = embedder.dimension
            classes = rng.normal(size=(len(concepts), dimension)).astype(np.float32)
            classes /= np.linalg.norm(classes, axis=1, keepdims=True)
            pool = rng.normal(size=(args.pool, dimension)).astype(np.float32)
            pool /= np.linalg.norm(pool, axis=1, keepdims=True)
            rows = rng.integers(0, len(concepts), size=args.pool)
            queries = [concepts[r] for r in rows]
            found: dict[str, object] = {}
            seconds = median_seconds(lambda: found.__setitem__("s", score(pool, classes, rows)), args.runs)
            print(f"\nscoring over ImageNet-1k ({len(concepts):,} classes) and rectification, pool of {args.pool:,}")
            line("CLIP scores: softmax, top-5, margin, entropy, query score", args.pool, seconds)
            top5 = found["s"].top5  # type: ignore[attr-defined]
            seconds = median_seconds(lambda: rectify(store.graph, concepts, queries, top5), args.runs)
            line("OOD rectification (related sets on the WordNet graph)", args.pool, seconds)

            margin = found["s"].margin  # type: ignore[attr-defined]
            candidates = np.arange(args.pool)
            budget = 1000
            print(f"\nsampling {budget:,} of a pool of {args.pool:,} ({dimension}-d embeddings)")
            seconds = median_seconds(lambda: sampling.margin_sample(candidates, margin, budget), args.runs)
            line("margin", args.pool, seconds, "candidates")
            small = min(args.pool, 5000)
            seconds = median_seconds(lambda: sampling.coreset_sample(candidates[:small], pool, 200), args.runs)
            line(f"CoreSet, k-center greedy, 200 of {small:,}", small, seconds, "candidates")
            seconds = median_seconds(lambda: sampling.agglomerative_clusters(pool, args.pool // 10), 1)
            line("agglomerative clustering of the pool (once per run)", args.pool, seconds, "points")
            clusters = sampling.agglomerative_clusters(pool, args.pool // 10)
            seconds = median_seconds(lambda: sampling.cluster_margin_sample(
                candidates, margin, clusters, budget, np.random.default_rng(0)), args.runs)
            line("ClusterMargin selection, clusters given", args.pool, seconds, "candidates")


if __name__ == "__main__":
    main()
