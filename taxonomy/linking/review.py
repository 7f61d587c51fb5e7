"""The review queue: links the linker is not sure of wait for a person instead of entering the graph.

``taxonomy link`` (and ``POST /link``, and a label set linked with a threshold) queues every
link whose confidence is below ``review_below``; a reviewer accepts the proposal, accepts
another candidate ("same as X" or "a new child of Y"), or rejects it. Accepting commits the
link and closes the item in one transaction; a label of a dataset that waited is mapped then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from taxonomy.errors import AlreadyDecided, InputError, NotFound
from taxonomy.linking.corrections import REJECTED
from taxonomy.linking.linker import Linker, commit_links
from taxonomy.linking.results import LinkResult, new_concept_id
from taxonomy.storage.writer import Writer
from taxonomy.store import Store

REVIEWED = "review"  # the method recorded for a link a person decided (corrections.PERSON_METHODS)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    queued_at: str
    name: str
    description: str
    wikidata: str | None
    dataset: str | None
    class_index: int | None
    proposal: dict[str, Any]
    vector: bytes | None
    status: str
    decided_at: str | None
    reviewer: str | None
    outcome: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ReviewItem:
        values = list(row)
        values[7] = json.loads(values[7])
        values[12] = json.loads(values[12]) if values[12] else None
        return cls(*values)

    def as_dict(self) -> dict[str, Any]:
        """Every field but the vector (the API's ReviewItemPublic)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "vector"}


def needs_review(result: LinkResult, review_below: float) -> bool:
    return result.linked and result.score < review_below


def queue_into(writes: Writer, results: Sequence[LinkResult], dataset: str | None = None) -> None:
    """Put links in the queue, inside an open transaction (the one that commits the sure links);
    each result learns its item id (``result.review``). With ``dataset``, each result's ``line``
    is the class index of that dataset's label."""
    for r in results:
        proposal = {**r.as_dict(), "name": r.name, "lookup": r.lookup, "raw": r.raw}
        proposal.pop("review")
        vector = np.asarray(r.vector, dtype=np.float16).tobytes() if r.vector is not None else None
        r.review = writes.queue_review(r.name, r.description, r.qid, dataset, r.line if dataset else None,
                                       json.dumps(proposal, ensure_ascii=False), vector)


def commit_or_queue(linker: Linker, results: Sequence[LinkResult], review_below: float,
                    dataset: str | None = None) -> tuple[int, int, int]:
    """Commit the sure links and queue the unsure ones, in one transaction: (new concepts, new
    edges, queued)."""
    waiting = [r for r in results if needs_review(r, review_below)]
    sure = [r for r in results if r.linked and not needs_review(r, review_below)]
    new_concepts, new_edges = linker.commit(sure, then=lambda writes: queue_into(writes, waiting, dataset))
    return new_concepts, new_edges, len(waiting)


def items(store: Store, status: str | None = "pending", limit: int = -1) -> list[ReviewItem]:
    return [ReviewItem.from_row(row) for row in store.review_rows(status, limit)]


def item(store: Store, item_id: int) -> ReviewItem:
    row = store.review_row(item_id)
    if row is None:
        raise NotFound(str(item_id), what="review item", hint="list them with 'taxonomy review'")
    return ReviewItem.from_row(row)


def accept(store: Store, item_id: int, *, same: str | None = None, under: Sequence[str] = (),
           reviewer: str = "") -> dict[str, Any]:
    """Commit a queued link: the proposal, or "same as ``same``", or "a new child of ``under``".
    Returns the outcome (decision, concept, parents) kept with the item."""
    if same and under:
        raise InputError("accept as the same concept (--same) or as a new child (--under), not both")
    waiting = _pending(store, item_id)
    result = _proposed(waiting)
    if same:
        store.concept(same)  # an unknown id is an error that names close ones
        result.decision, result.concept, result.parents = "same", same, []
        result.method, result.raw, result.score = REVIEWED, 1.0, 1.0
        result.evidence = {**result.evidence, "matched_by": REVIEWED}
    elif under:
        for parent in under:
            store.concept(parent)
        result.decision, result.concept, result.parents = "child", new_concept_id(result.name, under[0]), list(under)
        result.method, result.raw, result.score = REVIEWED, 1.0, 1.0
    result.evidence = {**result.evidence, "review": waiting.id, "reviewer": reviewer}
    outcome = {"decision": result.decision, "concept": result.concept, "parents": result.parents,
               "method": result.method}

    def close(writes: Writer) -> None:
        _close(writes, waiting.id, "accepted", reviewer, outcome)
        if waiting.dataset is not None and waiting.class_index is not None:
            writes.set_label(waiting.dataset, waiting.class_index, result.concept, REVIEWED, round(result.score, 4))

    commit_links(store, [result], then=close)
    return outcome


def reject(store: Store, item_id: int, *, reviewer: str = "", reason: str = "") -> dict[str, Any]:
    """Close a queued link without committing it (a dataset label that waited stays unmapped)."""
    waiting = _pending(store, item_id)
    outcome = {"decision": "rejected", "reason": reason}
    with store.transaction(structure=False) as writes:
        _close(writes, waiting.id, "rejected", reviewer, outcome)
        if waiting.dataset is not None and waiting.class_index is not None:
            writes.set_label(waiting.dataset, waiting.class_index, None, REJECTED, 0.0)
    return outcome


def _pending(store: Store, item_id: int) -> ReviewItem:
    found = item(store, item_id)
    if found.status != "pending":
        raise AlreadyDecided(f"review item {item_id} was {found.status} already ({found.decided_at}"
                         f"{', by ' + found.reviewer if found.reviewer else ''})")
    return found


def _close(writes: Writer, item_id: int, status: str, reviewer: str, outcome: dict[str, Any]) -> None:
    if not writes.decide_review(item_id, status, reviewer, json.dumps(outcome, ensure_ascii=False)):
        raise AlreadyDecided(f"review item {item_id} was decided by someone else meanwhile")


def _proposed(waiting: ReviewItem) -> LinkResult:
    p = waiting.proposal
    result = LinkResult(input=p["input"], decision=p["decision"], concept=p["concept"], parents=list(p["parents"]),
                        method=p["method"], evidence=dict(p["evidence"]), line=p["line"], name=p["name"],
                        lookup=p["lookup"], description=waiting.description, qid=waiting.wikidata, raw=p["raw"])
    result.score = p["score"]
    if waiting.vector is not None:
        result.vector = np.frombuffer(waiting.vector, dtype=np.float16)
    return result
