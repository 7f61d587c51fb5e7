"""The graph index of a store with the whole Wikidata class tree under WordNet (issue 17's
targets for the index: compile, open, queries, one committed link).

    python bench/bench_graph_scale.py [--classes 4200000] [--store PATH] [--links N] [--runs N]

Builds a store: a copy of the WordNet store plus the tree of bench/generate_wikidata_dump.py
(SYNTHETIC classes; its shape: power-law fan-out, three hubs of 100,000+ subclasses, ~16 % with
a second parent, depths to 30), its 13,191 anchors hung on WordNet concepts spread over the
store, written straight into the tables (the dump import is bench_wikidata_scale.py's subject).
Then, each in a fresh process: the full compile (wall, peak RSS); open + a first query (wall,
peak RSS); is-a, ancestors of a depth-20 and of the deepest concept, descendant counts (the
first call makes the table); N committed links, one concept each under an existing concept, as
`taxonomy link` commits them (median and worst); open + a first query again, with the links' log
to replay; and the same link with the index compiled as every commit did before (the baseline).
Prints the index's size: intervals, nodes with more than one, bytes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_wikidata_dump import generate  # noqa: E402

TARGETS = "full index compile <= 60 s; open + first query <= 2 s and <= 1.5 GB; is-a <= 1 us; " \
          "ancestors of a depth-20 concept <= 10 us; descendant count O(1); one committed link <= 100 ms"

PEAK = 'print(json.dumps(dict(result, peak_mb=int(next(line.split()[1] for line in open("/proc/self/status") ' \
       'if line.startswith("VmHWM"))) // 1024)))'

COMPILE = """
import json, sys, time
from pathlib import Path
from taxonomy.storage import db
from taxonomy.store import compile_graph
conn = db.connect(Path(sys.argv[1]), write=True)  # not Store.open: a later run would load the saved index first
started = time.perf_counter()
conn.execute("BEGIN IMMEDIATE")
graph = compile_graph(conn)
conn.execute("COMMIT")
result = {"seconds": round(time.perf_counter() - started, 1)}
""" + PEAK

OPEN = """
import json, sys, time
started = time.perf_counter()
from taxonomy import Store
store = Store.open(sys.argv[1])
graph = store.graph
first = store.concept(graph.ids[len(graph) // 2]).name
opened = time.perf_counter() - started
open_peak_mb = int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))) // 1024
import numpy as np
deep = int(np.argmax(graph.arrays["max_depth"]))
deep_id = graph.ids[deep]
top = graph.ancestors(deep_id)[-1]
hub = graph.ids[int(np.argmax(np.diff(graph.arrays["child_ptr"])))]
depth20 = graph.ids[int(np.flatnonzero(graph.arrays["max_depth"] == 20)[0])]
def timed(fn, n):
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n * 1e6
import random
rng = random.Random(3)
pairs = [(graph.ids[rng.randrange(len(graph))], graph.ids[rng.randrange(len(graph))]) for _ in range(100000)]
first_count = time.perf_counter()
graph.descendant_count(top)
first_count_ms = (time.perf_counter() - first_count) * 1000
result = {"concepts": len(graph), "open_s": round(opened, 2), "open_peak_mb": open_peak_mb,
          "count_first_ms": round(first_count_ms, 1),
          "is_a_us": round(timed(lambda: graph.is_a(deep_id, top), 20000), 2),
          "is_a_random_us": round(timed(lambda: [graph.is_a(a, b) for a, b in pairs], 1) / len(pairs), 2),
          "depth": int(graph.arrays["max_depth"][deep]),
          "ancestors_us": round(timed(lambda: graph.ancestors(deep_id), 2000), 1),
          "ancestors20_us": round(timed(lambda: graph.ancestors(depth20), 2000), 1),
          "ancestors20": len(graph.ancestors(depth20)),
          "count_root_us": round(timed(lambda: graph.descendant_count(top), 20000), 2),
          "count_hub_us": round(timed(lambda: graph.descendant_count(hub), 20000), 2),
          "hub_descendants": graph.descendant_count(hub), "root_descendants": graph.descendant_count(top)}
""" + PEAK

LINKS = """
import json, random, statistics, sys, time
from taxonomy import Store
from taxonomy import store as store_module
links, compile_each = int(sys.argv[2]), sys.argv[3] == "compile"
store = Store.open(sys.argv[1], write=True)
if compile_each:
    store_module.GROW_LIMIT = -1  # every structure change compiles, as before incremental commits
rng = random.Random(5)
times = []
run = time.time_ns()  # new ids on every run: the store may hold an earlier run's
for k in range(links):
    parent = store.graph.ids[rng.randrange(len(store.graph))]
    new = f"xbench{run}-{k}"
    concept = {"id": new, "name": f"bench concept {k}", "lemmas": [f"bench concept {k}"],
               "gloss": "a concept the benchmark links", "lexname": None, "source": "bench"}
    edge = {"child": new, "parent": parent, "kind": "hypernym", "method": "bench", "score": 0.9}
    before = len(store.graph)
    started = time.perf_counter()
    store.merge([concept], [edge])
    times.append((time.perf_counter() - started) * 1000)
    assert store.graph.is_a(new, parent) and len(store.graph) == before + 1
