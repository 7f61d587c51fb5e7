"""What the linker is given and what it answers: a name to link, each candidate with its
calibrated confidence, and the decision with the evidence for it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from taxonomy.linking.confidence import calibrated
from taxonomy.text import normalize

#: A description's vectors and nearest concepts as read to place it: "name: description", the
#: description alone, and (concept, similarity) pairs.
Placing = tuple[np.ndarray, np.ndarray, list[tuple[str, float]]]

@dataclass(slots=True)
class LinkInput:
    name: object
    description: object = None
    wikidata: object = None
    line: int = 0
    error: str | None = None  # a line of a batch file that could not be read


def leads(scored: Sequence[tuple[float, str]]) -> list[tuple[float, str]]:
    """Each sense's lead over the best of the others (its own score when it has none), in the
    order given: how sure a description makes the choice of a sense (the "exact" curve of
    confidence.CALIBRATION reads it). The scores themselves say how alike the description's words
    are to WordNet's glosses (WordNet's own gloss scores about 1.0, a paraphrase 0.85, right or
    wrong); the lead, how much better one sense fits than the others."""
    if len(scored) < 2:
        return list(scored)
    first, second = scored[0][0], scored[1][0]
    return [(score - (second if i == 0 else first), concept) for i, (score, concept) in enumerate(scored)]


def below_head_curve(result: LinkResult) -> str:
    """The confidence curve of a name alone placed below a sense of its head noun, read on the
    sense's share of the ranker's probability among the head's senses (confidence.CALIBRATION):
    a head of one sense has a share of 1, not a certainty; a head split from a word written
    solid is a guess of its own ("Kitesurfing", "Spaceplane")."""
    if "split" in result.evidence:
        return "split-act"
    if "solid" in result.evidence:
        return "split-head"
    return "below-head" if len(result.head_senses) > 1 else "below-head-one-sense"


@dataclass(slots=True)
class Candidate:
    id: str
    name: str
    raw: float  # the method's own score; ``score`` is its calibrated confidence
    method: str
    curve: str | None = None  # the calibration curve, when not the method's own

    @property
    def score(self) -> float:
        return calibrated(self.curve or self.method, self.raw)


@dataclass(slots=True)
class LinkResult:
    input: dict[str, object]
    decision: str = "none"  # same | child | none
    concept: str | None = None
    parents: list[str] = field(default_factory=list)
    method: str | None = None
    score: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    evidence: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    line: int = 0
    name: str = ""
    lookup: str = ""  # the name without its qualifier: "bat" of "bat (animal)"
    hint: str = ""  # the qualifier: "animal"
    description: str = ""
    qid: str | None = None
    genus: set[str] = field(default_factory=set)  # senses of the noun the description is headed by
    genus_senses: list[str] = field(default_factory=list)  # the same, most frequent first
    head_senses: list[str] = field(default_factory=list)  # senses of the name's head noun
    raw: float = 0.0  # the deciding method's own score
    context: Any = None  # in a label set, the mean embedding of the labels around this one
    around: list[list[str]] = field(default_factory=list)  # in a label set, the senses of the labels around it
    # in a label set, (what its first word's maker makes, why): label_set_context.set_makers
    maker: tuple[str, str] | None = None
    synonym_senses: list[str] = field(default_factory=list)  # the concepts most of a list of synonyms name
    ranks: list[str] = field(default_factory=list)  # a path's ranks above its taxon or class, nearest first
    gloss_vector: Any = None  # the embedding of the description alone (or of the name without one)
    tails: list[str] = field(default_factory=list)  # the name's head-noun tails, longest first
    vector: Any = None  # the embedding of "name: description", stored with a new concept
    neighbours: list[tuple[str, float]] = field(default_factory=list)  # the nearest concepts to it
    review: int | None = None  # the review queue's item, when it waits for a person instead of committing

    @property
    def linked(self) -> bool:
        """It links: to a concept (same) or under parents (child), without an error."""
        return self.error is None and self.decision != "none"

    def slim(self) -> None:
        """Drop what deciding needed and keep what is shown and committed: a long batch then
        holds a few hundred bytes per name (a new concept's vector, 768 more), not its working state."""
        self.candidates = self.candidates[:5]
        self.gloss_vector = self.context = None
        self.around = []
        self.neighbours, self.tails, self.genus_senses, self.head_senses = [], [], [], []
        self.synonym_senses = []
        self.genus = set()
        self.vector = np.asarray(self.vector, dtype=np.float16) if self.decision == "child" and \
            self.vector is not None else None

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "input": self.input, "decision": self.decision, "concept": self.concept,
                "parents": self.parents, "method": self.method, "score": round(self.score, 4),
                "candidates": [{"id": c.id, "name": c.name, "score": round(c.score, 4), "method": c.method}
                               for c in self.candidates[:5]],
                "evidence": self.evidence, "error": self.error, "review": self.review}


def new_concept_id(name: str, parent: str) -> str:
    """A stable id for a concept the linker creates: ``x`` + 12 hex digits of its name and parent."""
    digest = hashlib.sha256(f"{normalize(name)}|{parent}".encode()).hexdigest()
    return f"x{digest[:12]}"
