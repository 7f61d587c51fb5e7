"""OOD checks over files: JSON lines or Parquet rows in, one decision per row out, and a summary.

A classification row holds a query concept and the model's predictions, either concept ids or
indices into a named label set (COYO-Labeled-300M's ``labels`` column indexes ImageNet-21K, with
``label_probs`` beside it). A detection row holds its proposals. Bad rows are skipped and
unknown ids counted, each with its line number; neither stops the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taxonomy.files import BATCH, atomic_text_file, read_rows
from taxonomy.ood import RelatedSetChecker, check_detection
from taxonomy.ood_rows import Inputs, Resolver, RowError, classification_inputs, decide
from taxonomy.store import Store

_SHOWN = 20  # line numbers listed per kind of problem


@dataclass(slots=True)
class Summary:
    rows: int = 0
    in_distribution: int = 0
    ood: int = 0
    skipped: int = 0
    unknown_ids: int = 0
    problems: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < _SHOWN:
            self.problems.append(f"line {line}: {message}")

    def as_dict(self) -> dict[str, object]:
        rate = self.ood / self.rows if self.rows else 0.0
        return {"rows": self.rows, "in_distribution": self.in_distribution, "ood": self.ood,
                "ood_rate": round(rate, 6), "skipped": self.skipped, "unknown_ids": self.unknown_ids,
                "reasons": self.reasons, "problems": self.problems}


def classify_file(store: Store, path: Path, output: Path, *, labels: str | None = None, k: int = 5,
                  min_prob: float | None = None, query_field: str = "query",
                  predictions_field: str | None = None, probs_field: str = "label_probs") -> Summary:
    """Check every row of ``path``; write one decision per row to ``output`` (JSON lines)."""
    resolver = Resolver(store, labels)
    checker = RelatedSetChecker(store.graph, threads=1)
    fields = [query_field, predictions_field or "predictions", "labels", probs_field]
    summary = Summary()
    with atomic_text_file(output) as out:
        batch: list[tuple[int, object, Inputs]] = []
        for number, row in read_rows(path, fields):
            parsed = _classification_row(number, row, resolver, summary, k, min_prob, query_field,
                                         predictions_field, probs_field)
            if parsed is not None:
                batch.append(parsed)
            if len(batch) >= BATCH:
                _flush(batch, checker, k, out, summary)
        _flush(batch, checker, k, out, summary)
    return summary


def _classification_row(number: int, row: dict[str, Any] | str, resolver: Resolver, summary: Summary, k: int,
                        min_prob: float | None, query_field: str, predictions_field: str | None,
                        probs_field: str) -> tuple[int, object, Inputs] | None:
    if isinstance(row, str):
        summary.skipped += 1
        summary.problem(number, row)
        return None
    try:
        inputs = classification_inputs(row, resolver, k, min_prob, query_field=query_field,
                                       predictions_field=predictions_field, probs_field=probs_field)
    except RowError as error:
        summary.skipped += 1
        summary.unknown_ids += error.unknown
        summary.problem(number, str(error))
        return None
    summary.unknown_ids += inputs.unknown
    for note in inputs.ignored:
        summary.problem(number, note)
    return number, row.get(query_field), inputs


def _flush(batch: list[tuple[int, object, Inputs]], checker: RelatedSetChecker, k: int, out: Any,
           summary: Summary) -> None:
    for (number, query, _), (inside, matched) in zip(batch, decide(checker, [b[2] for b in batch], k), strict=True):
        summary.rows += 1
        summary.in_distribution += inside
        summary.ood += not inside
        out.write(json.dumps({"line": number, "query": query, "in_distribution": inside, "matched": matched}) + "\n")
    batch.clear()


def detect_file(store: Store, path: Path, output: Path, *, labels: str | None = None, min_proposals: int = 2,
                max_per_class: int = 15, min_score: float | None = None, field_name: str = "proposals") -> Summary:
    """Apply the detection rule to every row; proposals are classes, or objects with label/score."""
    resolver = Resolver(store, labels)
    summary = Summary()
    with atomic_text_file(output) as out:
        for number, row in read_rows(path, [field_name]):
            proposals = row.get(field_name) if isinstance(row, dict) else None
            if not isinstance(proposals, list):
                summary.skipped += 1
                summary.problem(number, row if isinstance(row, str) else f"needs a list {field_name!r}")
                continue
            classes: list[str] = []
            for proposal in proposals:
                label, score = (proposal.get("label"), proposal.get("score")) if isinstance(proposal, dict) else (
                    proposal, None)
                if min_score is not None and isinstance(score, int | float) and score < min_score:
                    continue
                try:
                    classes.append(resolver.graph.ids[resolver.position(label)])
                except KeyError as unknown:
                    summary.unknown_ids += 1
                    summary.problem(number, f"unknown class {unknown.args[0]} (counted as a proposal)")
                    classes.append(f"unknown {unknown.args[0]}")
                except ValueError as error:
                    summary.problem(number, f"{error} (ignored)")
            verdict = check_detection(classes, min_proposals, max_per_class)
            reason = verdict.reason.split(": ")[-1] if verdict.reason else "in distribution"
            summary.reasons[reason] = summary.reasons.get(reason, 0) + 1
            summary.rows += 1
            summary.in_distribution += verdict.in_distribution
            summary.ood += not verdict.in_distribution
            out.write(json.dumps({"line": number, "in_distribution": verdict.in_distribution,
                                  "reason": verdict.reason}) + "\n")
    return summary