result = {"median_ms": round(statistics.median(times), 1), "worst_ms": round(max(times), 1)}
""" + PEAK


def child(script: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def build(store: Path, target: Path, classes: int) -> tuple[int, int]:
    """Copy the WordNet store and write the generated tree into it; returns (concepts, edges) added."""
    shutil.copyfile(store, target)
    tree = generate(classes, 7)
    real, count = len(tree["real"]), int(tree["count"])
    conn = sqlite3.connect(target)
    wordnet = [row[0] for row in conn.execute("SELECT id FROM concepts WHERE id LIKE 'n%' ORDER BY id")]
    step = max(1, len(wordnet) // real)

    def concept_id(node: int) -> str:
        return wordnet[(node * step) % len(wordnet)] if node < real else f"Q5{node:08d}"

    with conn:
        conn.executemany("INSERT INTO concepts (id, name, gloss, source) VALUES (?, ?, 'a generated class', 'bench')",
                         ((concept_id(node), f"class {node}") for node in range(real, count)))
        rows = ((concept_id(node), concept_id(parent), position)
                for node in range(real, count)
                for position, parent in enumerate(p for p in (tree["first"][node], tree["second"][node]) if p >= 0))
        conn.executemany("INSERT OR IGNORE INTO edges (child, parent, kind, method, position) "
                         "VALUES (?, ?, 'subclass_of', 'bench', ?)", rows)
        edges = conn.execute("SELECT count(*) FROM edges WHERE method = 'bench'").fetchone()[0]
    conn.close()
    return count - real, edges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=4_200_000)
    parser.add_argument("--store", type=Path, default=None, help="a built WordNet store (default: the user's)")
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1, help="runs of the compile and the open (medians)")
    args = parser.parse_args()
    from taxonomy.paths import default_store_path

    print(f"{args.classes:,} generated classes; {TARGETS}", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "scale.sqlite"
        started = time.perf_counter()
        added, edges = build(args.store or default_store_path(), path, args.classes)
        print(f"store written: {added:,} concepts, {edges:,} edges added in {time.perf_counter() - started:.0f} s",
              flush=True)
        compiles = [child(COMPILE, str(path)) for _ in range(args.runs)]
        compiled = statistics.median(c["seconds"] for c in compiles)
        print(f"full compile: {compiled} s, peak {max(c['peak_mb'] for c in compiles):,} MB", flush=True)
        conn = sqlite3.connect(path)
        blobs = {name: len(data) for name, data in conn.execute("SELECT name, data FROM graph_index")}
        ivl_ptr = np.frombuffer(conn.execute("SELECT data FROM graph_index WHERE name = 'ivl_ptr'").fetchone()[0],
                                dtype="<i4")
        conn.close()
        per_node = np.diff(ivl_ptr)
        print(f"index: {sum(blobs.values()) / 1e6:,.0f} MB saved ({blobs['anc_idx'] / 4e6:,.1f} M ancestor entries); "
              f"intervals {int(per_node.sum()):,} for {per_node.size:,} concepts, {int((per_node > 1).sum()):,} "
              f"concepts with more than one, at most {int(per_node.max()):,}", flush=True)
        opens = [child(OPEN, str(path)) for _ in range(args.runs)]
        probe = opens[-1]
        print(f"open + first query: {statistics.median(o['open_s'] for o in opens)} s, peak "
              f"{max(o['open_peak_mb'] for o in opens):,} MB ({max(o['peak_mb'] for o in opens):,} MB after the "
              f"probes below, which read the arrays whole) ({probe['concepts']:,} concepts); "
              f"is-a {probe['is_a_us']} us, "
              f"over 100,000 random pairs {probe['is_a_random_us']} us (loop included); "
              f"ancestors of a depth-20 concept {probe['ancestors20_us']} us ({probe['ancestors20']} of them), of the "
              f"deepest (depth {probe['depth']}) {probe['ancestors_us']} us; descendant count "
              f"{probe['count_root_us']} us at a root ({probe['root_descendants']:,} below), "
              f"{probe['count_first_ms']} ms for the first (the table), "
              f"{probe['count_hub_us']} us at the widest hub ({probe['hub_descendants']:,} below)", flush=True)
        grown = child(LINKS, str(path), str(args.links), "grow")
        print(f"one committed link, index grown: median {grown['median_ms']} ms, worst {grown['worst_ms']} ms "
              f"({args.links} links, peak {grown['peak_mb']:,} MB)", flush=True)
        replayed = [child(OPEN, str(path)) for _ in range(args.runs)]  # the links' log replayed on open
        print(f"open + first query with the log of those {args.links} links replayed: "
              f"{statistics.median(o['open_s'] for o in replayed)} s, peak "
              f"{max(o['open_peak_mb'] for o in replayed):,} MB ({max(o['peak_mb'] for o in replayed):,} MB after the "
              f"probes, which grow the log into the arrays to read them whole); "
              f"is-a {replayed[-1]['is_a_us']} us, ancestors of a "
              f"depth-20 concept {replayed[-1]['ancestors20_us']} us", flush=True)
        baseline = child(LINKS, str(path), "3", "compile")
        print(f"one committed link, index compiled (before): median {baseline['median_ms']:,} ms "
              f"(3 links); grown is x{baseline['median_ms'] / grown['median_ms']:,.0f} faster", flush=True)


if __name__ == "__main__":
    main()
