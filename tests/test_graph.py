"""The compiled graph index against networkx, on hand-made and random DAGs."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from taxonomy import GraphError, GraphIndex, UnknownConcept
from taxonomy import graph as graph_module
from taxonomy.graph_growth import whole
from taxonomy.graph_ids import IdTable, build_slots, extended_slots, slot_count

DIAMOND = [("b", "a"), ("c", "a"), ("d", "b"), ("d", "c"), ("e", "d"), ("f", "c")]


def diamond() -> GraphIndex:
    return GraphIndex.compile(["a", "b", "c", "d", "e", "f"], DIAMOND)


def test_is_a_is_inclusive_and_follows_every_parent() -> None:
    g = diamond()
    assert g.is_a("e", "a") and g.is_a("e", "b") and g.is_a("e", "c") and g.is_a("e", "e")
    assert not g.is_a("a", "e") and not g.is_a("f", "b") and not g.is_a("b", "c")


def test_parents_children_ancestors_descendants() -> None:
    g = diamond()
    assert g.parents("d") == ["b", "c"]
    assert sorted(g.children("c")) == ["d", "f"]
    assert g.ancestors("e") == ["d", "b", "c", "a"]
    assert g.ancestors("a") == []
    assert g.descendants("c") == ["d", "f", "e"]
    assert g.descendants("c", limit=1) == ["d"]
    assert g.descendants("c", inclusive=True)[0] == "c"
    assert g.descendant_count("a") == 5
    assert g.children("c", limit=1) == g.children("c")[:1] and g.children("c", limit=5) == g.children("c")
    assert [g.child_count(c) for c in "acde"] == [2, 2, 1, 0]
    grown = g.with_concepts([("g", ["c"])])  # a grown index counts its added children too
    assert grown.child_count("c") == 3 and grown.children("c", limit=3)[-1] == "g"


def test_depths_and_every_path_to_the_root() -> None:
    g = diamond()
    assert (g.depth("e"), g.max_depth("e")) == (3, 3)
    assert (g.depth("f"), g.max_depth("f")) == (2, 2)
    assert sorted(g.paths_to_root("e")) == [["a", "b", "d", "e"], ["a", "c", "d", "e"]]
    assert g.paths_to_root("a") == [["a"]]


def test_lowest_common_ancestors_under_multiple_inheritance() -> None:
    g = diamond()
    assert g.lowest_common_ancestors("e", "f") == ["c"]
    assert g.lowest_common_ancestors("b", "c") == ["a"]
    assert g.lowest_common_ancestors("e", "d") == ["d"]
    # two incomparable lowest common ancestors
    g2 = GraphIndex.compile(["r", "x", "y", "p", "q"], [("x", "r"), ("y", "r"), ("p", "x"), ("p", "y"),
                                                        ("q", "x"), ("q", "y")])
    assert sorted(g2.lowest_common_ancestors("p", "q")) == ["x", "y"]


def test_related_set_is_the_descendants_of_the_hypernyms() -> None:
    g = diamond()
    assert g.related("f") == ["c", "d", "e", "f"]
    assert g.related("d") == ["b", "c", "d", "e", "f"]
    assert g.related("a") == ["a", "b", "c", "d", "e", "f"]  # a root: its own subtree
    assert g.is_related("e", "f") and not g.is_related("b", "f")


def test_a_cycle_is_refused_and_named() -> None:
    with pytest.raises(GraphError, match=r"cycle: .*a.*b.*c"):
        GraphIndex.compile(["a", "b", "c", "r"], [("a", "b"), ("b", "c"), ("c", "a"), ("a", "r")])
    with pytest.raises(GraphError, match="its own parent"):
        GraphIndex.compile(["a"], [("a", "a")])
    with pytest.raises(GraphError, match="does not exist"):
        GraphIndex.compile(["a"], [("a", "zz")])


def test_unknown_ids_raise_with_close_matches() -> None:
    g = GraphIndex.compile(["n02084071", "n00001740"], [("n02084071", "n00001740")])
    with pytest.raises(UnknownConcept, match="close matches: n02084071"):
        g.ancestors("n0208407")
    with pytest.raises(UnknownConcept):
        g.is_a("n02084071", "nope")


def random_dag(seed: int, n: int = 120) -> nx.DiGraph:
    rng = random.Random(seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(f"c{i:03d}" for i in range(n))
    for i in range(1, n):
        roots_allowed = rng.random() < 0.05
        if roots_allowed:
            continue
        for parent in rng.sample(range(i), k=min(i, rng.choice([1, 1, 1, 2, 3]))):
            graph.add_edge(f"c{i:03d}", f"c{parent:03d}")  # child -> parent
    return graph


@pytest.mark.parametrize("seed", range(8))
def test_every_query_matches_networkx_on_random_dags(seed: int) -> None:
    graph = random_dag(seed)
    ids = sorted(graph.nodes)
    assert_matches_networkx(GraphIndex.compile(ids, list(graph.edges)), graph, seed)


@pytest.mark.parametrize(("seed", "batch"), [(seed, batch) for seed in range(6) for batch in (1, 7, 60)])
@pytest.mark.parametrize(("reads", "fold_at"), [("lists", 1), ("memoryviews", 1), ("lists", 10), ("lists", 10_000)])
def test_concepts_added_to_a_compiled_index_answer_as_a_compile_does(seed: int, batch: int, reads: str, fold_at: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A link adds concepts under existing ones without a compile: they wait beside the arrays
    (``fold_at`` 10,000: all of them; 10: some grown into the arrays, the last few not) or grow
    the arrays at once (1), and every answer must still match the graph's (read from lists, as
    in a small graph, and from memoryviews, as in one of millions of concepts)."""
    if reads == "memoryviews":
        monkeypatch.setattr(graph_module, "FAST_LIST_MAX", 0)
    monkeypatch.setattr(graph_module, "FOLD_AT", fold_at)
    graph = random_dag(seed, n=160)
    ids = sorted(graph.nodes)  # parents have lower numbers than their children
    first = ids[:100]
    compiled = GraphIndex.compile(first, [e for e in graph.edges if e[0] in set(first)])
    later = [(node, [p for _, p in graph.out_edges(node)]) for node in ids[100:]]
    g = compiled
    for start in range(0, len(later), batch):  # each batch a new index
        g = g.with_concepts(later[start : start + batch])
    assert len(compiled) == 100 and "c150" not in compiled  # the index it grew from is unchanged
    assert list(g.ids) == [*first, *ids[100:]] and g.ids[-1] == ids[-1] and g.ids[-len(ids)] == ids[0]
    assert_matches_networkx(g, graph, seed)
    assert g.arrays["anc_idx"] is compiled.arrays["anc_idx"]  # added ancestors kept apart, not copied
    assert_matches_networkx(GraphIndex(list(g.ids), whole(g.arrays)), graph, seed)  # as it is saved
    ptr, lo = g.arrays["ivl_ptr"], g.arrays["ivl_lo"]
    assert all(np.all(np.diff(lo[ptr[i] + 1 : ptr[i + 1]]) > 0) for i in range(len(g)))  # searchable
    every = np.arange(len(g))
    for ancestor in range(len(g)):
        assert g.is_a_many(every, ancestor).tolist() == [g.is_a(g.ids[i], g.ids[ancestor]) for i in every]
    later = g.with_concepts([("late", [ids[0], ids[-1]])])  # grows on from the arrays just read
    assert later.is_a("late", ids[-1]) and set(later.ancestors("late")) == {ids[0], ids[-1], *g.ancestors(ids[-1])}
    assert later.child_count(ids[-1]) == g.child_count(ids[-1]) + 1 and "late" in later.descendants(ids[0])
    with pytest.raises(GraphError, match="names a concept that does not exist"):
        g.with_concepts([("new", ["nowhere"])])
    with pytest.raises(GraphError, match="in the graph already"):
        g.with_concepts([("c001", [])])


