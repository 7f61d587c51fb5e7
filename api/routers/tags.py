"""Visual and common tags, and votes on them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import READER, WriterDep
from api.deps import ConceptId, ReadStoreDep, StoreDep
from api.schemas import TagsPublic, VoteCreate
from taxonomy.model import QUESTIONS
from taxonomy.reading import LabelReader
from taxonomy.tags import parse_answer, tags, vote

router = APIRouter(tags=["tags"], dependencies=[READER])


def _tags(store: LabelReader, concept_id: str) -> dict[str, Any]:
    states = tags(store, concept_id)
    return {"id": concept_id, "name": store.names([concept_id]).get(concept_id, ""),
            **{q: states[q].as_dict() for q in QUESTIONS}}


@router.get("/concepts/{concept_id}/tags", response_model=TagsPublic)
def get_tags(concept_id: ConceptId, store: ReadStoreDep) -> dict[str, Any]:
    """Visual and common: decision, prior with its method, and every vote."""
    return _tags(store, concept_id)


@router.post("/concepts/{concept_id}/votes", response_model=TagsPublic)
def post_vote(annotator: WriterDep, concept_id: ConceptId, body: VoteCreate, store: StoreDep) -> dict[str, Any]:
    """Vote as the API key's annotator; a new vote on the same question replaces the old one."""
    answers = {q: parse_answer(getattr(body, q)) for q in QUESTIONS if getattr(body, q) is not None}
    vote(store, concept_id, annotator, answers)
    return {**_tags(store, concept_id), "annotator": annotator}
