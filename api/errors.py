"""One JSON error shape for every failure, mapped from domain errors in one place."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from taxonomy.errors import GraphError, InputError, ReadOnlyStore, StoreError, TaxonomyError, UnknownConcept

log = logging.getLogger("taxonomy.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited", 500: "internal",
          501: "not_implemented", 503: "unavailable"}


def error_response(status: int, message: str, close_matches: list[str] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": _CODES.get(status, "error"), "message": message,
                      "close_matches": close_matches or []}}
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the error shape."""

    @app.exception_handler(UnknownConcept)
    async def unknown(_: Request, error: UnknownConcept) -> JSONResponse:
        return error_response(404, str(error), list(error.close_matches))

    @app.exception_handler(InputError)
    async def bad_input(_: Request, error: InputError) -> JSONResponse:
        return error_response(422, str(error))

    @app.exception_handler(GraphError)
    async def graph_conflict(_: Request, error: GraphError) -> JSONResponse:
        return error_response(409, str(error))

    @app.exception_handler(ReadOnlyStore)
    async def read_only(_: Request, error: ReadOnlyStore) -> JSONResponse:
        return error_response(501, str(error))

    @app.exception_handler(StoreError)
    async def store_down(_: Request, error: StoreError) -> JSONResponse:
        return error_response(503, str(error))

    @app.exception_handler(TaxonomyError)
    async def other(_: Request, error: TaxonomyError) -> JSONResponse:
        return error_response(400, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors()[:5]]
        return error_response(422, "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail), headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def crash(_: Request, error: Exception) -> JSONResponse:  # a bug: logged, never a traceback out
        log.exception("unhandled error")
        return error_response(500, f"internal error ({type(error).__name__}); the server log has details")
