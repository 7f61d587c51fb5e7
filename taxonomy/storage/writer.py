"""The writes of one transaction: what ``Store.transaction()`` hands its caller.

Every change to the embedded store goes through these methods, inside a transaction the store
opened and will commit (recompiling the graph index first when the structure changed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from taxonomy.model import ConceptRecord, Dataset, EdgeRecord, LabelRecord
from taxonomy.storage import db


class Writer:
    """Named writes over the connection of one open transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        #: concepts new in this transaction -> their parents, in order: what an index can grow by
        self.added: dict[str, list[str]] = {}
        #: the structure changed otherwise (an edge between concepts that were there, a removal):
        #: the graph index must be compiled again
        self.reshaped = False

    @property
    def changes(self) -> int:
        """Rows changed on this connection so far (compare two readings to see if a step wrote)."""
        return self._conn.total_changes

    # ------------------------------------------------------------------ structure
    def upsert_concepts(self, records: Iterable[ConceptRecord]) -> int:
        """Add or update concepts with their names, glosses and ids; returns how many were new."""
        new = db.upsert_concepts(self._conn, records)
        for concept_id in new:
            self.added.setdefault(concept_id, [])
        return len(new)

    def insert_edges(self, records: Iterable[EdgeRecord]) -> int:
        """Insert edges that are not there yet; returns how many were new."""
        inserted = 0
        for chunk in _chunks(records, 10_000):  # an import's millions of edges are not held at once
            under_new = [e for e in chunk if e["child"] in self.added]
            for edge in under_new:
                if edge["parent"] not in self.added[edge["child"]]:
                    self.added[edge["child"]].append(edge["parent"])
            changed = db.insert_edges(self._conn, [e for e in chunk if e["child"] not in self.added])
            self.reshaped = self.reshaped or changed > 0
            inserted += changed + db.insert_edges(self._conn, under_new)
        return inserted

    def remove_edge(self, child: str, parent: str) -> bool:
        """Remove one edge; returns whether it was there."""
        removed = db.remove_edge(self._conn, child, parent)
        self.reshaped = self.reshaped or removed
        return removed

    def hold_edges(self, rows: Iterable[tuple[str, str, str, int, str, str]]) -> None:
        """Edges held back for review: (child, parent, reason, descendants, method, source_version)."""
        db.hold_edges(self._conn, rows)

    def add_names(self, concept_id: str, lang: str, names: Sequence[str], source: str) -> int:
        """Append the names a concept lacks in ``lang``; returns how many were new."""
        return db.add_names(self._conn, concept_id, lang, names, source)

    def add_external_ids(self, concept_id: str, scheme: str, values: Iterable[str]) -> None:
        db.add_external_ids(self._conn, concept_id, scheme, values)

    def add_wordnet_relations(self, members: Iterable[tuple[str, str]],
                              verb_acts: Iterable[tuple[str, str, int]]) -> None:
        """Rows of WordNet's member holonymy and verbs' acts (see sources.wordnet.read_relations)."""
        db.add_members(self._conn, members)
        db.add_verb_acts(self._conn, verb_acts)

    def log_import(self, source: str, report: str) -> None:
        """Keep an import's report (JSON) in the store's history."""
        db.log_import(self._conn, source, report)

    def replace_dataset(self, dataset: Dataset, labels: Iterable[LabelRecord]) -> None:
        """Store (or replace) a dataset's whole label set."""
        db.replace_dataset(self._conn, dataset, labels)

    # ------------------------------------------------------------------ tags, subsets, vectors
    def votes_of(self, concept_id: str) -> list[tuple[str, str, int, str]]:
        """(question, annotator, answer, at) of a concept's votes, read inside the transaction."""
        return db.votes_of(self._conn, concept_id)

    def cast_vote(self, concept_id: str, question: str, annotator: str, answer: int) -> None:
        db.cast_vote(self._conn, concept_id, question, annotator, answer)

    def save_subset(self, name: str, definition: str, graph_version: int, tags_version: int,
                    members: Sequence[str]) -> int:
        """Store the next version of a subset; returns its version number."""
        return db.save_subset(self._conn, name, definition, graph_version, tags_version, members)

    def write_embeddings(self, model: str, rows: Iterable[tuple[str, str, bytes]]) -> None:
        """(concept, text, float16 vector bytes) rows, replacing older ones."""
        db.write_embeddings(self._conn, model, rows)

    # ------------------------------------------------------------------ review and undo
    def queue_review(self, name: str, description: str, wikidata: str | None, dataset: str | None,
                     class_index: int | None, proposal: str, vector: bytes | None) -> int:
        """Queue a link for a person to decide; returns its id."""
        return db.queue_review(self._conn, name, description, wikidata, dataset, class_index, proposal, vector)

    def decide_review(self, item: int, status: str, reviewer: str, outcome: str) -> bool:
        """Close a pending review item (accepted or rejected); False if it was no longer pending."""
        return db.decide_review(self._conn, item, status, reviewer, outcome)

    def concept_rows(self, concept_id: str) -> dict[str, list[tuple[Any, ...]]]:
        """Everything stored about a concept, read inside the transaction."""
        return db.concept_rows(self._conn, concept_id)

    def remove_concept(self, concept_id: str) -> None:
        db.remove_concept(self._conn, concept_id)
        self.reshaped = True

    def remove_name(self, concept_id: str, lang: str, position: int) -> None:
        db.remove_name(self._conn, concept_id, lang, position)

    def set_label(self, dataset: str, class_index: int, concept: str | None, method: str, score: float) -> None:
        """Map one class index of a dataset to a concept (or to nothing)."""
        db.set_label(self._conn, dataset, class_index, concept, method, score)

    def log_unlink(self, kind: str, target: str, removed: str, reason: str) -> None:
        """Keep what was removed or replaced (JSON of the rows as they were), and why."""
        db.log_unlink(self._conn, kind, target, removed, reason)


def _chunks(records: Iterable[EdgeRecord], size: int) -> Iterator[list[EdgeRecord]]:
    batch: list[EdgeRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
