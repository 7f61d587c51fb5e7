"""Dependencies of the routes: a store lent to the request for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from api.stores import StoreHub
from taxonomy.store import Store


async def get_store(request: Request) -> AsyncIterator[Store]:
    """Async on purpose: lending a store takes microseconds, a thread hop would cost more."""
    hub: StoreHub = request.app.state.hub
    store = hub.acquire()
    try:
        yield store
    finally:
        hub.release(store)


StoreDep = Annotated[Store, Depends(get_store)]
