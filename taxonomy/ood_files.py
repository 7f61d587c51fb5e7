"""OOD checks over files: JSON lines or Parquet rows in, one decision per row out, and a summary.

A classification row holds a query concept and the model's predictions, either concept ids or
indices into a named label set (COYO-Labeled-300M's ``labels`` column indexes ImageNet-21K, with
``label_probs`` beside it). A detection row holds its proposals. Bad rows are skipped and
unknown ids counted, each with its line number; neither stops the run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taxonomy.extras import require
from taxonomy.files import BATCH, atomic_text_file, is_parquet, read_rows
from taxonomy.ood import RelatedSetChecker, check_detection
from taxonomy.ood_rows import Inputs, Resolver, RowError, classification_inputs, decide
from taxonomy.store import Store

_SHOWN = 20  # line numbers listed per kind of problem
#: Columns that name an input row, copied into its decision so that it can be joined back.
KEY_COLUMNS = ("id", "key", "uid", "url", "image_id", "sample_id")


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
    """Check every row of ``path``; write one decision per row to ``output`` with the row's own key
    columns (JSON lines; Parquet when ``output`` ends in .parquet, or the input is Parquet and the
    output does not end in .jsonl or .json)."""
    resolver = Resolver(store, labels)
    checker = RelatedSetChecker(store.graph, threads=1)
    fields = [query_field, predictions_field or "predictions", "labels", probs_field, *KEY_COLUMNS]
    summary = Summary()
    with decision_writer(output, parquet_output(path, output)) as write:
        batch: list[tuple[int, object, dict[str, Any], Inputs]] = []
        for number, row in read_rows(path, fields):
            parsed = _classification_row(number, row, resolver, summary, k, min_prob, query_field,
                                         predictions_field, probs_field)
            if parsed is not None:
                batch.append(parsed)
            if len(batch) >= BATCH:
                _flush(batch, checker, k, write, summary)
        _flush(batch, checker, k, write, summary)
    return summary


def parquet_output(source: Path, output: Path) -> bool:
    if output.suffix == ".parquet" or not source.is_file():
        return output.suffix == ".parquet"
    return is_parquet(source) and output.suffix not in (".jsonl", ".json") and str(output) != "-"


@contextmanager
def decision_writer(output: Path, parquet: bool) -> Iterator[Callable[[list[dict[str, Any]]], None]]:
    """A function that takes decision rows, writing JSON lines or Parquet; the file appears whole."""
    if not parquet:
        with atomic_text_file(output) as out:
            yield lambda rows: out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return
    pa: Any = require("pyarrow", "parquet", "writing Parquet")
    pq: Any = require("pyarrow.parquet", "parquet", "writing Parquet")
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = output.with_name(f".{output.name}.partial")
    writer: Any = None
    try:
        def write(rows: list[dict[str, Any]]) -> None:
            nonlocal writer
            if not rows:
                return
            table = pa.Table.from_pylist([{k: _cell(v) for k, v in r.items()} for r in rows])
            if writer is None:
                writer = pq.ParquetWriter(temp, table.schema)
            writer.write_table(table.cast(writer.schema))

        yield write
        if writer is None:  # no decision at all: an empty file with the columns a reader expects
            writer = pq.ParquetWriter(temp, pa.schema([("line", pa.int64()), ("in_distribution", pa.bool_())]))
        writer.close()
        os.replace(temp, output)
    except BaseException:
        if writer is not None:
            writer.close()
        temp.unlink(missing_ok=True)
        raise


def _cell(value: object) -> object:
    """Parquet columns hold one type: the query and keys are written as text."""
    return value if isinstance(value, bool | int | float) or value is None else str(value)


def _classification_row(number: int, row: dict[str, Any] | str, resolver: Resolver, summary: Summary, k: int,
                        min_prob: float | None, query_field: str, predictions_field: str | None,
                        probs_field: str) -> tuple[int, object, dict[str, Any], Inputs] | None:
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
    keys = {key: row[key] for key in KEY_COLUMNS if key in row}
    return number, row.get(query_field), keys, inputs


def _flush(batch: list[tuple[int, object, dict[str, Any], Inputs]], checker: RelatedSetChecker, k: int,
           write: Callable[[list[dict[str, Any]]], None], summary: Summary) -> None:
    rows = []
    for (number, query, keys, _), (inside, matched) in zip(batch, decide(checker, [b[3] for b in batch], k),
                                                           strict=True):
        summary.rows += 1
        summary.in_distribution += inside
        summary.ood += not inside
        rows.append({"line": number, **keys, "query": query, "in_distribution": inside, "matched": matched})
    write(rows)
    batch.clear()


def detect_file(store: Store, path: Path, output: Path, *, labels: str | None = None, min_proposals: int = 2,
                max_per_class: int = 15, min_score: float | None = None, field_name: str = "proposals") -> Summary:
    """Apply the detection rule to every row; proposals are classes, or objects with label/score."""
    resolver = Resolver(store, labels)
    summary = Summary()
    with decision_writer(output, parquet_output(path, output)) as write:
        for number, row in read_rows(path, [field_name, *KEY_COLUMNS]):
            proposals = row.get(field_name) if isinstance(row, dict) else None
            if not isinstance(row, dict) or not isinstance(proposals, list):
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
            keys = {key: row[key] for key in KEY_COLUMNS if key in row}
            write([{"line": number, **keys, "in_distribution": verdict.in_distribution, "reason": verdict.reason}])
    return summary
