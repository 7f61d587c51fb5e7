"""Active sampling: which candidates go to annotators this round.

Every sampler takes the candidates as indices into the pool and returns pool indices.

- ``random``: a uniform sample.
- ``entropy`` / ``margin``: the most uncertain under the current model (highest entropy,
  smallest top-1 minus top-2 probability).
- ``coreset``: k-center greedy (Sener & Savarese 2018) on the embeddings: each pick is the
  candidate farthest from everything labeled or picked so far.
- ``cluster_margin`` (Citovsky et al. 2021): the pool is clustered once (agglomerative, average
  linkage); each round takes the ``multiplier x budget`` lowest-margin candidates and picks from
  their clusters round-robin, smallest cluster first, so that uncertain and diverse go together.
  Cluster labels are read by *pool* index: the one public implementation reads them by position
  in the candidate subset, which pairs candidates with other images' clusters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Round:
    """What a sampler may use: the candidates (pool indices) and the pool's scores."""

    candidates: IntArray
    margin: FloatArray
    entropy: FloatArray
    embeddings: FloatArray
    budget: int
    rng: np.random.Generator
    clusters: int  # for cluster-margin: how many clusters the pool is cut into
    margin_multiplier: float = 10.0


def _as_candidates(candidates: npt.ArrayLike) -> IntArray:
    return np.asarray(candidates, dtype=np.int64)


def random_sample(candidates: npt.ArrayLike, budget: int, rng: np.random.Generator) -> IntArray:
    pool = _as_candidates(candidates)
    return np.sort(rng.choice(pool, size=min(budget, pool.size), replace=False)) if pool.size else pool


def entropy_sample(candidates: npt.ArrayLike, entropy: FloatArray, budget: int) -> IntArray:
    """The highest-entropy candidates (ties: lower pool index first)."""
    pool = _as_candidates(candidates)
    order = np.lexsort((pool, -entropy[pool]))
    return pool[order[:budget]]


def margin_sample(candidates: npt.ArrayLike, margin: FloatArray, budget: int) -> IntArray:
    """The smallest-margin candidates (ties: lower pool index first)."""
    pool = _as_candidates(candidates)
    order = np.lexsort((pool, margin[pool]))
    return pool[order[:budget]]


def coreset_sample(candidates: npt.ArrayLike, embeddings: FloatArray, budget: int,
                   labeled: npt.ArrayLike = ()) -> IntArray:
    """k-center greedy: repeatedly the candidate farthest (Euclidean) from the labeled and picked
    points; the first pick, when nothing is labeled, is the candidate farthest from the mean."""
    pool = _as_candidates(candidates)
    centers = np.asarray(labeled, dtype=np.int64)
    points = embeddings[pool].astype(np.float64)
    if centers.size:
        nearest = np.full(pool.size, np.inf)
        for start in range(0, centers.size, 1024):
            block = embeddings[centers[start : start + 1024]].astype(np.float64)
            nearest = np.minimum(nearest, _distances(points, block).min(axis=1))
    else:
        nearest = _distances(points, points.mean(axis=0, keepdims=True))[:, 0]
    picked: list[int] = []
    for _ in range(min(budget, pool.size)):
        best = int(np.argmax(nearest))
        picked.append(best)
        nearest = np.minimum(nearest, _distances(points, points[best : best + 1])[:, 0])
        nearest[best] = -np.inf
    return pool[np.asarray(picked, dtype=np.int64)]


def _distances(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    squared = (a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None, :]
    distances: npt.NDArray[np.float64] = np.sqrt(np.clip(squared, 0, None))
    return distances


def agglomerative_clusters(embeddings: FloatArray, n_clusters: int, *, max_points: int = 20_000,
                           rng: np.random.Generator | None = None) -> IntArray:
    """Cluster ids (0..) of every pool point: average-linkage agglomerative clustering on cosine
    distance. Above ``max_points`` (memory is quadratic), a random sample is clustered and every
    other point joins the cluster whose mean is nearest."""
    from scipy.cluster.hierarchy import fcluster, linkage

    n = embeddings.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n == 1 or n_clusters <= 1:
        return np.zeros(n, dtype=np.int64)
    sample = np.arange(n) if n <= max_points else np.sort((rng or np.random.default_rng(0)).choice(
        n, max_points, replace=False))
    tree = linkage(embeddings[sample].astype(np.float64), method="average", metric="cosine")
    found: IntArray = fcluster(tree, t=min(n_clusters, sample.size), criterion="maxclust").astype(np.int64) - 1
    if sample.size == n:
        return found
    means = np.stack([embeddings[sample[found == c]].mean(axis=0) for c in range(int(found.max()) + 1)])
    ids = np.empty(n, dtype=np.int64)
    for start in range(0, n, 8192):
        ids[start : start + 8192] = np.argmax(embeddings[start : start + 8192] @ means.T, axis=1)
    ids[sample] = found
    return ids


def cluster_margin_sample(candidates: npt.ArrayLike, margin: FloatArray, clusters: IntArray, budget: int,
                          rng: np.random.Generator, multiplier: float = 10.0) -> IntArray:
    """ClusterMargin: the ``multiplier * budget`` lowest-margin candidates, grouped by their pool
    cluster ids; clusters visited smallest first, one random member each, round after round."""
    pool = _as_candidates(candidates)
    shortlist = margin_sample(pool, margin, int(np.ceil(multiplier * budget)))
    groups: dict[int, list[int]] = {}
    for index in shortlist.tolist():
        groups.setdefault(int(clusters[index]), []).append(index)  # by pool index, not shortlist position
    ordered = sorted(groups.items(), key=lambda kv: (len(kv[1]), kv[0]))
    members = [rng.permutation(np.asarray(m, dtype=np.int64)).tolist() for _, m in ordered]
    picked: list[int] = []
    while len(picked) < min(budget, shortlist.size):
        for group in members:
            if group and len(picked) < budget:
                picked.append(group.pop())
    return np.asarray(picked, dtype=np.int64)


def _cluster_margin(pool: Round) -> IntArray:
    clusters = agglomerative_clusters(pool.embeddings, pool.clusters, rng=pool.rng)
    return cluster_margin_sample(pool.candidates, pool.margin, clusters, pool.budget, pool.rng, pool.margin_multiplier)


#: Every sampler by the name the CLI and the run config use.
SAMPLERS: dict[str, Callable[[Round], IntArray]] = {
    "random": lambda pool: random_sample(pool.candidates, pool.budget, pool.rng),
    "entropy": lambda pool: entropy_sample(pool.candidates, pool.entropy, pool.budget),
    "margin": lambda pool: margin_sample(pool.candidates, pool.margin, pool.budget),
    "coreset": lambda pool: coreset_sample(pool.candidates, pool.embeddings, pool.budget),
    "cluster-margin": _cluster_margin,
}
