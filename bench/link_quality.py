"""The linker's quality on text that is not WordNet 3.0's own, every set in one command.

    python bench/link_quality.py [--store PATH] [--dev ../shared/data/dev] [--errors N] [--json]

Sets (each figure labelled with where its text comes from):

- oewn-same: WordNet concepts named with their Open English WordNet *rewritten* definitions
  (../shared/data/dev/oewn_rewritten_definitions.tsv): should link "same";
- oewn-placement: its leaves hidden from the linker and placed with their OEWN definitions;
  all hidden together (151 of the 286 lose a sibling that is hidden too: OEWN rewrote whole
  families, the Anatolian languages, the Dorians and Ionians), and, as
  oewn-placement-one-at-a-time, each alone, as a user adds one concept to a store that holds
  its siblings;
- imagenet-wiki: ImageNet classes named by their English Wikipedia titles (Bujwid & Sullivan
  2021), name only, as a dataset label set (``visual``), with the linker blind to the ImageNet
  label sets (its prior that a sense with ImageNet images is what a dataset means would read
  the gold itself); imagenet-wiki-with-imagenet-prior: the same with that prior, as a user's
  linker has it;
- coco, objects365-sample, places365-sample: reviewed gold mappings of public label sets
  (tests/fixtures/gold/), name only, ``visual``; openimages-ing-sample: the same for Open Images
  classes whose last word is an ``-ing`` form, activities ("Mountain biking") and things
  ("Wood flooring") among them; openimages-heads-sample: Open Images classes of two words or
  more that the store does not name and whose last word it does, the labels a head noun
  places (car models among them: "Opel senator"); each sample linked alone and, as
  ``<name>-in-set``, within the whole label set it was drawn from, as ``taxonomy datasets
  link`` links it (what the set says of its labels: makers, context, what it mostly shows);
- wordnet-names: held-out WordNet leaves whose name is a compound, placed by the name alone (no
  gloss), as dataset labels come; none of them hidden in training the placement ranker. Its
  calibration bins say how far a name-alone placement's confidence can be trusted;
- wordnet-solid-names: held-out WordNet leaves written solid of two words the store knows
  ("boathouse", "tadpole"), placed by the name alone, as a dataset's "Spaceplane" comes;
- wordnet-gloss: for comparison, held-out WordNet leaves linked with WordNet's own glosses
  (``taxonomy eval link``), the figure that says least about a user's text.

Below each name-only set and oewn-same, a line says how many of its rows' gold concepts the
name itself names, how many names name only other concepts ("Housefly", whose ImageNet class is
the fly; OEWN's "baseball" row, a synset WordNet 3.0 names otherwise) and how many nothing: the
share of the second kind is out of reach of a linker true to the name.

Needs a built store with embeddings (``taxonomy build``, ``taxonomy embed``).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from taxonomy import Store  # noqa: E402
from taxonomy.linking.embedding import ConceptEmbeddings  # noqa: E402
from taxonomy.linking.evaluation import evaluate, solid_leaves, wordnet_leaves  # noqa: E402
from taxonomy.linking.gold import GoldRow, evaluate_gold, read_gold, score_line  # noqa: E402
from taxonomy.linking.linker import Linker  # noqa: E402
from taxonomy.linking.names import split_qualifier  # noqa: E402
from taxonomy.sources.public_labels import public_label_sets  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import train_placement  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "gold"
NAMED_LEAVES = 1000  # held-out compound-named leaves of the wordnet-names set
SOLID_LEAVES = 400  # held-out leaves written solid of two words, of the wordnet-solid-names set
IMAGENET = ("imagenet1k", "imagenet21k")  # the label sets ImageNet-Wiki's gold classes come from
#: The shipped label set each reviewed sample was drawn from (COCO's gold is the whole set)
SAMPLED_FROM = {"objects365_sample": "objects365", "places365_sample": "places365",
                "openimages_ing_sample": "openimages", "openimages_heads_sample": "openimages"}


def oewn_rows(path: Path) -> list[GoldRow]:
    """Same rows for every concept, and placement rows (the concept hidden) for the leaves."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows: list[GoldRow] = []
    for n, cells in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), 3):
        rows.append(GoldRow(cells["name"], cells["definition"], concepts=[cells["wn30_id"]], source="oewn-same",
                            line=n))
        if cells["leaf"] == "yes":
            rows.append(GoldRow(cells["name"], cells["definition"], parents=cells["wn30_parents"].split("|"),
                                hide=cells["wn30_id"], source="oewn-placement", line=n))
    return rows


def imagenet_wiki_rows(folder: Path) -> list[GoldRow]:
    """The first Wikipedia title of every ImageNet class that has one, as a name-only label."""
    rows: list[GoldRow] = []
    for name in ("class_article_correspondences_trainval.csv", "class_article_correspondences_mp500.csv"):
        with open(folder / name, encoding="utf-8") as handle:
            for n, cells in enumerate(csv.reader(handle, skipinitialspace=True), 1):
                if len(cells) >= 2 and cells[1].strip() not in ("", "-"):
                    rows.append(GoldRow(cells[1].strip(), concepts=[cells[0].strip()], source="imagenet-wiki",
                                        line=n))
    return rows


def untrained_leaves(store: Store, dev: Path) -> list[str]:
    """WordNet's leaves the ranker was not trained on (the training script's default sample)
    and the dev sets do not name."""
    graph, excluded = store.graph, train_placement.dev_concepts(dev)
    pool = sorted(c for c in wordnet_leaves(store) if c not in excluded)
    trained = train_placement.hidden_leaves(graph, pool, train_placement.LEAVES, train_placement.GROUPS,
                                            train_placement.SEED)
    return [c for c in pool if c not in trained]