def assert_matches_networkx(g: GraphIndex, graph: nx.DiGraph, seed: int) -> None:
    ids = sorted(graph.nodes)
    assert sorted(g.ids) == ids
    for node in ids:
        truth_ancestors = nx.descendants(graph, node)  # edges point child -> parent
        truth_descendants = nx.ancestors(graph, node)
        assert set(g.ancestors(node)) == truth_ancestors
        assert set(g.descendants(node)) == truth_descendants
        assert g.descendant_count(node) == len(truth_descendants)
        assert sorted(g.children(node)) == sorted(graph.predecessors(node)) and g.child_count(node) == len(
            g.children(node)) and g.children(node, limit=1) == g.children(node)[:1]
        assert sorted(g.parents(node)) == sorted(graph.successors(node))
        for other in ids:
            assert g.is_a(node, other) == (other == node or other in truth_ancestors)
        paths = sorted(g.paths_to_root(node))
        roots = [r for r in ids if graph.out_degree(r) == 0]
        truth_paths = sorted(p[::-1] for r in roots for p in nx.all_simple_paths(graph, node, r)) if (
            graph.out_degree(node)) else [[node]]
        assert paths == truth_paths
        lengths = [len(p) - 1 for p in truth_paths]
        assert (g.depth(node), g.max_depth(node)) == (min(lengths), max(lengths))
    assert sorted(g.roots()) == [r for r in ids if graph.out_degree(r) == 0] and g.edge_count == graph.number_of_edges()
    rng = random.Random(seed)
    for _ in range(200):
        a, b = rng.choice(ids), rng.choice(ids)
        common = (nx.descendants(graph, a) | {a}) & (nx.descendants(graph, b) | {b})
        lowest = {c for c in common if not any(o != c and c in nx.descendants(graph, o) for o in common)}
        assert set(g.lowest_common_ancestors(a, b)) == lowest


