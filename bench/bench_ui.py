"""Benchmark of the web UI's pages on the full WordNet store, rendered in-process.

    python bench/bench_ui.py [--runs N] [--store PATH]

Prints the median milliseconds per page (over N renders of each of 50 random concepts), beside
the JSON route that returns the same concept, measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient

from api.app import create_app
from taxonomy import Store, build_store


def median_ms(client: TestClient, urls: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.store or build_store(Path(folder) / "taxonomy.sqlite")
        with Store.open(path) as store:
            ids = random.Random(0).sample(store.graph.ids, 50)
        client = TestClient(create_app(path))
        pages = {
            "concept page /ui/concepts/{id}": [f"/ui/concepts/{c}" for c in ids],
            "tag page /ui/tag/{id}": [f"/ui/tag/{c}" for c in ids],
            "search page /ui?q=dog": ["/ui?q=dog"],
            "search page /ui?q=golden retriever": ["/ui?q=golden%20retriever"],
            "entity (82,114 descendants, 3 children)": ["/ui/concepts/n00001740"],
            "baseline: JSON GET /concepts/{id}/tags": [f"/concepts/{c}/tags" for c in ids],
        }
        print(f"median ms per request, {args.runs} runs, in-process (no network)")
        for name, urls in pages.items():
            print(f"  {name:<45s} {median_ms(client, urls, args.runs):7.2f}")


if __name__ == "__main__":
    main()
