"""One classification check, whatever brings it (a file row, an API item): resolving its query and
predictions, the checks on them, and the decision. Files (ood_files.py) and the HTTP API both
go through here, so that they take and refuse the same input."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from taxonomy.errors import InputError
from taxonomy.ood import RelatedSetChecker
from taxonomy.store import Store


class RowError(ValueError):
    """A row that cannot be checked; ``unknown`` when the reason is an id the store lacks."""

    def __init__(self, message: str, *, unknown: bool = False):
        super().__init__(message)
        self.unknown = unknown


class Resolver:
    """Turns the ids and label indices found in rows into graph positions."""

    def __init__(self, store: Store, labels: str | None):
        self.store = store
        self.graph = store.graph
        self.labels = labels
        self._names: dict[str, int] = {}  # query names seen, and their most frequent sense
        self.label_positions: list[int] | None = None
        if labels:
            self.label_positions = [self.graph.position(c) if c else -1 for c in store.label_concepts(labels)]

    def query_position(self, value: object) -> int:
        """A query's graph position: an id, a class index, or a name (its most frequent sense,
        as every command takes names)."""
        if isinstance(value, str) and value not in self.graph:
            if value not in self._names:
                senses = self.store.senses(value)
                if not senses:
                    raise KeyError(value)
                self._names[value] = self.graph.position(senses[0])
            return self._names[value]
        return self.position(value)

    def position(self, value: object) -> int:
        """A graph position; raises KeyError (unknown) or ValueError (malformed)."""
        if isinstance(value, str):
            if value not in self.graph:
                raise KeyError(value)
            return self.graph.position(value)
        if isinstance(value, int) and not isinstance(value, bool):  # True is no class index
            if self.label_positions is None:  # every row would be the same: the whole input is refused
                raise InputError(f"{value} is a class index, and no label set says what it indexes: pass "
                                 "--labels DATASET (in the API, 'labels'); there is no default")
            if not 0 <= value < len(self.label_positions) or self.label_positions[value] < 0:
                raise KeyError(f"{self.labels}[{value}]")
            return self.label_positions[value]
        raise ValueError(f"expected a concept id or a class index, got {json.dumps(value)[:40]}")


@dataclass(slots=True)
class Inputs:
    """A row ready to check: the query's position and its top-k predictions' positions."""

    query: int
    predictions: list[int]
    ignored: list[str] = field(default_factory=list)  # predictions left out, and why
    unknown: int = 0  # how many of them are ids the store lacks


def classification_inputs(row: dict[str, Any], resolver: Resolver, k: int, min_prob: float | None, *,
                          query_field: str = "query", predictions_field: str | None = None,
                          probs_field: str = "label_probs") -> Inputs:
    """Resolve one row; raises RowError saying why it cannot be checked."""
    name = predictions_field or ("predictions" if "predictions" in row else "labels")
    query, predictions, probs = row.get(query_field), row.get(name), row.get(probs_field)
    if query is None or not isinstance(predictions, list):
        raise RowError(f"needs {query_field!r} and a list {name!r}")
    if not predictions:
        raise RowError(f"no predictions in {name!r}: nothing to check (skipped, not out of distribution)")
    try:
        query_position = resolver.query_position(query)
    except KeyError as unknown:
        raise RowError(f"unknown query {unknown.args[0]}", unknown=True) from None
    except ValueError as error:
        raise RowError(str(error)) from None
    if isinstance(probs, list) and len(probs) == len(predictions) and all(
            isinstance(p, int | float) and not isinstance(p, bool) for p in probs):
        ranked = sorted(zip(probs, range(len(predictions)), strict=True), reverse=True)
        predictions = [predictions[i] for p, i in ranked if min_prob is None or p >= min_prob]
    elif min_prob is not None:
        raise RowError(f"a minimum probability needs a list {probs_field!r} of numbers as long as the predictions")
    inputs = Inputs(query_position, [])
    for value in predictions[:k]:
        try:
            inputs.predictions.append(resolver.position(value))
        except KeyError as unknown:
            inputs.unknown += 1
            inputs.ignored.append(f"unknown prediction {unknown.args[0]} (ignored)")
        except ValueError as error:
            inputs.ignored.append(f"{error} (ignored)")
    if predictions[:k] and not inputs.predictions and len(inputs.ignored) == len(predictions[:k]):
        raise RowError("none of the predictions could be read (" + "; ".join(inputs.ignored[:3]) + "): skipped")
    return inputs


def decide(checker: RelatedSetChecker, rows: Sequence[Inputs], k: int) -> list[tuple[bool, str | None]]:
    """(in distribution, the first related prediction's id) of each row, in one vectorised check."""
    if not rows:
        return []
    queries = np.array([r.query for r in rows], dtype=np.int64)
    predictions = np.full((len(rows), max(k, 1)), checker.sentinel, dtype=np.int64)
    for i, row in enumerate(rows):
        predictions[i, : len(row.predictions)] = row.predictions[:k]
    hits = checker.hits(queries, predictions)
    ids = checker.graph.ids
    found = []
    for i in range(len(rows)):
        row_hits = np.flatnonzero(hits[i])
        found.append((bool(row_hits.size), ids[int(predictions[i, row_hits[0]])] if row_hits.size else None))
    return found
