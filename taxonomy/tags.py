"""Visual and common tags: an automatic prior and human votes decided 3 of 5 (paper section 3.3).

Codes are Bamboo's: 0 = no, 1 = yes, 2 = unknown. A question is decided once 3 annotators agree;
until then the decision a concept came with (a Bamboo import) stands, else it is unknown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from taxonomy.errors import InputError
from taxonomy.model import QUESTIONS, TagCode
from taxonomy.reading import LabelReader
from taxonomy.store import Store

AGREEING_VOTES = 3
MAX_VOTES = 5
_ANSWERS = {"yes": 1, "no": 0}


@dataclass(frozen=True, slots=True)
class TagState:
    """Everything known about one question (visual or common) of one concept."""

    question: str
    decision: TagCode
    decided_by: str  # "votes", "given" (came with the concept) or "" (undecided)
    prior_score: float | None
    prior_method: str | None
    votes: Mapping[str, int] = field(default_factory=dict)  # annotator -> 1 yes / 0 no

    @property
    def yes(self) -> int:
        return sum(self.votes.values())

    @property
    def no(self) -> int:
        return len(self.votes) - self.yes

    @property
    def yes_fraction(self) -> float | None:
        return self.yes / len(self.votes) if self.votes else None

    def as_dict(self) -> dict[str, object]:
        return {"decision": self.decision, "decided_by": self.decided_by, "prior_score": self.prior_score,
                "prior_method": self.prior_method, "yes": self.yes, "no": self.no,
                "yes_fraction": self.yes_fraction, "votes": dict(self.votes)}


def decide(yes: int, no: int, given: int = 2) -> tuple[TagCode, str]:
    """The decision for a vote tally: 3 agreeing votes decide; otherwise the given decision stands."""
    if yes >= AGREEING_VOTES:
        return 1, "votes"
    if no >= AGREEING_VOTES:
        return 0, "votes"
    if given in (0, 1):
        return (1 if given == 1 else 0), "given"
    return 2, ""


def tags(store: LabelReader, concept_id: str) -> dict[str, TagState]:
    """The visual and common tags of a concept, with prior, votes and decision."""
    concept = store.concept(concept_id)
    priors, rows = store.priors_and_votes(concept_id)
    votes: dict[str, dict[str, int]] = {q: {} for q in QUESTIONS}
    for question, annotator, answer, _ in rows:
        votes[question][annotator] = answer
    given = {"visual": concept.visual, "common": concept.common}
    found = {}
    for question in QUESTIONS:
        tally = votes[question]
        decision, by = decide(sum(tally.values()), len(tally) - sum(tally.values()), given[question])
        score, method = priors.get(question, (None, None))
        found[question] = TagState(question, decision, by, score, method, tally)
    return found


def clean_annotator(name: str) -> str:
    """An annotator name as stored; refuses empty names and control characters."""
    cleaned = name.strip()
    if not cleaned:
        raise InputError("the annotator name is empty; pass --annotator NAME")
    if len(cleaned) > 100 or any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise InputError(f"bad annotator name {name[:40]!r}: use up to 100 printable characters")
    return cleaned


def parse_answer(text: str) -> int:
    try:
        return _ANSWERS[text.strip().lower()]
    except KeyError:
        raise InputError(f"a vote is 'yes' or 'no', got {text!r}") from None


def vote(store: Store, concept_id: str, annotator: str, answers: Mapping[str, int]) -> dict[str, TagState]:
    """Record an annotator's answers (question -> 1 yes / 0 no); a new vote replaces their old one.

    A question takes at most 5 annotators, so that 3 agreeing votes are a majority.
    """
    name = clean_annotator(annotator)
    if not answers:
        raise InputError("nothing to vote on; pass --visual yes|no and/or --common yes|no")
    bad = [q for q in answers if q not in QUESTIONS]
    if bad:
        raise InputError(f"no such question: {bad[0]!r}; the questions are visual and common")
    store.concept(concept_id)  # unknown ids fail here, with close matches
    with store.transaction(structure=False) as writes:
        current = {q: {a: v for qq, a, v, _ in writes.votes_of(concept_id) if qq == q} for q in answers}
        for question, answer in answers.items():
            if name not in current[question] and len(current[question]) >= MAX_VOTES:
                raise InputError(f"{concept_id} already has {MAX_VOTES} votes on {question}; "
                                 "an annotator who voted can change their vote")
            writes.cast_vote(concept_id, question, name, int(answer))
    return tags(store, concept_id)


def decisions(store: LabelReader, question: str) -> dict[str, int]:
    """concept -> decision (0 or 1) for every decided concept; the rest are unknown (2)."""
    given = store.given_decisions(question)
    found = {c: d for c, d in given.items()}
    for concept, (yes, no) in store.vote_tallies(question).items():
        decision, _ = decide(yes, no, given.get(concept, 2))
        if decision == 2:
            found.pop(concept, None)
        else:
            found[concept] = decision
    return found


class TagTable:
    """The tags of every concept at once, for exports: decision, prior and vote counts."""

    def __init__(self, store: LabelReader):
        self._priors = store.prior_rows()
        self._tallies = {q: store.vote_tallies(q) for q in QUESTIONS}
        self._given = {q: store.given_decisions(q) for q in QUESTIONS}

    def decision(self, concept_id: str, question: str) -> TagCode:
        yes, no = self._tallies[question].get(concept_id, (0, 0))
        return decide(yes, no, self._given[question].get(concept_id, 2))[0]

    def row(self, concept_id: str) -> dict[str, dict[str, object]]:
        found: dict[str, dict[str, object]] = {}
        for question in QUESTIONS:
            yes, no = self._tallies[question].get(concept_id, (0, 0))
            decision, by = decide(yes, no, self._given[question].get(concept_id, 2))
            score, method = self._priors.get((concept_id, question), (None, None))
            found[question] = {"decision": decision, "decided_by": by, "prior_score": score,
                               "prior_method": method, "yes": yes, "no": no}
        return found
