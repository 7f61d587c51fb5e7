"""One JSON error shape for every failure, mapped from domain errors in one place."""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from taxonomy.errors import (
    AlreadyDecided,
    GraphError,
    InputError,
    MissingExtra,
    NotFound,
    ReadOnlyStore,
    StoreError,
    TaxonomyError,
)

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


#: Domain errors and the HTTP status they become.
_DOMAIN_STATUS: tuple[tuple[type[TaxonomyError], int], ...] = (
    (NotFound, 404), (AlreadyDecided, 409), (InputError, 422), (GraphError, 409), (ReadOnlyStore, 501),
    (StoreError, 503),
    (MissingExtra, 503),  # the server lacks a package: not the client's fault
    (TaxonomyError, 400),
)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the error shape."""

    def domain(status: int) -> Any:
        async def handler(request: Request, error: Exception) -> Response:
            close = list(getattr(error, "close_matches", ()))
            return _page(request, error_response(status, str(error), close))
        return handler

    for kind, status in _DOMAIN_STATUS:  # most specific first: a handler is found by the class's MRO
        app.add_exception_handler(kind, domain(status))

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
