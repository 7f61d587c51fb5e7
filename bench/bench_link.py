"""Benchmark of the linker on the real WordNet with the real models.

    python bench/bench_link.py [--store PATH] [--embed-sample N] [--runs N]

Prints the time to embed every concept (CPU, or CUDA when present; with --embed-sample N it
embeds N concepts and scales up, saying so), the latency of one warm link (p50 and p90 over
single-name calls), the throughput of a batch of names without descriptions (Open Images
class names; then the same batch as a dataset's label set, each label in its context), and a
cold `taxonomy link` in a new process (seconds and peak resident memory, medians of --runs): a
name an exact rule settles, and one that needs the models. Targets: warm link p50 <= 30 ms on
2 CPU cores; batch >= 500 names/s; cold link <= 6 s and <= 800 MB.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxonomy import Store, build_store
from taxonomy.linking import embedding
from taxonomy.linking.linker import Linker
from taxonomy.linking.results import LinkInput
from taxonomy.sources.public_labels import public_label_sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="a built store (default: build one)")
    parser.add_argument("--embed-sample", type=int, help="embed this many concepts and scale up")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    work = Path(tempfile.mkdtemp(prefix="taxonomy-bench-link-"))
    path = Path(args.store) if args.store else build_store(work / "taxonomy.sqlite")
    store = Store.open(path, write=True)
    embedding.encode(["warm up"] * embedding.TORCH_FROM, device=device)  # loading the models is not measured

    texts = [embedding.concept_text(name, gloss) for _, name, gloss in store.name_and_gloss()]
    sample = random.Random(0).sample(texts, args.embed_sample) if args.embed_sample else texts
    started = time.perf_counter()
    embedding.encode(sample, device=device)
    seconds = (time.perf_counter() - started) * len(texts) / len(sample)
    scaled = f" (scaled from {len(sample):,})" if len(sample) < len(texts) else ""
    print(f"embed every concept ({len(texts):,}) on {device}, {torch.get_num_threads()} threads: "
          f"{seconds:.0f} s{scaled}, {len(texts) / seconds:,.0f} concepts/s")

    vectors = embedding.ConceptEmbeddings.load(store)  # uses the stored vectors (and the cache)
    linker = Linker(store, embeddings=vectors)
    names = public_label_sets()["openimages"].names
    rng = random.Random(1)
    singles = rng.sample(names, 200)
    linker.link([LinkInput("warm up")])
    latencies = []
    for name in singles:
        started = time.perf_counter()
        linker.link([LinkInput(name)])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p50, p90 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.9)]
    print(f"one warm link, {os.cpu_count()} cores: p50 {p50:.1f} ms, p90 {p90:.1f} ms   target p50 <= 30 ms: "
          f"{'PASS' if p50 <= 30 else 'FAIL'}")

    batch = rng.sample(names, 2000)
    rates = []
    for _ in range(args.runs):
        started = time.perf_counter()
        results = linker.link([LinkInput(name) for name in batch])
        rates.append(len(batch) / (time.perf_counter() - started))
    rate = statistics.median(rates)
    decided = sum(r.decision != "none" for r in results)
    print(f"batch of {len(batch):,} Open Images names, no descriptions: {rate:,.0f} names/s (median of {args.runs}), "
          f"{decided:,} linked   target >= 500: {'PASS' if rate >= 500 else 'FAIL'}")
    rates = []
    for _ in range(args.runs):  # as `taxonomy datasets add` links them: each label in its context
        started = time.perf_counter()
        results = linker.link([LinkInput(name) for name in batch], visual=True)
        rates.append(len(batch) / (time.perf_counter() - started))
    print(f"the same batch as a label set (visual): {statistics.median(rates):,.0f} names/s (median of {args.runs}), "
          f"{sum(r.decision != 'none' for r in results):,} linked")


    for label, argv in (("an exact name (kite --visual)", ["kite", "--visual"]),
                        ("a name that needs the models (Sumatran orangutan + description)",
                         ["Sumatran orangutan", "--description", "an orangutan of Sumatra"])):
        runs = [cold_link(path, argv) for _ in range(args.runs)]
        seconds, megabytes = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"cold taxonomy link, {label}: {seconds:.2f} s, {megabytes:,.0f} MB peak (median of {args.runs})   "
              f"target <= 6 s and <= 800 MB: {'PASS' if seconds <= 6 and megabytes <= 800 else 'FAIL'}")


def cold_link(store: Path, argv: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of `taxonomy link ARGV --dry-run` in a new process."""
    code = ("import resource, subprocess, sys, time; started = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    command = [sys.executable, "-c", code, sys.executable, "-c", "from taxonomy.cli import run; run()",
               "link", *argv, "--dry-run", "--store", str(store)]
    seconds, megabytes = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    return float(seconds), float(megabytes)


if __name__ == "__main__":
    main()
