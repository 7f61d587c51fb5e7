"""The app factory: the taxonomy as an HTTP service over one store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from api import docs, errors
from api.cache import ResponseCache
from api.limits import BodyLimits
from api.ratelimit import RateLimiter, limits_path
from api.routers import annotation, concepts, datasets, ood, queries, review, search, subsets, tags, ui, writes
from api.schemas import ErrorBody
from api.security import SecurityHeaders
from api.settings import get_settings
from api.stores import open_hub
from taxonomy import __version__
from taxonomy.memory import return_large_allocations


def _operation_id(route: APIRoute) -> str:
    """Stable operation ids (the function names) make generated clients clean."""
    return route.name


def create_app(store_path: Path | str | None = None) -> FastAPI:
    """Build the app over the store at ``store_path``, a SQLite file or a ``neo4j://`` URI (default: the
    configured store)."""
    app = FastAPI(
        title="taxonomy", version=__version__, generate_unique_id_function=_operation_id,
        description="The open label system for mega-scale vision datasets: concepts, hierarchy, dataset "
                    "label sets, tags and votes, subsets, crawl queries, linking and OOD checks.",
        responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}, 401: {"model": ErrorBody}},
        redirect_slashes=False,  # an id ending in an encoded "/" is an unknown id (404), not a redirect elsewhere
        docs_url=None, redoc_url=None,  # served by api/docs.py with their assets: they work offline
    )
    return_large_allocations()  # a worker's big arrays go back to the system when freed
    location = str(store_path or get_settings().store_path)
    app.state.hub = open_hub(location)
    app.state.limiter = RateLimiter(limits_path(location))  # shared by the workers over this store
    app.state.responses = ResponseCache()
    errors.install(app)
    docs.install(app)
    for module in (concepts, search, datasets, tags, subsets, queries, writes, review, ood, annotation, ui):
        app.include_router(module.router)
    app.mount("/ui/static", StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="ui-static")
    app.add_middleware(BodyLimits)
    app.add_middleware(SecurityHeaders)
    return app
