"""A pool of store connections over one shared graph index, reloaded when another process writes.

A request holds one store for its whole life: FastAPI may run a dependency and its endpoint in
different threads, so stores are lent per request, never kept per thread.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from taxonomy.store import Store, load_graph_version


class StoreHub:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._idle: queue.SimpleQueue[Store] = queue.SimpleQueue()
        first = Store.open(path, write=True)
        # Write-ahead logging: readers never wait for a writer, in this process or another worker
        first.connection.execute("PRAGMA journal_mode = WAL")
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
        version = load_graph_version(store.connection)
        if version != self._version:
            with self._lock:
                if version != self._version:
                    fresh = Store.open(self.path)
                    self._graph, self._version = fresh.graph, version
                    fresh.close()
        if store.graph is not self._graph:
            store.graph = self._graph
            store.refresh_meta()
        return store

    def release(self, store: Store) -> None:
        self._idle.put(store)

    @property
    def graph_version(self) -> int:
        return self._version
