"""A person's corrections: take back what linking added, or map one dataset label by hand.

Nothing is lost: what is removed or replaced is kept, row by row, in the store's ``unlinks``
table with the time and the reason (``taxonomy unlink --history``). Re-linking a label set
keeps every mapping a person made (``PERSON_METHODS``).
"""

from __future__ import annotations

import json
from typing import Any

from taxonomy.errors import InputError
from taxonomy.store import Store
from taxonomy.text import normalize

MANUAL = "manual"  # a mapping set with 'taxonomy labels set'
UNLINKED = "unlinked"  # a mapping taken back with 'taxonomy unlink --label'
QUEUED = "queued"  # a label whose link waits in the review queue
REJECTED = "rejected"  # ... and was rejected there
#: Mappings a person made or is making, and how they are shown; linking a label set again
#: leaves them as they are.
PERSON_METHODS = {MANUAL: "set by hand", UNLINKED: "unlinked by hand", QUEUED: "waits for review",
                  REJECTED: "rejected in review", "review": "accepted in review"}
PROTECTED_SOURCES = frozenset({"wordnet"})  # the backbone is rebuilt, not unlinked


def unlink_concept(store: Store, concept_id: str, reason: str = "") -> dict[str, Any]:
    """Remove a concept that linking (or an import) added, with its names, edges and vector;
    labels that mapped to it map to nothing. A concept with children is refused."""
    concept = store.concept(concept_id)
    if concept.source in PROTECTED_SOURCES:
        raise InputError(f"{concept_id} ({concept.name}) is a {concept.source} concept; unlink removes what "
                         "linking or imports added (to take back a name: --name NAME)")
    with store.transaction() as writes:
        rows = writes.concept_rows(concept_id)
        children = [c for (c,) in rows.pop("children")]
        if children:
            raise InputError(f"{concept_id} ({concept.name}) has {len(children)} child concept(s) "
                             f"({', '.join(children[:5])}); unlink them first")
        writes.log_unlink("concept", concept_id, json.dumps(rows, ensure_ascii=False), reason)
        writes.remove_concept(concept_id)
    return {"unlinked": "concept", "concept": concept_id, "name": concept.name, "edges": len(rows["edges"]),
            "names": len(rows["lemmas"]), "labels_unmapped": len(rows["labels"])}


def unlink_name(store: Store, concept_id: str, name: str, reason: str = "") -> dict[str, Any]:
    """Take a name back from a concept (one that linking or an import added, not its first)."""
    concept = store.concept(concept_id)
    norm = normalize(name)
    with store.transaction() as writes:  # a new graph version: cached views of the concept go stale
        lemmas = writes.concept_rows(concept_id)["lemmas"]  # (concept, lang, position, lemma, norm, ...)
        found = [row for row in lemmas if row[4] == norm]
        if not found:
            names = ", ".join(sorted({row[3] for row in lemmas if row[1] == "en"}))
            raise InputError(f"{concept_id} ({concept.name}) has no name {name!r}; its names: {names}")
        for row in found:
            if row[7] in PROTECTED_SOURCES:
                raise InputError(f"{row[3]!r} is WordNet's own name of {concept_id}; unlink takes back names that "
                                 "linking or imports added")
            if row[1] == "en" and row[2] == 0:
                raise InputError(f"{row[3]!r} is the preferred name of {concept_id}; unlink the concept instead")
        writes.log_unlink("name", concept_id, json.dumps({"lemmas": found}, ensure_ascii=False), reason)
        for row in found:
            writes.remove_name(concept_id, row[1], row[2])
    # names are looked up by norm and position only orders them, so a gap left behind is harmless
    return {"unlinked": "name", "concept": concept_id, "name": found[0][3], "languages": [r[1] for r in found]}


def unlink_label(store: Store, dataset: str, class_index: int, reason: str = "") -> dict[str, Any]:
    """Map one class of a dataset to nothing (it stays so when the label set is linked again)."""
    return _relabel(store, dataset, class_index, None, UNLINKED, reason)


def set_label(store: Store, dataset: str, class_index: int, concept_id: str, reason: str = "") -> dict[str, Any]:
    """Map one class of a dataset to a concept by hand (it stays so when the set is linked again)."""
    store.concept(concept_id)
    return _relabel(store, dataset, class_index, concept_id, MANUAL, reason)


def _relabel(store: Store, dataset: str, class_index: int, concept_id: str | None, method: str,
             reason: str) -> dict[str, Any]:
    old = store.label(dataset, class_index)  # unknown dataset or index: an error that lists the valid ones
    before = {"dataset": old.dataset, "class_index": old.class_index, "class_name": old.class_name,
              "concept": old.concept, "method": old.method, "score": old.score}
    with store.transaction(structure=False) as writes:
        writes.log_unlink("label", f"{dataset}/{class_index}", json.dumps(before, ensure_ascii=False), reason)
        writes.set_label(dataset, class_index, concept_id, method, 1.0)
    return {"dataset": dataset, "class_index": class_index, "class_name": old.class_name, "was": old.concept,
            "concept": concept_id, "method": method}
