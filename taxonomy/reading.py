"""What every store answers, whichever backend holds the label system.

The embedded SQLite store (:class:`taxonomy.store.Store`) and the Neo4j store
(:class:`taxonomy.graphdb.store.Neo4jStore`) implement the same reads; the CLI's read commands,
the views and the HTTP API's read routes are written against :class:`LabelReader` and
:class:`GraphReader`, so they answer the same whichever store they were given.
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

from taxonomy.errors import InputError, UnknownConcept, UnknownDataset
from taxonomy.model import QUESTIONS, Concept, Dataset, DatasetLabel, Edge
from taxonomy.text import normalize

#: (question, annotator, answer, at) of one vote.
VoteRow = tuple[str, str, int, str]
#: (name, version, definition JSON, graph_version, tags_version, created_at, size) of a subset version.
SubsetRow = tuple[str, int, str, int, int, str, int]


def tag_question(question: str) -> str:
    """``question``, if it is a tag question; else a clear error."""
    if question not in QUESTIONS:
        raise InputError(f"no such question: {question!r}; the questions are {' and '.join(QUESTIONS)}")
    return question


class GraphReader(Protocol):
    """Hierarchy questions; answered by the compiled index or by Cypher on Neo4j."""

    def __contains__(self, concept_id: object) -> bool: ...
    def close_ids(self, concept_id: str, limit: int = 3) -> list[str]: ...
    def is_a(self, concept_id: str, ancestor_id: str) -> bool: ...
    def parents(self, concept_id: str) -> list[str]: ...
    def children(self, concept_id: str) -> list[str]: ...
    def ancestors(self, concept_id: str) -> list[str]: ...
    def descendants(self, concept_id: str, *, limit: int | None = None, inclusive: bool = False) -> list[str]: ...
    def descendant_count(self, concept_id: str) -> int: ...
    def depth(self, concept_id: str) -> int: ...
    def max_depth(self, concept_id: str) -> int: ...
    def paths_to_root(self, concept_id: str, *, limit: int | None = None) -> list[list[str]]: ...
    def lowest_common_ancestors(self, a: str, b: str) -> list[str]: ...
    def related(self, concept_id: str) -> list[str]: ...
    def roots(self) -> list[str]: ...


class LabelReader(ABC):
    """The reads of a store. Subclasses answer the primitives; the rest is shared here."""

    graph: GraphReader
    meta: dict[str, str]

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def refresh_meta(self) -> None:
        """Read the store's versions again (other processes write)."""

    @abstractmethod
    def concepts(self, concept_ids: Sequence[str]) -> list[Concept]:
        """Many concepts at once, in the order asked; raises UnknownConcept for the first missing one."""

    @abstractmethod
    def names(self, concept_ids: Sequence[str]) -> dict[str, str]:
        """Preferred names of many concepts (for display)."""

    @abstractmethod
    def senses(self, name: str, lang: str | None = None) -> list[str]:
        """Ids of the concepts that have ``name`` as a name (in ``lang``, or any language), most
        frequent sense first."""

    @abstractmethod
    def search(self, text: str, limit: int = 20) -> list[tuple[Concept, str, int]]:
        """Concepts whose names match ``text``: (concept, matched name, rank), best first.

        Rank 0 is an exact name, 1 whole leading words, 2 a prefix, 3 a word inside, 4 a substring.
        Inside a rank, more frequent senses, then shorter names, then ids come first; the matched
        name is the concept's best-ranked name under the same order.
        """

    @abstractmethod
    def names_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Distinct normalized names that start with ``prefix``, in order, at most ``limit``."""

    @abstractmethod
    def translations(self, concept_id: str) -> list[tuple[str, str, str]]:
        """(language, name, source) of every non-English name of a concept."""

    @abstractmethod
    def edges(self, concept_id: str) -> list[Edge]:
        """The edges from a concept to its parents, with kind, method, score and source."""

    @abstractmethod
    def datasets(self) -> list[Dataset]: ...

    @abstractmethod
    def labels(self, dataset: str, start: int = 0, limit: int | None = None) -> list[DatasetLabel]:
        """The labels of a dataset by class index, from ``start``."""

    @abstractmethod
    def label_concepts(self, dataset: str) -> list[str | None]:
        """The concept id of every class index of a dataset (a model output -> concept table)."""

    @abstractmethod
    def labels_of(self, concept_id: str) -> list[DatasetLabel]:
        """The dataset labels that map to a concept."""

    @abstractmethod
    def priors_and_votes(self, concept_id: str) -> tuple[dict[str, tuple[float, str]], list[VoteRow]]:
        """The tag priors (question -> (score, method)) and votes of a concept."""

    @abstractmethod
    def priors(self, question: str) -> dict[str, float]:
        """concept -> prior score of one tag question (``visual`` or ``common``), for every concept."""

    @abstractmethod
    def prior_rows(self) -> dict[tuple[str, str], tuple[float, str]]:
        """(concept, question) -> (score, method) of every prior."""

    @abstractmethod
    def vote_tallies(self, question: str) -> dict[str, tuple[int, int]]:
        """concept -> (yes, no) votes on one question, over the concepts that have votes."""

    @abstractmethod
    def given_decisions(self, question: str) -> dict[str, int]:
        """concept -> the decision an import gave with it (0 or 1), where it gave one."""

    @abstractmethod
    def subsets(self, name: str | None = None) -> list[SubsetRow]:
        """Every version of every subset (or of one name), by name, newest version last."""

    @abstractmethod
    def subset_members(self, name: str, version: int) -> list[str]:
        """The member ids of one subset version, sorted."""

    @abstractmethod
    def import_reports(self, prefix: str) -> list[tuple[str, str]]:
        """(source, report JSON) of the imports whose source starts with ``prefix``, oldest first."""

    @abstractmethod
    def stats(self) -> dict[str, object]:
        """Counts of everything in the store, by kind."""

    # ------------------------------------------------------------------ shared
    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def graph_version(self) -> int:
        """Bumped by every change to concepts or edges."""
        return int(self.meta.get("graph_version", "0"))

    @property
    def tags_version(self) -> int:
        """Bumped by every vote."""
        return int(self.meta.get("tags_version", "0"))

    @property
    def sources(self) -> dict[str, str]:
        """The version of every source the store was built from (``source.wordnet`` -> ...)."""
        return {k.removeprefix("source."): v for k, v in self.meta.items() if k.startswith("source.")}

    def concept(self, concept_id: str) -> Concept:
        """The concept with this id; raises UnknownConcept with close matches."""
        return self.concepts([concept_id])[0]

    def resolve(self, query: str) -> list[str]:
        """An id, or a name's senses; raises UnknownConcept with close ids or names.

        >>> store.resolve("n02084071"), store.resolve("dog")[:2]   # doctest: +SKIP
        (['n02084071'], ['n02084071', 'n10114209'])
        """
        query = query.strip()
        if not query:
            raise UnknownConcept(query, what="concept (empty id or name)")
        if query in self.graph:
            return [query]
        found = self.senses(query)
        if found:
            return found
        norm = normalize(query)
        looks_like_id = query[:1] in "nQ" and any(ch.isdigit() for ch in query)
        close = self.graph.close_ids(query) if looks_like_id else []
        if not close and norm:
            close = difflib.get_close_matches(norm, self.names_with_prefix(norm[:2], 20000), n=3, cutoff=0.7)
        raise UnknownConcept(query, close)

    def resolve_one(self, query: str) -> str:
        """An id, or the most frequent sense of a name."""
        return self.resolve(query)[0]

    def close_names(self, text: str, limit: int = 5) -> list[str]:
        """Names in the store that look like ``text`` (for 'did you mean')."""
        norm = normalize(text)
        pool = self.names_with_prefix(norm[:1], 50000) if norm else []
        return difflib.get_close_matches(norm, pool, n=limit, cutoff=0.6)

    def dataset(self, name: str) -> Dataset:
        known = self.datasets()
        for dataset in known:
            if dataset.name == name:
                return dataset
        names = [d.name for d in known]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        raise UnknownDataset(name, close, hint="" if close else
                             f"the store has {', '.join(names)}" if names else "the store has no datasets")

    def label(self, dataset: str, class_index: int) -> DatasetLabel:
        """The label at one class index of a dataset."""
        found = self.labels(dataset, class_index, 1)
        if not found or found[0].class_index != class_index:
            size = self.dataset(dataset).num_classes
            raise UnknownDataset(str(class_index), what=f"class index in {dataset} (valid: 0..{size - 1})")
        return found[0]
