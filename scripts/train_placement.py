"""Train the placement ranker by self-supervision on WordNet (never on a dev set).

    python scripts/train_placement.py [--store PATH] [--leaves 4000] [--groups 300] [--seed 7]
                                      [--dev ../shared/data/dev]

Hides a seeded sample of WordNet leaves (every lexicographer file; concepts named in the dev sets
are left out of the sample; some families of leaves hidden whole, see hidden_leaves), links each
back by its first lemma and gloss, and fits gradient-boosted trees that rank the candidate
parents (taxonomy/linking/placement.py). Trains on 80 % of the
leaves; prints candidate recall@20 and Hit@1 on the other 20 %, for the ranker, for a logistic
regression on the same features and for the neighbours' votes alone; writes
taxonomy/linking/placement_model.json.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from taxonomy import Store  # noqa: E402
from taxonomy.graph import GraphIndex  # noqa: E402
from taxonomy.linking import placement  # noqa: E402
from taxonomy.linking.embedding import ConceptEmbeddings  # noqa: E402
from taxonomy.linking.linker import Linker  # noqa: E402
from taxonomy.linking.results import LinkInput  # noqa: E402


def dev_concepts(folder: Path) -> set[str]:
    """Every WordNet id named in the dev sets, kept out of training."""
    found: set[str] = set()
    for path in folder.glob("*") if folder.is_dir() else []:
        found |= set(re.findall(r"\bn\d{8}\b", path.read_text(encoding="utf-8", errors="replace")))
    return found


def hit_at_1(scores: np.ndarray, labels: np.ndarray, groups: list[int]) -> tuple[float, float, float]:
    """Hit@1, recall (a real parent among the candidates) and recall@20 (among the 20 best by
    ``scores``) over groups of candidate rows."""
    hits = recall = recall20 = start = 0
    for size in groups:
        if size:
            block = slice(start, start + size)
            order = np.argsort(-scores[block], kind="stable")
            hits += bool(labels[block][order[0]])
            recall += bool(labels[block].any())
            recall20 += bool(labels[block][order[:20]].any())
        start += size
    return hits / len(groups), recall / len(groups), recall20 / len(groups)


def logistic_regression(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A logistic regression on the same standardised features, to compare the trees with."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(max_iter=2000).fit((x - mean) / scale, y)
    return lambda rows: model.decision_function((rows - mean) / scale)  # type: ignore[no-any-return]


#: The training sample's defaults: hidden leaves, families hidden whole among them, the seed
#: (bench/link_quality.py leaves the same sample out of its held-out sets).
LEAVES, GROUPS, SEED = 4000, 300, 7


def hidden_leaves(graph: GraphIndex, pool: Sequence[str], count: int, groups: int, seed: int) -> set[str]:
    """``count`` leaves of ``pool`` to hide: every child of ``groups`` parents whose children are
    all leaves (2 to 8 of them), the rest drawn one by one. A parent whose kinds are all hidden
    looks like a leaf, as a WordNet leaf does to a user adding kinds below it ("a Loloish
    language" when Loloish has no kinds yet): drawn one by one, few parents are ever that, and
    the ranker learnt that a leaf is never a parent."""
    rng = random.Random(seed)
    allowed = set(pool)
    parents = sorted({p for leaf in pool for p in graph.parents(leaf)})
    families = [kids for p in parents if 2 <= len(kids := graph.children(p)) <= 8 and allowed.issuperset(kids)]
    hidden: set[str] = set()
    for kids in rng.sample(families, min(groups, len(families))):
        hidden.update(kids)
    rest = sorted(allowed - hidden)
    return hidden | set(rng.sample(rest, min(max(count - len(hidden), 0), len(rest))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store")
    parser.add_argument("--leaves", type=int, default=LEAVES)
    parser.add_argument("--groups", type=int, default=GROUPS,
                        help="parents of leaves only whose every child is hidden too (see hidden_leaves)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "data" / "dev")
    args = parser.parse_args()
    with Store.open(args.store) as store:
        graph = store.graph
        excluded = dev_concepts(args.dev)
        pool = sorted(cid for cid, _, source in store.concept_columns()
                      if source == "wordnet" and not graph.children(cid) and cid not in excluded)
        leaves = sorted(hidden_leaves(graph, pool, args.leaves, args.groups, args.seed))
        linker = Linker(store, hidden=set(leaves), embeddings=ConceptEmbeddings.load(store), ranker=False)
        concepts = store.concepts(leaves)
        results = linker.link([LinkInput(c.lemmas[0], c.gloss) for c in concepts])
        for result in results:
            if not result.head_senses:
                result.head_senses = linker.head_senses(result.tails)[1]
        truths = [set(graph.parents(leaf)) for leaf in leaves]
        # a compound name alone, as dataset labels come: the ranker picks its head's sense
        compounds = [i for i, c in enumerate(concepts) if " " in c.lemmas[0].strip()]
        named = dict(zip(compounds, linker.link([LinkInput(concepts[i].lemmas[0]) for i in compounds]), strict=True))
        for result in named.values():
            result.head_senses = result.head_senses or linker.head_senses(result.tails)[1]
        named = {i: r for i, r in named.items() if len(r.head_senses) > 1}  # one sense: nothing to choose
        cut = int(len(leaves) * 0.8)

        def rows(part: range) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray, np.ndarray, list[int]]:
            described = placement.training_rows(linker, [results[i] for i in part], [truths[i] for i in part],
                                                [results[i].gloss_vector for i in part])
            alone = [i for i in part if i in named]
            by_name = placement.training_rows(linker, [named[i] for i in alone], [truths[i] for i in alone],
                                              [named[i].gloss_vector for i in alone], heads_only=True)
            return (*described, *by_name)

        x, y, _, nx, ny, ngroups = rows(range(cut))
        model = placement.fit(np.vstack([x, nx]), np.concatenate([y, ny]))
        tx, ty, tgroups, tnx, tny, tngroups = rows(range(cut, len(leaves)))
        ranked, recall, ranked20 = hit_at_1(placement.Trees(model).decision(tx), ty, tgroups)
        by_name, _, _ = hit_at_1(placement.Trees(model).decision(tnx), tny, tngroups)
        first_sense, _, _ = hit_at_1(tnx[:, placement.FEATURES.index("sense_rank")], tny, tngroups)
        linear, _, _ = hit_at_1(logistic_regression(x, y)(tx), ty, tgroups)
        votes, _, votes20 = hit_at_1(tx[:, placement.FEATURES.index("vote")], ty, tgroups)
        print(f"trained on {cut} hidden leaves ({len(y):,} candidates), tested on {len(leaves) - cut}: "
              f"candidate recall {recall:.1%} (of the 20 best: ranker {ranked20:.1%}, votes {votes20:.1%}); "
              f"Hit@1 ranker {ranked:.1%} ({len(model['trees'])} trees), a logistic regression {linear:.1%}, "
              f"neighbours' votes alone {votes:.1%}; {len(ngroups)} + {len(tngroups)} compound names alone, "
              f"their head's sense right: ranker {by_name:.1%}, its first sense {first_sense:.1%}")
    trained_on = f"{cut} WordNet 3.0 leaves ({args.groups} families hidden whole), seed {args.seed}"
    placement.MODEL_FILE.write_text(json.dumps({"trained_on": trained_on, **model}, separators=(",", ":")) + "\n",
                                    encoding="utf-8")
    print(f"wrote {placement.MODEL_FILE}")


if __name__ == "__main__":
    main()
