"""JSON lines export: one concept per line, with its parents and their provenance."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from taxonomy.store import Store
from taxonomy.tags import TagTable


def write(store: Store, ids: Sequence[str], out: TextIO) -> None:
    graph = store.graph
    tags = TagTable(store)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for concept in store.concepts(chunk):
            edges = store.edges(concept.id)
            line = {
                "id": concept.id,
                "name": concept.name,
                "lemmas": list(concept.lemmas),
                "gloss": concept.gloss,
                "lexname": concept.lexname,
                "source": concept.source,
                "parents": [e.parent for e in edges],
                "edges": [{"parent": e.parent, "kind": e.kind, "method": e.method, "score": e.score,
                           "source_version": e.source_version} for e in edges],
                "depth": graph.depth(concept.id),
                "visual": tags.decision(concept.id, "visual"),
                "common": tags.decision(concept.id, "common"),
                "tags": tags.row(concept.id),
                "names": {lang: list(v) for lang, v in concept.names.items()},
                "glosses": concept.glosses,
                "external_ids": {scheme: list(v) for scheme, v in concept.external_ids.items()},
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
