"""Dependencies of the routes: a store lent to the request for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from api.stores import Hub
from taxonomy.errors import ReadOnlyStore
from taxonomy.reading import LabelReader
from taxonomy.store import Store


async def get_reader(request: Request) -> AsyncIterator[LabelReader]:
    """Async on purpose: lending a store takes microseconds, a thread hop would cost more."""
    hub: Hub = request.app.state.hub
    store = hub.acquire()
    try:
        yield store
    finally:
        hub.release(store)


async def get_store(store: Annotated[LabelReader, Depends(get_reader)]) -> Store:
    """The embedded store, for writes and for what only it answers (subsets, OOD arrays, exports)."""
    if not isinstance(store, Store):
        raise ReadOnlyStore("this server reads from Neo4j, which is read-only here: write to the embedded store "
                            "(a server started on the SQLite file) and run 'taxonomy neo4j sync'")
    return store


ReadStoreDep = Annotated[LabelReader, Depends(get_reader)]
StoreDep = Annotated[Store, Depends(get_store)]
