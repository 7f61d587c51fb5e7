"""The review queue (links waiting for a person) and mappings set by hand."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path

from api.auth import READER, WriterDep
from api.deps import StoreDep
from api.params import Limit
from api.schemas import LabelPublic, LabelSet, ReviewAccept, ReviewItemPublic, ReviewReject
from taxonomy.linking import corrections, review

router = APIRouter(tags=["review"], dependencies=[READER])
ItemId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/review", response_model=list[ReviewItemPublic])
def list_review(store: StoreDep, status: Literal["pending", "accepted", "rejected", "all"] = "pending",
                limit: Limit = 100) -> list[dict[str, Any]]:
    """Links that wait for a person (or were decided), oldest first."""
    return [i.as_dict() for i in review.items(store, None if status == "all" else status, limit)]


@router.get("/review/{item}", response_model=ReviewItemPublic)
def get_review(item: ItemId, store: StoreDep) -> dict[str, Any]:
    return review.item(store, item).as_dict()


@router.post("/review/{item}/accept", response_model=ReviewItemPublic)
def accept_review(item: ItemId, body: ReviewAccept, reviewer: WriterDep, store: StoreDep) -> dict[str, Any]:
    """Commit the proposal, or the concept it is (``same``), or a new concept under ``under``."""
    review.accept(store, item, same=body.same, under=body.under, reviewer=reviewer)
    return review.item(store, item).as_dict()


@router.post("/review/{item}/reject", response_model=ReviewItemPublic)
def reject_review(item: ItemId, body: ReviewReject, reviewer: WriterDep, store: StoreDep) -> dict[str, Any]:
    review.reject(store, item, reviewer=reviewer, reason=body.reason)
    return review.item(store, item).as_dict()


@router.put("/datasets/{dataset}/labels/{class_index}", response_model=LabelPublic, tags=["datasets"])
def set_label(dataset: Annotated[str, Path(max_length=100)], class_index: Annotated[int, Path(ge=0, le=10**9)],
              body: LabelSet, _: WriterDep, store: StoreDep) -> dict[str, Any]:
    """Map one class of a dataset by hand (``concept``: an id), or to nothing (``null``); the
    mapping it replaces is kept in the store's history, and linking the set again keeps it."""
    if body.concept is None:
        corrections.unlink_label(store, dataset, class_index, body.reason)
    else:
        corrections.set_label(store, dataset, class_index, body.concept, body.reason)
    lb = store.label(dataset, class_index)
    return {"dataset": lb.dataset, "class_index": lb.class_index, "class_name": lb.class_name,
            "concept": lb.concept, "method": lb.method, "score": lb.score}
