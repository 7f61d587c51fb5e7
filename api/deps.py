"""Dependencies of the routes: the store of the calling thread."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.stores import StoreHub
from taxonomy.store import Store


def get_store(request: Request) -> Store:
    hub: StoreHub = request.app.state.hub
    return hub.store()


StoreDep = Annotated[Store, Depends(get_store)]
