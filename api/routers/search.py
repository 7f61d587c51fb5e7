"""Finding concepts by name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import READER
from api.deps import ReadStoreDep
from api.schemas import SearchHit

router = APIRouter(tags=["search"], dependencies=[READER])


@router.get("/search", response_model=list[SearchHit])
def search_concepts(store: ReadStoreDep, q: Annotated[str, Query(min_length=1, max_length=200)],
                    limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=900)] = 0,
                    fuzzy: bool = True) -> list[dict[str, Any]]:
    """Concepts by name: exact, whole leading words, prefix, then substring; close names if none match."""
    hits = [{"id": c.id, "name": c.name, "matched": m, "gloss": c.gloss, "rank": r}
            for c, m, r in store.search(q, offset + limit)][offset:]
    if hits or not fuzzy:
        return hits
    found = []
    for name in store.close_names(q, limit=5):
        for concept in store.concepts(store.senses(name)[:3]):
            found.append({"id": concept.id, "name": concept.name, "matched": name, "gloss": concept.gloss, "rank": 5})
    return found[:limit]
