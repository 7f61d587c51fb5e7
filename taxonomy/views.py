"""Plain-data views of concepts, shared by the CLI and the HTTP API."""

from __future__ import annotations

from typing import Any

from taxonomy.reading import LabelReader


def concept_view(store: LabelReader, concept_id: str) -> dict[str, Any]:
    """A concept with its edges, size, dataset labels, translations and external ids."""
    concept = store.concept(concept_id)
    graph = store.graph
    edges = store.edges(concept_id)
    names = store.names([e.parent for e in edges])
    return {
        "id": concept.id, "name": concept.name, "lemmas": list(concept.lemmas), "gloss": concept.gloss,
        "lexname": concept.lexname, "source": concept.source,
        "depth": graph.depth(concept_id), "max_depth": graph.max_depth(concept_id),
        "parents": [{"id": e.parent, "name": names.get(e.parent, ""), "kind": e.kind, "method": e.method,
                     "score": e.score, "source_version": e.source_version} for e in edges],
        "children": len(graph.children(concept_id)),
        "descendants": graph.descendant_count(concept_id),
        "labels": [{"dataset": lb.dataset, "class_index": lb.class_index, "class_name": lb.class_name,
                    "concept": lb.concept, "method": lb.method, "score": lb.score}
                   for lb in store.labels_of(concept_id)],
        "translations": [{"lang": lang, "name": name, "source": source}
                         for lang, name, source in store.translations(concept_id)],
        "external_ids": {scheme: list(v) for scheme, v in concept.external_ids.items()},
        "usage": list(concept.usage),
    }


def refs(store: LabelReader, ids: list[str]) -> list[dict[str, str]]:
    """[{id, name}] for a list of ids, in order."""
    names = store.names(ids)
    return [{"id": i, "name": names.get(i, "")} for i in ids]
