"""Cleaning a harvested P279 graph before it may touch the store.

Wikidata's subclass-of graph has Wikimedia categories and disambiguation pages in it, classes of
classes, cycles, redundant shortcut edges, and now and then one bad edge that hangs a huge class
under a small one. Each function here fixes one of these and says how many it found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping

import networkx as nx

from taxonomy.graph_compile import cyclic_core

#: instance-of (P31) classes whose members are not concepts: why each is dropped.
DROPPED_CLASSES = {
    "Q4167836": "category",  # Wikimedia category
    "Q4167410": "disambiguation",  # Wikimedia disambiguation page
    "Q13406463": "list",  # Wikimedia list article
    "Q24017414": "metaclass",  # second-order class
    "Q24017465": "metaclass",  # third-order class
    "Q23958852": "metaclass",  # variable-order class
    "Q19478619": "metaclass",  # metaclass
}


def drop_reason(instance_of: Iterable[str]) -> str | None:
    """Why an item with these P31 classes is not a concept, or None if it is one."""
    for cls in sorted(instance_of):
        if cls in DROPPED_CLASSES:
            return DROPPED_CLASSES[cls]
    return None


def levels_below(roots: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Breadth-first distance of every node below the roots (edges point child -> parent)."""
    children: dict[str, list[str]] = {}
    for child, parent in edges:
        children.setdefault(parent, []).append(child)
    level = {root: 0 for root in roots}
    queue = deque(level)
    while queue:
        node = queue.popleft()
        for child in sorted(children.get(node, ())):
            if child not in level:
                level[child] = level[node] + 1
                queue.append(child)
    return level


def break_cycles(parents: dict[str, list[str]], level: Mapping[str, int]) -> list[tuple[str, str]]:
    """Remove edges until ``parents`` (child -> its parents) has no cycle; returns the removed edges.

    In each cycle the edge that climbs to the deepest parent (farthest below the roots) goes:
    it is the one most likely to point the wrong way. Cycles are looked for only in the part of
    the graph that can hold one (a few thousand nodes of millions).
    """
    removed: list[tuple[str, str]] = []
    core = cyclic_core(parents)  # every cycle lies inside it, and removing edges makes no new one
    graph = nx.DiGraph((c, p) for c in sorted(core) for p in parents.get(c, ()) if p in core)
    while True:
        cyclic = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
        if not cyclic:
            return removed
        for component in cyclic:
            cycle = nx.find_cycle(graph.subgraph(component))
            child, parent = max(((u, v) for u, v, *_ in cycle),
                                key=lambda e: (level.get(e[1], -1), e[1], e[0]))
            graph.remove_edge(child, parent)
            parents[child].remove(parent)
            removed.append((child, parent))


def remove_shortcuts(parents: dict[str, list[str]], is_ancestor: Callable[[str, str], bool]) -> list[tuple[str, str]]:
    """Drop parent edges implied by a longer path through another parent; returns what was dropped.
    ``is_ancestor(q, p)``: whether p lies above q (q is not p)."""
    removed: list[tuple[str, str]] = []
    for child, ups in parents.items():
        if len(ups) < 2:
            continue
        keep = [p for p in ups if not any(q != p and is_ancestor(q, p) for q in ups)]
        removed.extend((child, p) for p in ups if p not in keep)
        parents[child] = keep
    return removed
