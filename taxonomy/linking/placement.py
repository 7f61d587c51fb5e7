"""Where a new concept goes: candidate parents, and a learned ranking of them.

Candidates come from the description's genus ("a semiconductor rectifier that ..." ->
rectifier), the name's head noun, the concepts nearest to "name: description" and their
parents. A few features (similarity of the input to each candidate and to its children, genus
and head matches, neighbour votes, depth, lexicographer file, taxa) rank them through
gradient-boosted trees (scikit-learn's histogram boosting), whose probability is the link's
confidence. They are trained by self-supervision on WordNet (scripts/train_placement.py: hide
leaves, some families of them whole, and learn to rank their real parents, from their glosses
and, for a compound name, from the name alone), never on a dev set, and ship as a JSON file of
trees that :class:`Trees` evaluates with numpy, so that linking needs no learning library.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from taxonomy.extras import require
from taxonomy.linking.label_senses import TAXON

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.results import LinkResult

MODEL_FILE = Path(__file__).with_name("placement_model.json")
BASE_FEATURES = ("sim_input", "sim_description", "vote", "child_sim", "child_mean", "is_genus", "under_genus",
                 "genus_under", "is_head", "under_head", "is_neighbour", "neighbour_children", "log_children",
                 "depth", "lexname_share", "sense_rank", "is_taxon", "taxon_name")
#: Features compared with the best candidate of the same input: a pointwise model ranks better
#: when it sees how far each candidate is from the best one.
RELATIVE = ("sim_input", "sim_description", "vote", "child_sim", "child_mean")
FEATURES = BASE_FEATURES + tuple(f"{name}_gap" for name in RELATIVE)
#: Words and endings of a taxon's name: WordNet files genera and families below its taxonomic
#: groups (label_senses.TAXON), not below their organisms ("Holbrookia: earless lizards" is a
#: reptile genus, no kind of earless lizard).
TAXON_WORDS = frozenset({"genus", "family", "subfamily", "superfamily", "order", "suborder", "superorder", "class",
                         "subclass", "superclass", "phylum", "subphylum", "division", "subdivision", "tribe"})
TAXON_ENDINGS = ("idae", "inae", "aceae", "ales", "ineae", "oidea", "formes", "phyta", "mycetes", "opsida", "phyceae")
MAX_CHILDREN = 64  # children compared with the input, per candidate
HUB = 10_000  # children past which hidden ones are not subtracted from the count


def visible_children(linker: Linker, concept: str) -> int:
    """How many children ``concept`` has with the hidden concepts taken away: a parent whose one
    child is hidden looks like the leaf it is to a new concept (training hides leaves; counting
    them taught the ranker that no leaf is ever a parent, and "Sumatran orangutan" lost its
    orangutan). A hub past HUB children is counted as it is (a few hidden make no difference)."""
    count = linker.store.graph.child_count(concept)
    if not linker.hidden or count > HUB:
        return count
    return count - sum(child in linker.hidden for child in linker.store.graph.children(concept))


@dataclass(slots=True)
class Ranked:
    id: str
    probability: float
    source: str  # genus | head | nearest: where the candidate came from first


def taxon_name(name: str) -> float:
    """How much ``name`` looks like the name of a taxon: "genus Canis", "Fregatidae" (1.0); one
    capitalised word, as a genus and also a brand or a breed is written ("Holbrookia", 0.5); else 0."""
    words = name.split()
    ranked = len(words) >= 2 and words[0].lower() in TAXON_WORDS  # "genus Canis"
    if ranked or (len(words) == 1 and name.lower().endswith(TAXON_ENDINGS)):
        return 1.0
    return 0.5 if len(words) == 1 and name[:1].isupper() and name[1:].islower() and name.isalpha() else 0.0


def visible(linker: Linker, concepts: Iterable[str]) -> list[str]:
    """Those of ``concepts`` the linker may name as a parent: in the graph and not hidden."""
    graph = linker.store.graph
    return [c for c in concepts if c in graph and c not in linker.hidden]


def candidates(linker: Linker, result: LinkResult, head_senses: Sequence[str]) -> dict[str, str]:
    """Candidate parents of ``result`` with where each came from (genus, head or nearest)."""
    graph = linker.store.graph
    found: dict[str, str] = {}
    for concept in head_senses:
        found.setdefault(concept, "head")
    for concept in result.genus_senses:
        found.setdefault(concept, "genus")
    for concept, _ in result.neighbours:
        if concept in graph:
            found.setdefault(concept, "nearest")
            for parent in graph.parents(concept):
                if parent not in linker.hidden:
                    found.setdefault(parent, "nearest")
    return {c: found[c] for c in visible(linker, found)}


def features(linker: Linker, result: LinkResult, found: Sequence[str], head_senses: Sequence[str],
             gloss_vector: np.ndarray) -> np.ndarray:
    """One row of FEATURES per candidate in ``found``."""
    graph = linker.store.graph
    embeddings = linker.embeddings
    vector = np.asarray(result.vector, dtype=np.float32)
    sim_input = embeddings.similarity(vector, list(found))
    sim_description = embeddings.similarity(gloss_vector, list(found))
    near = {c: similarity for c, similarity in result.neighbours if c in graph}
    parents_of = {c: graph.parents(c) for c in near}
    near_parents = Counter(p for c in near for p in parents_of[c])
    votes: dict[str, list[float]] = {}
    for concept, similarity in result.neighbours:
        if concept in near:
            votes.setdefault(concept, []).append(similarity * 0.8)
            for parent in parents_of[concept]:
                votes.setdefault(parent, []).append(similarity)
    lexnames = linker.words.lexnames()
    near_lexnames = [lexnames.get(c, "") for c, _ in result.neighbours[:10]]
    genus, heads = set(result.genus_senses), list(head_senses)
    children = [linker.words.kinds(concept, MAX_CHILDREN) for concept in found]
    every_child_sim = iter(embeddings.similarity(vector, [c for kinds in children for c in kinds]))  # one product
    taxon_like = taxon_name(result.lookup)
    rows = []
    for i, concept in enumerate(found):
        child_sims = [next(every_child_sim) for _ in children[i]]
        rank = (heads.index(concept) if concept in heads else
                result.genus_senses.index(concept) if concept in genus else 10)
        rows.append([
            sim_input[i], sim_description[i], sum(v**4 for v in votes.get(concept, [])) ** 0.25,
            max(child_sims, default=0.0), sum(child_sims) / len(child_sims) if child_sims else 0.0,
            float(concept in genus), float(any(graph.is_a(concept, g) for g in genus if g != concept)),
            float(any(graph.is_a(g, concept) for g in genus if g != concept)),
            float(concept in heads), float(any(graph.is_a(concept, h) for h in heads if h != concept)),
            float(concept in near), near_parents[concept] / max(len(near), 1),
            math.log1p(visible_children(linker, concept)), graph.depth(concept) / 20.0,
            near_lexnames.count(lexnames.get(concept, "")) / max(len(near_lexnames), 1), 1.0 / (1 + rank),
            float(TAXON in graph and graph.is_a(concept, TAXON)), taxon_like])
    base = np.asarray(rows, dtype=np.float64).reshape(len(found), len(BASE_FEATURES))
    columns = [BASE_FEATURES.index(name) for name in RELATIVE]
    gaps = base[:, columns] - base[:, columns].max(axis=0) if len(base) else base[:, columns]
    return np.hstack([base, gaps])


class Trees:
    """Boosted regression trees read from their JSON form: a row's score is the baseline plus, for
    each tree, the value of the leaf the row falls in (left where its feature <= the threshold).
    The trees' nodes lie end to end in flat arrays, each pointing at its children by position
    there, and a leaf points to itself, so all trees walk all rows at once, ``depth`` steps."""

    def __init__(self, document: dict[str, Any]):
        trees = document["trees"]
        starts = np.cumsum([0] + [len(tree["feature"]) for tree in trees[:-1]])

        def joined(key: str, dtype: type, shift: bool = False) -> np.ndarray:
            return np.concatenate([np.asarray(tree[key], dtype=dtype) + (start if shift else 0)
                                   for tree, start in zip(trees, starts, strict=True)])

        self.feature = joined("feature", np.intp)
        self.threshold = joined("threshold", np.float64)
        self.left, self.right = joined("left", np.intp, shift=True), joined("right", np.intp, shift=True)
        self.value = joined("value", np.float64)
        self.roots = starts.astype(np.intp)[:, None]
        self.depth = int(document["depth"])
        self.baseline = float(document["baseline"])

    def decision(self, x: np.ndarray) -> np.ndarray:
        """The trees' summed score (log-odds) of each row of ``x``."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        cells = x.ravel()
        row_starts = (np.arange(len(x), dtype=np.intp) * x.shape[1])[None, :]
        node = np.repeat(self.roots, len(x), axis=1)
        for _ in range(self.depth):
            left = cells.take(row_starts + self.feature.take(node)) <= self.threshold.take(node)
            node = np.where(left, self.left.take(node), self.right.take(node))
        return self.baseline + self.value.take(node).sum(axis=0)  # type: ignore[no-any-return]

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(x)))  # type: ignore[no-any-return]


