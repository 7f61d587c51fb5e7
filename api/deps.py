"""Dependencies of the routes: a store lent to the request for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from api.params import IdPath
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


async def resolved(store: LabelReader, text: str) -> str:
    """An id as it is, or a name's most frequent sense (as the CLI takes them); an unknown one is
    a 404 with close ids or names. Neo4j answers over the network: off the event loop."""
    if isinstance(store, Store):
        return text if text in store.graph else store.resolve_one(text)
    return await run_in_threadpool(store.resolve_one, text)


async def concept_in_path(concept_id: IdPath, store: ReadStoreDep) -> str:
    return await resolved(store, concept_id)


async def ancestor_in_path(ancestor_id: IdPath, store: ReadStoreDep) -> str:
    return await resolved(store, ancestor_id)


async def other_in_path(other_id: IdPath, store: ReadStoreDep) -> str:
    return await resolved(store, other_id)


ConceptId = Annotated[str, Depends(concept_in_path)]  # "n02084071", or a name: "dog", "golden retriever"
AncestorId = Annotated[str, Depends(ancestor_in_path)]
OtherId = Annotated[str, Depends(other_in_path)]
