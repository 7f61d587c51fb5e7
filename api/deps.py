"""Dependencies of the routes: a store lent to the request for its whole life."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from api.stores import StoreHub
from taxonomy.store import Store


def get_store(request: Request) -> Iterator[Store]:
    hub: StoreHub = request.app.state.hub
    store = hub.acquire()
    try:
        yield store
    finally:
        hub.release(store)


StoreDep = Annotated[Store, Depends(get_store)]
