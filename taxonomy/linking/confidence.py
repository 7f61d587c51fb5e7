"""How sure a link is: each method's raw score mapped to a confidence in 0..1."""

from __future__ import annotations

import math

#: Calibration: confidence = sigmoid(a * raw + b) per method, fitted by ``taxonomy eval link
#: --calibrate`` on held-out WordNet leaves (seed 1, 400 leaves; "exact" also on 400 existing names),
#: separate from the evaluation seed 0; "label-sense" (a dataset label's sense chosen among several:
#: the raw score is how far the first lies ahead, label_senses.margin) on ImageNet-21K classes
#: linked as a label set (evaluation.label_sense_samples). "exact" (a sense chosen by its
#: description) reads the chosen sense's lead over the name's next sense (linker.leads), which
#: holds on text from elsewhere, not the fit itself, which is higher for WordNet's own glosses
#: than for any paraphrase (refitted 2026-11-30, ``taxonomy eval link --calibrate --leaves 400
#: --seed 0``; the other curves as fitted before). "below-head" (a name alone placed below a sense of
#: its head noun: the raw score is that sense's share of the ranker's probability among the
#: head's senses) and "below-head-one-sense" (a share of 1: a constant) are fitted on WordNet
#: leaves named by a compound that is a kind of its head, hidden and linked by the name alone
#: (evaluation.kinds_of_their_head; fitted 2026-11-30 by the same command). "wikidata" links are
#: identities or P279 paths: near certain. "headnoun" maps set raw scores now (0.8 -> 0.495: a
#: compound that names a kind below its head, or a maker's model, waits for review; a new kind
#: of a qualifier's class, 1 / sqrt(classes)) and "embedding" only the placements of a linker
#: with no trained ranker: neither is fitted again (a placement the ranker scored reads the
#: ranker's probability, whatever found its parent). "split-act" (a name alone whose last word,
#: written solid of two, is read as an act of its second: "Kitesurfing" surfing, heads._gerund_head)
#: is a constant, 0.45: 15 of the 33 Open Images labels so read were right, reviewed by hand
#: (2026-12-01; no WordNet sample has such words to fit on), so that it waits for review.
#: "beside-species" (a name alone that adds words to the name of one species with no kinds, placed
#: beside it: below_head.beside_species) reads the species' share as "below-head" does, fitted on
#: every WordNet leaf so named (evaluation.species_compounds; 2026-12-01, the same command): 31 %
#: of 163 are right there; "below-species", the species itself as their parent, 9 %. "split-head"
#: (one word written solid of two, headed by its second: "Spaceplane", heads._solid_head) reads
#: the head sense's share, fitted on 800 WordNet leaves so written (evaluation.solid_compounds;
#: 2026-12-01, the same command): 21.8 % of the 435 so placed are right.
CALIBRATION = {"exact": (4.567, -0.892), "exact-name": (15.381, -10.376), "headnoun": (4.761, -3.828),
               "embedding": (3.037, -3.4), "wikidata": (0.0, 3.5), "label-sense": (4.726, -0.25),
               "below-head": (2.368, -1.165), "below-head-one-sense": (0.758, 0.758), "split-act": (0.0, -0.2),
               "beside-species": (1.453, -1.983), "below-species": (3.415, -5.186),
               "split-head": (1.775, -2.469)}


#: Links below this confidence wait for review unless the user sets another threshold: below it
#: a calibrated link is more often wrong than right on held-out text (taxonomy/linking/review.py).
REVIEW_BELOW = 0.5


def calibrated(method: str, raw: float) -> float:
    """The confidence of a ``method``'s ``raw`` score; the placement ranker's is its probability."""
    if method == "ranker":
        return raw
    a, b = CALIBRATION[method]
    return 1.0 / (1.0 + math.exp(-(a * raw + b)))
