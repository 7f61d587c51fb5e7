"""Load test of the HTTP API on 127.0.0.1 with wrk (Debian's package), bounded in time.

    python bench/bench_api.py [--store PATH] [--seconds S] [--runs N] [--connections C]

Serves the store with ``taxonomy serve --workers 2`` and a trivial FastAPI endpoint the same
way (the baseline, measured in the same run), and prints requests/s and p99 latency (medians of
the runs) for concept lookups and ancestors over 1,000 ImageNet-1k concepts.
Targets: >= 8,000 requests/s with p99 <= 10 ms on 2 workers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxonomy import Store, build_store
from tests.sparql import free_port

LUA = """
ids = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format("%s", ids[(counter %% #ids) + 1]))
end
"""


def start(command: list[str], url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return process
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"server did not start: {' '.join(command)}") from None
            time.sleep(0.2)


def wrk(url: str, script: Path | None, seconds: int, connections: int) -> tuple[float, float]:
    """(requests/s, p99 ms) of one wrk run."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rate, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="taxonomy-bench-api-"))
    source = Path(args.store) if args.store else build_store(work / "built.sqlite")
    store_path = work / "taxonomy.sqlite"
    store_path.write_bytes(source.read_bytes())
    with Store.open(store_path) as store:
        ids = [c for c in store.label_concepts("imagenet1k") if c]
    port, trivial_port = free_port(), free_port()
    taxonomy = shutil.which("taxonomy") or "taxonomy"
    server = start([taxonomy, "serve", "--store", str(store_path), "--port", str(port), "--workers", "2",
                    "--log-level", "warning", "--no-access-log"],  # as the baseline: no log line per request
                   f"http://127.0.0.1:{port}/concepts/{ids[0]}")
    baseline = start([sys.executable, "-m", "uvicorn", "bench.trivial_app:app", "--port", str(trivial_port),
                      "--workers", "2", "--loop", "uvloop", "--http", "httptools", "--log-level", "warning"],
                     f"http://127.0.0.1:{trivial_port}/ping")
    try:
        scripts = {}
        for name, template in (("concept", "/concepts/%s"), ("ancestors", "/concepts/%s/ancestors")):
            script = work / f"{name}.lua"
            script.write_text(LUA % (",".join(f'"{i}"' for i in ids), template), encoding="utf-8")
            scripts[name] = script
        print(f"wrk -t2 -c{args.connections}, {args.seconds} s a run, medians of {args.runs}; 2 uvicorn workers; "
              f"{os.cpu_count()} cores shared by server and load generator\n")
        results = {}
        for label, url, script in (
            ("trivial FastAPI endpoint (baseline)", f"http://127.0.0.1:{trivial_port}/ping", None),
            ("GET /concepts/{id}", f"http://127.0.0.1:{port}", scripts["concept"]),
            ("GET /concepts/{id}/ancestors", f"http://127.0.0.1:{port}", scripts["ancestors"]),
        ):
            wrk(url, script, 2, args.connections)  # warm the caches
            runs = [wrk(url, script, args.seconds, args.connections) for _ in range(args.runs)]
            rate = statistics.median(r for r, _ in runs)
            p99 = statistics.median(p for _, p in runs)
            results[label] = rate
            verdict = "" if script is None else (
                f"   target >= 8,000/s and p99 <= 10 ms: {'PASS' if rate >= 8000 and p99 <= 10 else 'FAIL'}")
            ratio = "" if script is None else f" ({rate / results['trivial FastAPI endpoint (baseline)']:.0%} of it)"
            print(f"{label:<38} {rate:10,.0f} req/s{ratio:<16} p99 {p99:6.2f} ms{verdict}")
    finally:
        server.terminate()
        baseline.terminate()
        server.wait(timeout=20)
        baseline.wait(timeout=20)


if __name__ == "__main__":
    main()
