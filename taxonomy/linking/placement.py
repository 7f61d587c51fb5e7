"""Where a new concept goes: candidate parents, and a learned ranking of them.

Candidates come from the description's genus ("a semiconductor rectifier that ..." ->
rectifier), the name's head noun, the concepts nearest to "name: description" and their
parents. A logistic regression over a few features (similarity of the input to each candidate
and to its children, genus and head matches, neighbour votes, depth, lexicographer file) ranks
them; its probability is the link's confidence. It is trained by self-supervision on WordNet
(:func:`train`: hide leaves, learn to rank their real parents), never on a dev set, and ships as
a small JSON file of weights, so that linking needs no learning library.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from taxonomy.extras import require

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker, LinkResult

MODEL_FILE = Path(__file__).with_name("placement_model.json")
BASE_FEATURES = ("sim_input", "sim_description", "vote", "child_sim", "child_mean", "is_genus", "under_genus",
                 "genus_under", "is_head", "under_head", "is_neighbour", "neighbour_children", "log_children",
                 "depth", "lexname_share", "sense_rank")
#: Features compared with the best candidate of the same input: a pointwise model ranks better
#: when it sees how far each candidate is from the best one.
RELATIVE = ("sim_input", "sim_description", "vote", "child_sim", "child_mean")
FEATURES = BASE_FEATURES + tuple(f"{name}_gap" for name in RELATIVE)
MAX_CHILDREN = 64  # children compared with the input, per candidate


@dataclass(slots=True)
class Ranked:
    id: str
    probability: float
    source: str  # genus | head | nearest: where the candidate came from first


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
    return {c: s for c, s in found.items() if c in graph and c not in linker.hidden}


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
    lexnames = linker.lexnames()
    near_lexnames = [lexnames.get(c, "") for c, _ in result.neighbours[:10]]
    genus, heads = set(result.genus_senses), list(head_senses)
    rows = []
    for i, concept in enumerate(found):
        children = [c for c in graph.children(concept, MAX_CHILDREN + len(linker.hidden))  # at most that many hidden
                    if c not in linker.hidden][:MAX_CHILDREN]
        child_sims = embeddings.similarity(vector, children)
        rank = (heads.index(concept) if concept in heads else
                result.genus_senses.index(concept) if concept in genus else 10)
        rows.append([
            sim_input[i], sim_description[i], sum(v**4 for v in votes.get(concept, [])) ** 0.25,
            max(child_sims, default=0.0), sum(child_sims) / len(child_sims) if child_sims else 0.0,
            float(concept in genus), float(any(graph.is_a(concept, g) for g in genus if g != concept)),
            float(any(graph.is_a(g, concept) for g in genus if g != concept)),
            float(concept in heads), float(any(graph.is_a(concept, h) for h in heads if h != concept)),
            float(concept in near), near_parents[concept] / max(len(near), 1),
            math.log1p(graph.child_count(concept)), graph.depth(concept) / 20.0,
            near_lexnames.count(lexnames.get(concept, "")) / max(len(near_lexnames), 1), 1.0 / (1 + rank)])
    base = np.asarray(rows, dtype=np.float64).reshape(len(found), len(BASE_FEATURES))
    columns = [BASE_FEATURES.index(name) for name in RELATIVE]
    gaps = base[:, columns] - base[:, columns].max(axis=0) if len(base) else base[:, columns]
    return np.hstack([base, gaps])


@cache
def load_model(path: Path = MODEL_FILE) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """(weights, intercept, feature means, feature scales) of the shipped ranker."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if tuple(document["features"]) != FEATURES:
        raise ValueError(f"{path} was trained on other features; retrain it (scripts/train_placement.py)")
    return (np.asarray(document["weights"]), float(document["intercept"]), np.asarray(document["mean"]),
            np.asarray(document["scale"]))


def rank(linker: Linker, result: LinkResult, head_senses: Sequence[str], gloss_vector: np.ndarray, *,
         only: Sequence[str] = ()) -> list[Ranked]:
    """The candidate parents of ``result`` (or those of them in ``only``), most probable first."""
    graph = linker.store.graph
    wanted = {c: "head" for c in only if c in head_senses and c in graph and c not in linker.hidden}
    found = wanted or candidates(linker, result, head_senses)  # the same answer, without the neighbours'
    if not found:
        return []
    ids = list(found)
    weights, intercept, mean, scale = load_model()
    logits = ((features(linker, result, ids, head_senses, gloss_vector) - mean) / scale) @ weights + intercept
    probabilities = 1.0 / (1.0 + np.exp(-logits))
    order = np.argsort(-probabilities, kind="stable")
    return [Ranked(ids[i], float(probabilities[i]), found[ids[i]]) for i in order]


def training_rows(linker: Linker, results: Sequence[LinkResult], truths: Sequence[set[str]],
                  gloss_vectors: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features, labels (candidate is a real parent) and group sizes, for training or recall."""
    xs, ys, groups = [], [], []
    for result, truth, gloss_vector in zip(results, truths, gloss_vectors, strict=True):
        heads = result.head_senses
        found = list(candidates(linker, result, heads))
        if not found:
            groups.append(0)
            continue
        xs.append(features(linker, result, found, heads, gloss_vector))
        ys.append(np.asarray([c in truth for c in found], dtype=np.float64))
        groups.append(len(found))
    return (np.vstack(xs) if xs else np.zeros((0, len(FEATURES))), np.concatenate(ys) if ys else np.zeros(0),
            groups)


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """A logistic regression (scikit-learn, the ``dev`` extra) on standardised features."""
    LogisticRegression = require("sklearn.linear_model", "dev", "training the ranker").LogisticRegression
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return {"features": list(FEATURES), "weights": model.coef_[0].round(6).tolist(),
            "intercept": round(float(model.intercept_[0]), 6), "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist()}
