"""One JSON error shape for every failure, mapped from domain errors in one place."""

from __future__ import annotations

import html
import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
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


def _page(request: Request, response: JSONResponse) -> Response:
    """The web UI's pages get their errors as a page; everything else gets the JSON shape."""
    path = request.url.path
    if not path.startswith("/ui") or path.startswith("/ui/static"):
        return response
    error = json.loads(bytes(response.body))["error"]
    close = "".join(f'<li><a href="/ui/concepts/{html.escape(c)}">{html.escape(c)}</a></li>'
                    for c in error["close_matches"])
    body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{error["status"]} · taxonomy</title>'
            f'<link rel="stylesheet" href="/ui/static/ui.css"></head><body><main id="main"><h1>{error["status"]}</h1>'
            f'<p role="alert">{html.escape(error["message"])}</p>{"<ul>" + close + "</ul>" if close else ""}'
            f'<p><a href="/ui">Search</a></p></main></body></html>')
    return HTMLResponse(body, status_code=response.status_code)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the error shape."""

    @app.exception_handler(UnknownConcept)
    async def unknown(request: Request, error: UnknownConcept) -> Response:
        return _page(request, error_response(404, str(error), list(error.close_matches)))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, error: InputError) -> Response:
        return _page(request, error_response(422, str(error)))

    @app.exception_handler(GraphError)
    async def graph_conflict(request: Request, error: GraphError) -> Response:
        return _page(request, error_response(409, str(error)))

    @app.exception_handler(ReadOnlyStore)
    async def read_only(request: Request, error: ReadOnlyStore) -> Response:
        return _page(request, error_response(501, str(error)))

    @app.exception_handler(StoreError)
    async def store_down(request: Request, error: StoreError) -> Response:
        return _page(request, error_response(503, str(error)))

    @app.exception_handler(TaxonomyError)
    async def other(request: Request, error: TaxonomyError) -> Response:
        return _page(request, error_response(400, str(error)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors()[:5]]
        return _page(request, error_response(422, "; ".join(problems) or "invalid request"))

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, error: StarletteHTTPException) -> Response:
        headers = getattr(error, "headers", None)
        return _page(request, error_response(error.status_code, str(error.detail), headers=headers))

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> Response:  # a bug: logged, never a traceback out
        log.exception("unhandled error")
        message = f"internal error ({type(error).__name__}); the server log has details"
        return _page(request, error_response(500, message))
