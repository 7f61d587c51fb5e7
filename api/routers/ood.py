"""Batch OOD checks of crawled images (paper 4.1.3): a read, open like every read."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi import APIRouter

from api.auth import READER
from api.deps import StoreDep
from api.schemas import OodRequest, OodResponse
from taxonomy.ood import RelatedSetChecker

router = APIRouter(dependencies=[READER])


@router.post("/ood/classify", response_model=OodResponse, tags=["ood"])
def classify_images(body: OodRequest, store: StoreDep) -> dict[str, Any]:
    """In distribution iff one of the top-k predictions lies in the related set of the query."""
    graph = store.graph
    table = None
    if body.labels:
        table = [graph.position(c) if c else -1 for c in store.label_concepts(body.labels)]
    checker = RelatedSetChecker(graph, threads=1)
    rows: list[tuple[int, int, list[int]]] = []
    errors: dict[int, str] = {}
    for index, item in enumerate(body.items):
        try:
            query = _position(graph, table, item.query)
            predictions = list(item.predictions)
            if item.probs is not None and len(item.probs) == len(predictions):
                ranked = sorted(zip(item.probs, range(len(predictions)), strict=True), reverse=True)
                predictions = [predictions[i] for p, i in ranked if body.min_prob is None or p >= body.min_prob]
            positions = [p for p in (_maybe(graph, table, v) for v in predictions[: body.k]) if p is not None]
            rows.append((index, query, positions))
        except (KeyError, ValueError) as error:
            errors[index] = str(error.args[0]) if error.args else "bad item"
    decisions: dict[int, tuple[bool, str | None]] = {}
    if rows:
        queries = np.array([r[1] for r in rows])
        preds = np.full((len(rows), body.k), checker.sentinel)
        for i, row in enumerate(rows):
            preds[i, : len(row[2])] = row[2]
        hits = checker.hits(queries, preds)
        for i, row in enumerate(rows):
            index = row[0]
            found = np.flatnonzero(hits[i])
            decisions[index] = (bool(found.size), graph.ids[int(preds[i, found[0]])] if found.size else None)
    results = [{"index": i, "in_distribution": decisions[i][0] if i in decisions else None,
                "matched": decisions[i][1] if i in decisions else None, "error": errors.get(i)}
               for i in range(len(body.items))]
    inside = sum(1 for d in decisions.values() if d[0])
    return {"results": results, "in_distribution": inside, "ood": len(decisions) - inside, "errors": len(errors)}


def _position(graph: Any, table: list[int] | None, value: str | int) -> int:
    if isinstance(value, int):
        if table is None:
            raise ValueError(f"{value} is a class index; say which label set with 'labels'")
        if not 0 <= value < len(table) or table[value] < 0:
            raise KeyError(f"no class {value} in the label set")
        return table[value]
    if value not in graph:
        raise KeyError(f"no such concept: {value[:60]!r}")
    return int(graph.position(value))


def _maybe(graph: Any, table: list[int] | None, value: str | int) -> int | None:
    try:
        return _position(graph, table, value)
    except (KeyError, ValueError):
        return None  # an unknown prediction is simply not related
