"""Where the app's stores come from: a pool over the embedded SQLite file, or one Neo4j store.

A request holds one store for its whole life: FastAPI may run a dependency and its endpoint in
different threads, so stores are lent per request, never kept per thread.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from typing import Protocol

from taxonomy.locations import is_neo4j
from taxonomy.reading import LabelReader
from taxonomy.store import Store


class Hub(Protocol):
    """Lends a store to each request."""

    def acquire(self) -> LabelReader: ...
    def release(self, store: LabelReader) -> None: ...


def open_hub(location: Path | str) -> Hub:
    """A hub over the store at ``location``: a SQLite file or a ``neo4j://`` URI."""
    if is_neo4j(str(location)):
        return Neo4jHub(str(location))
    return StoreHub(Path(location))


class Neo4jHub:
    """One Neo4j store for every request (the driver is thread-safe), its versions read once a second."""

    def __init__(self, location: str):
        from taxonomy.graphdb.store import Neo4jStore

        self.path = location
        self._store = Neo4jStore.open(location)
        self._checked = time.monotonic()

    def acquire(self) -> LabelReader:
        if time.monotonic() - self._checked > 1.0:  # a sync bumps the versions: empty the caches then
            self._checked = time.monotonic()
            self._store.refresh_meta()
        return self._store

    def release(self, store: LabelReader) -> None:
        pass


class StoreHub:
    """A pool of connections to the SQLite file over one shared graph index, reloaded when another
    process writes."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._idle: queue.SimpleQueue[Store] = queue.SimpleQueue()
        first = Store.open(path, write=True)
        # Write-ahead logging: readers never wait for a writer, in this process or another worker
        first.use_write_ahead_log()
        self._graph, self._version = first.graph, first.graph_version
        self._idle.put(first)

    def acquire(self) -> Store:
        """A store for one request, with the current graph (a write anywhere bumps the version)."""
        try:
            store = self._idle.get_nowait()
        except queue.Empty:
            store = Store.open(self.path, write=True, graph=self._graph)
        return self.refresh(store)

    def refresh(self, store: Store) -> Store:
        """Bring a lent store up to the graph on disk (after waiting, another write may have landed)."""
        version = store.stored_graph_version()
        if version != self._version:
            with self._lock:
                if version != self._version:  # concepts added since are replayed, not the whole index loaded
                    self._graph, self._version = store.reload_graph(self._graph), version
        if store.graph is not self._graph:
            store.graph = self._graph
            store.refresh_meta()
        return store

    def release(self, store: LabelReader) -> None:
        assert isinstance(store, Store)
        committed = store.held_graph_version()
        if committed is not None and committed > self._version:  # it committed: its index is the file's
            with self._lock:
                if committed > self._version:
                    self._graph, self._version = store.graph, committed
        if store.graph is not self._graph:  # an idle store keeps no index of its own alive (200 MB at 4.3 M)
            store.graph = self._graph
            store.refresh_meta()
        self._idle.put(store)

    @property
    def graph_version(self) -> int:
        return self._version
