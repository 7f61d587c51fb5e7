"""What a label set says of each of its labels: the labels around and nearest each one (its
context), what the set mostly shows, labels written "X-Y" as kinds of X, and labels named by a
maker and a model. An image dataset's labels are read together: COCO's "mouse" among "laptop"
and "keyboard" is the device; Open Images' "Ford pinto" among other Fords is a car.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from taxonomy.linking import heads
from taxonomy.linking.label_senses import CONTEXT_NEAREST, CONTEXT_WINDOW, IMAGED_LEXNAMES
from taxonomy.text import normalize

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.results import LinkResult

FACETED = re.compile(r"(?P<kind>[^\W\d_]{3,})-(?P<facet>[^\W\d_]{3,})")  # COCO-Stuff's "floor-marble"
FACET_LABELS = 3  # labels "X-Y" of one X that make Y a facet of X (see _read_facets)
NEAREST_BLOCK = 1024  # labels whose similarity to the whole set is computed at once (_set_contexts)
MAKER_LABELS = 5  # labels of a label set that share a first word to be read as a maker's models (_set_makers)
MAKER_NEIGHBOURS = 5  # nearest concepts of that word searched for a maker
MODEL_YEAR = re.compile(r"(?:18[89]|19\d|20[0-4])\d")  # a year before a maker's name: "1949 ford"
#: Kinds of makers: company, manufacturer (the firm and the person).
MAKERS = ("n08058098", "n08060446", "n10292316")


def read_facets(linker: Linker, labels: Sequence[LinkResult]) -> None:
    """In a label set, FACET_LABELS labels or more written "X-Y" (or "X-other") with the same
    X, a name of the store, are kinds of X told apart by Y, as COCO-Stuff writes them
    ("floor-marble", "floor-wood", "wall-brick"): each is read "Y X" (a marble floor, not a
    kind of marble), unless the store names it as written ("wall-panel" is the wall panel)."""
    groups: dict[str, list[tuple[LinkResult, str]]] = {}
    for r in labels:
        found = FACETED.fullmatch(r.name)
        if found and not r.description and not r.hint:
            groups.setdefault(normalize(found["kind"]), []).append((r, found["facet"]))
    for kind, members in groups.items():
        if len(members) < FACET_LABELS or not linker.words.senses(kind)[0]:
            continue
        for r, facet in members:
            if facet.lower() != "other" and not linker.words.senses(r.lookup)[0]:
                r.lookup = f"{facet} {kind}"
                r.evidence["read_as"] = r.lookup


def set_contexts(linker: Linker, labels: Sequence[LinkResult]) -> None:
    """In a label set, each label's context: the mean embedding of the labels around it in the
    list and of the CONTEXT_NEAREST labels of the set nearest to it (most lists are ordered
    by name or by frequency, so that their neighbours say little: Objects365's "Horse" lies
    between "Tent" and "Mirror", a gymnastic horse among them, and near "Cow" and "Zebra"),
    and the senses of the labels around it in the list (see LabelSenses.coherence)."""
    names = linker.encode([r.lookup for r in labels])
    k = min(CONTEXT_NEAREST, len(labels) - 1)
    nearest = np.zeros((len(labels), k), dtype=np.intp)
    for start in range(0, len(labels), NEAREST_BLOCK):  # a block of rows at a time: a set may be large
        block = names[start:start + NEAREST_BLOCK] @ names.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf  # not itself
        nearest[start:start + len(block)] = np.argpartition(-block, k - 1, axis=1)[:, :k]
    for i, r in enumerate(labels):
        window = [j for j in range(i - CONTEXT_WINDOW, i + CONTEXT_WINDOW + 1) if j != i and 0 <= j < len(labels)]
        mean = names[sorted({*window, *nearest[i]})].mean(axis=0)
        r.context = mean / (np.linalg.norm(mean) or 1.0)
        r.around = [linker.words.senses(labels[j].lookup)[0] for j in window]


def read_set(linker: Linker, labels: Sequence[LinkResult]) -> None:
    """What a label set mostly shows raises the prior of its senses (LabelSenses.read_set): a
    label's senses, or, for a compound the store does not name, the acts it opens with
    ("eating cake", see :func:`heads.opening_acts`) or its last word's ("Horse riding": acts)."""
    graph = linker.store.graph
    senses = []
    for r in labels:
        if not r.description:
            found = (linker.words.senses(r.lookup)[0] or heads.opening_acts(linker, r.lookup)
                     or linker.words.senses(r.lookup.split()[-1])[0])
            senses.append([c for c in found if c in graph])
    linker.label_senses.read_set(senses)


