"""``taxonomy eval link``: the linker measured on held-out WordNet.

A seeded sample of leaf synsets from the visual lexicographer files is hidden from the linker
(their names, embeddings and places); each is linked back by its first lemma and gloss, and its
predicted parents are compared with WordNet's: Hit@1, Hit@5, MRR and Wu & Palmer similarity of
the top parent. "Same" accuracy links names of existing concepts, with their glosses, back to
themselves. ``calibrate`` fits each method's confidence curve on another seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from taxonomy.linking.confidence import CALIBRATION
from taxonomy.linking.embedding import ConceptEmbeddings
from taxonomy.linking.linker import Linker
from taxonomy.linking.results import LinkInput, LinkResult
from taxonomy.linking.similarity import WuPalmer
from taxonomy.store import Store

VISUAL_LEXNAMES = ("noun.animal", "noun.plant", "noun.artifact", "noun.food", "noun.object")


@dataclass(slots=True)
class LinkEvaluation:
    leaves: int
    seed: int
    hit_at_1: float
    hit_at_5: float
    mrr: float
    wu_palmer: float
    decided_child: float
    same_accuracy: float
    same_tested: int
    by_method: dict[str, int]
    reliability: list[dict[str, float]]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def held_out_leaves(store: Store, count: int, seed: int) -> list[str]:
    """A seeded sample of WordNet leaves from the visual lexicographer files."""
    graph = store.graph
    pool = [cid for cid, lexname, source in store.concept_columns()
            if source == "wordnet" and lexname in VISUAL_LEXNAMES and not graph.children(cid)]
    return sorted(random.Random(seed).sample(pool, min(count, len(pool))))


def wordnet_leaves(store: Store) -> list[str]:
    """WordNet's concepts with no kinds below them (every lexicographer file)."""
    graph = store.graph
    return [cid for cid, _, source in store.concept_columns() if source == "wordnet" and not graph.children(cid)]


def compound_leaves(store: Store, count: int, seed: int) -> list[str]:
    """A seeded sample of WordNet leaves (every lexicographer file) whose name is a compound
    ("bamboo forest"), as dataset labels often are: placed by the name alone, below its head."""
    leaves = wordnet_leaves(store)
    names = store.names(leaves)
    pool = sorted(c for c in leaves if " " in names.get(c, "").strip())
    return sorted(random.Random(seed).sample(pool, min(count, len(pool))))


def kinds_of_their_head(store: Store, leaves: Sequence[str]) -> dict[str, str]:
    """The names of the ``leaves`` that are a kind of a sense of their last word ("bamboo forest",
    not "sea cucumber"), as a label a dataset has and WordNet lacks mostly is ("elevator door"):
    the sample the "below-head" curves are fitted on. On a third of WordNet's compounds, which
    are no kind of their head, no name alone can be placed right (6-14 % are)."""
    words, graph = Linker(store).words, store.graph  # no leaf hidden: every sense of the head counts
    names = store.names(leaves)
    return {leaf: names[leaf] for leaf in leaves
            if any(graph.is_a(leaf, sense) for sense in words.senses_named(names[leaf].split()[-1]) if sense != leaf)}


def species_compounds(store: Store) -> dict[str, str]:
    """The names of WordNet's leaves that add words to the name of one species ("marine iguana",
    "desert iguana"; the iguana is Iguana iguana): every one, for they are few (about 150), the
    sample the "beside-species" curve is fitted on, each linked with all of them hidden."""
    words = Linker(store).words
    names = {c: n for c, n in store.names(wordnet_leaves(store)).items() if len(n.split()) > 1 and n[:1].islower()}
    return {leaf: name for leaf, name in sorted(names.items())
            if any(sense != leaf and words.binomial_of(sense) for sense in words.senses_named(name.split()[-1]))}


def solid_leaves(store: Store) -> dict[str, str]:
    """The names of WordNet's leaves written solid of two words the store knows ("boathouse",
    "doorsill", "tadpole"), as a dataset's "Spaceplane" is, by concept."""
    words = Linker(store).words
    names = {c: n for c, n in store.names(wordnet_leaves(store)).items()
             if n.isalpha() and n.islower() and not n.endswith("ing")}
    return {c: names[c] for c in sorted(names) if set(words.split_solid(names[c])[2]) - {c}}


