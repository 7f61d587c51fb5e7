"""Named, versioned subsets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.auth import READER, WriterDep
from api.deps import ReadStoreDep, StoreDep
from api.params import Limit, Offset
from api.schemas import Page, SubsetCreate, SubsetPublic
from taxonomy import subsets

router = APIRouter(tags=["subsets"], dependencies=[READER])


def _subset(s: subsets.Subset) -> dict[str, Any]:
    return {"name": s.name, "version": s.version, "definition": s.definition, "graph_version": s.graph_version,
            "tags_version": s.tags_version, "created_at": s.created_at, "size": s.size}


@router.get("/subsets", response_model=list[SubsetPublic])
def list_subsets(store: ReadStoreDep) -> list[dict[str, Any]]:
    return [_subset(s) for s in subsets.all_subsets(store)]


@router.get("/subsets/{name}", response_model=SubsetPublic)
def get_subset(name: Annotated[str, Path(max_length=100)], store: ReadStoreDep,
               version: Annotated[int | None, Query(ge=1, le=10**9)] = None) -> dict[str, Any]:
    return _subset(subsets.get(store, name, version))


@router.get("/subsets/{name}/members", response_model=Page[str])
def get_subset_members(name: Annotated[str, Path(max_length=100)], store: ReadStoreDep,
                       version: Annotated[int | None, Query(ge=1, le=10**9)] = None, offset: Offset = 0,
                       limit: Limit = 1000) -> dict[str, Any]:
    members = subsets.members(store, subsets.get(store, name, version))
    return {"total": len(members), "offset": offset, "limit": limit, "items": members[offset : offset + limit]}


@router.post("/subsets", response_model=SubsetPublic, status_code=201)
def create_subset(body: SubsetCreate, store: StoreDep, _: WriterDep) -> dict[str, Any]:
    """Compute a subset and store it as the next version of its name."""
    return _subset(subsets.create(store, body.name, body.where, body.under))
