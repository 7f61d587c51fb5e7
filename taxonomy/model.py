"""Value objects of the label system: concepts, edges, dataset labels, and raw input records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NotRequired, TypedDict

#: Bamboo's tag codes: 0 = no, 1 = yes, 2 = unknown.
TagCode = Literal[0, 1, 2]
UNKNOWN: TagCode = 2
#: The tag questions asked of every concept (paper section 3.3).
QUESTIONS = ("visual", "common")

EDGE_KINDS = ("hypernym", "instance_hypernym", "subclass_of", "linked")


@dataclass(frozen=True, slots=True)
class Concept:
    """A node of the label system, with everything the store knows about it."""

    id: str
    name: str
    lemmas: tuple[str, ...]
    gloss: str
    lexname: str | None
    source: str
    visual: TagCode = UNKNOWN
    common: TagCode = UNKNOWN
    names: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    glosses: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    external_ids: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    #: WordNet's usage domains of the sense ("slang", "obscenity", "disparagement", ...)
    usage: tuple[str, ...] = field(default=(), hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Edge:
    """A child -> parent link with where it came from."""

    child: str
    parent: str
    kind: str
    method: str
    score: float = 1.0
    evidence: str | None = None
    source_version: str | None = None


@dataclass(frozen=True, slots=True)
class DatasetLabel:
    """One output index of a dataset's label set, mapped to a concept."""

    dataset: str
    class_index: int
    class_name: str
    concept: str | None
    method: str
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Dataset:
    """A label set the store holds, with its provenance."""

    name: str
    num_classes: int
    source: str
    license: str
    description: str


class ConceptRecord(TypedDict):
    """A concept as read from a source, validated before it reaches the store."""

    id: str
    name: str
    lemmas: list[str]
    gloss: str
    lexname: str | None
    source: str
    visual: NotRequired[int]
    common: NotRequired[int]
    names: NotRequired[dict[str, list[str]]]
    names_source: NotRequired[str]
    glosses: NotRequired[dict[str, str]]
    external_ids: NotRequired[dict[str, list[str]]]
    usage: NotRequired[list[str]]
    lemma_counts: NotRequired[list[int]]
    sense_ranks: NotRequired[list[int]]


class EdgeRecord(TypedDict):
    """A child -> parent edge as read from a source."""

    child: str
    parent: str
    kind: str
    method: str
    score: float
    evidence: NotRequired[str | None]
    source_version: NotRequired[str | None]


class LabelRecord(TypedDict):
    """One entry of a dataset label set as read from a source."""

    dataset: str
    class_index: int
    class_name: str
    concept: str | None
    method: str
    score: float
