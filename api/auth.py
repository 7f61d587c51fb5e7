"""API keys (stored as sha256 hashes) and a per-key rate limit on writes."""

from __future__ import annotations

import hmac
import threading
import time
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from api.settings import Settings, get_settings
from taxonomy.keys import hash_key


async def current_settings() -> Settings:
    return get_settings()


SettingsDep = Annotated[Settings, Depends(current_settings)]


class RateLimiter:
    """A token bucket per key: ``per_minute`` writes, refilled continuously (per worker process)."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, per_minute: int) -> float:
        """0 if the call may go ahead, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * per_minute / 60.0)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) * 60.0 / per_minute


def _client(settings: Settings, authorization: str | None, x_api_key: str | None) -> str | None:
    key = x_api_key or (authorization.removeprefix("Bearer ").strip() if authorization else None)
    if not key:
        return None
    digest = hash_key(key)
    for known, name in settings.key_hashes.items():
        if hmac.compare_digest(known, digest):
            return name
    raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "Bearer"})


async def writer(request: Request, settings: SettingsDep, authorization: Annotated[str | None, Header()] = None,
           x_api_key: Annotated[str | None, Header()] = None) -> str:
    """The name of the client behind a valid API key; writes need one, and are rate limited."""
    name = _client(settings, authorization, x_api_key)
    if name is None:
        raise HTTPException(401, "writes need an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                            headers={"WWW-Authenticate": "Bearer"})
    wait = request.app.state.limiter.allow(name, settings.writes_per_minute)
    if wait:
        raise HTTPException(429, f"rate limit of {settings.writes_per_minute} writes a minute reached; "
                                 f"retry in {wait:.0f} s", headers={"Retry-After": str(max(1, round(wait)))})
    return name


async def reader(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None,
           x_api_key: Annotated[str | None, Header()] = None) -> str | None:
    """Reads are open unless TAXONOMY_READS_NEED_KEY is set."""
    name = _client(settings, authorization, x_api_key)
    if name is None and settings.reads_need_key:
        raise HTTPException(401, "this server needs an API key for reads too",
                            headers={"WWW-Authenticate": "Bearer"})
    return name


WriterDep = Annotated[str, Depends(writer)]
ReaderDep = Annotated[str | None, Depends(reader)]
READER = Depends(reader)  # a router's dependency: every route of it needs what reads need
