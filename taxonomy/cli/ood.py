"""CLI commands of the OOD checks: ``taxonomy ood classify|detect``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from taxonomy.cli.arguments import fraction, non_negative, positive
from taxonomy.cli.commands import Output, open_store
from taxonomy.ood_files import Summary, classify_file, detect_file


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    ood = sub.add_parser("ood", help="out-of-distribution checks of crawled images")
    ood_sub = ood.add_subparsers(dest="ood_command", required=True, metavar="COMMAND")
    p = ood_sub.add_parser("classify", parents=[common], help="is some top-k prediction in the query's related set?",
                           description="Check each row (JSON lines or Parquet): in distribution iff some of the "
                                       "top-k predictions lies in the related set of the query concept.")
    p.set_defaults(handler=classify)
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="decisions, one JSON line per row")
    p.add_argument("--labels", metavar="DATASET",
                   help="the label set that integer predictions index, e.g. imagenet21k (no default: rows with "
                        "integer predictions are refused without it; concept ids and names need none)")
    p.add_argument("-k", type=positive, default=5, help="top-k predictions (default 5)")
    p.add_argument("--min-prob", type=fraction, metavar="P", help="ignore predictions below P (needs label_probs)")
    p.add_argument("--query-field", default="query")
    p.add_argument("--predictions-field", help="default: 'predictions', else COYO's 'labels'")
    p.add_argument("--probs-field", default="label_probs")
    p = ood_sub.add_parser("detect", parents=[common], help="too few proposals, or too many of one class",
                           description="Check each row's proposals: fewer than --min-proposals, or more than "
                                       "--max-per-class of one class, is out of distribution.")
    p.set_defaults(handler=detect)
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--labels", metavar="DATASET",
                   help="the label set that integer classes index (no default: integer classes need it)")
    p.add_argument("--min-proposals", type=non_negative, default=2)
    p.add_argument("--max-per-class", type=positive, default=15)
    p.add_argument("--min-score", type=fraction, help="ignore proposals scored below this")
    p.add_argument("--field", default="proposals")


def _output(summary: Summary, output: str) -> Output:
    data = {**summary.as_dict(), "output": output}
    rate = summary.ood / summary.rows if summary.rows else 0.0
    lines = [f"{summary.rows:,} rows: {summary.in_distribution:,} in distribution, {summary.ood:,} OOD ({rate:.1%}); "
             f"{summary.skipped:,} skipped, {summary.unknown_ids:,} unknown ids; decisions in {output}"]
    lines += [f"  {reason}: {n:,}" for reason, n in summary.reasons.items()]
    lines += [f"  {problem}" for problem in summary.problems]
    return Output(data, "\n".join(lines), status=0 if summary.rows else 2)


def classify(args: argparse.Namespace) -> Output:
    with open_store(args) as store:
        summary = classify_file(store, Path(args.file), Path(args.output), labels=args.labels, k=args.k,
                                min_prob=args.min_prob, query_field=args.query_field,
                                predictions_field=args.predictions_field, probs_field=args.probs_field)
    return _output(summary, args.output)


def detect(args: argparse.Namespace) -> Output:
    with open_store(args) as store:
        summary = detect_file(store, Path(args.file), Path(args.output), labels=args.labels,
                              min_proposals=args.min_proposals, max_per_class=args.max_per_class,
                              min_score=args.min_score, field_name=args.field)
    return _output(summary, args.output)
