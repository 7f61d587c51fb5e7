"""Automatic priors for the tag questions: how likely a concept is visual, and common.

Priors guide annotation (which concepts to ask about first) and subsets that do not wait for
votes; they never stand in for a decision. Evidence, strongest first:
- visual: membership in an image dataset's label set; else the lexicographer file, inherited
  from the nearest ancestor that has one (Wikidata concepts have none of their own).
- common: membership in ImageNet-1k; else sense frequency (SemCor tag counts of the names).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator

from taxonomy.graph import GraphIndex
from taxonomy.storage import db

#: Lexicographer file -> how likely its nouns are things one can photograph.
VISUAL_BY_LEXNAME = {
    "noun.animal": 0.95, "noun.plant": 0.95, "noun.artifact": 0.9, "noun.food": 0.9, "noun.body": 0.85,
    "noun.object": 0.85, "noun.person": 0.9, "noun.substance": 0.6, "noun.location": 0.6,
    "noun.phenomenon": 0.55, "noun.shape": 0.55, "noun.event": 0.45, "noun.group": 0.4,
    "noun.communication": 0.3, "noun.act": 0.3, "noun.process": 0.2, "noun.state": 0.2,
    "noun.possession": 0.2, "noun.attribute": 0.1, "noun.quantity": 0.1, "noun.time": 0.1,
    "noun.Tops": 0.1, "noun.cognition": 0.05, "noun.feeling": 0.05, "noun.motive": 0.05, "noun.relation": 0.05,
}
UNKNOWN_VISUAL = 0.3
IMAGE_DATASET_VISUAL = 0.97
IMAGENET1K_COMMON = 0.9
FEW = 10_000  # up to this many concepts, their priors read their own rows rather than whole tables


def compute_priors(conn: sqlite3.Connection, graph: GraphIndex,
                   only: Collection[str] | None = None) -> Iterator[tuple[str, str, float, str]]:
    """(concept, question, score, method) for every concept, or those in ``only`` (reading only
    what they need: a commit that adds a few concepts to millions stays fast)."""
    targets = list(graph.ids) if only is None else sorted(only)
    if only is None or len(only) > FEW:
        lexnames = {cid: lexname for cid, lexname, _ in db.concept_columns(conn)}
        counts = db.tag_count_sums(conn)
        members = db.dataset_members(conn)
    else:
        lexnames = db.lexnames_of(conn, sorted({a for c in targets for a in [c, *graph.ancestors(c)]}))
        counts = db.tag_count_sums(conn, targets)
        members = db.dataset_members(conn, targets)
    in_image_set = set().union(*members.values()) if members else set()
    in_1k = members.get("imagenet1k", set())
    for concept_id in targets:
        yield concept_id, "visual", *_visual(concept_id, lexnames, in_image_set, graph)
        yield concept_id, "common", *_common(concept_id, counts, in_1k)


def _visual(concept_id: str, lexnames: dict[str, str | None], in_image_set: set[str],
            graph: GraphIndex) -> tuple[float, str]:
    if concept_id in in_image_set:
        return IMAGE_DATASET_VISUAL, "dataset label"
    lexname = lexnames.get(concept_id)
    if lexname:
        return VISUAL_BY_LEXNAME.get(lexname, UNKNOWN_VISUAL), f"lexname {lexname}"
    for ancestor in graph.ancestors(concept_id):
        inherited = lexnames.get(ancestor)
        if inherited:
            return VISUAL_BY_LEXNAME.get(inherited, UNKNOWN_VISUAL), f"inherited lexname {inherited} from {ancestor}"
    return UNKNOWN_VISUAL, "no evidence"


def _common(concept_id: str, counts: dict[str, int], in_1k: set[str]) -> tuple[float, str]:
    if concept_id in in_1k:
        return IMAGENET1K_COMMON, "imagenet1k label"
    count = counts.get(concept_id)
    if count is None:
        return 0.1, "no evidence"
    return round(count / (count + 3), 4), f"sense frequency (tag count {count})"


def refresh_priors(conn: sqlite3.Connection, graph: GraphIndex, *, all_concepts: bool = False,
                   only: Collection[str] | None = None) -> int:
    """Write priors for ``only`` these concepts, or for every concept that lacks them (or for
    all); returns how many concepts were done."""
    if only is None:
        only = None if all_concepts else set(db.concepts_without_priors(conn))
    rows = list(compute_priors(conn, graph, only))
    db.write_priors(conn, rows)
    return len(rows) // 2
