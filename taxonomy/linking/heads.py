"""Which word heads a name, and which concepts it names: the parent a name is placed below.

The parse (headnoun) gives a name's tails, longest first ("Sumatran orangutan": "orangutan");
these rules read them, or read the name another way where the tail would mislead: a binomial
by its genus, a taxonomy path by its nearest known rank, an action label by the act it opens
with, an ``-ing`` word by its verb's acts, a word written solid by its second part.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from taxonomy.linking.label_senses import ACT, IMAGED_LEXNAMES, QUALIFIED_LEXNAMES, TAXON, most_shared_parent
from taxonomy.linking.names import (
    base_forms,
    binomial_genus,
    compound_splits,
    gerund_stems,
    listed_kinds,
    model_number,
    words_beside,
    words_of,
)
from taxonomy.text import normalize

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.results import LinkResult

LISTED_SENSES = 8  # senses of each kind a list names that are read for the parent they share (_kinds_listed)
LISTED_KINDS_NEAR = 0.8  # Wu & Palmer at least of the kinds a list names, for their shared parent to head it
#: Words that, after an ``-ing`` word opening a label, make it a verb with its object: "Hitting a
#: ball", "brushing your teeth" are acts, where "Hitting ball" might be a thing, as "Climbing
#: shoe" is (see _act_head).
DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "your", "my", "our", "its", "one's", "someone's"})


def head_of(linker: Linker, result: LinkResult, tails: list[str]) -> tuple[str, list[str]]:
    """The word that heads a name and its senses, ("", []) if none does: a binomial's genus
    names its parent, not its epithet as a head noun ("Vulpes lagopus" is no ptarmigan,
    Lagopus); in a set of acts, the act a label opens with; else the longest tail the store
    knows, an act its ``-ing`` word names, or the second of a word written solid."""
    tail, senses = _binomial_genus(linker, result.lookup)
    if not senses and result.ranks:
        tail, senses = _ranks_organism(linker, result.ranks)
    if senses:
        result.evidence["species_of"] = tail
    else:
        tail, senses = _act_head(linker, result)
    if not senses:
        tail, senses = _kinds_listed(linker, result)
    if not senses:
        tail, senses = head_senses(linker, tails)
        if senses and _named_with_a_code(linker, result.lookup, tail, senses):
            result.evidence["not_a_head"] = f"{tail!r}, before a model's code, names no class of it"
            tail, senses = "", []
    if not senses:
        tail, senses = _gerund_head(linker, result)
    if not senses:
        tail, senses = _solid_head(linker, result)
    return tail, senses


def _kinds_listed(linker: Linker, result: LinkResult) -> tuple[str, list[str]]:
    """A name that lists kinds with "and" (names.listed_kinds) names what they all are: the
    lowest parent they share, where their nearest senses (of the first LISTED_SENSES of each)
    lie this near (Wu & Palmer, LISTED_KINDS_NEAR): "Snails and slugs" are gastropods, "Moths and
    butterflies" lepidopterans, "Pitch and putt" golf strokes; not "Horse and buggy" (an animal
    and a carriage share no near parent: its parse's head stays). ("", []) for any other name."""
    parts = listed_kinds(result.lookup)
    found = [linker.words.senses(part) for part in parts]
    senses = [[c for c in named[:LISTED_SENSES] if c in linker.store.graph] for named, _, how in found
              if how != "foreign"]
    if not parts or len(senses) < len(parts) or not all(senses):
        return "", []
    similarity, graph = linker.label_senses.similarity(), linker.store.graph
    near, chosen = -1.0, []
    for first in senses[0]:  # each sense of the first kind, with the nearest senses of the others
        nearest = [first, *(max(others, key=lambda c: similarity(first, c)) for others in senses[1:])]
        closeness = min(similarity(first, c) for c in nearest[1:])
        if closeness > near:
            near, chosen = closeness, nearest
    if near < LISTED_KINDS_NEAR:
        return "", []
    common = chosen[0]
    for kind in chosen[1:]:
        common = (graph.lowest_common_ancestors(common, kind) or [""])[0]
    if not common or common in linker.hidden:
        return "", []
    name = linker.store.names([common]).get(common, common)
    result.evidence["kinds_listed"] = f"{' and '.join(repr(p) for p in parts)} are kinds of {name}"
    return " and ".join(parts), [common]


