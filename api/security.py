"""Security headers on every answer: no sniffing, no framing, and for the web UI a Content
Security Policy that its own script and style sheet pass (nothing inline, nothing from elsewhere
but the images of a run)."""

from __future__ import annotations

from typing import Any

#: The UI's policy: its script and style sheet from this server only; images may come from the
#: pools' hosts (annotation pages show them); no plugins, no framing, no other base or form target.
UI_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: http: https:; "
             "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_EVERYWHERE = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
               (b"referrer-policy", b"no-referrer")]


class SecurityHeaders:
    """A plain ASGI middleware (no per-request task, unlike BaseHTTPMiddleware: the hot reads
    stay as fast as they were)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_EVERYWHERE)
        if scope.get("path", "").startswith("/ui"):
            extra.append((b"content-security-policy", UI_POLICY.encode()))

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