def set_makers(linker: Linker, labels: Sequence[LinkResult]) -> None:
    """In a label set, the labels named by a maker and a model: MAKER_LABELS or more labels
    whose first word is the same and is nearest (of its MAKER_NEIGHBOURS nearest concepts)
    to a kind of company or manufacturer ("Ford" to the car company, as "Toyota",
    "Chevrolet"). Each gets (the first sense of what the maker's name says it makes, a thing
    images show; why): Open Images' car models, "Ford pinto", "Chevrolet impala", are no
    horses and antelopes (see :meth:`_made_by_maker`). Then the makers the store does not
    know (see :func:`_unknown_makers`)."""
    groups: dict[str, list[LinkResult]] = {}
    for r in labels:
        words = r.lookup.split()
        if len(words) > 1 and not r.description and not r.hint:
            groups.setdefault(normalize(maker_word(r.lookup)), []).append(r)
    firsts = [w for w, members in groups.items() if len(members) >= MAKER_LABELS]
    if not firsts:
        return
    lexnames = linker.words.lexnames()
    for first, near in zip(firsts, linker.embeddings.nearest(linker.encode(firsts), MAKER_NEIGHBOURS,
                                                           exclude=linker.hidden), strict=True):
        maker = next((c for c, _ in near if is_maker(linker, c)), None)
        made = linker.store.names([maker]).get(maker, "").split()[:-1] if maker else []  # "car company": cars
        product = next((c for c in linker.words.senses(" ".join(made))[0] if lexnames.get(c) in IMAGED_LEXNAMES),
                       None) if made else None
        if maker is None or product is None or product in linker.words.senses(first)[0]:
            continue  # a maker named for what it makes is no brand ("Stock dove" is no stock company's)
        members = groups[first]
        if _models(linker, members, product):
            why = (f"{maker_word(members[0].lookup)!r} names a {linker.store.names([maker]).get(maker)} ({maker}), "
                   "as the first word of other labels of the set")
            for r in members:
                r.maker = (product, why)
    _unknown_makers(linker, [groups[first] for first in firsts if groups[first][0].maker is None],
                         Counter(r.maker[0] for r in labels if r.maker))


def _models(linker: Linker, members: Sequence[LinkResult], product: str) -> bool:
    """Are most of ``members`` named by no thing of ``product``'s lexicographer file, as a
    maker's models are ("Automotive lighting", "Automotive tire", "Computer monitor" are
    such things, parts of cars and computers)?"""
    lexnames = linker.words.lexnames()
    heads = [linker.words.senses(r.lookup.split()[-1])[0] for r in members]
    named = [any(lexnames.get(c) == lexnames[product] for c in h) for h in heads if h]
    return 2 * sum(named) < len(named)


def _unknown_makers(linker: Linker, groups: Sequence[Sequence[LinkResult]], products: Counter[str]) -> None:
    """A maker the store does not know ("Plymouth" is a city, "Maserati" nothing) in a set
    where others make ``products``: a group of labels that share a first word, none of them
    a name the store knows, one of them named by a kind of a product (a sense of its last
    word: "Maserati coupé", "Lincoln town car", "Holden brougham") and most by no thing of its
    file (see :func:`_models`). Its labels are that product's models ("Maserati mistral" is
    no wind); a group of words the store knows as names ("Western grebe", "Irish coffee") is
    none. The product most of its labels name, then the one most models of the set are of."""
    graph = linker.store.graph
    for members in groups:
        if any(linker.words.senses(r.lookup)[0] for r in members):
            continue
        kinds = [{p for c in linker.words.senses(r.lookup.split()[-1])[0] if c in graph for p in products
                  if graph.is_a(c, p)} for r in members]  # the products each label's last word names
        named = Counter(p for found in kinds for p in found)
        if not named:
            continue
        product = max(named, key=lambda p: (named[p], products[p]))
        if not _models(linker, members, product):
            continue
        example = next(r.lookup for r, found in zip(members, kinds, strict=True) if product in found)
        kind = linker.store.names([product]).get(product)
        why = (f"{maker_word(members[0].lookup)!r} begins {len(members)} labels of the set, none a name the "
               f"store knows, and {example!r} names a kind of {kind}, as other makers' models of the set are")
        for r in members:
            r.maker = (product, why)


def is_maker(linker: Linker, concept: str) -> bool:
    """Is ``concept`` a kind of company or manufacturer (MAKERS)?"""
    return linker.words.kind_of_any([concept], MAKERS)


def maker_word(name: str) -> str:
    """The word of a label that names its maker: the first, or the second after a model year
    ("ford" of "1949 ford")."""
    words = name.split()
    return words[1] if len(words) > 1 and MODEL_YEAR.fullmatch(words[0]) else words[0]