def head_senses(linker: Linker, tails: Sequence[str]) -> tuple[str, list[str]]:
    """The longest tail of a name that the store knows, and its senses; not a word only
    another language has ("Darth vader" is no kind of father, Dutch "vader")."""
    for tail in tails:
        if model_number(tail):  # "Gulfstream iii", "Steyr 100": a model, no kind of three
            continue
        if linker.words.known_noun(tail):
            return tail, linker.words.senses(tail)[0]
    return "", []


def opening_acts(linker: Linker, name: str) -> list[str]:
    """The acts a name of several words opening with an ``-ing`` word names by it, as action
    labels are written ("eating cake", "walking the dog", "PlayingGuitar"): its senses in
    noun.act ("eating": the act of consuming food), or its stem's ("throwing frisby": a
    throw), or its verb's (see StoreWords.verb_acts), or none."""
    words = name.split()
    stems = gerund_stems(words[0]) if len(words) > 1 else []
    for word in [words[0], *stems] if stems else []:
        acts = linker.words.act_senses(word)
        if acts:
            return acts
    return linker.words.verb_acts(words[0]) if stems else []


def _act_head(linker: Linker, result: LinkResult) -> tuple[str, list[str]]:
    """A label opening with an ``-ing`` word is an act of it, not a kind of its object, in a
    label set that shows acts (LabelSenses.read_set: Kinetics' "eating cake" is a kind of
    eating, no cake; in other sets "Frying pan" and "Sleeping bag" are things), and wherever
    a determiner follows the word: "Hitting a ball", "walking the dog" (DETERMINERS)."""
    words = result.lookup.split()
    determined = len(words) > 2 and words[1].lower() in DETERMINERS
    shows_acts = linker.words.visual and ACT in linker.label_senses.shown
    if not (determined or shows_acts):
        return "", []
    acts, first = opening_acts(linker, result.lookup), words[0]
    if not acts:
        return "", []
    why = f"{words[1]!r} follows it" if determined else "the label set shows acts"
    result.evidence["act"] = f"{result.lookup!r} reads as an act of {first!r}: {why}"
    return first, acts


def _gerund_head(linker: Linker, result: LinkResult) -> tuple[str, list[str]]:
    """A name ending in an ``-ing`` word that the store has no noun for names an act of the
    verb it is made from, as activity labels are written: "Mountain biking" is a kind of
    cycling, "Canoeing" of boating (see StoreWords.verb_acts). A word written solid of two
    names an act of its second ("Kitesurfing": surfing; "Cheesemaking": making, no cheese),
    a guess about where the word splits that is wrong about as often as right ("Bodyboarding"
    is no boarding of a ship): it waits for review (the "split-act" confidence curve).
    ("", []) for any other name."""
    words = normalize(result.lookup).replace("-", " ").split()
    last = words[-1] if words else ""
    if not last.endswith("ing") or linker.words.known_noun(last):
        return "", []
    acts = linker.words.verb_acts(last)
    if acts:
        return last, acts
    for split in compound_splits(last):
        first, second = split.split()
        if not gerund_stems(second) or not base_forms(linker.words.lexicon, first):
            continue
        acts = linker.words.act_senses(second) or linker.words.verb_acts(second)
        if acts:
            result.evidence["split"] = f"{last!r} read as {first!r} and {second!r}"
            return second, acts
    return "", []


def _solid_head(linker: Linker, result: LinkResult) -> tuple[str, list[str]]:
    """One word the store has no name for, written solid of two it knows, is headed by its
    second (StoreWords.split_solid): "Spaceplane" is a kind of plane, "Airboat" of boat. A
    guess, where the word splits and whether it is a kind of its second at all (a tadpole is
    no pole): it waits for review (the "split-head" curve). A name alone only: with a
    description the ranker places it better without it (WordNet-gloss Hit@1 52.6 % against
    52.2 %). An ``-ing`` word is :func:`_gerund_head`'s. ("", []) for any other name."""
    words = normalize(result.lookup).split()
    if result.description or len(words) != 1 or words[0].endswith("ing") or linker.words.known_noun(words[0]):
        return "", []  # a description places it better ("camshaft: a rotating shaft ..."): measured
    first, second, senses = linker.words.split_solid(words[0])
    if senses:
        result.evidence["solid"] = f"{words[0]!r} read as {first!r} and {second!r}"
    return second, senses


