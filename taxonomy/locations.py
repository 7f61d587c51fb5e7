"""Where a store lives, and opening it: the one place that tells a Neo4j URI from a SQLite path.

The reader interface (reading.py) knows no implementation; this module knows both: the
embedded store (store.py) and the Neo4j one (graphdb/), imported only when a URI names it.
"""

from __future__ import annotations

import os
from pathlib import Path

from taxonomy.errors import InputError
from taxonomy.reading import LabelReader

#: URI schemes of a Neo4j server (the official driver's, with and without TLS).
NEO4J_SCHEMES = frozenset({"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"})


def store_location(location: str | Path | None = None) -> str:
    """The store to use: ``location``, else $TAXONOMY_STORE, else the user data folder's file."""
    from taxonomy.paths import STORE_ENV, default_store_path

    return str(location or os.environ.get(STORE_ENV) or default_store_path())


def is_neo4j(location: object) -> bool:
    """True for ``neo4j://``, ``bolt://`` and their TLS variants."""
    return isinstance(location, str) and "://" in location and location.split("://", 1)[0].lower() in NEO4J_SCHEMES


def embedded_path(location: str | Path | None, command: str) -> Path:
    """The embedded store's file; a Neo4j URI is refused, saying that ``command`` writes or needs SQLite."""
    where = store_location(location)
    if is_neo4j(where):
        raise InputError(f"'{command}' needs the embedded store, and {where} is a Neo4j store (read-only here): "
                         "run it with --store PATH on the SQLite file, then 'taxonomy neo4j sync'")
    return Path(where).expanduser()


def open_reader(location: str | Path | None = None) -> LabelReader:
    """Open a store for reading: a SQLite file, or a Neo4j database named by a ``neo4j://`` URI."""
    where = store_location(location)
    if is_neo4j(where):
        from taxonomy.graphdb.store import Neo4jStore

        return Neo4jStore.open(where)
    from taxonomy.store import Store

    return Store.open(Path(where).expanduser())
