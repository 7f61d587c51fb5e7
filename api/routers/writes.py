"""Linking new names (the same body and answer as ``taxonomy link --json``)."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request

from api.auth import WriterDep
from api.deps import StoreDep
from api.errors import error_response
from api.schemas import LinkRequest, LinkResponse
from taxonomy.store import Store

router = APIRouter()
_link_lock = threading.Lock()  # one model per process; links (and their commits) go one at a time


def _linker(request: Request, store: Store) -> Any:
    """The process's linker, built on first use (it loads the models and the embeddings once;
    concepts other processes add later are found by name and head noun, not yet as neighbours)."""
    from taxonomy.linking.embedding import ConceptEmbeddings
    from taxonomy.linking.linker import Linker, ensure_link_extra

    state = request.app.state
    if getattr(state, "linker", None) is None:
        ensure_link_extra()
        missing = len(store.graph) - store.embedding_count()
        if missing > 1000:
            raise LookupError(f"the store has {missing:,} concepts without embeddings; run "
                              f"'taxonomy embed --store {state.hub.path}' once before linking through the API")
        state.linker = Linker(store, embeddings=ConceptEmbeddings.load(store))
    state.linker.store = store  # this thread's connection, with the current graph
    return state.linker


@router.post("/link", response_model=LinkResponse, tags=["link"])
def link_names(body: LinkRequest, request: Request, store: StoreDep, _: WriterDep) -> Any:
    """Link names: each is an existing concept (same), a new child of one (child), or none.

    Without ``dry_run`` the links are committed in one transaction; those less sure than
    ``review_below`` wait in the review queue instead (``GET /review``). ``visual``: the names are
    labels of an image dataset (a name without a description means its most visual sense).
    """
    from taxonomy.linking.results import LinkInput
    from taxonomy.linking.review import commit_or_queue

    with _link_lock:
        request.app.state.hub.refresh(store)  # links committed while this request waited
        try:
            linker = _linker(request, store)
        except LookupError as missing:
            return error_response(503, str(missing))
        results = linker.link([LinkInput(i.name, i.description, i.wikidata, line=n)
                               for n, i in enumerate(body.items, 1)], visual=body.visual)
        linked = [r for r in results if r.linked]
        new_concepts = new_edges = queued = 0
        if not body.dry_run and linked:
            new_concepts, new_edges, queued = commit_or_queue(linker, linked, body.review_below)
    return {"results": [r.as_dict() for r in results], "committed": not body.dry_run and len(linked) > queued,
            "new_concepts": new_concepts, "new_edges": new_edges, "queued_for_review": queued}
