"""Where below its head a name alone goes: a kind the head's sense already has ("African wild
dog" is the African hunting dog), the sense itself, a new kind of the sense whose kinds are
named like it, or, beside a species, a new species.

A name of several words is mostly a kind of its head ("Sumatran orangutan"); these rules read
what WordNet's names below the head say first. A description decides for itself: only a name
without one is read so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from taxonomy.linking import placement
from taxonomy.linking.confidence import calibrated
from taxonomy.linking.label_senses import ANIMAL, BODY, FOOD, IMAGED_LEXNAMES
from taxonomy.linking.names import (
    among_alternatives,
    base_forms,
    describes,
    letters_of,
    named_by,
    proper_name_longer,
    reversed_compound,
    spelt_alike,
    words_of,
)
from taxonomy.linking.results import Candidate
from taxonomy.model import Concept
from taxonomy.text import normalize

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.results import LinkResult

#: A compound named alone goes below a sense of its head whose kinds are named like it, where the
#: ranker's first has none: each sense's probability is multiplied by (1 + its kinds whose name
#: ends in the head's word) to this power ("copper beech" goes below the beech tree, whose kinds
#: are "... beech"es, not its wood; "rubber boa" below the snake, not the feather boa). Not from
#: a food sense to another: a dish named after what it is made of ("Lemon chicken", "Smoked
#: fish") is no breed of chicken; nor, for a dataset label, from a thing images show to what they
#: do not ("Office ruler" is no ruler of men). Chosen on 943 held-out WordNet compounds whose
#: head has senses to choose from (seed 1, apart from the bench's): 339 -> 356 right, 44 changed
#: (18 right where they were wrong, 1 wrong where it was right); reweighing every choice, 358,
#: but 76 changed, 10 of them wrong where they were right.
KIND_NAMES_WEIGHT = 0.5
FEW_KINDS = 1  # kinds below a sense whose every gloss word may say a compound (none: 2 fewer dev rows right)
NAMED_BELOW_LIMIT = 200  # descendants of a head sense searched for one named by the modifier
HEAD_SENSES_SEARCHED = 8  # senses of the head searched so (a dataset's "Pointer" is the dog, WordNet's fourth sense)
BODY_PART = "n05220461"  # WordNet's body part: what a part label after an animal names (_parts_of_organism)
PERSON = "n00007846"  # the person, whose parts are named so too ("Person hand"), unlike a geologist's


def named_below_head(linker: Linker, result: LinkResult, chosen: str) -> bool:
    """A compound that names its head's sense, or a kind below it, is that concept. Only for
    a name alone (a description decides for itself); the first that holds, over the first
    HEAD_SENSES_SEARCHED senses of the head and up to NAMED_BELOW_LIMIT kinds below each:

    1. a kind spelt alike but for spaces, hyphens and a few letters added to ends of words
       (see spelt_alike): "Longhorn beetle" is the long-horned beetle, "Black and Tan
       Coonhound" the black-and-tan coonhound ("Grape seed oil" is not rapeseed oil), and
       "String instrument" the stringed instrument, not the one also called "string";
    2. a kind named by the modifier: "African wild dog" is the African hunting dog, its
       spaces and hyphens aside: "Rockhopper penguin" is the rock hopper; or a leaf named by
       the first of several modifiers alone: "Entlebucher Mountain Dog" is the EntleBucher;
    3. the head's sense, when its names or the proper names of its gloss say every modifier
       ("European goldfinch": "small European finch ..."; "Atlantic horseshoe crab"), or, for
       the chosen sense with at most one kind below it (FEW_KINDS), any word of its gloss
       ("Fishing reel")."""
    head = str(result.evidence.get("head", ""))
    last, modifiers = compound(result)
    if result.description or not head or not modifiers:
        return False
    graph = linker.store.graph
    modifier_letters = letters_of(" ".join(modifiers))  # "Rockhopper penguin": the rock hopper
    first_letters = letters_of(modifiers[0])
    named: str | None = None
    described: Concept | None = None
    words = linker.words
    proper = words.proper_names(head, words.senses(head)[1], result.head_senses)  # "Turkish angora": no city
    reversed_ = set(result.head_senses) - set(head_parents(linker, result))  # "Dog toy": not the toy dog
    below = {sense: [c for c in graph.descendants(sense, limit=NAMED_BELOW_LIMIT, inclusive=True)
                     if c not in linker.hidden] for sense in result.head_senses[:HEAD_SENSES_SEARCHED]
             if sense not in proper and sense not in reversed_}
    lemmas = linker.words.lemmas([c for ids in below.values() for c in ids])
    senses = dict(zip(below, linker.store.concepts(list(below)), strict=True))
    parts = parts_of_organism(linker, result, result.head_senses)  # "Fish fin": no ship's fin "like a fish's"
    for sense, ids in below.items():
        synonyms = {words_of(name) for name in lemmas.get(sense, ())}
        for kind in ids:
            if kind == sense:
                concept = senses[sense] if described is None and sense in parts else None
                if concept and describes(modifiers, concept, head=last, common_words=sense == chosen
                                         and graph.descendant_count(sense) <= FEW_KINDS):
                    described = concept
                continue
            names = lemmas.get(kind, ())
            for lemma in names:
                letters = letters_of(lemma)
                # the whole name spelt alike comes before a kind the modifier names ("String instrument")
                if spelt_alike(result.lookup, lemma):
                    return same_below_head(linker, result, kind, f"{names[0]!r}, a kind of {head!r}, is spelt alike")
                if named is None and first_letters in letters and (  # every rule of 2. says the first modifier
                        named_by(modifiers, last, lemma, synonyms) or letters == modifier_letters
                        or (len(modifiers) > 1 and words_of(lemma) == (modifiers[0],)
                            and not graph.child_count(kind))) and not proper_name_longer(lemma, result.lookup):
                    named = kind
    if named is not None:
        return same_below_head(linker, result, named, f"{lemmas[named][0]!r} is a kind of {head!r}")
    deep = _modifier_kind(linker, modifiers, chosen)
    if deep is not None:
        return same_below_head(linker, result, deep, f"{' '.join(modifiers)!r} names a kind of {head!r}")
    if described is not None:
        return same_below_head(linker, result, described.id, f"{described.name!r} ({described.gloss!r}) is "
                                     f"described by every word of {result.lookup!r}")
    return False


def _modifier_kind(linker: Linker, modifiers: Sequence[str], head: str) -> str | None:
    """The first sense of the modifiers, read as a name, that is a kind of the head's sense,
    however deep below it, where the modifiers first mean a thing of its lexicographer file:
    "Maple tree" is the maple (a tree of genus Acer, deeper below tree than rule 2 of
    :func:`named_below_head` reads; "maple" first means its wood, a plant file's too),
    "Gruyère cheese" the Gruyère; not "Football equipment", the ball (football is first the
    game), nor "Glass bottle" (no glass is a bottle)."""
    graph, lexnames = linker.store.graph, linker.words.lexnames()
    if head not in graph:
        return None
    senses = [s for s in linker.words.senses(" ".join(modifiers))[0] if s in graph and s not in linker.hidden]
    kind = next((s for s in senses if graph.is_a(s, head)), None)
    return kind if kind is not None and lexnames.get(kind) == lexnames.get(senses[0]) else None


def same_below_head(linker: Linker, result: LinkResult, concept: str, why: str) -> bool:
    result.decision, result.concept, result.method = "same", concept, "headnoun"
    result.parents = linker.store.graph.parents(concept)
    result.raw, result.score = 0.8, calibrated("headnoun", 0.8)
    result.candidates = [Candidate(concept, linker.store.names([concept]).get(concept, ""), 0.8, "headnoun")]
    result.evidence["named_below_head"] = why
    return True


def beside_species(linker: Linker, result: LinkResult, head: Candidate) -> list[Candidate]:
    """The parents of a head sense that is one species with no kinds ("iguana", Iguana iguana),
    as candidates before it: a name alone that adds words to a species' name is another
    species beside it far more often than a kind of it ("marine iguana", "desert iguana").
    Of the 163 WordNet leaves so named and so linked, by the name alone with all of them hidden
    (evaluation.species_compounds), 31 % are right beside it, 9 % would be below it. As sure
    as the "beside-species" curve: it waits for review (a "green iguana" is the iguana); the
    species stays a candidate after them, on the "below-species" curve. Not where the species'
    gloss names the modifier among alternatives: "ape of Borneo and Sumatra" spans the Sumatran."""
    binomial = "" if placement.visible_children(linker, head.id) else linker.words.binomial_of(head.id)
    if binomial and among_alternatives(compound(result)[1], linker.store.concepts([head.id])[0].gloss):
        return []  # the orangutan, "ape of Borneo and Sumatra", spans the Sumatran one: a kind of it
    parents = placement.visible(linker, linker.store.graph.parents(head.id)) if binomial else []
    if not parents:
        return []
    result.evidence["beside_species"] = (f"{head.name or head.id} is one species ({binomial}) with no kinds: "
                                         f"'{result.lookup}' is most likely another beside it")
    head.curve = "below-species"  # the species itself stays a candidate, as unlikely as it is
    names = linker.store.names(parents)
    return [Candidate(p, names.get(p, ""), head.raw, "headnoun", "beside-species") for p in parents]


def by_kinds_named_alike(linker: Linker, result: LinkResult, ranked: list[placement.Ranked]) -> list[placement.Ranked]:
    """The senses of a compound's head ordered by their probability weighed by their kinds named
    like it (KIND_NAMES_WEIGHT), where the ranker's first has none; each keeps its probability,
    so that a sense the weight put first against the ranker is as unsure as the ranker found it."""
    word, lexnames = compound(result)[0], linker.words.lexnames()
    if linker.words.kinds_named(ranked[0].id, word):
        return ranked
    # food stays food, and a dataset label's thing images show stays one (see KIND_NAMES_WEIGHT)
    shown = IMAGED_LEXNAMES | linker.label_senses.shown.keys()  # with what the label set mostly shows
    first = lexnames.get(ranked[0].id, "")
    food_first, imaged_first = first == FOOD, linker.words.visual and first in shown

    def weight(r: placement.Ranked) -> float:
        barred = (food_first and lexnames.get(r.id) != FOOD) or (imaged_first and lexnames.get(r.id) not in shown)
        kinds = 0 if barred else linker.words.kinds_named(r.id, word)
        return float(r.probability * (1 + kinds) ** KIND_NAMES_WEIGHT)
    reordered = sorted(ranked, key=lambda r: -weight(r))
    if reordered[0] is not ranked[0]:
        result.evidence["kinds_named_alike"] = (f"{linker.words.kinds_named(reordered[0].id, word)} kinds of "
                                                f"{reordered[0].id} are named '... {word}', none of {ranked[0].id}")
    return reordered


def compound(result: LinkResult) -> tuple[str, list[str]]:
    """A name's head noun and its modifiers, normalised: "Sumatran orangutan" -> ("orangutan", ["sumatran"])."""
    head = normalize(str(result.evidence.get("head", ""))).split()
    return (head[-1] if head else ""), [w for w in words_of(result.lookup) if w not in head]


def head_parents(linker: Linker, result: LinkResult) -> list[str]:
    """The senses of a name's head that may be its parent: not one named by the name said the
    other way round (a "Dog toy" goes under toy, not under the toy dog)."""
    last, modifiers = compound(result)
    lemmas = linker.words.lemmas(result.head_senses)
    kept = [s for s in result.head_senses if not any(reversed_compound(n, last, modifiers) for n in lemmas[s])]
    return kept or result.head_senses


def parts_of_organism(linker: Linker, result: LinkResult, senses: list[str]) -> list[str]:
    """A name of a part after the animal it is part of, as part labels are written
    ("Crocodile head", "Cow ear", "Fish fin", "Person hand"), goes below a body part: where
    the modifiers first mean an animal (WordNet's "human" is one) or a person, the head's
    senses that are body parts (their lexicographer file's or below WordNet's body part),
    or food (a "Beef brain" is eaten), if any is a body part (no head of cattle, ear for
    music or ship's fin)."""
    _, modifiers = compound(result)
    graph, lexnames = linker.store.graph, linker.words.lexnames()
    if not modifiers or result.description or BODY_PART not in graph:
        return senses
    parts = [s for s in senses if lexnames.get(s) == BODY or (s in graph and graph.is_a(s, BODY_PART))]
    if not parts:  # the head names no part (most do not): the rest needs no reading
        return senses
    head = str(result.evidence.get("head", ""))  # a part named by the head as written, or its singular
    named = set(linker.store.senses(next(iter(base_forms(linker.words.lexicon, head)), head), "en"))  # "genus": no genu
    parts = [s for s in parts if s in named]
    if not parts:
        return senses
    found, _, how = linker.words.senses(" ".join(modifiers))
    first = found[:1] if how != "foreign" else []  # "big" is no Dutch piglet
    if not first or (lexnames.get(first[0]) != ANIMAL and first[0] != PERSON):  # a person, not a
        return senses  # geologist: "Geologist's hammer" is no bone of the ear
    kept = [s for s in senses if s in parts or lexnames.get(s) == FOOD]
    if kept != senses:
        result.evidence["part_of"] = " ".join(modifiers)
    return kept
