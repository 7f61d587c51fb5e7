"""Linking new names (the same body and answer as ``taxonomy link --json``) and batch OOD checks."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from fastapi import APIRouter, Request

from api.auth import ReaderDep, WriterDep
from api.deps import StoreDep
from api.errors import error_response
from api.schemas import LinkRequest, LinkResponse, OodRequest, OodResponse
from taxonomy.ood import RelatedSetChecker
from taxonomy.store import Store

router = APIRouter()
_link_lock = threading.Lock()  # one model per process; links (and their commits) go one at a time


def _linker(request: Request, store: Store) -> Any:
    """The process's linker, built on first use (it loads the models and the embeddings once;
    concepts other processes add later are found by name and head noun, not yet as neighbours)."""
    from taxonomy.linking.embedding import ConceptEmbeddings
    from taxonomy.linking.linker import Linker, ensure_link_extra
    from taxonomy.storage import db

    state = request.app.state
    if getattr(state, "linker", None) is None:
        ensure_link_extra()
        missing = len(store.graph) - len(db.embedding_texts(store.connection))
        if missing > 1000:
            raise LookupError(f"the store has {missing:,} concepts without embeddings; run "
                              f"'taxonomy embed --store {state.hub.path}' once before linking through the API")
        state.linker = Linker(store, embeddings=ConceptEmbeddings.load(store))
    state.linker.store = store  # this thread's connection, with the current graph
    return state.linker


@router.post("/link", response_model=LinkResponse, tags=["link"])
def link_names(body: LinkRequest, request: Request, store: StoreDep, _: WriterDep) -> Any:
    """Link names: each is an existing concept (same), a new child of one (child), or none.

    Without ``dry_run`` the links are committed in one transaction. ``visual``: the names are
    labels of an image dataset (a name without a description means its most visual sense).
    """
    from taxonomy.linking.linker import LinkInput

    with _link_lock:
        request.app.state.hub.refresh(store)  # links committed while this request waited
        try:
            linker = _linker(request, store)
        except LookupError as missing:
            return error_response(503, str(missing))
        results = linker.link([LinkInput(i.name, i.description, i.wikidata, line=n)
                               for n, i in enumerate(body.items, 1)], visual=body.visual)
        linked = [r for r in results if r.error is None and r.decision != "none"]
        new_concepts = new_edges = 0
        if not body.dry_run and linked:
            new_concepts, new_edges = linker.commit(linked)
    return {"results": [r.as_dict() for r in results], "committed": not body.dry_run and bool(linked),
            "new_concepts": new_concepts, "new_edges": new_edges}


@router.post("/ood/classify", response_model=OodResponse, tags=["ood"])
def classify_images(body: OodRequest, store: StoreDep, _: ReaderDep) -> dict[str, Any]:
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
