"""How much a request may send: a body limit per route, checked before any of it is read.

A body over its route's limit is refused with 413 from its Content-Length alone, or as soon as a
chunked body passes the limit; a write without any API key is refused with 401 before its body
is read (the key itself is checked by the route's dependency, as every write's is).
"""

from __future__ import annotations

import json
from typing import Any

KIB = 1024
#: Body limits by method and path prefix, longest prefix first; everything else: DEFAULT_LIMIT.
LIMITS = (("POST", "/ood/classify", 8 * KIB * KIB),  # 10,000 items of up to 100 predictions
          ("POST", "/link", 1 * KIB * KIB), ("POST", "/annotation/answers", 64 * KIB),
          ("POST", "/subsets", 16 * KIB), ("POST", "/concepts/", 4 * KIB))
DEFAULT_LIMIT = 16 * KIB
KEYED = ("/link", "/annotation/answers", "/subsets", "/concepts/")  # writes: an API key is required


def limit_for(method: str, path: str) -> int:
    return next((size for m, prefix, size in LIMITS if m == method and path.startswith(prefix)), DEFAULT_LIMIT)


def _error(status: int, code: str, message: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps({"error": {"status": status, "code": code, "message": message, "close_matches": []}}).encode()
    return ({"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]},
            {"type": "http.response.body", "body": body})


class BodyLimits:
    """A plain ASGI middleware in front of the app."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path, headers = scope.get("path", ""), dict(scope.get("headers", []))
        limit = limit_for(scope["method"], path)
        refusal = None
        if path.startswith(KEYED) and not (headers.get(b"authorization") or headers.get(b"x-api-key")):
            refusal = _error(401, "unauthorized",
                             "this write needs an API key (Authorization: Bearer KEY or X-API-Key)")
        else:
            try:
                declared = int(headers.get(b"content-length", b"0"))
            except ValueError:
                declared = 0
            if declared > limit:
                refusal = _error(413, "too_large", f"the body is {declared:,} bytes; {path} takes at most {limit:,}")
        if refusal:
            for message in refusal:
                await send(message)
            return
        received, refused = 0, False

        async def counted() -> dict[str, Any]:
            nonlocal received, refused
            message: dict[str, Any] = await receive()
            received += len(message.get("body", b""))
            if received > limit and not refused:  # a chunked body that has no length: stop reading it here
                refused = True
                for answer in _error(413, "too_large", f"the body is larger than {path} takes ({limit:,} bytes "
                                                       "at most)"):
                    await send(answer)
                return {"type": "http.disconnect"}  # the app stops reading; what it answers is dropped
            return message

        async def unless_refused(message: dict[str, Any]) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, unless_refused)