def solid_compounds(store: Store, count: int, seed: int) -> dict[str, str]:
    """A seeded sample of :func:`solid_leaves`: the sample the "split-head" curve is fitted on,
    each linked by the name alone with all of them hidden."""
    names = solid_leaves(store)
    pool = sorted(names)
    return {c: names[c] for c in sorted(random.Random(seed).sample(pool, min(count, len(pool))))}


def curve_of(result: LinkResult) -> str | None:
    """The confidence curve that scored a link: its first candidate's, the one it chose."""
    if result.decision == "none" or not result.candidates:
        return None
    return result.candidates[0].curve or result.candidates[0].method


def wu_palmer(store: Store, a: str, b: str) -> float:
    """Wu & Palmer similarity of two concepts of the store (see similarity.WuPalmer)."""
    return WuPalmer(store.graph)(a, b)


def ranking(store: Store, result: LinkResult) -> list[str]:
    """The predicted parents, best first: a "same" answer predicts that concept's parents."""
    if result.decision == "same" and result.concept:
        first = store.graph.parents(result.concept)
        rest = [p for c in result.candidates[1:] for p in store.graph.parents(c.id)]
        ranked = first + rest
    else:
        ranked = [c.id for c in result.candidates]
    seen: list[str] = []
    for concept in ranked:
        if concept not in seen:
            seen.append(concept)
    return seen


def evaluate(store: Store, count: int = 500, seed: int = 0, embeddings: ConceptEmbeddings | None = None,
             same_count: int = 300) -> LinkEvaluation:
    leaves = held_out_leaves(store, count, seed)
    embeddings = embeddings or ConceptEmbeddings.load(store)
    linker = Linker(store, hidden=set(leaves), embeddings=embeddings)
    concepts = store.concepts(leaves)
    results = linker.link([LinkInput(c.lemmas[0], c.gloss) for c in concepts])
    hits1 = hits5 = 0
    reciprocal = wup = 0.0
    by_method: dict[str, int] = {}
    reliability: list[tuple[float, bool]] = []
    for leaf, result in zip(leaves, results, strict=True):
        truth = set(store.graph.parents(leaf))
        ranked = ranking(store, result)
        hit = bool(ranked) and ranked[0] in truth
        hits1 += hit
        hits5 += any(c in truth for c in ranked[:5])
        rank = next((i for i, c in enumerate(ranked[:10], 1) if c in truth), None)
        reciprocal += 1.0 / rank if rank else 0.0
        wup += max((wu_palmer(store, ranked[0], t) for t in truth), default=0.0) if ranked else 0.0
        by_method[result.method or "none"] = by_method.get(result.method or "none", 0) + 1
        reliability.append((result.score, hit))
    same_ok, same_n = _same_accuracy(store, linker.embeddings, set(leaves), same_count, seed)
    n = max(len(leaves), 1)
    return LinkEvaluation(
        leaves=len(leaves), seed=seed, hit_at_1=hits1 / n, hit_at_5=hits5 / n, mrr=reciprocal / n,
        wu_palmer=wup / n, decided_child=sum(r.decision == "child" for r in results) / n,
        same_accuracy=same_ok / max(same_n, 1), same_tested=same_n, by_method=by_method,
        reliability=bins(reliability))


def _same_accuracy(store: Store, embeddings: ConceptEmbeddings, exclude: set[str], count: int,
                   seed: int) -> tuple[int, int]:
    pool = [cid for cid, lexname, source in store.concept_columns()
            if source == "wordnet" and lexname in VISUAL_LEXNAMES and cid not in exclude]
    chosen = sorted(random.Random(seed + 1).sample(pool, min(count, len(pool))))
    linker = Linker(store, embeddings=embeddings)
    concepts = store.concepts(chosen)
    results = linker.link([LinkInput(c.lemmas[0], c.gloss) for c in concepts])
    correct = sum(r.decision == "same" and r.concept == c for r, c in zip(results, chosen, strict=True))
    return correct, len(chosen)


