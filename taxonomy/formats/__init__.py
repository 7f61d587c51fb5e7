"""Import and export formats: Bamboo label-system JSON, JSON lines, GraphML."""

from __future__ import annotations

from pathlib import Path

from taxonomy.build import create_empty_store
from taxonomy.errors import InputError
from taxonomy.files import atomic_text_file
from taxonomy.formats import bamboo, graphml, jsonl
from taxonomy.store import Store

IMPORTERS = {"bamboo-json": bamboo.read}
EXPORTERS = {"bamboo-json": bamboo.write, "jsonl": jsonl.write, "graphml": graphml.write}


def export(store: Store, fmt: str, path: Path, root: str | None = None) -> int:
    """Write the store (or the subtree under ``root``) to ``path``; returns the concept count."""
    if fmt not in EXPORTERS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    ids = store.graph.descendants(root, inclusive=True) if root else list(store.graph.ids)
    with atomic_text_file(path) as handle:
        EXPORTERS[fmt](store, ids, handle)
    return len(ids)


def import_file(store_path: Path, fmt: str, path: Path) -> tuple[int, int]:
    """Merge a file into the store (created if missing) in one transaction: (new concepts, new edges)."""
    if fmt not in IMPORTERS:
        raise InputError(f"unknown import format {fmt!r}; choose one of {', '.join(IMPORTERS)}")
    concepts, edges = IMPORTERS[fmt](path)  # validated in full before the store is touched
    if not store_path.exists():
        create_empty_store(store_path)
    with Store.open(store_path, write=True) as store:
        return store.merge(concepts, edges)


__all__ = ["EXPORTERS", "IMPORTERS", "export", "import_file"]