def _binomial_genus(linker: Linker, name: str) -> tuple[str, list[str]]:
    """A binomial the store does not know goes where a new species of its genus goes (see
    :func:`_species_parent`): "Quercus turbinella" is an oak, "Rosa rugosa" a rose, "Vulpes
    lagopus" a fox as the red fox, Vulpes vulpes, is. ("", []) for a name that is no binomial
    or whose genus the store does not know as a taxon."""
    genus = binomial_genus(name)
    parents = [p for p in (_species_parent(linker, t, genus) for t in linker.words.taxa(genus)) if p] if genus else []
    return (genus, parents[:1]) if parents else ("", [])


def _ranks_organism(linker: Linker, ranks: Sequence[str]) -> tuple[str, list[str]]:
    """The nearest rank of a taxonomy path the store knows as a taxon with a clear organism,
    and that organism (label_senses.organism): iNaturalist's Lumbricus terrestris, whose genus
    and family WordNet lacks, is an annelid by its phylum Annelida. ("", []) if none is."""
    for rank in ranks:
        for taxon in linker.words.taxa(rank):
            organism = linker.label_senses.organism(taxon)
            if organism and organism not in linker.hidden:
                return rank, [organism]
    return "", []


def _species_parent(linker: Linker, taxon: str, genus: str) -> str | None:
    """Where a new species of a genus goes: below the genus's organism, a member no binomial
    names (Quercus's oak, Solanum's nightshade; the one with most kinds, if several), or else
    beside its species, the members a binomial of the genus names, under the parent most of
    them have (the red fox is Vulpes vulpes: a new Vulpes is a fox; the brown bear, Ursus
    arctos, the genus's one member: a new Ursus is a bear)."""
    graph = linker.store.graph
    members = [m for m in linker.store.members(taxon) if m in graph and not graph.is_a(m, TAXON)]
    lemmas = linker.words.lemmas(members)
    key = normalize(genus)
    species = {m for m in members if any(len(w := words_of(lemma)) == 2 and w[0] == key for lemma in lemmas[m])}
    organisms = [m for m in members if m not in species and m not in linker.hidden]
    if organisms:
        return max(organisms, key=graph.descendant_count)
    parent, _ = most_shared_parent(linker.store, [m for m in members if m in species], linker.hidden)
    if parent:  # not a hidden one's own: the hidden say nothing of where they were
        return parent
    organism = linker.label_senses.organism(taxon)  # an order with one family with one genus ...
    return organism if organism and organism not in linker.hidden else None


def _named_with_a_code(linker: Linker, name: str, head: str, senses: Sequence[str]) -> bool:
    """Is ``head`` followed in ``name`` by a code with digits, and a proper name (every sense's
    name as written capitalised) or a name of nothing images show? Then it names a maker, a
    series or a mission, not a class: "Sikorsky h-34" is no kind of Igor Sikorsky, "Bristol
    406" of Bristol, "Triumph tr4" of a feeling, "Fiat 850" of a decree ("Route 66", a road's
    name, is a road). After a code, a name of nothing images show: "Republic p-47
    thunderbolt" is no thunderbolt, "Douglas a-26 invader" no invader ("Boeing 747 freighter"
    is a freighter)."""
    beside, lexnames = words_beside(name, head), linker.words.lexnames()
    if beside is None:  # the parse cut it out of a code ("Hummer h3t" headed by "t", thymine)
        return any(ch.isdigit() for ch in name) and not any(lexnames.get(c) in IMAGED_LEXNAMES for c in senses)
    if any(ch.isdigit() for ch in beside[0]):  # "Republic p-47 thunderbolt", "747 freighter"
        return not any(lexnames.get(c) in IMAGED_LEXNAMES for c in senses)
    if not any(ch.isdigit() for ch in beside[1]):
        return False
    if not any(lexnames.get(c) in QUALIFIED_LEXNAMES for c in senses):
        return True
    lemmas = linker.words.lemmas(list(senses))
    return all(any(lemma[:1].isupper() for lemma in lemmas[c] if normalize(lemma) == normalize(head))
               for c in senses)


def species_as_said(linker: Linker, result: LinkResult) -> bool:
    """A binomial placed by its genus (see :func:`_binomial_genus`) whose description's genus,
    if it has one, is what the genus's species are: "species of insect" for "Xylocopa violacea"."""
    graph = linker.store.graph
    return "species_of" in result.evidence and (not result.genus or any(
        graph.is_a(parent, genus) for parent in result.head_senses for genus in result.genus))
