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

import numpy as np

from taxonomy.files import BATCH, atomic_text_file, read_rows
from taxonomy.ood import RelatedSetChecker, check_detection
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


class _Resolver:
    """Turns the ids and label indices found in rows into graph positions."""

    def __init__(self, store: Store, labels: str | None):
        self.graph = store.graph
        self.labels = labels
        self.label_positions: list[int] | None = None
        if labels:
            self.label_positions = [self.graph.position(c) if c else -1 for c in store.label_concepts(labels)]

    def position(self, value: object) -> int:
        """A graph position; raises KeyError (unknown) or ValueError (malformed)."""
        if isinstance(value, str):
            if value not in self.graph:
                raise KeyError(value)
            return self.graph.position(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if self.label_positions is None:
                raise ValueError(f"{value} is a class index; say which label set with --labels")
            if not 0 <= value < len(self.label_positions) or self.label_positions[value] < 0:
                raise KeyError(f"{self.labels}[{value}]")
            return self.label_positions[value]
        raise ValueError(f"expected a concept id or a class index, got {json.dumps(value)[:40]}")


def classify_file(store: Store, path: Path, output: Path, *, labels: str | None = None, k: int = 5,
                  min_prob: float | None = None, query_field: str = "query",
                  predictions_field: str | None = None, probs_field: str = "label_probs") -> Summary:
    """Check every row of ``path``; write one decision per row to ``output`` (JSON lines)."""
    resolver = _Resolver(store, labels)
    checker = RelatedSetChecker(store.graph, threads=1)
    fields = [query_field, predictions_field or "predictions", "labels", probs_field]
    summary = Summary()
    with atomic_text_file(output) as out:
        batch: list[tuple[int, object, int, list[int]]] = []
        for number, row in read_rows(path, fields):
            parsed = _classification_row(number, row, resolver, summary, k, min_prob, query_field,
                                         predictions_field, probs_field)
            if parsed is not None:
                batch.append(parsed)
            if len(batch) >= BATCH:
                _flush(batch, checker, k, out, summary)
        _flush(batch, checker, k, out, summary)
    return summary


def _classification_row(number: int, row: dict[str, Any] | str, resolver: _Resolver, summary: Summary, k: int,
                        min_prob: float | None, query_field: str, predictions_field: str | None,
                        probs_field: str) -> tuple[int, object, int, list[int]] | None:
    if isinstance(row, str):
        summary.skipped += 1
        summary.problem(number, row)
        return None
    name = predictions_field or ("predictions" if "predictions" in row else "labels")
    query, predictions, probs = row.get(query_field), row.get(name), row.get(probs_field)
    if query is None or not isinstance(predictions, list):
        summary.skipped += 1
        summary.problem(number, f"needs {query_field!r} and a list {name!r}")
        return None
    try:
        query_position = resolver.position(query)
    except KeyError as unknown:
        summary.unknown_ids += 1
        summary.skipped += 1
        summary.problem(number, f"unknown query {unknown.args[0]}")
        return None
    except ValueError as error:
        summary.skipped += 1
        summary.problem(number, str(error))
        return None
    if isinstance(probs, list) and len(probs) == len(predictions):
        ranked = sorted(zip(probs, range(len(predictions)), strict=True), reverse=True)
        predictions = [predictions[i] for p, i in ranked if min_prob is None or p >= min_prob]
    elif min_prob is not None:
        summary.skipped += 1
        summary.problem(number, f"--min-prob needs a list {probs_field!r} as long as the predictions")
        return None
    positions: list[int] = []
    for value in predictions[:k]:
        try:
            positions.append(resolver.position(value))
        except KeyError as unknown:
            summary.unknown_ids += 1
            summary.problem(number, f"unknown prediction {unknown.args[0]} (ignored)")
        except ValueError as error:
            summary.problem(number, f"{error} (ignored)")
    return number, query, query_position, positions


def _flush(batch: list[tuple[int, object, int, list[int]]], checker: RelatedSetChecker, k: int, out: Any,
           summary: Summary) -> None:
    if not batch:
        return
    queries = np.array([b[2] for b in batch], dtype=np.int64)
    predictions = np.full((len(batch), max(k, 1)), checker.sentinel, dtype=np.int64)
    for i, (_, _, _, positions) in enumerate(batch):
        predictions[i, : len(positions)] = positions[:k]
    hits = checker.hits(queries, predictions)
    ids = checker.graph.ids
    for i, (number, query, _, _) in enumerate(batch):
        row_hits = np.flatnonzero(hits[i])
        inside = bool(row_hits.size)
        matched = ids[int(predictions[i, row_hits[0]])] if inside else None
        summary.rows += 1
        summary.in_distribution += inside
        summary.ood += not inside
        out.write(json.dumps({"line": number, "query": query, "in_distribution": inside, "matched": matched}) + "\n")
    batch.clear()


def detect_file(store: Store, path: Path, output: Path, *, labels: str | None = None, min_proposals: int = 2,
                max_per_class: int = 15, min_score: float | None = None, field_name: str = "proposals") -> Summary:
    """Apply the detection rule to every row; proposals are classes, or objects with label/score."""
    resolver = _Resolver(store, labels)
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
