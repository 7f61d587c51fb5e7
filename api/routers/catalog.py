"""Search, dataset label sets, tags and votes, subsets and crawl queries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.auth import ReaderDep, WriterDep
from api.deps import StoreDep
from api.schemas import (
    CrawlQuery,
    DatasetPublic,
    LabelPublic,
    Page,
    SearchHit,
    SubsetCreate,
    SubsetPublic,
    TagsPublic,
    VoteCreate,
)
from taxonomy import crawl, subsets
from taxonomy.store import Store
from taxonomy.tags import QUESTIONS, parse_answer, tags, vote

router = APIRouter()
IdPath = Annotated[str, Path(min_length=1, max_length=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/search", response_model=list[SearchHit], tags=["search"])
def search_concepts(store: StoreDep, _: ReaderDep, q: Annotated[str, Query(min_length=1, max_length=200)],
                    limit: Annotated[int, Query(ge=1, le=100)] = 20, fuzzy: bool = True) -> list[dict[str, Any]]:
    """Concepts by name: exact, whole leading words, prefix, then substring; close names if none match."""
    hits = [{"id": c.id, "name": c.name, "matched": m, "gloss": c.gloss, "rank": r}
            for c, m, r in store.search(q, limit)]
    if hits or not fuzzy:
        return hits
    found = []
    for name in store.close_names(q, limit=5):
        for concept in store.concepts(store.senses(name)[:3]):
            found.append({"id": concept.id, "name": concept.name, "matched": name, "gloss": concept.gloss, "rank": 5})
    return found[:limit]


@router.get("/datasets", response_model=list[DatasetPublic], tags=["datasets"])
def list_datasets(store: StoreDep, _: ReaderDep) -> list[dict[str, Any]]:
    return [{"name": d.name, "num_classes": d.num_classes, "source": d.source, "license": d.license,
             "description": d.description} for d in store.datasets()]


@router.get("/datasets/{dataset}/labels", response_model=Page[LabelPublic], tags=["datasets"])
def list_labels(dataset: Annotated[str, Path(max_length=100)], store: StoreDep, _: ReaderDep,
                offset: Offset = 0, limit: Limit = 100) -> dict[str, Any]:
    labels = store.labels(dataset, offset, limit)
    return {"total": store.dataset(dataset).num_classes, "offset": offset, "limit": limit,
            "items": [_label(lb) for lb in labels]}


@router.get("/datasets/{dataset}/labels/{class_index}", response_model=LabelPublic, tags=["datasets"])
def get_label(dataset: Annotated[str, Path(max_length=100)], class_index: Annotated[int, Path(ge=0, le=10**9)],
              store: StoreDep, _: ReaderDep) -> dict[str, Any]:
    """The concept behind one output index of a dataset's model (imagenet21k 2167 -> dog)."""
    return _label(store.label(dataset, class_index))


def _label(lb: Any) -> dict[str, Any]:
    return {"dataset": lb.dataset, "class_index": lb.class_index, "class_name": lb.class_name,
            "concept": lb.concept, "method": lb.method, "score": lb.score}


def _tags(store: Store, concept_id: str) -> dict[str, Any]:
    states = tags(store, concept_id)
    return {"id": concept_id, "name": store.names([concept_id]).get(concept_id, ""),
            **{q: states[q].as_dict() for q in QUESTIONS}}


@router.get("/concepts/{concept_id}/tags", response_model=TagsPublic, tags=["tags"])
def get_tags(concept_id: IdPath, store: StoreDep, _: ReaderDep) -> dict[str, Any]:
    """Visual and common: decision, prior with its method, and every vote."""
    return _tags(store, concept_id)


@router.post("/concepts/{concept_id}/votes", response_model=TagsPublic, tags=["tags"])
def post_vote(concept_id: IdPath, body: VoteCreate, store: StoreDep, annotator: WriterDep) -> dict[str, Any]:
    """Vote as the API key's annotator; a new vote on the same question replaces the old one."""
    answers = {q: parse_answer(getattr(body, q)) for q in QUESTIONS if getattr(body, q) is not None}
    vote(store, concept_id, annotator, answers)
    return _tags(store, concept_id)


def _subset(s: subsets.Subset) -> dict[str, Any]:
    return {"name": s.name, "version": s.version, "definition": s.definition, "graph_version": s.graph_version,
            "tags_version": s.tags_version, "created_at": s.created_at, "size": s.size}


@router.get("/subsets", response_model=list[SubsetPublic], tags=["subsets"])
def list_subsets(store: StoreDep, _: ReaderDep) -> list[dict[str, Any]]:
    return [_subset(s) for s in subsets.all_subsets(store)]


@router.get("/subsets/{name}", response_model=SubsetPublic, tags=["subsets"])
def get_subset(name: Annotated[str, Path(max_length=100)], store: StoreDep, _: ReaderDep,
               version: Annotated[int | None, Query(ge=1, le=10**9)] = None) -> dict[str, Any]:
    return _subset(subsets.get(store, name, version))


@router.get("/subsets/{name}/members", response_model=Page[str], tags=["subsets"])
def get_subset_members(name: Annotated[str, Path(max_length=100)], store: StoreDep, _: ReaderDep,
                       version: Annotated[int | None, Query(ge=1, le=10**9)] = None, offset: Offset = 0,
                       limit: Limit = 1000) -> dict[str, Any]:
    members = subsets.members(store, subsets.get(store, name, version))
    return {"total": len(members), "offset": offset, "limit": limit, "items": members[offset : offset + limit]}


@router.post("/subsets", response_model=SubsetPublic, status_code=201, tags=["subsets"])
def create_subset(body: SubsetCreate, store: StoreDep, _: WriterDep) -> dict[str, Any]:
    """Compute a subset and store it as the next version of its name."""
    return _subset(subsets.create(store, body.name, body.where, body.under))


@router.get("/concepts/{concept_id}/queries", response_model=list[CrawlQuery], tags=["queries"])
def get_crawl_queries(concept_id: IdPath, store: StoreDep, _: ReaderDep,
                      cap: Annotated[int, Query(ge=1, le=200)] = 20) -> list[dict[str, Any]]:
    """Crawl queries for a concept: its name, synonyms and translations."""
    return [dict(q) for q in crawl.classification_queries(store, concept_id, cap)]