def wordnet_name_rows(store: Store, dev: Path, count: int = NAMED_LEAVES, seed: int = 0) -> list[GoldRow]:
    """Placement rows for a seeded sample of WordNet leaves named by a compound ("bamboo forest"),
    each hidden and linked by that name alone; leaves the ranker was trained on (the training
    script's default sample) and those the dev sets name are left out."""
    names = store.names(untrained_leaves(store, dev))
    compounds = sorted(c for c, name in names.items() if " " in name.strip())
    return [GoldRow(names[c], parents=store.graph.parents(c), hide=c, source="wordnet-names")
            for c in random.Random(seed).sample(compounds, min(count, len(compounds)))]


def wordnet_solid_rows(store: Store, dev: Path, count: int = SOLID_LEAVES, seed: int = 0) -> list[GoldRow]:
    """Placement rows for a seeded sample of WordNet leaves written solid of two words the store
    knows ("boathouse", "tadpole"; evaluation.solid_leaves), each hidden and linked by that
    name alone, as a dataset's "Spaceplane" comes; the ranker's and the dev sets' leaves left out."""
    kept = set(untrained_leaves(store, dev))
    solid = {c: n for c, n in solid_leaves(store).items() if c in kept}
    chosen = sorted(random.Random(seed).sample(sorted(solid), min(count, len(solid))))
    return [GoldRow(solid[c], parents=store.graph.parents(c), hide=c, source="wordnet-solid-names") for c in chosen]


def names_the_gold(linker: Linker, rows: list[GoldRow]) -> str:
    """How many "same" rows' gold concept the name itself names (its qualifier aside, written any
    way the linker reads it), how many names name only other concepts and how many nothing. A
    linker true to the name answers the second kind against the gold ("Housefly" is WordNet's
    housefly, ImageNet's class the fly), so their share bounds what it can reach."""
    counts: Counter[str] = Counter()
    for row in rows:
        if row.concepts:
            senses = linker.words.senses_named(split_qualifier(row.name)[0])
            counts["gold" if set(row.concepts) & set(senses) else "others" if senses else "nothing"] += 1
    total = sum(counts.values())
    return (f"  the name names the gold: {counts['gold']}, only other concepts: {counts['others']}, nothing: "
            f"{counts['nothing']}; true to the name, at most {1 - counts['others'] / max(total, 1):.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="a built, embedded store (default: the user's store)")
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "data" / "dev")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong answers per set")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-wordnet", action="store_true", help="leave out the WordNet-gloss comparison")
    args = parser.parse_args()

    imagenet_wiki = imagenet_wiki_rows(args.dev)
    oewn = oewn_rows(args.dev / "oewn_rewritten_definitions.tsv")
    alone = [replace(r, source="oewn-placement-one-at-a-time") for r in oewn if r.hide]
    sets: list[tuple[str, list[GoldRow], bool, tuple[str, ...]]] = [
        ("oewn", oewn, False, ()), ("oewn-placement-one-at-a-time", alone, False, ()),
        ("imagenet-wiki", imagenet_wiki, True, IMAGENET),
        ("imagenet-wiki", [replace(r, source="imagenet-wiki-with-imagenet-prior") for r in imagenet_wiki], True, ()),
    ]
    sets += [(path.stem, read_gold(path), True, ()) for path in sorted(GOLD.glob("*.tsv"))]
    # each sample drawn from a shipped label set, linked again within that set, as `taxonomy datasets link` does
    label_sets = public_label_sets()
    for label_set in sorted(set(SAMPLED_FROM.values())):  # one link of a set for all of its samples
        drawn = [stem for stem, source in SAMPLED_FROM.items() if source == label_set]
        sets.append((f"{label_set}-in-set", [replace(r, source=f"{r.source}-in-set") for stem in drawn
                                             for r in read_gold(GOLD / f"{stem}.tsv")], True, ()))
    within = {f"{name}-in-set": list(label_sets[name].names) for name in set(SAMPLED_FROM.values())}
    figures: list[dict[str, object]] = []
    with Store.open(args.store) as store:
        vectors = ConceptEmbeddings.load(store)
        sets.append(("wordnet-names", wordnet_name_rows(store, args.dev), False, ()))
        sets.append(("wordnet-solid-names", wordnet_solid_rows(store, args.dev), False, ()))
        for name, rows, visual, ignored in sets:
            linker = Linker(store, embeddings=vectors, ignore_datasets=ignored)
            started = time.perf_counter()
            for score in evaluate_gold(linker, rows, visual=visual, keep_errors=args.errors,
                                       one_at_a_time=name.endswith("one-at-a-time"), within=within.get(name, ())):
                figures.append(score.as_dict())
                if not args.json:
                    print(score_line(score) + f"  ({time.perf_counter() - started:.1f} s)")
                    for error in score.errors[: args.errors]:
                        print("   ", json.dumps(error, ensure_ascii=False))
            if (visual or name == "oewn") and not args.json:
                print(names_the_gold(linker, rows))
        if not args.skip_wordnet:
            result = evaluate(store, 500, 0, vectors, 300)
            figures.append({"source": "wordnet-gloss", **result.as_dict()})
            if not args.json:
                print(f"wordnet-gloss: same {result.same_accuracy:.1%} of {result.same_tested}; placement of "
                      f"{result.leaves}: Hit@1 {result.hit_at_1:.1%}, Hit@5 {result.hit_at_5:.1%}, "
                      f"MRR {result.mrr:.3f}, Wu&Palmer {result.wu_palmer:.3f}")
    if args.json:
        print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
