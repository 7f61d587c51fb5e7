"""API keys are kept as sha256 hashes; the CLI makes them, the service checks them."""

from __future__ import annotations

import hashlib


def hash_key(key: str) -> str:
    """The stored form of an API key: sha256 hex."""
    return hashlib.sha256(key.encode()).hexdigest()
