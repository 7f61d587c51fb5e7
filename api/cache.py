"""Serialised answers of the hottest reads, kept by the app (``app.state.responses``)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

import orjson
from fastapi import Request, Response

from taxonomy.reading import LabelReader

Key = tuple[str, str, str, int]  # store, kind of answer, concept, graph version


class ResponseCache:
    """A bounded LRU of JSON bodies by store, kind, concept and graph version: a write that
    changes the graph makes a new version, so stale answers are never served."""

    def __init__(self, size: int = 50_000):
        self._items: OrderedDict[Key, bytes] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: Key) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Key, body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            if len(self._items) > self._size:
                self._items.popitem(last=False)


def cached(request: Request, kind: str, concept_id: str, store: LabelReader, build: Callable[[], Any]) -> Response:
    """The cached answer of ``build()`` for this app's store, built and kept on a miss."""
    cache: ResponseCache = request.app.state.responses
    key = (str(request.app.state.hub.path), kind, concept_id, store.graph_version)
    body = cache.get(key)
    if body is None:
        body = orjson.dumps(build())
        cache.put(key, body)
    return Response(body, media_type="application/json")
