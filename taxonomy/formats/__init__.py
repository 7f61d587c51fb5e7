"""Import and export formats: Bamboo label-system JSON, JSON lines, GraphML."""

from __future__ import annotations

import os
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
    # in id order, whatever the history (concepts added since the index was compiled come last by position)
    ids = store.graph.descendants(root, inclusive=True) if root else sorted(store.graph.ids)
    with atomic_text_file(path) as handle:
        EXPORTERS[fmt](store, ids, handle)
    return len(ids)


def import_file(store_path: Path, fmt: str, path: Path) -> tuple[int, int]:
    """Merge a file into the store (created if missing) in one transaction: (new concepts, new edges)."""
    if fmt not in IMPORTERS:
        raise InputError(f"unknown import format {fmt!r}; choose one of {', '.join(IMPORTERS)}")
    concepts, edges = IMPORTERS[fmt](path)  # validated in full before the store is touched
    defined = {c["id"] for c in concepts}
    referenced = sorted({i for e in edges for i in (e["child"], e["parent"])} - defined)
    new = not store_path.exists()
    target = store_path.with_name(f".{store_path.name}.importing-{os.getpid()}") if new else store_path
    try:
        if new:
            create_empty_store(target)
        with Store.open(target, write=True) as store:
            unknown = [i for i in referenced if i not in store.graph]
            if unknown:
                raise InputError(f"{str(path)!r} links to {len(unknown)} concept(s) it does not define and the store "
                                 f"does not hold, e.g. {unknown[0]!r}: give each a name in id2name")
            counts = store.merge(concepts, edges)
        if new:
            os.replace(target, store_path)  # a new store appears only once the import has succeeded
        return counts
    finally:
        if new:
            target.unlink(missing_ok=True)


__all__ = ["EXPORTERS", "IMPORTERS", "export", "import_file"]
