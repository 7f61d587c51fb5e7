"""Crawl queries for a concept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import READER
from api.deps import ConceptId, ReadStoreDep
from api.schemas import CrawlQuery
from taxonomy import crawl

router = APIRouter(tags=["queries"], dependencies=[READER])


@router.get("/concepts/{concept_id}/queries", response_model=list[CrawlQuery])
def get_crawl_queries(concept_id: ConceptId, store: ReadStoreDep,
                      cap: Annotated[int, Query(ge=1, le=200)] = 20) -> list[dict[str, Any]]:
    """Crawl queries for a concept: its name, synonyms and translations."""
    return [dict(q) for q in crawl.classification_queries(store, concept_id, cap)]
