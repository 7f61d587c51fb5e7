"""``taxonomy wikidata import``: merge a cleaned P279 tree into the store in one transaction.

An item with a WordNet id (P8814, WN 3.1, converted to 3.0) or a QID the store already knows is
that concept: its QID and translations are recorded on it. Other items become concepts under
their nearest mapped subclass-of ancestor, keeping their P279 edges among themselves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import networkx as nx

from taxonomy.graph import GraphIndex
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
    concepts: list[ConceptRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    names: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (concept, lang, names)
    qids: list[tuple[str, str]] = field(default_factory=list)  # (concept, qid)
    held: list[tuple[str, str, int, str]] = field(default_factory=list)  # (child, parent, descendants, version)


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
        report.new_concepts = sum(1 for c in plan.concepts if c["id"] not in store.graph)
        return report
    with store.transaction() as writes:
        before = writes.changes
        report.new_concepts = writes.upsert_concepts(plan.concepts)
        report.new_edges = writes.insert_edges(plan.edges)
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
    graph = nx.DiGraph()
    graph.add_nodes_from(kept)
    graph.add_edges_from(e for e in found.edges if e[0] in kept and e[1] in kept)
    level = cleaning.levels_below(found.roots, graph.edges)
    report.cycles_broken = len(cleaning.break_cycles(graph, level))

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
    parents: dict[str, list[str]] = {}
    evidence: dict[tuple[str, str], str] = {}
    for child in new:
        ups: list[str] = []
        for parent in sorted(graph.successors(child)):
            if parent in mapped:
                targets = [(mapped[parent], f"P279 {child} -> {parent}")]
            elif parent in found.tree:
                targets = [(parent, f"P279 {child} -> {parent}")]
            else:
                targets = [(concept, f"P279 {child} -> {parent} -> ... -> {via}")
                           for via, concept in _nearest_mapped(graph, parent, mapped)]
            for target, why in targets:
                if target not in ups:
                    ups.append(target)
                    evidence[(child, target)] = why
        parents[child] = ups

    ancestors = _ancestor_sets(store, parents)
    report.shortcuts_removed = len(cleaning.remove_shortcuts(parents, ancestors))

    version = {edge: f"{SOURCE} {found.endpoint} as of {at}" for edge, at in found.edges.items()}
    index = GraphIndex.compile(sorted(set(parents) | {p for ps in parents.values() for p in ps}),
                               [(c, p) for c, ps in parents.items() for p in ps])
    for child in new:
        brings = index.descendant_count(child) + 1
        if brings > max_descendants:
            for parent in parents[child]:
                plan.held.append((child, parent, brings, version.get((child, parent), report.as_of)))
            report.held_for_review += len(parents[child])
            parents[child] = []

    anchored = _anchored(store, parents)
    report.unanchored = sum(1 for q in new if q not in anchored)
    for child in new:
        if child not in anchored:
            continue
        item = found.items.get(child, Item(child))
        plan.concepts.append(_concept(item))
        for parent in parents[child]:
            if parent in parents and parent not in anchored:
                continue  # a second parent that is held back or reaches nothing: not in the store
            plan.edges.append({
                "child": child, "parent": parent, "kind": "subclass_of", "method": SOURCE, "score": 1.0,
                "evidence": evidence[(child, parent)] + f" at {found.endpoint}",
                "source_version": f"{SOURCE} as of {_as_of(found, child, parent, report.as_of)}",
            })
    return plan


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


def _nearest_mapped(graph: nx.DiGraph, start: str, mapped: dict[str, str]) -> list[tuple[str, str]]:
    """(item, concept) of the mapped items nearest above ``start``, climbing through unmapped ones."""
    found: list[tuple[str, str]] = []
    frontier, seen = [start], {start}
    while frontier and not found:
        step: list[str] = []
        for node in frontier:
            for parent in sorted(graph.successors(node)):
                if parent in mapped:
                    found.append((parent, mapped[parent]))
                elif parent not in seen:
                    seen.add(parent)
                    step.append(parent)
        frontier = step
    return sorted(set(found))


def _ancestor_sets(store: Store, parents: dict[str, list[str]]) -> dict[str, set[str]]:
    """Every ancestor of every node of the new graph, through new and store edges alike."""
    found: dict[str, set[str]] = {}
    for node in TopologicalSorter({c: [p for p in ps if p in parents] for c, ps in parents.items()}).static_order():
        acc: set[str] = set()
        for parent in parents.get(node, ()):
            acc.add(parent)
            acc |= found[parent] if parent in parents else set(store.graph.ancestors(parent))
        found[node] = acc
    for node in {p for ps in parents.values() for p in ps} - set(parents):
        found[node] = set(store.graph.ancestors(node))
    return found


def _anchored(store: Store, parents: dict[str, list[str]]) -> set[str]:
    """The new nodes that reach a concept of the store."""
    anchored: set[str] = set()
    for node in TopologicalSorter({c: [p for p in ps if p in parents] for c, ps in parents.items()}).static_order():
        if any(p in anchored or (p not in parents and p in store.graph) for p in parents.get(node, ())):
            anchored.add(node)
    return anchored
