"""Integrity checks of a store, as a registry of coded checks (E = error, W = warning).

Each check's docstring is its message. ``run_checks`` returns a report (data, not prints);
callers choose codes with ``select``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from taxonomy.errors import InputError
from taxonomy.graph_compile import cyclic_core
from taxonomy.store import Store


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    subject: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    message: str
    run: Callable[[Store], Iterable[Finding]]


@dataclass(slots=True)
class Report:
    checked: list[str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.code.startswith("E")]

    def counts(self) -> dict[str, int]:
        found = {code: 0 for code in self.checked}
        for finding in self.findings:
            found[finding.code] += 1
        return found


CHECKS: dict[str, Check] = {}


def check(code: str) -> Callable[[Callable[[Store], Iterable[Finding]]], Callable[[Store], Iterable[Finding]]]:
    """Register a check under ``code``; its docstring is the message."""

    def register(run: Callable[[Store], Iterable[Finding]]) -> Callable[[Store], Iterable[Finding]]:
        CHECKS[code] = Check(code, (run.__doc__ or code).strip(), run)
        return run

    return register


@check("E101")
def cycles(store: Store) -> Iterator[Finding]:
    """the hierarchy has a cycle"""
    import networkx as nx

    parents: dict[str, list[str]] = {}
    for child, parent in store.edge_pairs():
        parents.setdefault(child, []).append(parent)
    core = cyclic_core(parents)  # cycles are looked for only where one can be: millions of edges are not
    graph = nx.DiGraph((c, p) for c in sorted(core) for p in parents[c] if p in core)
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle = nx.find_cycle(graph.subgraph(component))
            yield Finding("E101", cycle[0][0], " -> ".join([u for u, _ in cycle] + [cycle[0][0]]))


@check("E102")
def dangling_labels(store: Store) -> Iterator[Finding]:
    """a dataset label maps to no concept of the store"""
    for dataset, index, name in store.unmapped_labels():
        yield Finding("E102", f"{dataset}:{index}", name)


@check("E103")
def index_disagrees(store: Store) -> Iterator[Finding]:
    """the compiled graph index disagrees with the edges (repair it with check --repair)"""
    graph = store.graph
    n = len(graph)
    stored = store.edge_pairs()
    unknown = {c for pair in stored for c in pair if c not in graph}
    known = [(c, p) for c, p in stored if c not in unknown and p not in unknown]
    # (child, parent) pairs as numbers, compared as sorted arrays: the stored edges and the index's
    in_edges = graph.positions(c for c, _ in known).astype(np.int64) * n + graph.positions(p for _, p in known)
    counts = np.diff(graph.arrays["parent_ptr"])
    in_index = np.repeat(np.arange(n, dtype=np.int64), counts) * n + graph.arrays["parent_idx"]
    differ = np.union1d(np.setdiff1d(in_edges, in_index), np.setdiff1d(in_index, in_edges)) // n
    children = {graph.ids[int(i)] for i in differ} | {c for c, _ in stored if c in unknown}
    listed: dict[str, list[str]] = {}
    for child, parent in stored:
        if child in children:
            listed.setdefault(child, []).append(parent)
    for concept in sorted(children):
        indexed = sorted(graph.parents(concept)) if concept in graph else []
        yield Finding("E103", concept, f"index parents {indexed}, edges {sorted(listed.get(concept, []))}")
    for concept in sorted(unknown - children):
        yield Finding("E103", concept, "an edge names it, the index does not hold it")


@check("W201")
def orphans(store: Store) -> Iterator[Finding]:
    """a concept has no parent but is not the main root"""
    roots = store.graph.roots()
    if len(roots) > 1:
        main = max(roots, key=store.graph.descendant_count)
        yield from (Finding("W201", r) for r in roots if r != main)


@check("W202")
def shortcut_edges(store: Store) -> Iterator[Finding]:
    """an edge to a parent that another parent already lies under (implied by a longer path)"""
    graph = store.graph
    several = np.flatnonzero(np.diff(graph.arrays["parent_ptr"]) > 1)  # only they can have a shortcut
    for concept_id in (graph.ids[i] for i in several.tolist()):
        parents = graph.parents(concept_id)
        for parent in parents:
            via = [other for other in parents if other != parent and graph.is_a(other, parent)]
            if via:
                yield Finding("W202", concept_id, f"{concept_id} -> {parent} is implied via {via[0]}")


@check("W203")
def missing_glosses(store: Store) -> Iterator[Finding]:
    """a concept has no gloss"""
    yield from (Finding("W203", c) for c in store.concepts_missing_gloss())


@check("W204")
def duplicate_sibling_names(store: Store) -> Iterator[Finding]:
    """two children of one parent share their preferred name"""
    for parent, name, children in store.duplicate_names_under_one_parent():
        yield Finding("W204", parent, f"{name!r}: {children}")


@check("W205")
def empty_wordnet_tables(store: Store) -> Iterator[Finding]:
    """a table of WordNet's relations is empty, as upgraded from before it (fill it with check --repair)"""
    reads = {"members": "a taxon's label means its organism",
             "verb_acts": "an activity label is a kind of its verb's act"}
    for table in store.empty_wordnet_tables():
        yield Finding("W205", table, f"no rows: {reads.get(table, table)} only once it is filled")


def run_checks(store: Store, select: Iterable[str] | None = None) -> Report:
    """Run the selected checks (all by default; a code prefix such as ``W`` selects a group)."""
    wanted = list(select or [])
    unknown = [code for code in wanted if not any(c.startswith(code) for c in CHECKS)]
    if unknown:
        raise InputError(f"no such check: {', '.join(map(repr, unknown))}; known checks: {', '.join(CHECKS)}")
    chosen = [c for c in CHECKS if not wanted or any(c.startswith(w) for w in wanted)]
    report = Report(checked=chosen)
    for code in chosen:
        report.findings.extend(CHECKS[code].run(store))
    return report
