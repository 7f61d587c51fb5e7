"""Benchmark of the Neo4j store: a full sync of WordNet, a no-op re-sync, and read latency beside
the embedded store, against a real Neo4j 5.26 server started on loopback.

    python bench/bench_neo4j.py [--runs N] [--store PATH] [--queries N]

Prints medians of N full syncs (each into an emptied database), of N no-op re-syncs, and of
per-query latencies (ancestors, descendants, and a few more) on Neo4j and on the embedded
store, measured in the same run. Targets: a full sync of the WordNet graph (82K concepts, 84K
edges) in <= 60 s; of the whole Wikidata tree under it (4.3 M concepts, issue 17) in <= 20 min:
``--store`` that store ``--runs 1 --heap 4g --target 1200``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from taxonomy import Store, build_store
from taxonomy.graphdb.connection import Target, connect
from taxonomy.graphdb.store import Neo4jStore
from taxonomy.graphdb.sync import sync
from taxonomy.reading import LabelReader
from tests.neo4j_server import neo4j_server

TARGET_SYNC_SECONDS = 60.0


def empty(store: Neo4jStore) -> None:
    with store._driver.session(database=store.target.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def latency(reader: LabelReader, query: Callable[[LabelReader, str], object], ids: list[str]) -> float:
    """Median milliseconds of one query over the ids (after one warm-up pass)."""
    for concept_id in ids[:20]:
        query(reader, concept_id)
    times = []
    for concept_id in ids:
        started = time.perf_counter()
        query(reader, concept_id)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


QUERIES: dict[str, Callable[[LabelReader, str], object]] = {
    "ancestors": lambda s, c: s.graph.ancestors(c),
    "descendants (first 100)": lambda s, c: s.graph.descendants(c, limit=100),
    "descendant count": lambda s, c: s.graph.descendant_count(c),
    "parents": lambda s, c: s.graph.parents(c),
    "paths to the root": lambda s, c: s.graph.paths_to_root(c),
    "concept": lambda s, c: s.concept(c),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300, help="random concepts per latency figure")
    parser.add_argument("--store", type=Path, help="a WordNet store (default: build one)")
    parser.add_argument("--heap", default="2g", help="the Neo4j server's Java heap")
    parser.add_argument("--target", type=float, default=TARGET_SYNC_SECONDS,
                        help="seconds a full sync may take (1200 for the whole Wikidata tree, issue 17)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.store or build_store(Path(folder) / "taxonomy.sqlite")
        with neo4j_server(Path(folder) / "neo4j", heap=args.heap) as server:
            os.environ["NEO4J_PASSWORD"] = server.password
            target = Target.parse(server.uri)
            driver = connect(target)
            embedded = Store.open(path)
            full, noop = [], []
            for run in range(args.runs):
                if run:
                    with Neo4jStore.open(server.uri) as neo4j:
                        empty(neo4j)
                report = sync(embedded, driver, target)
                full.append(report.seconds)
                assert report.kinds["concepts"].added == len(embedded.graph.ids), "the database was not empty"
                again = sync(embedded, driver, target)
                assert not any(k.written for k in again.kinds.values())
                noop.append(again.seconds)
            driver.close()
            stats = embedded.stats()
            median = statistics.median(full)
            print(f"full sync of {stats['concepts']:,} concepts, {stats['edges']:,} edges, {stats['lemmas']:,} names, "
                  f"{stats['dataset_labels']:,} labels: median {median:.1f} s of {args.runs} "
                  f"({', '.join(f'{s:.1f}' for s in full)}); target <= {args.target:.0f} s: "
                  f"{'met' if median <= args.target else 'MISSED'}")
            print(f"re-sync with nothing to write: median {statistics.median(noop):.1f} s")

            rng = random.Random(0)
            ids = rng.sample(embedded.graph.ids, args.queries)
            with Neo4jStore.open(server.uri) as neo4j:
                print(f"\nmedian latency over {args.queries} random concepts (ms)      neo4j   embedded   ratio")
                for name, query in QUERIES.items():
                    on_neo4j, on_embedded = latency(neo4j, query, ids), latency(embedded, query, ids)
                    print(f"  {name:<52s} {on_neo4j:8.3f}  {on_embedded:8.4f}  {on_neo4j / on_embedded:7.0f}x")
                for name, concept in (("descendants (first 100) of entity", "n00001740"),
                                      ("descendant count of entity", "n00001740")):
                    query = QUERIES[name.split(" of ")[0]]
                    on_neo4j = latency(neo4j, query, [concept] * 25)
                    on_embedded = latency(embedded, query, [concept] * 25)
                    print(f"  {name:<52s} {on_neo4j:8.3f}  {on_embedded:8.4f}  {on_neo4j / on_embedded:7.0f}x")
            embedded.close()


if __name__ == "__main__":
    main()
