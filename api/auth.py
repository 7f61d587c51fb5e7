"""API keys (stored as sha256 hashes), a per-key rate limit on writes, and a per-address limit on
wrong keys (a guesser is slowed to WRONG_KEYS_PER_MINUTE; the limits are shared by all workers)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from api.ratelimit import retry_seconds
from api.settings import Settings, get_settings
from taxonomy.keys import hash_key

WRONG_KEYS_PER_MINUTE = 20


async def current_settings() -> Settings:
    return get_settings()


SettingsDep = Annotated[Settings, Depends(current_settings)]


def _too_many(wait: float, what: str) -> HTTPException:
    seconds = retry_seconds(wait)
    return HTTPException(429, f"{what}; retry in {seconds} s", headers={"Retry-After": str(seconds)})


def _client(request: Request, settings: Settings, authorization: str | None, x_api_key: str | None) -> str | None:
    key = x_api_key or (authorization.removeprefix("Bearer ").strip() if authorization else None)
    if not key:
        return None
    guard = f"wrong keys from {request.client.host if request.client else 'unknown'}"
    limiter = request.app.state.limiter
    wait = limiter.waiting(guard, WRONG_KEYS_PER_MINUTE)
    if wait:  # this address guessed too often: no key is checked from it for a while
        raise _too_many(wait, f"too many unknown API keys from this address ({WRONG_KEYS_PER_MINUTE} a minute)")
    digest = hash_key(key)
    for known, name in settings.key_hashes.items():
        if hmac.compare_digest(known, digest):
            return name
    limiter.take(guard, WRONG_KEYS_PER_MINUTE)
    raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "Bearer"})


async def writer(request: Request, settings: SettingsDep, authorization: Annotated[str | None, Header()] = None,
           x_api_key: Annotated[str | None, Header()] = None) -> str:
    """The name of the client behind a valid API key; writes need one, and are rate limited."""
    name = _client(request, settings, authorization, x_api_key)
    if name is None:
        raise HTTPException(401, "writes need an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                            headers={"WWW-Authenticate": "Bearer"})
    wait = request.app.state.limiter.take(f"writes of {name}", settings.writes_per_minute)
    if wait:
        raise _too_many(wait, f"rate limit of {settings.writes_per_minute} writes a minute reached")
    return name


async def reader(request: Request, settings: SettingsDep, authorization: Annotated[str | None, Header()] = None,
           x_api_key: Annotated[str | None, Header()] = None) -> str | None:
    """Reads are open unless TAXONOMY_READS_NEED_KEY is set."""
    name = _client(request, settings, authorization, x_api_key)
    if name is None and settings.reads_need_key:
        raise HTTPException(401, "this server needs an API key for reads too",
                            headers={"WWW-Authenticate": "Bearer"})
    return name


WriterDep = Annotated[str, Depends(writer)]
ReaderDep = Annotated[str | None, Depends(reader)]
READER = Depends(reader)  # a router's dependency: every route of it needs what reads need
