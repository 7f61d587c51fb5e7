"""``taxonomy wikidata import``: merge a cleaned P279 tree into the store in one transaction.

An item with a WordNet id (P8814, WN 3.1, converted to 3.0) or a QID the store already knows is
that concept: its QID and translations are recorded on it. Other items become concepts under
their nearest mapped subclass-of ancestor, keeping their P279 edges among themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from taxonomy.graph import GraphIndex
from taxonomy.graph_compile import gather
from taxonomy.model import ConceptRecord, EdgeRecord
from taxonomy.progress import Progress
from taxonomy.sources import crosswalk
from taxonomy.store import Store
from taxonomy.wikidata import cleaning
from taxonomy.wikidata.client import SparqlClient
from taxonomy.wikidata.dump import DumpFilter, read_dump
from taxonomy.wikidata.harvest import Harvest, Harvester, Item
from taxonomy.wikidata.queries import validate_qid

SOURCE = "wikidata"
TRANSLATED = ("zh", "es", "nl", "it")


@dataclass(slots=True)
class ImportReport:
    """What an import fetched, mapped, cleaned, held back and merged."""

    endpoint: str
    roots: list[str]
    depth: int
    as_of: str = ""
    items: int = 0
    context_items: int = 0
    mapped: dict[str, int] = field(default_factory=lambda: {"p8814": 0, "store": 0, "oewn": 0})
    dropped: dict[str, int] = field(default_factory=lambda: {
        "category": 0, "disambiguation": 0, "list": 0, "metaclass": 0})
    cycles_broken: int = 0
    shortcuts_removed: int = 0
    held_for_review: int = 0
    unanchored: int = 0
    malformed_rows: int = 0
    cleaned_literals: int = 0
    new_concepts: int = 0
    new_edges: int = 0
    new_names: int = 0
    requests: int = 0
    cached_answers: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class _Plan:
    """What an import will write; concepts and edges become records only as they are written."""

    new: list[str] = field(default_factory=list)  # the QIDs that become concepts
    edges: list[tuple[str, str]] = field(default_factory=list)  # (child, parent)
    evidence: dict[tuple[str, str], str] = field(default_factory=dict)  # where not "P279 child -> parent"
    names: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (concept, lang, names)
    qids: list[tuple[str, str]] = field(default_factory=list)  # (concept, qid)
    held: list[tuple[str, str, int, str]] = field(default_factory=list)  # (child, parent, descendants, version)

    def concepts(self, found: Harvest) -> Iterator[ConceptRecord]:
        for qid in self.new:
            yield _concept(found.items.get(qid, Item(qid)))

    def edge_records(self, found: Harvest, as_of: str) -> Iterator[EdgeRecord]:
        for child, parent in self.edges:
            evidence = self.evidence.get((child, parent), f"P279 {child} -> {parent}")
            yield {"child": child, "parent": parent, "kind": "subclass_of", "method": SOURCE, "score": 1.0,
                   "evidence": f"{evidence} at {found.endpoint}",
                   "source_version": f"{SOURCE} as of {_as_of(found, child, parent, as_of)}"}


def import_wikidata(store: Store, client: SparqlClient, roots: Sequence[str], *, depth: int = 3,
                    up_depth: int = 8, max_descendants: int = 10_000, batch_size: int = 200,
                    dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Fetch, clean and merge the P279 tree below ``roots``; nothing is written if anything fails."""
    roots = [validate_qid(q) for q in roots]
    report = ImportReport(client.endpoint, roots, depth, dry_run=dry_run)
    anchors = _Anchors(store)
    found = Harvester(client, batch_size, progress).harvest(roots, depth, up_depth,
                                                           lambda item: anchors.of(item) is not None)
    return merge_harvest(store, found, report, anchors, max_descendants)


