"""The Wikidata dump import at growing size, toward the whole class tree (issue 17's targets).

    python bench/bench_wikidata_scale.py [--classes 100000,200000,400000] [--store PATH] [--timeout S]
                                         [--format nt|json] [--runs N]

For each size: generates a dump (bench/generate_wikidata_dump.py, SYNTHETIC items under the
real crosswalk anchors), imports all of it (no root: every class) into a copy of the WordNet
store in a child process, and measures the wall time and the child's peak RSS (medians of
``--runs``); then opens the merged store in a fresh process and times the first query, is-a,
ancestors of the deepest concept and a descendant count. Prints one row per size, the growth
factor per doubling, and the targets at full size (4.2 M classes) for comparison. A size that
does not finish within ``--timeout`` is reported as such.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = "full size (4.2 M classes): import <= 20 min and <= 12 GB; open + first query <= 2 s and <= 1.5 GB; " \
          "is-a <= 1 us; ancestors of a depth-20 concept <= 10 us"

PROBE = """
import json, resource, sys, time
started = time.perf_counter()
from taxonomy import Store
store = Store.open(sys.argv[1])
first = store.concept(store.graph.ids[len(store.graph) // 2]).name
opened = time.perf_counter() - started
graph = store.graph
deep = max(range(len(graph)), key=lambda i: int(graph.arrays["max_depth"][i]))
deep_id = graph.ids[deep]
top = graph.ancestors(deep_id)[-1]
def timed(fn, n):
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n * 1e6
print(json.dumps({"concepts": len(graph), "open_s": round(opened, 2),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "is_a_us": round(timed(lambda: graph.is_a(deep_id, top), 20000), 2),
                  "depth": int(graph.arrays["max_depth"][deep]),
                  "ancestors_us": round(timed(lambda: graph.ancestors(deep_id), 2000), 1),
                  "descendant_count_us": round(timed(lambda: graph.descendant_count(top), 20000), 2)}))
"""


def import_once(dump: Path, store: Path, folder: Path, timeout: float) -> tuple[float, int] | None:
    """(seconds, peak RSS MB) of one import into a fresh copy of ``store``, or None on timeout."""
    target = folder / "merged.sqlite"
    shutil.copyfile(store, target)
    command = [sys.executable, "-m", "taxonomy", "wikidata", "import", "--dump", str(dump), "--store", str(target),
               "--max-descendants", "100000000", "-q", "--json"]
    wrapper = [sys.executable, "-c", "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:], "
               "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.exit(code)", *command]
    started = time.perf_counter()
    try:
        done = subprocess.run(wrapper, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"the import failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, int(done.stdout.split()[-1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", default="100000,200000,400000")
    parser.add_argument("--store", type=Path, default=None, help="a built WordNet store (default: the user's)")
    parser.add_argument("--format", choices=["nt", "json"], default="nt")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    from taxonomy.paths import default_store_path

    store = args.store or default_store_path()
    print(f"store {store}; {os.cpu_count()} CPUs; dump format {args.format}; {TARGETS}")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for classes in (int(c) for c in args.classes.split(",")):
            prefix = folder / f"g{classes}"
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate_wikidata_dump.py"), str(prefix),
                            "--classes", str(classes), "--formats", args.format], check=True,
                           stdout=subprocess.DEVNULL)
            dump = prefix.with_name(prefix.name + f".{args.format}.gz")
            runs = [import_once(dump, store, folder, args.timeout) for _ in range(args.runs)]
            if any(r is None for r in runs):
                print(f"{classes:>9,} classes: the import did not finish in {args.timeout:.0f} s", flush=True)
                break
            seconds = statistics.median(r[0] for r in runs if r)
            rss = max(r[1] for r in runs if r)
            probe = json.loads(subprocess.run([sys.executable, "-c", PROBE, str(folder / "merged.sqlite")],
                                              capture_output=True, text=True, check=True, cwd=ROOT).stdout)
            rows.append((classes, seconds, rss, probe))
            print(f"{classes:>9,} classes ({dump.stat().st_size / 1e6:.0f} MB dump): import {seconds:.1f} s, "
                  f"peak {rss:,} MB; merged store {probe['concepts']:,} concepts: open + first query "
                  f"{probe['open_s']} s at {probe['rss_mb']} MB, is-a {probe['is_a_us']} us, ancestors of a "
                  f"depth-{probe['depth']} concept {probe['ancestors_us']} us, descendant count "
                  f"{probe['descendant_count_us']} us", flush=True)
    for (a, ta, ra, _), (b, tb, rb, _) in itertools.pairwise(rows):
        print(f"{a:,} -> {b:,} classes (x{b / a:.1f}): time x{tb / ta:.2f}, peak memory x{rb / ra:.2f}")


if __name__ == "__main__":
    main()
