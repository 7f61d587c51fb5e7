"""Path and query parameters shared by the routers, with the limits that make 422s."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

IdPath = Annotated[str, Path(min_length=1, max_length=200, description="a concept id such as n02084071")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=1000)]
