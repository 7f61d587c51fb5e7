"""Token buckets shared by every worker process of a server: one small SQLite file.

``taxonomy serve --workers N`` runs N processes; buckets kept in each process's memory would
let a client through N times as fast. The buckets live in a file of the temporary folder, keyed
by the store, so every worker (and every server over the same store) draws from the same ones.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

_SCHEMA = "CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)"


def limits_path(store_location: str) -> Path:
    """The bucket file of the servers over one store (per user, in the temporary folder)."""
    digest = hashlib.sha256(store_location.encode()).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / f"taxonomy-{os.getuid()}" / f"limits-{digest}.sqlite"


def retry_seconds(wait: float) -> int:
    """Whole seconds to tell a client to wait (the same in the body and in Retry-After)."""
    return max(1, math.ceil(wait))


class RateLimiter:
    """``per_minute`` calls per key, refilled continuously, with a burst of ``per_minute``."""

    def __init__(self, path: Path):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = OFF")  # a limit needs no durability
        self._conn.execute(_SCHEMA)
        self._lock = threading.Lock()  # one connection per process, used by one thread at a time

    def take(self, key: str, per_minute: int) -> float:
        """Take one call from ``key``'s bucket: 0 if it may go ahead, else the seconds to wait."""
        return self._bucket(key, per_minute, take=True)

    def waiting(self, key: str, per_minute: int) -> float:
        """The seconds until ``key`` has a call to spend (0: now), taking nothing."""
        return self._bucket(key, per_minute, take=False)

    def _bucket(self, key: str, per_minute: int, *, take: bool) -> float:
        now = time.time()
        with self._lock:
            # a look is one read (it runs for every request that carries a key); a take, one write
            self._conn.execute("BEGIN IMMEDIATE" if take else "BEGIN")
            try:
                row = self._conn.execute("SELECT tokens, at FROM buckets WHERE key = ?", (key,)).fetchone()
                tokens, at = row if row else (float(per_minute), now)
                tokens = min(float(per_minute), tokens + max(0.0, now - at) * per_minute / 60.0)
                wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) * 60.0 / per_minute
                if take and not wait:
                    self._conn.execute("INSERT OR REPLACE INTO buckets (key, tokens, at) VALUES (?, ?, ?)",
                                       (key, tokens - 1.0, now))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return wait