def import_dump(store: Store, path: Path, wanted: DumpFilter, *, max_descendants: int = 10_000,
                dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Read the tree of ``wanted`` from a Wikidata dump; clean and merge it like an endpoint's."""
    anchors = _Anchors(store)
    found = read_dump(path, wanted, lambda item: anchors.of(item) is not None, progress)
    report = ImportReport(found.endpoint, found.roots, 0, dry_run=dry_run)
    return merge_harvest(store, found, report, anchors, max_descendants)


def merge_harvest(store: Store, found: Harvest, report: ImportReport, anchors: _Anchors | None = None,
                  max_descendants: int = 10_000) -> ImportReport:
    """Clean a harvested tree (from an endpoint or a dump) and merge it in one transaction."""
    anchors = anchors or _Anchors(store)
    plan = _plan(store, found, anchors, max_descendants, report)
    if report.dry_run:
        report.new_concepts = sum(1 for c in plan.new if c not in store.graph)
        return report
    with store.transaction() as writes:
        before = writes.changes
        report.new_concepts = writes.upsert_concepts(plan.concepts(found))
        report.new_edges = writes.insert_edges(plan.edge_records(found, report.as_of))
        for concept, lang, names in plan.names:
            report.new_names += writes.add_names(concept, lang, names, SOURCE)
        for concept, qid in plan.qids:
            writes.add_external_ids(concept, "wikidata", [qid])
        writes.hold_edges([(c, p, "more descendants than --max-descendants", n, SOURCE, v)
                           for c, p, n, v in plan.held])
        if writes.changes != before:  # a repeated import leaves no trace
            writes.log_import(SOURCE, json.dumps(report.as_dict()))
    return report


class _Anchors:
    """Which store concept, if any, a Wikidata item is."""

    def __init__(self, store: Store):
        self.store = store
        self.oewn = crosswalk.oewn_qid_to_concept()
        self.cache: dict[str, tuple[str, str] | None] = {}

    def of(self, item: Item) -> str | None:
        found = self.mapping(item)
        return found[0] if found else None

    def mapping(self, item: Item) -> tuple[str, str] | None:
        """(concept id, how) for an item that is a store concept, else None."""
        if item.qid not in self.cache:
            self.cache[item.qid] = self._find(item)
        return self.cache[item.qid]

    def _find(self, item: Item) -> tuple[str, str] | None:
        graph = self.store.graph
        for value in item.wordnet:
            concept = crosswalk.concept_id_from_p8814(value)
            if concept and concept in graph:
                return concept, "p8814"
        if item.qid in graph:
            return item.qid, "store"
        known = self.store.concepts_with_external_id("wikidata", item.qid)
        if known:
            return known[0], "store"
        concept = self.oewn.get(item.qid)
        if concept and concept in graph:
            return concept, "oewn"
        return None


def _plan(store: Store, found: Harvest, anchors: _Anchors, max_descendants: int, report: ImportReport) -> _Plan:
    report.items, report.context_items = len(found.tree), len(found.context)
    report.malformed_rows, report.cleaned_literals = found.malformed_rows, found.cleaned_literals
    report.requests, report.cached_answers = found.requests, found.cached_answers
    report.as_of = max(found.fetched_at, default="")
    plan = _Plan()

    kept: set[str] = set()
    for qid in found.tree | found.context:
        reason = cleaning.drop_reason(found.items[qid].instance_of) if qid in found.items else None
        if reason:
            if qid in found.tree:
                report.dropped[reason] += 1
        else:
            kept.add(qid)
    parents: dict[str, list[str]] = {}  # every kept item -> its kept P279 parents
    for child, parent in found.edges:
        if child in kept and parent in kept:
            parents.setdefault(child, []).append(parent)
    level = cleaning.levels_below(found.roots, ((c, p) for c, ups in parents.items() for p in ups))
    report.cycles_broken = len(cleaning.break_cycles(parents, level))

    mapped: dict[str, str] = {}
    for qid in sorted(kept):
        hit = anchors.mapping(found.items[qid]) if qid in found.items else None
        if hit:
            mapped[qid] = hit[0]
            if qid in found.tree:
                report.mapped[hit[1]] += 1
                plan.qids.append((hit[0], qid))
                plan.names.extend((hit[0], lang, [found.items[qid].labels[lang]])
                                  for lang in TRANSLATED if lang in found.items[qid].labels)

    # Parents of every new concept: tree items directly, mapped items as their concept, and
    # unmapped items outside the tree replaced by the nearest mapped items above them.
    new = sorted(q for q in kept & found.tree if q not in mapped)
    ups_of: dict[str, list[str]] = {}
    for child in new:
        ups: list[str] = []
        for parent in sorted(parents.get(child, ())):
            if parent in mapped:
                targets = [(mapped[parent], f"P279 {child} -> {parent}")]
            elif parent in found.tree:
                targets = [(parent, "")]
            else:
                targets = [(concept, f"P279 {child} -> {parent} -> ... -> {via}")
                           for via, concept in _nearest_mapped(parents, parent, mapped)]
            for target, why in targets:
                if target not in ups:
                    ups.append(target)
                    if why:  # what the edge's evidence cannot be told from the edge
                        plan.evidence[(child, target)] = why
        ups_of[child] = ups
    del parents

    # One compiled index of the new concepts and the store concepts they hang on answers the
    # cleaning's questions in arrays: which parent lies above another, how many concepts each
    # would bring, which reach the store.
    new_set = set(new)
    index = GraphIndex.compile(sorted(new_set | {p for ups in ups_of.values() for p in ups}),
                               [(c, p) for c, ups in ups_of.items() for p in ups])

    def is_ancestor(q: str, p: str) -> bool:
        if q not in new_set:  # a store concept, above which only store concepts lie
            return p not in new_set and store.graph.is_a(q, p)
        if p in new_set:
            return index.is_a(q, p)
        return any(store.graph.is_a(s, p) for s in index.ancestors(q) if s not in new_set)

    report.shortcuts_removed = len(cleaning.remove_shortcuts(ups_of, is_ancestor))
    held: set[str] = set()
    for child in new:
        brings = index.descendant_count(child) + 1
        if brings > max_descendants:
            for parent in ups_of[child]:
                version = f"{SOURCE} {found.endpoint} as of {_as_of(found, child, parent, report.as_of)}"
                plan.held.append((child, parent, brings, version))
            report.held_for_review += len(ups_of[child])
            ups_of[child] = []
            held.add(child)

    anchored = _anchored(index, new_set, held)
    report.unanchored = len(new) - len(anchored)
    plan.new = [child for child in new if child in anchored]
    # a second parent that is held back or reaches nothing is not in the store
    plan.edges = [(child, parent) for child in plan.new for parent in ups_of[child]
                  if parent not in new_set or parent in anchored]
    return plan


def _anchored(index: GraphIndex, new: set[str], held: set[str]) -> set[str]:
    """The new concepts that reach a store concept through edges that are not held back: down
    from the store concepts of ``index``, never into a held concept (its edges up are cut)."""
    is_new = np.fromiter((c in new for c in index.ids), dtype=bool, count=len(index))
    closed = np.fromiter((c in held for c in index.ids), dtype=bool, count=len(index))
    child_ptr, child_idx = index.arrays["child_ptr"], index.arrays["child_idx"]
    reached = ~is_new
    frontier = np.flatnonzero(reached)
    while frontier.size:
        starts = child_ptr[frontier].astype(np.int64)
        kids = child_idx[gather(starts, child_ptr[frontier + 1] - starts)].astype(np.int64)
        kids = np.unique(kids[~reached[kids] & ~closed[kids]])
        reached[kids] = True
        frontier = kids
    return {index.ids[i] for i in np.flatnonzero(reached & is_new).tolist()}


def _as_of(found: Harvest, child: str, parent: str, default: str) -> str:
    return found.edges.get((child, parent), default)


def _concept(item: Item) -> ConceptRecord:
    name = item.labels.get("en") or next(iter(item.labels.values()), item.qid)
    return {
        "id": item.qid, "name": name, "lemmas": list(dict.fromkeys([name, *item.aliases])), "gloss": item.description,
        "lexname": None,
        "source": SOURCE, "external_ids": {"wikidata": [item.qid]},
        "names": {lang: [item.labels[lang]] for lang in TRANSLATED if lang in item.labels},
    }


def _nearest_mapped(parents: dict[str, list[str]], start: str, mapped: dict[str, str]) -> list[tuple[str, str]]:
    """(item, concept) of the mapped items nearest above ``start``, climbing through unmapped ones."""
    found: list[tuple[str, str]] = []
    frontier, seen = [start], {start}
    while frontier and not found:
        step: list[str] = []
        for node in frontier:
            for parent in sorted(parents.get(node, ())):
                if parent in mapped:
                    found.append((parent, mapped[parent]))
                elif parent not in seen:
                    seen.add(parent)
                    step.append(parent)
        frontier = step
    return sorted(set(found))
