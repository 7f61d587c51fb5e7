"""CLI commands of the Neo4j store: ``taxonomy neo4j sync``."""

from __future__ import annotations

import argparse
from typing import Any

from taxonomy.cli.arguments import positive
from taxonomy.cli.commands import Output, store_path
from taxonomy.cli.progress import progress_for
from taxonomy.graphdb.connection import PASSWORD_ENV, Target
from taxonomy.store import Store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    neo4j = sub.add_parser("neo4j", help="Neo4j as the shared graph store")
    neo4j_sub = neo4j.add_subparsers(dest="neo4j_command", required=True, metavar="COMMAND")
    p = neo4j_sub.add_parser(
        "sync", parents=[common], help="copy the store into a Neo4j database (only what changed)",
        description="Copy the embedded store into Neo4j: concepts with their names, glosses, tags and external "
                    "ids; IS_A edges with their provenance; dataset labels; votes. Only what differs is written; "
                    "an interrupted sync can simply be run again. Read it back with --store neo4j://...")
    p.set_defaults(handler=sync)
    p.add_argument("--uri", required=True, help="the server, e.g. neo4j://localhost:7687")
    p.add_argument("--user", default=None, help="the Neo4j user (default: the URI's, else neo4j)")
    p.add_argument("--password-env", default=PASSWORD_ENV, metavar="VAR",
                   help=f"the environment variable holding the password (default {PASSWORD_ENV})")
    p.add_argument("--database", default=None, help="the database (default: the URI's path, else neo4j)")
    p.add_argument("--batch", type=positive, default=5000, metavar="N", help="rows per transaction (default 5000)")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")


def sync(args: argparse.Namespace) -> Output:
    from taxonomy.graphdb.connection import connect
    from taxonomy.graphdb.sync import sync as run_sync

    target = Target.parse(args.uri, user=args.user, database=args.database, password_env=args.password_env)
    with Store.open(store_path(args)) as store:
        driver = connect(target)
        try:
            report = run_sync(store, driver, target, batch=args.batch, dry_run=args.dry_run,
                              progress=progress_for(args))
        finally:
            driver.close()
    written = sum(k.written for k in report.kinds.values())
    verb = "would write" if args.dry_run else "wrote"
    text = "\n".join([*(counts.line(kind) for kind, counts in report.kinds.items()),
                      f"{verb} {written:,} changes to {target} in {report.seconds:.1f} s "
                      f"(graph version {report.graph_version}, tags version {report.tags_version})"])
    return Output(report.as_dict(), text)