def bins(pairs: Sequence[tuple[float, bool]]) -> list[dict[str, float]]:
    """Confidence bins against the observed Hit@1: how calibrated the scores are."""
    found = []
    for lo in np.arange(0.0, 1.0, 0.2):
        inside = [hit for score, hit in pairs if lo <= score < lo + 0.2 or (lo >= 0.8 and score == 1.0)]
        if inside:
            found.append({"from": round(float(lo), 1), "to": round(float(lo) + 0.2, 1), "count": len(inside),
                          "hit_at_1": round(sum(inside) / len(inside), 3)})
    return found


def calibrate(store: Store, count: int = 400, seed: int = 1,
              embeddings: ConceptEmbeddings | None = None) -> dict[str, CurveFit]:
    """Fit sigmoid(a * raw + b) per confidence curve to Hit@1 on held-out leaves (another seed
    than eval), each on the raw scores that curve maps, beside the shipped curve (CurveFit)."""
    leaves = held_out_leaves(store, count, seed)
    linker = Linker(store, hidden=set(leaves), embeddings=embeddings or ConceptEmbeddings.load(store))
    results = linker.link([LinkInput(c.lemmas[0], c.gloss) for c in store.concepts(leaves)])
    samples: dict[str, list[tuple[float, bool]]] = {}

    def placed(hidden: Sequence[str], answers: Sequence[LinkResult],
               curves: Sequence[str] = tuple(CALIBRATION)) -> None:
        for leaf, result in zip(hidden, answers, strict=True):
            curve = curve_of(result)
            if curve is not None and curve in curves and curve != "wikidata":
                ranked = ranking(store, result)
                hit = bool(ranked) and ranked[0] in store.graph.parents(leaf)
                samples.setdefault(curve, []).append((result.raw, hit))
    placed(leaves, results)
    # "exact" is mostly right on names that exist and wrong on held-out ones: fit it on both
    same = held_out_leaves(store, count, seed + 100)
    for concept, result in zip(same, linker.link([LinkInput(c.lemmas[0], c.gloss) for c in store.concepts(same)]),
                               strict=True):
        if result.method == "exact" and concept not in linker.hidden:
            samples.setdefault("exact", []).append((result.raw, result.concept == concept))
    names_only = linker.link([LinkInput(c.lemmas[0]) for c in store.concepts(same)])
    for concept, result in zip(same, names_only, strict=True):
        if result.method == "exact":
            samples.setdefault("exact-name", []).append((result.raw, result.concept == concept))
    samples["label-sense"] = label_sense_samples(store, linker.embeddings, seed)
    named = kinds_of_their_head(store, compound_leaves(store, count * 5, seed + 200))
    placed(list(named), Linker(store, hidden=set(named), embeddings=linker.embeddings).link(
        [LinkInput(name) for name in named.values()]), curves=("below-head", "below-head-one-sense"))
    beside = species_compounds(store)
    answers = Linker(store, hidden=set(beside), embeddings=linker.embeddings).link(
        [LinkInput(name) for name in beside.values()])
    placed(list(beside), answers, curves=("beside-species",))
    solid = solid_compounds(store, count * 2, seed + 300)  # few are placed so: twice the leaves
    placed(list(solid), Linker(store, hidden=set(solid), embeddings=linker.embeddings).link(
        [LinkInput(name) for name in solid.values()]), curves=("split-head",))
    for leaf, result in zip(beside, answers, strict=True):  # ... and had it gone below the species
        below = [c for c in result.candidates if c.curve == "below-species"]
        if curve_of(result) == "beside-species" and below:
            samples.setdefault("below-species", []).append((below[0].raw, below[0].id in store.graph.parents(leaf)))
    return {method: CurveFit.of(method, pairs) for method, pairs in samples.items() if len(pairs) >= 10}