@pytest.mark.parametrize("seed", range(4))
def test_vectorised_is_a_agrees_with_the_scalar_one(seed: int) -> None:
    graph = random_dag(seed, n=300)
    ids = sorted(graph.nodes)
    g = GraphIndex.compile(ids, list(graph.edges))
    assert np.diff(g.arrays["ivl_ptr"]).max() > 1  # some nodes need several intervals
    rng = np.random.default_rng(seed)
    a = rng.integers(0, len(ids), 5000)
    b = rng.integers(0, len(ids), 5000)
    expected = [g.is_a(ids[i], ids[j]) for i, j in zip(a, b, strict=False)]
    assert g.is_a_many(a, b).tolist() == expected
    # broadcasting: one ancestor against many nodes
    column = g.is_a_many(np.arange(len(ids)), g.position(ids[0]))
    assert column.tolist() == [g.is_a(c, ids[0]) for c in ids]


def test_an_empty_graph_compiles() -> None:
    g = GraphIndex.compile([], [])
    assert len(g) == 0 and g.roots() == []


def test_the_id_table_finds_every_id_and_no_other() -> None:
    """The saved id -> position table of large indexes (open-addressing over CRC-32)."""
    rng = random.Random(4)
    ids = sorted({f"{rng.choice('Qn')}{rng.randrange(10**7)}" for _ in range(5000)} | {"ünïcode", "狗", ""})
    table = IdTable(ids, build_slots(ids))
    assert table.get(ids[7]) == 7 and ids[8] in table and not dict.__contains__(table, ids[9])
    assert table[ids[9]] == 9 and dict.__contains__(table, ids[9])  # found once, then kept
    assert table.slots.shape[0] == slot_count(len(ids)) >= 2 * len(ids)
    assert all(table[concept_id] == i for i, concept_id in enumerate(ids))
    assert table.get("Q-missing") is None and "n0" not in table and 17 not in table
    with pytest.raises(KeyError):
        table["nowhere"]
    more = [*ids, *(f"added{k}" for k in range(100))]
    grown = IdTable(more, extended_slots(table, more))  # a grown index saved whole
    assert np.array_equal(grown.slots[table.slots >= 0], table.slots[table.slots >= 0])  # a copy, added to
    assert all(grown[concept_id] == i for i, concept_id in enumerate(more))
    many = [*ids, *(f"x{k}" for k in range(len(ids)))]  # past half full: built anew, larger
    rebuilt = IdTable(many, extended_slots(table, many))
    assert rebuilt.slots.shape[0] > table.slots.shape[0] and all(rebuilt[c] == i for i, c in enumerate(many))
    with pytest.raises(ValueError, match="cannot hold"):
        IdTable(many, table.slots)


def test_an_index_reads_positions_from_an_id_table_as_from_a_dict() -> None:
    graph = random_dag(2)
    ids = sorted(graph.nodes)
    compiled = GraphIndex.compile(ids, list(graph.edges))
    tabled = GraphIndex(ids, compiled.arrays, _pos=IdTable(ids, build_slots(ids)))
    assert_matches_networkx(tabled, graph, 2)
    grown = tabled.with_concepts([("new-1", [ids[0], ids[5]]), ("new-2", ["new-1"])])
    assert grown.is_a("new-2", ids[0]) and grown.position("new-2") == len(ids) + 1
    saved = IdTable(list(grown.ids), grown.id_slots())  # what a store saves of a grown index
    assert all(saved[concept_id] == grown.position(concept_id) for concept_id in grown.ids)
    with pytest.raises(UnknownConcept):
        tabled.position("nowhere")
