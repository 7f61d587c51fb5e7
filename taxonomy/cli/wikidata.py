"""CLI commands of the Wikidata import: ``taxonomy wikidata import|held``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from taxonomy.cli.arguments import non_negative, positive
from taxonomy.cli.commands import Output, open_store, plain, store_path
from taxonomy.cli.progress import progress_for
from taxonomy.errors import InputError
from taxonomy.store import Store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    wikidata = sub.add_parser("wikidata", help="import from Wikidata or any SPARQL endpoint")
    wd_sub = wikidata.add_subparsers(dest="wikidata_command", required=True, metavar="COMMAND")
    p = wd_sub.add_parser("import", parents=[common], help="import the subclass-of (P279) tree below roots",
                          description="Import the P279 tree below the roots, cleaned, in one transaction: from a "
                                      "SPARQL endpoint, or from a Wikidata dump (--dump: the truthy N-Triples or "
                                      "the JSON dump, .gz or .bz2, streamed in two passes).")
    p.set_defaults(handler=wikidata_import)
    p.add_argument("--root", action="append", default=[], metavar="QID",
                   help="a root item (repeatable; required with an endpoint; with --dump, none means every class)")
    p.add_argument("--depth", type=positive, default=None,
                   help="levels of subclasses below the roots (endpoint: default 3; a dump: all)")
    p.add_argument("--dump", type=Path, metavar="FILE", help="read this Wikidata dump instead of an endpoint")
    p.add_argument("--exclude", action="append", default=[], metavar="QID",
                   help="with --dump: leave out this class and what is only below it (repeatable)")
    p.add_argument("--min-sitelinks", type=non_negative, default=0, metavar="N",
                   help="with --dump: only classes with at least N sitelinks (Wikipedia articles)")
    p.add_argument("--require-description", action="store_true",
                   help="with --dump: only classes with an English description")
    p.add_argument("--endpoint", default="https://query.wikidata.org/sparql", metavar="URL")
    p.add_argument("--max-descendants", type=positive, default=10_000, metavar="N",
                   help="hold for review an edge that would put more than N descendants under a node")
    p.add_argument("--up-depth", type=non_negative, default=8, metavar="N",
                   help="levels to climb above the tree to reach an item already in the store")
    p.add_argument("--batch-size", type=positive, default=200, metavar="N", help="QIDs per VALUES block")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS")
    p.add_argument("--retries", type=non_negative, default=4)
    p.add_argument("--no-cache", action="store_true", help="fetch again instead of reading the on-disk cache")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p = wd_sub.add_parser("held", parents=[common], help="list the edges imports held back for review")
    p.set_defaults(handler=wikidata_held)


def wikidata_import(args: argparse.Namespace) -> Output:
    from taxonomy.wikidata import SparqlClient, import_dump, import_wikidata
    from taxonomy.wikidata.dump import DumpFilter

    if args.dump:
        if args.depth is not None:
            raise InputError("--depth goes with an endpoint; a dump is read below the roots to the leaves")
        wanted = DumpFilter(args.root, set(args.exclude), args.min_sitelinks, args.require_description,
                            args.up_depth)
        with Store.open(store_path(args), write=True) as store:
            report = import_dump(store, args.dump, wanted, max_descendants=args.max_descendants,
                                 dry_run=args.dry_run, progress=progress_for(args))
        return _report(report)
    if not args.root:
        raise InputError("give the --root QIDs to import below (or read a dump with --dump FILE)")
    if args.exclude or args.min_sitelinks or args.require_description:
        raise InputError("--exclude, --min-sitelinks and --require-description go with --dump")
    client = SparqlClient(args.endpoint, timeout=args.timeout, retries=args.retries, use_cache=not args.no_cache)
    with Store.open(store_path(args), write=True) as store:
        report = import_wikidata(store, client, args.root, depth=args.depth or 3, up_depth=args.up_depth,
                                 max_descendants=args.max_descendants, batch_size=args.batch_size,
                                 dry_run=args.dry_run, progress=progress_for(args))
    return _report(report)


def _report(report: Any) -> Output:
    data = report.as_dict()
    verb = "would add" if report.dry_run else "added"
    text = "\n".join([
        f"{report.endpoint} as of {report.as_of}: {report.items:,} items below {_roots(report.roots)}"
        + (f" (depth {report.depth}), " if report.depth else ", ")
        + f"{report.context_items:,} superclasses above them",
        f"mapped to existing concepts: {plain(report.mapped)}",
        f"dropped: {plain(report.dropped)}; cycles broken: {report.cycles_broken}; "
        f"shortcuts removed: {report.shortcuts_removed}",
        f"held for review: {report.held_for_review}; unanchored: {report.unanchored}; "
        f"malformed rows: {report.malformed_rows}; cleaned literals: {report.cleaned_literals}",
        f"{verb} {report.new_concepts:,} concepts, {report.new_edges:,} edges, {report.new_names:,} names"
        + ("" if report.endpoint.startswith("dump ") else
           f" ({report.requests} requests, {report.cached_answers} answers from the cache)"),
    ])
    return Output(data, text)


def _roots(roots: list[str]) -> str:
    return ", ".join(roots) if len(roots) <= 5 else f"{', '.join(roots[:5])} and {len(roots) - 5:,} more roots"


def wikidata_held(args: argparse.Namespace) -> Output:
    with open_store(args) as store:
        rows = [{"child": c, "parent": p, "reason": r, "descendants": n, "method": m, "source_version": v}
                for c, p, r, n, m, v in store.held_edges()]
    return Output(rows, "\n".join(f"{r['child']} -> {r['parent']}: {r['reason']} ({r['descendants']:,})"
                                  for r in rows) or "no edges held for review")
