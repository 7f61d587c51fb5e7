"""Service settings, read from the environment on demand (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from taxonomy.errors import InputError
from taxonomy.keys import hash_key
from taxonomy.locations import store_location


@dataclass(frozen=True)
class Settings:
    store_path: str  # a SQLite file or a neo4j:// URI
    key_hashes: dict[str, str] = field(default_factory=dict)  # sha256(key) -> annotator / client name
    reads_need_key: bool = False
    writes_per_minute: int = 120


def _parse_keys(env_keys: str, keys_file: str | None) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in env_keys.split(","))):
        name, sep, key = pair.partition(":")
        if not sep or not name or len(key) < 16:
            raise InputError("TAXONOMY_API_KEYS holds NAME:KEY pairs, comma-separated, keys of 16+ characters")
        hashes[hash_key(key)] = name
    if keys_file:
        for number, line in enumerate(Path(keys_file).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            name, _, digest = line.strip().partition(" ")
            if len(digest.strip()) != 64:
                raise InputError(f"{keys_file}:{number}: expected 'NAME SHA256HEX' (see 'taxonomy api-key')")
            hashes[digest.strip().lower()] = name
    return hashes


@lru_cache
def get_settings() -> Settings:
    return Settings(
        store_path=store_location(),
        key_hashes=_parse_keys(os.environ.get("TAXONOMY_API_KEYS", ""), os.environ.get("TAXONOMY_API_KEYS_FILE")),
        reads_need_key=os.environ.get("TAXONOMY_READS_NEED_KEY", "") in ("1", "true", "yes"),
        writes_per_minute=int(os.environ.get("TAXONOMY_RATE_LIMIT", "120")),
    )