@cache
def load_model(path: Path = MODEL_FILE) -> Trees:
    """The shipped ranker."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if tuple(document["features"]) != FEATURES or "trees" not in document:
        raise ValueError(f"{path} was trained on other features; retrain it (scripts/train_placement.py)")
    return Trees(document)


def rank(linker: Linker, result: LinkResult, head_senses: Sequence[str], gloss_vector: np.ndarray, *,
         only: Sequence[str] = ()) -> list[Ranked]:
    """The candidate parents of ``result`` (or those of them in ``only``), most probable first."""
    wanted = {c: "head" for c in visible(linker, only) if c in head_senses}
    found = wanted or candidates(linker, result, head_senses)  # the same answer, without the neighbours'
    if not found:
        return []
    ids = list(found)
    probabilities = load_model().probability(features(linker, result, ids, head_senses, gloss_vector))
    order = np.argsort(-probabilities, kind="stable")
    return [Ranked(ids[i], float(probabilities[i]), found[ids[i]]) for i in order]


def training_rows(linker: Linker, results: Sequence[LinkResult], truths: Sequence[set[str]],
                  gloss_vectors: Sequence[np.ndarray], *, heads_only: bool = False,
                  ) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features, labels (candidate is a real parent) and group sizes, for training or recall.
    ``heads_only``: the candidates are the senses of the name's head, as :func:`rank` ranks them
    for a name alone ("Dog toy": which toy)."""
    xs, ys, groups = [], [], []
    for result, truth, gloss_vector in zip(results, truths, gloss_vectors, strict=True):
        heads = result.head_senses
        found = visible(linker, heads) if heads_only else list(candidates(linker, result, heads))
        if not found:
            groups.append(0)
            continue
        xs.append(features(linker, result, found, heads, gloss_vector))
        ys.append(np.asarray([c in truth for c in found], dtype=np.float64))
        groups.append(len(found))
    return (np.vstack(xs) if xs else np.zeros((0, len(FEATURES))), np.concatenate(ys) if ys else np.zeros(0),
            groups)


#: Boosting settings, chosen by Hit@1 on held-out WordNet leaves (not on a dev set).
BOOSTING = {"max_iter": 200, "max_depth": 4, "learning_rate": 0.1, "min_samples_leaf": 100,
            "l2_regularization": 1.0, "random_state": 0}


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Gradient-boosted trees (scikit-learn, the ``dev`` extra) in the JSON form :class:`Trees` reads."""
    Boosting = require("sklearn.ensemble", "dev", "training the ranker").HistGradientBoostingClassifier
    model = Boosting(**BOOSTING).fit(x, y)
    trees, depth = [], 0
    for (predictor,) in model._predictors:  # one tree per boosting round (binary: one per round)
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        itself = np.arange(len(nodes))
        depth = max(depth, int(nodes["depth"].max()))
        trees.append({"feature": np.where(leaf, 0, nodes["feature_idx"]).tolist(),
                      "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).tolist(),
                      "left": np.where(leaf, itself, nodes["left"]).tolist(),
                      "right": np.where(leaf, itself, nodes["right"]).tolist(),
                      "value": np.where(leaf, nodes["value"], 0.0).round(7).tolist()})
    return {"features": list(FEATURES), "settings": BOOSTING, "depth": depth,
            "baseline": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}
