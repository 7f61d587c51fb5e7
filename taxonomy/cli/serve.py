"""CLI commands of the HTTP service: ``taxonomy serve`` and ``taxonomy api-key``."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from taxonomy.cli.arguments import positive
from taxonomy.cli.commands import Output, store_path
from taxonomy.errors import TaxonomyError
from taxonomy.extras import require
from taxonomy.files import atomic_text_file
from taxonomy.keys import hash_key
from taxonomy.locations import is_neo4j, open_reader, store_location


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="serve the store over HTTP (FastAPI on uvicorn)",
                       epilog="With --store neo4j://... the server reads from Neo4j and refuses writes.",
                       description="Serve the store over HTTP. Writes need API keys: set TAXONOMY_API_KEYS "
                                   "(NAME:KEY,...) or TAXONOMY_API_KEYS_FILE (see 'taxonomy api-key').")
    p.set_defaults(handler=serve)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=positive, default=8000)
    p.add_argument("--workers", type=positive, default=1)
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"],
                   help="what the server logs on stderr (info: one access line per request; default)")
    p.add_argument("--no-access-log", action="store_true", help="no line per request")
    p = sub.add_parser("api-key", parents=[common], help="make an API key and add its hash to a keys file")
    p.set_defaults(handler=api_key)
    p.add_argument("name", help="the client or annotator the key belongs to")
    p.add_argument("--keys-file", required=True, metavar="FILE", help="the file TAXONOMY_API_KEYS_FILE names")


def serve(args: argparse.Namespace) -> Output:
    uvicorn: Any = require("uvicorn", "api", "serving")
    where = store_location(args.store)
    open_reader(where if is_neo4j(where) else store_path(args)).close()  # a bad store fails here, clearly
    os.environ["TAXONOMY_STORE"] = where  # the workers build the app from the environment
    share_cores(args.workers)
    url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
    print(f"taxonomy: serving {where} at {url} ({args.workers} worker{'s' * (args.workers > 1)}); "
          f"API docs at {url}/docs, the web UI at {url}/ui; Ctrl-C stops", file=sys.stderr, flush=True)
    # uvloop and httptools: without them `--workers` leaves Nagle's algorithm on (uvicorn #3149)
    # A worker loading the linking models holds the GIL for seconds: give health checks time.
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                loop="uvloop", http="httptools", log_level=args.log_level, access_log=not args.no_access_log,
                timeout_worker_healthcheck=120)
    return Output({"stopped": True}, "stopped")


def share_cores(workers: int) -> None:
    """Give each worker's BLAS and OpenMP thread pools its share of the cores (unless the user set
    them): pools of every core in every worker spin against each other, and 2 workers on 2 cores
    linked 3 names a second instead of 20 (bench/bench_api_link.py)."""
    if workers > 1:
        share = str(max(1, (os.cpu_count() or 1) // workers))
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, share)


def api_key(args: argparse.Namespace) -> Output:
    if not args.name.strip() or " " in args.name:
        raise TaxonomyError(f"bad key name {args.name!r}: one word, such as an annotator's name")
    key = secrets.token_urlsafe(32)
    path = Path(args.keys_file)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    with atomic_text_file(path) as out:
        out.write(existing + f"{args.name} {hash_key(key)}\n")
    return Output({"name": args.name, "key": key, "keys_file": str(path)},
                  f"{key}\n(the key of {args.name}; only its hash is kept, in {path}: store the key now)")
