"""Benchmark of the label graph on the real WordNet 3.0, each figure beside nltk's in the same run.

    python bench/bench_graph.py [--runs N] [--store PATH]

Prints medians of N runs (build, cold open) or of repeated timings (queries) and the ratio
against nltk (and networkx for ancestors). Targets from the foundation issue: open the store
and answer a first query in <= 1 s and <= 150 MB resident; is-a <= 1 us median; ancestors of
n02084071 <= 5 us.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

DOG, ANIMAL, ENTITY = "n02084071", "n00015388", "n00001740"

# Each child reports its own peak RSS (VmHWM): rusage would count the benchmark's own memory,
# which a forked child carries until it execs.
PEAK = """
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""
OURS_COLD = """
from taxonomy import Store
store = Store.open({path!r})
assert store.graph.ancestors("n02084071")[-1] == "n00001740"
""" + PEAK
NLTK_COLD = """
from taxonomy.sources.wordnet import load_wordnet, prepare_nltk_data
wn = load_wordnet(prepare_nltk_data())
synsets = list(wn.all_synsets("n"))
dog = wn.synset_from_pos_and_offset("n", 2084071)
assert dog.closure(lambda s: s.hypernyms() + s.instance_hypernyms())
""" + PEAK


def cold_process(code: str) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a fresh interpreter running ``code``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed: {done.stderr}")
    return seconds, int(done.stdout.split()[-1]) / 1024


def per_call(fn: Callable[[], object], calls: int, repeat: int = 7) -> float:
    """Median seconds per call over ``repeat`` timings of ``calls`` calls."""
    return statistics.median(t / calls for t in timeit.repeat(fn, number=calls, repeat=repeat))


def row(label: str, ours: float, unit: str, baseline: float | None = None, name: str = "nltk",
        target: float | None = None) -> None:
    text = f"{label:<42} {ours:>10.3f} {unit:<3}"
    if baseline is not None:
        ratio = baseline / ours
        text += f"   {name} {baseline:>10.3f} {unit:<3} ({ratio:.1f}x)" if ratio < 10 else (
            f"   {name} {baseline:>10.3f} {unit:<3} ({ratio:,.0f}x)")
    if target is not None:
        text += f"   target <= {target:g} {unit}: {'PASS' if ours <= target else 'FAIL'}"
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each build and cold start (median)")
    parser.add_argument("--store", help="reuse this store for the query figures instead of the one built here")
    args = parser.parse_args()

    import networkx as nx

    from taxonomy import Store, build_store
    from taxonomy.sources.wordnet import load_wordnet, prepare_nltk_data

    workdir = Path(tempfile.mkdtemp(prefix="taxonomy-bench-"))
    path = workdir / "taxonomy.sqlite"
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, medians of {args.runs} runs\n")

    builds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        build_store(path)
        builds.append(time.perf_counter() - started)
    nltk_loads = []
    for _ in range(args.runs):
        started = time.perf_counter()
        wn = load_wordnet(prepare_nltk_data())
        nltk_synsets = list(wn.all_synsets("n"))
        nltk_loads.append(time.perf_counter() - started)
    row("build the store (nltk: only load synsets)", statistics.median(builds), "s",
        statistics.median(nltk_loads))

    query_store = Path(args.store) if args.store else path
    ours_cold = [cold_process(OURS_COLD.format(path=str(query_store))) for _ in range(args.runs)]
    nltk_cold = [cold_process(NLTK_COLD) for _ in range(args.runs)]
    row("cold start: open + first query (process)", statistics.median(s for s, _ in ours_cold), "s",
        statistics.median(s for s, _ in nltk_cold), target=1.0)
    row("cold start: peak resident memory", statistics.median(m for _, m in ours_cold), "MB",
        statistics.median(m for _, m in nltk_cold), target=150)

    store = Store.open(query_store)
    graph = store.graph
    dog = wn.synset_from_pos_and_offset("n", 2084071)
    animal = wn.synset_from_pos_and_offset("n", 15388)
    up = lambda s: s.hypernyms() + s.instance_hypernyms()  # noqa: E731
    assert graph.is_a(DOG, ANIMAL) and animal in set(dog.closure(up))
    digraph = nx.DiGraph((e.child, e.parent) for e in store.iter_edges())

    row("is-a dog -> animal", per_call(lambda: graph.is_a(DOG, ANIMAL), 200_000) * 1e6, "us",
        per_call(lambda: animal in dog.closure(up), 2_000) * 1e6, target=1.0)
    row("is-a, negative (animal -> dog)", per_call(lambda: graph.is_a(ANIMAL, DOG), 200_000) * 1e6, "us",
        per_call(lambda: dog in animal.closure(up), 20_000) * 1e6)
    rng = random.Random(0)
    pairs = [(rng.choice(graph.ids), rng.choice(graph.ids)) for _ in range(100_000)]
    nltk_pairs = [(wn.synset_from_pos_and_offset("n", int(x[1:])), wn.synset_from_pos_and_offset("n", int(y[1:])))
                  for x, y in pairs[:300]]
    row("is-a, random pairs (incl. loop)", per_call(lambda: [graph.is_a(x, y) for x, y in pairs], 1) / len(pairs)
        * 1e6, "us", per_call(lambda: [y in x.closure(up) for x, y in nltk_pairs], 1) / len(nltk_pairs) * 1e6,
        target=1.0)
    row("ancestors of n02084071", per_call(lambda: graph.ancestors(DOG), 100_000) * 1e6, "us",
        per_call(lambda: list(dog.closure(up)), 2_000) * 1e6, target=5.0)
    row("ancestors of n02084071 (vs networkx)", per_call(lambda: graph.ancestors(DOG), 100_000) * 1e6, "us",
        per_call(lambda: nx.descendants(digraph, DOG), 20_000) * 1e6, name="networkx")

    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.integers(0, len(graph), 1_000_000)
    b = rng.integers(0, len(graph), 1_000_000)
    batch = per_call(lambda: graph.is_a_many(a, b), 1, repeat=5)
    row("is_a_many, per pair (1M pairs)", batch / len(a) * 1e9, "ns")
    from taxonomy import GraphIndex

    ids, edges = list(graph.ids), [(e.child, e.parent) for e in store.iter_edges()]
    row("compile the index (ids and edges in memory)", per_call(lambda: GraphIndex.compile(ids, edges), 1,
                                                                 repeat=args.runs), "s")
    print(f"\n(nltk loaded {len(nltk_synsets):,} noun synsets; store at {path})")


if __name__ == "__main__":
    main()
