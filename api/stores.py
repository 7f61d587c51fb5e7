"""One store per thread, all sharing the graph index, reloaded when another process writes."""

from __future__ import annotations

import threading
from pathlib import Path

from taxonomy.store import Store, load_graph_version


class StoreHub:
    """Hands each worker thread its own SQLite connection over one shared graph index."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._local = threading.local()
        first = Store.open(path, write=True)
        self._graph, self._version = first.graph, first.graph_version
        self._local.store = first

    def store(self) -> Store:
        """This thread's store, with the current graph (a write elsewhere bumps the version)."""
        current: Store | None = getattr(self._local, "store", None)
        if current is None:
            current = Store.open(self.path, write=True, graph=self._graph)
            self._local.store = current
        version = load_graph_version(current.connection)
        if version != self._version:
            with self._lock:
                if version != self._version:
                    fresh = Store.open(self.path, write=False)
                    self._graph, self._version = fresh.graph, version
                    fresh.close()
        if current.graph is not self._graph:
            current.graph = self._graph
            current.refresh_meta()
        return current

    @property
    def graph_version(self) -> int:
        return self._version