@dataclass(frozen=True, slots=True)
class CurveFit:
    """A confidence curve fitted by :func:`calibrate`, beside the shipped one (CALIBRATION): how
    many samples, how many right, and the log loss of each curve on them, so that a refit is
    taken where it fits better, not because it differs."""

    a: float
    b: float
    samples: int
    right: int
    log_loss: float
    shipped: tuple[float, float]
    shipped_log_loss: float

    @classmethod
    def of(cls, method: str, pairs: Sequence[tuple[float, bool]]) -> CurveFit:
        a, b = _fit(pairs)
        shipped = CALIBRATION[method]
        return cls(a, b, len(pairs), sum(hit for _, hit in pairs), _log_loss((a, b), pairs), shipped,
                   _log_loss(shipped, pairs))

    def line(self, method: str) -> str:
        return (f"{method}: a={self.a}, b={self.b} on {self.samples} samples ({self.right / self.samples:.1%} right), "
                f"log loss {self.log_loss:.3f}; shipped a={self.shipped[0]}, b={self.shipped[1]}, log loss "
                f"{self.shipped_log_loss:.3f}")


def _log_loss(curve: tuple[float, float], pairs: Sequence[tuple[float, bool]]) -> float:
    raw, hit = _raw_and_hits(pairs)
    p = np.clip(1 / (1 + np.exp(-(curve[0] * raw + curve[1]))), 1e-6, 1 - 1e-6)
    return round(float(-np.mean(hit * np.log(p) + (1 - hit) * np.log(1 - p))), 4)


#: ImageNet-21K classes linked as a label set to fit the "label-sense" curve: blocks of
#: neighbouring classes (a label's context is the labels around it), so many of so many.
LABEL_SENSE_BLOCKS, LABEL_SENSE_BLOCK = 30, 100


def label_sense_samples(store: Store, embeddings: ConceptEmbeddings, seed: int) -> list[tuple[float, bool]]:
    """(margin, right) of dataset labels whose sense the visual order chose among several: the
    first names of ImageNet-21K classes, in blocks of their list's order, linked as labels by a
    linker blind to the ImageNet label sets (whose prior would otherwise read the answer);
    ImageNet-1k's classes are left out (``bench/link_quality.py`` measures on some of them).
    A first name is always the gold's first name, so the sample favours the order's
    FIRST_NAME_BONUS (label_senses): 68 % right with it, 64 % without, on seed 2; the shipped
    curve was fitted before the bonus, and not fitted again on a sample that reads it."""
    classes = store.label_concepts("imagenet21k")
    if len(classes) <= LABEL_SENSE_BLOCK:
        return []
    known = {c for c in store.label_concepts("imagenet1k") if c}
    linker = Linker(store, embeddings=embeddings, ignore_datasets=("imagenet1k", "imagenet21k"))
    rng = random.Random(seed)
    samples = []
    for start in sorted(rng.sample(range(len(classes) - LABEL_SENSE_BLOCK), LABEL_SENSE_BLOCKS)):
        block = [c for c in dict.fromkeys(classes[start : start + LABEL_SENSE_BLOCK]) if c and c not in known]
        names = store.english_lemmas(block)
        block = [c for c in block if names.get(c)]
        for concept, result in zip(block, linker.link([LinkInput(names[c][0]) for c in block], visual=True),
                                   strict=True):
            if result.candidates and result.candidates[0].curve == "label-sense":
                samples.append((result.raw, result.concept == concept))
    return samples


def _raw_and_hits(pairs: Sequence[tuple[float, bool]]) -> tuple[np.ndarray, np.ndarray]:
    """The raw scores and whether each was right (1.0 or 0.0), as arrays."""
    return np.array([raw for raw, _ in pairs], dtype=float), np.array([1.0 if hit else 0.0 for _, hit in pairs])


def _fit(pairs: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    """Logistic regression of correctness on the raw score, by Newton's method."""
    x, y = _raw_and_hits(pairs)
    w = np.zeros(2)
    features = np.stack([x, np.ones_like(x)], axis=1)
    for _ in range(50):
        p = 1 / (1 + np.exp(-features @ w))
        gradient = features.T @ (y - p)
        hessian = -(features.T * (p * (1 - p) + 1e-6)) @ features - 1e-3 * np.eye(2)
        w -= np.linalg.solve(hessian, gradient)
    return round(float(w[0]), 3), round(float(w[1]), 3)
