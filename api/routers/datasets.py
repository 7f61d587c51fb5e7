"""Dataset label sets: class index <-> concept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.auth import READER
from api.deps import ReadStoreDep
from api.params import Limit, Offset
from api.schemas import DatasetPublic, LabelPublic, Page

router = APIRouter(tags=["datasets"], dependencies=[READER])


@router.get("/datasets", response_model=list[DatasetPublic])
def list_datasets(store: ReadStoreDep) -> list[dict[str, Any]]:
    return [{"name": d.name, "num_classes": d.num_classes, "source": d.source, "license": d.license,
             "description": d.description} for d in store.datasets()]


@router.get("/datasets/{dataset}/labels", response_model=Page[LabelPublic])
def list_labels(dataset: Annotated[str, Path(max_length=100)], store: ReadStoreDep,
                offset: Offset = 0, limit: Limit = 100) -> dict[str, Any]:
    labels = store.labels(dataset, offset, limit)
    return {"total": store.dataset(dataset).num_classes, "offset": offset, "limit": limit,
            "items": [_label(lb) for lb in labels]}


@router.get("/datasets/{dataset}/labels/{class_index}", response_model=LabelPublic)
def get_label(dataset: Annotated[str, Path(max_length=100)], class_index: Annotated[int, Path(ge=0, le=10**9)],
              store: ReadStoreDep) -> dict[str, Any]:
    """The concept behind one output index of a dataset's model (imagenet21k 2167 -> dog)."""
    return _label(store.label(dataset, class_index))


def _label(lb: Any) -> dict[str, Any]:
    return {"dataset": lb.dataset, "class_index": lb.class_index, "class_name": lb.class_name,
            "concept": lb.concept, "method": lb.method, "score": lb.score}
