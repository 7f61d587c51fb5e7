"""A label system read from Neo4j: the same answers as the embedded store, by Cypher.

Open one with :meth:`Neo4jStore.open` on a ``neo4j://`` URI; it is read-only (write to the
embedded store and run ``taxonomy neo4j sync``). The driver is thread-safe; every query runs
in its own auto-commit transaction, so one store serves all of a server's threads.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from taxonomy.errors import StoreError, UnknownConcept
from taxonomy.graphdb import cypher
from taxonomy.graphdb.connection import Target, connect, translate_errors
from taxonomy.model import QUESTIONS, Concept, Dataset, DatasetLabel, Edge, TagCode
from taxonomy.reading import LabelReader, SubsetRow, VoteRow, tag_question
from taxonomy.text import normalize

if TYPE_CHECKING:
    import neo4j


class Neo4jGraph:
    """The hierarchy questions of :class:`taxonomy.graph.GraphIndex`, answered by traversing IS_A."""

    def __init__(self, store: Neo4jStore):
        self._store = store

    def _ids(self, statement: str, concept_id: str, **params: Any) -> list[str]:
        """Run a query that lists ids; an empty answer for an unknown concept raises UnknownConcept."""
        found = [r["id"] for r in self._store.run(statement, id=concept_id, **params)]
        if not found:
            self.require(concept_id)
        return found

    def require(self, concept_id: str) -> None:
        if concept_id not in self:
            raise UnknownConcept(concept_id, self.close_ids(concept_id))

    def __contains__(self, concept_id: object) -> bool:
        if not isinstance(concept_id, str):
            return False
        return bool(self._store.run(cypher.EXISTS, id=concept_id)[0]["found"])

    def close_ids(self, concept_id: str, limit: int = 3) -> list[str]:
        """Ids that look like a mistyped ``concept_id`` (as the compiled index finds them)."""
        for size in (4, 2):
            pool = ([r["id"] for r in self._store.run(cypher.IDS_WITH_PREFIX, prefix=concept_id[:size])]
                    if len(concept_id) >= size else [])
            if pool:
                return difflib.get_close_matches(concept_id, pool, n=limit, cutoff=0.75)
        return []

    def is_a(self, concept_id: str, ancestor_id: str) -> bool:
        rows = self._store.run(cypher.IS_A, id=concept_id, ancestor=ancestor_id)
        if not rows:
            self.require(concept_id)
            self.require(ancestor_id)
        return bool(rows[0]["answer"])

    def parents(self, concept_id: str) -> list[str]:
        return self._ids(cypher.PARENTS, concept_id)

    def children(self, concept_id: str) -> list[str]:
        return self._ids(cypher.CHILDREN, concept_id)

    def ancestors(self, concept_id: str) -> list[str]:
        return self._ids(cypher.ANCESTORS, concept_id)

    def descendants(self, concept_id: str, *, limit: int | None = None, inclusive: bool = False) -> list[str]:
        cap = limit if limit is not None else 2**62
        return self._ids(cypher.DESCENDANTS, concept_id, limit=cap, inclusive=inclusive) if cap > 0 else []

    def descendant_count(self, concept_id: str) -> int:
        self.require(concept_id)
        return int(self._store.run(cypher.DESCENDANT_COUNT, id=concept_id)[0]["n"])

    def _depths(self, concept_id: str) -> tuple[int, int]:
        rows = self._store.run(cypher.DEPTHS, id=concept_id)
        if not rows:
            self.require(concept_id)
        return int(rows[0]["depth"]), int(rows[0]["max_depth"])

    def depth(self, concept_id: str) -> int:
        return self._depths(concept_id)[0]

    def max_depth(self, concept_id: str) -> int:
        return self._depths(concept_id)[1]

    def paths_to_root(self, concept_id: str, *, limit: int | None = None) -> list[list[str]]:
        rows = self._store.run(cypher.PATHS, id=concept_id)
        if not rows:
            self.require(concept_id)
        ordered = sorted(rows, key=lambda r: [tuple(step) for step in r["key"]])
        return [list(reversed(r["ids"])) for r in ordered[:limit]]

    def lowest_common_ancestors(self, a: str, b: str) -> list[str]:
        found = [r["id"] for r in self._store.run(cypher.LOWEST_COMMON, a=a, b=b)]
        if not found:
            self.require(a)
            self.require(b)
        return found

    def related(self, concept_id: str) -> list[str]:
        return self._ids(cypher.RELATED, concept_id)

    def roots(self) -> list[str]:
        return [r["id"] for r in self._store.run(cypher.ROOTS)]


class Neo4jStore(LabelReader):
    """A label system in a Neo4j database, read-only. Use it as a context manager."""

    graph: Neo4jGraph

    def __init__(self, target: Target, driver: neo4j.Driver, meta: dict[str, str]):
        self.target = target
        self.path = str(target)
        self._driver = driver
        self.meta = meta
        self.graph = Neo4jGraph(self)

    @classmethod
    def open(cls, location: str | Target) -> Neo4jStore:
        """Open ``neo4j://[USER@]HOST[:PORT][/DATABASE]`` (password in $NEO4J_PASSWORD)."""
        target = location if isinstance(location, Target) else Target.parse(location)
        driver = connect(target)
        store = cls(target, driver, {})
        try:
            store.refresh_meta()
        except BaseException:
            driver.close()
            raise
        return store

    def run(self, statement: str, **params: Any) -> list[neo4j.Record]:
        """One read query in its own transaction (retried by the driver on transient errors)."""
        with translate_errors(self.target):
            records, _, _ = self._driver.execute_query(statement, params, database_=self.target.database,
                                                       routing_="r")
        return records

    def close(self) -> None:
        self._driver.close()

    def refresh_meta(self) -> None:
        rows = self.run(cypher.READ_META)
        if not rows:
            raise StoreError(f"Neo4j database {self.target.database!r} at {self.target.uri} holds no label system; "
                             "fill it with 'taxonomy neo4j sync'")
        self.meta = {k: str(v) for k, v in rows[0]["meta"].items() if k != "key"}

    # ------------------------------------------------------------------ concepts
    def concepts(self, concept_ids: Sequence[str]) -> list[Concept]:
        found: dict[str, Concept] = {}
        for row in self.run(cypher.CONCEPTS, ids=list(concept_ids)):
            concept = _concept(row["props"], row["names"])
            found[concept.id] = concept
        for concept_id in concept_ids:
            if concept_id not in found:
                raise UnknownConcept(concept_id, self.graph.close_ids(concept_id))
        return [found[c] for c in concept_ids]

    def names(self, concept_ids: Sequence[str]) -> dict[str, str]:
        return {r["id"]: r["name"] for r in self.run(cypher.NAMES, ids=list(concept_ids))}

    def senses(self, name: str, lang: str | None = None) -> list[str]:
        return [r["id"] for r in self.run(cypher.SENSES, norm=normalize(name), lang=lang)]

    def search(self, text: str, limit: int = 20) -> list[tuple[Concept, str, int]]:
        norm = normalize(text)
        if not norm:
            return []
        hits = [(r["id"], r["text"], int(r["rank"])) for r in self.run(cypher.SEARCH, q=norm, limit=limit)]
        concepts = self.concepts([h[0] for h in hits])
        return [(concept, name, rank) for concept, (_, name, rank) in zip(concepts, hits, strict=True)]

    def names_with_prefix(self, prefix: str, limit: int) -> list[str]:
        return [r["norm"] for r in self.run(cypher.NAMES_WITH_PREFIX, prefix=prefix, limit=limit)]

    def translations(self, concept_id: str) -> list[tuple[str, str, str]]:
        self.graph.require(concept_id)
        return [(r["lang"], r["text"], r["source"]) for r in self.run(cypher.TRANSLATIONS, id=concept_id)]

    def edges(self, concept_id: str) -> list[Edge]:
        self.graph.require(concept_id)
        return [Edge(concept_id, r["parent"], r["kind"], r["method"], r["score"], r["evidence"], r["source_version"])
                for r in self.run(cypher.EDGES, id=concept_id)]

    # ------------------------------------------------------------------ datasets
    def datasets(self) -> list[Dataset]:
        return [Dataset(r["name"], r["num_classes"], r["source"], r["license"], r["description"])
                for r in self.run(cypher.DATASETS)]

    def labels(self, dataset: str, start: int = 0, limit: int | None = None) -> list[DatasetLabel]:
        self.dataset(dataset)
        rows = self.run(cypher.LABELS, dataset=dataset, start=start, limit=2**62 if limit is None else limit)
        return [_label(r) for r in rows]

    def label_concepts(self, dataset: str) -> list[str | None]:
        self.dataset(dataset)
        return [r["concept"] for r in self.run(cypher.LABEL_CONCEPTS, dataset=dataset)]

    def labels_of(self, concept_id: str) -> list[DatasetLabel]:
        return [_label(r) for r in self.run(cypher.LABELS_OF, id=concept_id)]

    # ------------------------------------------------------------------ tags
    def priors_and_votes(self, concept_id: str) -> tuple[dict[str, tuple[float, str]], list[VoteRow]]:
        rows = self.run(cypher.PRIORS_AND_VOTES, id=concept_id)
        if not rows:
            self.graph.require(concept_id)
        props = rows[0]["props"]
        priors = {q: (props[f"prior_{q}"], props[f"prior_{q}_method"]) for q in ("visual", "common")
                  if f"prior_{q}" in props}
        votes = sorted((tuple(v) for v in rows[0]["votes"]), key=lambda v: (v[0], v[3], v[1]))
        return priors, [(q, a, int(answer), at) for q, a, answer, at in votes]

    def priors(self, question: str) -> dict[str, float]:
        return {r["id"]: r["score"] for r in self.run(cypher.PRIORS, question=tag_question(question))}

    def prior_rows(self) -> dict[tuple[str, str], tuple[float, str]]:
        return {(r["id"], q): (r["score"], r["method"]) for q in QUESTIONS
                for r in self.run(cypher.PRIORS, question=q)}

    def vote_tallies(self, question: str) -> dict[str, tuple[int, int]]:
        return {r["id"]: (int(r["yes"]), int(r["no"]))
                for r in self.run(cypher.VOTE_TALLIES, question=tag_question(question))}

    def given_decisions(self, question: str) -> dict[str, int]:
        return {r["id"]: int(r["decision"]) for r in self.run(cypher.GIVEN_DECISIONS, question=tag_question(question))}

    # ------------------------------------------------------------------ subsets, history
    def subsets(self, name: str | None = None) -> list[SubsetRow]:
        return [(r["name"], r["version"], r["definition"], r["graph_version"], r["tags_version"], r["created_at"],
                 r["size"]) for r in self.run(cypher.SUBSETS, name=name)]

    def subset_members(self, name: str, version: int) -> list[str]:
        rows = self.run(cypher.SUBSET_MEMBERS, name=name, version=version)
        return list(rows[0]["members"]) if rows else []

    def import_reports(self, prefix: str) -> list[tuple[str, str]]:
        return [(r["source"], r["report"]) for r in self.run(cypher.IMPORT_REPORTS, prefix=prefix)]

    # ------------------------------------------------------------------ statistics
    def stats(self) -> dict[str, object]:
        counts = self.run(cypher.STATS)[0]
        return {
            "path": self.path,
            "schema_version": int(self.meta.get("schema_version", "0")),
            "sources": self.sources,
            **{k: int(counts[k]) for k in ("concepts", "edges", "lemmas", "dataset_labels", "external_ids")},
            "roots": self.graph.roots(),
            "concepts_with_several_parents": int(counts["several"]),
            "max_depth": int(counts["max_depth"]),
            "concepts_by_source": {r["key"]: r["n"] for r in self.run(cypher.CONCEPTS_BY_SOURCE)},
            "edges_by_kind": {r["key"]: r["n"] for r in self.run(cypher.EDGES_BY_KIND)},
            "datasets": {d.name: d.num_classes for d in self.datasets()},
        }


def _concept(props: dict[str, Any], names: list[list[Any]]) -> Concept:
    by_lang: dict[str, list[tuple[int, str]]] = {}
    for lang, position, text in names:
        by_lang.setdefault(lang, []).append((position, text))
    ordered = {lang: tuple(t for _, t in sorted(items)) for lang, items in sorted(by_lang.items())}
    visual: TagCode = props["visual"]
    common: TagCode = props["common"]
    return Concept(
        id=props["id"], name=props["name"], lemmas=ordered.pop("en", ()), gloss=props["gloss"],
        lexname=props.get("lexname"), source=props["source"], visual=visual, common=common, names=ordered,
        glosses={k.removeprefix("gloss_"): v for k, v in sorted(props.items()) if k.startswith("gloss_")},
        external_ids={k.removeprefix("xref_"): tuple(v) for k, v in sorted(props.items()) if k.startswith("xref_")},
        usage=tuple(props.get("usage", ())),
    )


def _label(r: neo4j.Record) -> DatasetLabel:
    return DatasetLabel(r["dataset"], r["class_index"], r["class_name"], r["concept"], r["method"], r["score"])
