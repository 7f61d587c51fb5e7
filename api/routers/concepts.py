"""Concepts and the hierarchy around them."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Request, Response

from api.auth import READER
from api.cache import cached
from api.deps import AncestorId, ConceptId, OtherId, ReadStoreDep, StoreDep, resolved
from api.params import IdPath, Limit, Offset
from api.schemas import ConceptPublic, ConceptRef, IsA, Lca, Page, Paths
from taxonomy.formats import bamboo
from taxonomy.views import concept_view, refs

router = APIRouter(prefix="/concepts", tags=["concepts"], dependencies=[READER])


def _page(items: list[Any], total: int, offset: int, limit: int) -> dict[str, Any]:
    return {"total": total, "offset": offset, "limit": limit, "items": items}


# The two hottest routes resolve a name inline: a dependency more costs them 7-12 % of their rate.
@router.get("/{concept_id}", response_model=ConceptPublic)
async def get_concept(request: Request, concept_id: IdPath, store: ReadStoreDep) -> Response:
    """A concept: names, gloss, parents with provenance, size, dataset labels, translations."""
    concept_id = await resolved(store, concept_id)
    return cached(request, "concept", concept_id, store, lambda: concept_view(store, concept_id))


@router.get("/{concept_id}/parents", response_model=list[ConceptRef])
def get_parents(concept_id: ConceptId, store: ReadStoreDep) -> list[dict[str, str]]:
    return refs(store, store.graph.parents(concept_id))


@router.get("/{concept_id}/children", response_model=Page[ConceptRef])
def get_children(concept_id: ConceptId, store: ReadStoreDep, offset: Offset = 0,
                 limit: Limit = 100) -> dict[str, Any]:
    children = store.graph.children(concept_id)
    return _page(refs(store, children[offset : offset + limit]), len(children), offset, limit)


@router.get("/{concept_id}/ancestors", response_model=list[ConceptRef])
async def get_ancestors(request: Request, concept_id: IdPath, store: ReadStoreDep, limit: Limit = 1000) -> Response:
    """Every ancestor, nearest first (at most ``limit``)."""
    concept_id = await resolved(store, concept_id)
    return cached(request, f"ancestors:{limit}", concept_id, store,
                  lambda: refs(store, store.graph.ancestors(concept_id)[:limit]))


@router.get("/{concept_id}/descendants", response_model=Page[ConceptRef])
def get_descendants(concept_id: ConceptId, store: ReadStoreDep, offset: Offset = 0,
                    limit: Limit = 100) -> dict[str, Any]:
    """Descendants, nearest first, a page at a time."""
    total = store.graph.descendant_count(concept_id)
    found = store.graph.descendants(concept_id, limit=offset + limit)[offset:]
    return _page(refs(store, found), total, offset, limit)


@router.get("/{concept_id}/paths", response_model=Paths)
def get_paths(concept_id: ConceptId, store: ReadStoreDep) -> dict[str, Any]:
    """Every path from the root down to the concept (at most 1,000)."""
    paths = store.graph.paths_to_root(concept_id, limit=1000)
    return {"paths": [refs(store, p) for p in paths]}


@router.get("/{concept_id}/related", response_model=Page[ConceptRef])
def get_related(concept_id: ConceptId, store: ReadStoreDep, offset: Offset = 0,
                limit: Limit = 100) -> dict[str, Any]:
    """The related set used by the OOD check: descendants of the concept's hypernyms."""
    related = store.graph.related(concept_id)
    return _page(refs(store, related[offset : offset + limit]), len(related), offset, limit)


@router.get("/{concept_id}/is-a/{ancestor_id}", response_model=IsA)
def get_is_a(concept_id: ConceptId, ancestor_id: AncestorId, store: ReadStoreDep) -> dict[str, Any]:
    return {"concept": concept_id, "ancestor": ancestor_id, "is_a": store.graph.is_a(concept_id, ancestor_id)}


@router.get("/{concept_id}/lca/{other_id}", response_model=Lca)
def get_lca(concept_id: ConceptId, other_id: OtherId, store: ReadStoreDep) -> dict[str, Any]:
    """The lowest common ancestor(s) of two concepts."""
    return {"a": concept_id, "b": other_id,
            "lowest": refs(store, store.graph.lowest_common_ancestors(concept_id, other_id))}


@router.get("/{concept_id}/bamboo", response_model=dict[str, Any])
def get_bamboo_subtree(concept_id: ConceptId, store: StoreDep) -> Response:
    """The Bamboo label-system JSON of the concept and everything below it (at most 50,000 concepts)."""
    from api.errors import error_response

    if store.graph.descendant_count(concept_id) >= 50_000:
        return error_response(413, "the subtree has 50,000 concepts or more; use 'taxonomy export --root' instead")
    buffer = io.StringIO()
    bamboo.write(store, store.graph.descendants(concept_id, inclusive=True), buffer)
    return Response(buffer.getvalue(), media_type="application/json")
