"""Which sense a dataset label means: COCO's "mouse" is the device, Objects365's "cherry" the fruit.

A label of an image dataset names what its images show, not WordNet's most frequent sense.
The order weighs the lexicographer file, image classes below the sense, WordNet's frequency
order (more surely of the senses text uses), ImageNet-1k, and, in a label set, the labels
around it and nearest to it: their embeddings, and where their senses lie in the tree (Resnik's
observation that the nouns of a group disambiguate each other through the hypernyms they share).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import numpy as np

from taxonomy.linking.names import letters_of
from taxonomy.linking.similarity import WuPalmer
from taxonomy.store import Store

if TYPE_CHECKING:
    from taxonomy.linking.embedding import ConceptEmbeddings

#: Lexicographer files the rules name: acts (action labels), animals, artifacts, body parts, food,
#: groups (peoples among them), plants.
ACT, ANIMAL, ARTIFACT, BODY, FOOD, GROUP, PLANT = "noun.act", "noun.animal", "noun.artifact", "noun.body", \
    "noun.food", "noun.group", "noun.plant"
#: How likely a dataset label means a sense of each lexicographer file (food before plant,
#: artifacts and animals before people, body parts level with animals: Visual Genome's "head",
#: "hand" and "ear" are the body's, not a head of cattle, a clock's hand, an ear of corn); files
#: not listed are not what images show.
LABEL_SENSE_BY_LEXNAME = {"noun.artifact": 1.0, "noun.food": 1.0, "noun.animal": 0.8, "noun.object": 0.8,
                          "noun.Tops": 0.7,
                          "noun.plant": 0.7, "noun.location": 0.6, "noun.person": 0.6, "noun.body": 0.8,
                          "noun.substance": 0.5, "noun.phenomenon": 0.4, "noun.shape": 0.3, "noun.event": 0.2,
                          "noun.group": 0.2}
#: The files of things images show (the priors of 0.7 and more, body parts aside: they are what
#: a label names, not what it is a typo of or a new kind of): a dataset label's typo points into
#: these. (evaluation.VISUAL_LEXNAMES, the files its held-out leaves are drawn from, is another
#: choice: without noun.Tops, whose concepts are not leaves.)
IMAGED_LEXNAMES = frozenset(lexname for lexname, prior in LABEL_SENSE_BY_LEXNAME.items()
                            if prior >= 0.7 and lexname != BODY)
#: ... and, with people, places and body parts, the files whose sense a qualifier that names it
#: puts first: "Shoulder (Body Part)" is no cut of meat ("Snorkel (swimming)" stays the tube, not
#: the act). Wider than the typos' files: a foreign dish is no typo of a person's name.
QUALIFIED_LEXNAMES = frozenset(lexname for lexname, prior in LABEL_SENSE_BY_LEXNAME.items() if prior >= 0.6)
#: A label set says what it shows: where SET_SHARE or more of its labels whose every sense lies
#: in one lexicographer file lie in one file, senses of that file are as likely as artifacts
#: (SET_LEVEL) for the rest: Caltech-101's "beaver" among its animals is the rodent, not the hat;
#: UCF101's "Diving" among its acts the act. Sets of fewer than SET_VOTERS such labels say nothing.
SET_SHARE = 0.3
SET_LEVEL = 1.0
SET_VOTERS = 10
#: Places: WordNet's structure, location and geological formation, across lexicographer files
#: (a room and a building are artifacts, a park a location, a cliff an object). Image datasets
#: show scenes or things: where SET_SHARE of a set's labels whose senses are all places or all
#: not are places (Places365: 68 %), a place is as likely as an artifact (its "park" is the park,
#: not the ballpark); where none is (COCO, Objects365, ObjectNet, Visual Genome: 0 of 69, 295,
#: 215, 65), a place is PLACE_PENALTY less likely (COCO's "toilet" is the fixture, not the room).
#: Open Images, 4 % places ("Bridge", "Castle"), and the sets between: neither.
PLACES = ("n04341686", "n00027167", "n09287968")
PLACE_PENALTY = 0.1
CONTEXT_WEIGHT = 0.5  # weight of the similarity of a sense to the labels around it
CONTEXT_WINDOW = 4  # labels on each side that make a label's context
CONTEXT_NEAREST = 8  # labels of the set nearest to a label (by embedding) that are part of its context too
COHERENCE_WEIGHT = 0.5  # weight of how close a sense lies in the tree to the senses of the labels around it
NEIGHBOUR_SENSES = 4  # senses of each label around it that a sense is compared with
HINT_BONUS = 0.2  # a sense that the qualifier names or lies under ("bat (animal)")
#: A sense the label is the first (preferred) name of, beside senses it is only a synonym of:
#: "skunk" is the animal, not marijuana (whose ten names include "skunk"); "joystick" the
#: joystick, not the pilot's control stick; "hedgehog" not the porcupine.
FIRST_NAME_BONUS = 0.1
#: The sense a name usually means in running text, where one does: it has FREQUENCY_SHARE of the
#: SemCor tags of the senses the name is the first name of, and they number FREQUENCY_MIN_TAGS
#: or more. Images of "duck" show the bird (4 of 4 tags), not the fabric that the lexicographer
#: file favours; "plant" (37 tags for the flora, 63 for the factory) and "toilet" (2 for the
#: fixture, 3 for the room) say nothing: text is not what images show.
FREQUENCY_WEIGHT = 0.1
FREQUENCY_SHARE = 0.75
FREQUENCY_MIN_TAGS = 3
#: WordNet orders a name's senses by their SemCor tags, and those never tagged as its
#: lexicographers listed them, which says less: each place of WordNet's order costs a sense 0.05
#: among the tagged senses, UNTAGGED_PLACE after them (in Places365, "diner (outdoor)" is the
#: diner, diner's third sense, none tagged, not the dining car, its second; at 0.05 a place it
#: was the dining car; at 0 the order of untagged senses is lost, and "saucer" a dish antenna).
UNTAGGED_PLACE = 0.03
#: A sense the label names as written, beside senses only its singular names: Objects365's
#: "Glasses" are spectacles (one of whose names is "glasses"), not drinking glasses. A sense
#: whose gloss says its name is "usually plural" is named as written by the plural too: "Jeans"
#: are the trousers ("jean: (usually plural) close-fitting trousers of heavy denim"), not denim.
WRITTEN_BONUS = 0.1
USUALLY_PLURAL = re.compile(r"\busually plural\b")
#: WordNet says in a gloss that a sense is a drug's slang name ("street names for cocaine":
#: snow, blow, C; for heroin: horse, smack, junk; for ketamine: green, jet, K): images labelled
#: "snow" show snow. Such a sense comes after every other (STREET_NAME_PENALTY).
STREET_NAME = re.compile(r"\bstreet names? for\b")
STREET_NAME_PENALTY = 1.0
PRODUCT_LEAD = 0.2  # how far food made from an animal must lead the animal to come first (animal_before_product)
#: Food and material made from animals: meat, seafood, fish (the food), animal material, fur coat.
ANIMAL_PRODUCTS = ("n07649854", "n07776866", "n07775375", "n14755804", "n03404251")
#: A ball game: in a set of things that names no ball of it, a label that names one means its
#: ball (see LabelSenses.ball): Objects365 boxes balls as "Soccer", "Tennis" and "Table Tennis";
#: Open Images, which has "Soccer ball" beside "Soccer", means the game.
GAME, BALL = "n00455599", "n02778669"
BALL_OF = re.compile(r"\b(?:used in playing|used in the (?:sport|game) of)\s+(.+?)\s*(?:[;,(]|$)")
TAXON = "n07992450"  # WordNet's "taxonomic group, taxonomic category, taxon"
TAXON_STEPS = 3  # an order with one family with one genus ... is followed this far down to its organism


class LabelSenses:
    """The facts the order needs (image label sets, lexicographer files), read once per store."""

    def __init__(self, store: Store, ignore_datasets: Collection[str] = ()):
        self.store = store
        self.ignore_datasets = frozenset(ignore_datasets)  # label sets not read (a gold made from one)
        self._facts: tuple[set[str], set[str], dict[str, str]] | None = None
        self._similarity: WuPalmer | None = None  # its ancestries kept for one call of the linker
        self.priors = LABEL_SENSE_BY_LEXNAME  # the label set's own, for one call of the linker (see read_set)
        self.shown: dict[str, float] = {}  # the files it raised, with their share of the set
        self.mostly: dict[str, float] = {}  # every file it mostly shows (SET_SHARE), raised or not
        self.places: float | None = None  # the share of its labels that name places (see PLACES)
        self.named: set[str] = set()  # every sense of every label of it

    def forget(self) -> None:
        """Forget the ancestries read and the last label set's priors: the store may have changed
        since (a server's linker lives long)."""
        self._similarity = None
        self.priors, self.shown, self.mostly, self.places, self.named = LABEL_SENSE_BY_LEXNAME, {}, {}, None, set()

    def read_set(self, senses_of_labels: Sequence[Sequence[str]]) -> None:
        """Raise the prior of a lexicographer file that a label set mostly shows (see SET_SHARE),
        from the labels whose every sense lies in one file; ``shown``: the files raised, with
        their share. ``places``: the share of places among the labels whose senses are all
        places or all not (see PLACES), read from SET_VOTERS labels or more."""
        lexnames = self.lexnames()
        votes = Counter(files.pop() for files in ({lexnames.get(c, "") for c in senses} for senses in senses_of_labels
                                                  if senses) if len(files) == 1)
        voters = sum(votes.values())
        self.mostly = {file: count / voters for file, count in votes.items()
                       if file and voters >= SET_VOTERS and count >= SET_SHARE * voters}
        self.shown = {file: share for file, share in self.mostly.items()
                      if LABEL_SENSE_BY_LEXNAME.get(file, 0.0) < SET_LEVEL}
        self.priors = {**LABEL_SENSE_BY_LEXNAME, **dict.fromkeys(self.shown, SET_LEVEL)}
        graph = self.store.graph
        kinds = [{self.is_place(c) for c in senses if c in graph} for senses in senses_of_labels]
        voting = [kind.pop() for kind in kinds if len(kind) == 1]
        self.places = sum(voting) / len(voting) if len(voting) >= SET_VOTERS else None
        self.named = {c for senses in senses_of_labels for c in senses}

    def places_decide(self) -> bool:
        """Did the last label set read say whether it shows places (see PLACES): mostly, or none?"""
        return self.places is not None and (self.places >= SET_SHARE or self.places == 0)

    def is_place(self, concept: str) -> bool:
        """Is ``concept`` a place: a structure, a location or a geological formation?"""
        graph = self.store.graph
        return any(graph.is_a(concept, p) for p in PLACES if p in graph)

    def facts(self) -> tuple[set[str], set[str], dict[str, str]]:
        """(ImageNet-1k classes, every image label set's classes, concept -> lexicographer file)."""
        if self._facts is None:
            members = {name: concepts for name, concepts in self.store.dataset_members().items()
                       if name not in self.ignore_datasets}
            self._facts = (members.get("imagenet1k", set()), set().union(*members.values()),
                           {cid: lexname or "" for cid, lexname, _ in self.store.concept_columns()})
        return self._facts

    def organism(self, concept: str) -> str | None:
        """The organism a taxon's name means as a dataset label: images of "Phacochoerus" show
        warthogs, of "Felidae" felines. WordNet lists a taxon's genera and species as its
        members; the organism is the member that is no taxon itself (the one with most kinds
        below it, if several: Felidae's "feline" over "big cat"), or, through a taxon with one
        member, that member's. Members alike (species without kinds) give the parent most of them
        share when its gloss names the taxon: Gentiana's great yellow and marsh gentians are
        gentians, "any of various plants ... especially the genera Gentiana and Gentianopsis"
        (Viburnum's are shrubs, which no gloss ties to it: images of Viburnum are no more "shrub"
        than the genus). None for a concept that is no taxon, or with no clear organism."""
        graph = self.store.graph
        if TAXON not in graph or not graph.is_a(concept, TAXON):
            return None
        for _ in range(TAXON_STEPS):
            members = [m for m in self.store.members(concept) if m in graph]
            organisms = sorted(((graph.descendant_count(m), m) for m in members if not graph.is_a(m, TAXON)),
                               reverse=True)
            if organisms:
                if len(organisms) == 1 or organisms[0][0] > organisms[1][0]:
                    return organisms[0][1]
                return self._shared_parent(concept, [m for _, m in organisms])
            if len(members) != 1:
                return None
            concept = members[0]
        return None

    def ball(self, concept: str) -> str | None:
        """The ball a game's name means as a label of a set of things that names no ball of the
        game (see GAME): the one ball named "<game> ball" or glossed "used in playing <game>"
        (the ping-pong ball, "light hollow ball used in playing table tennis"). None for a
        concept that is no game, a set that shows acts or not mostly artifacts, a game of no
        ball or of several, or a ball another label of the set names."""
        graph = self.store.graph
        things = ARTIFACT in self.mostly and ACT not in self.mostly
        if not things or GAME not in graph or BALL not in graph or not graph.is_a(concept, GAME):
            return None
        games = {letters_of(n) for n in self.store.english_lemmas([concept]).get(concept, ())}
        named_for = {game + "ball" for game in games}  # "soccer ball", "tennis ball"
        balls = graph.descendants(BALL)
        names = self.store.english_lemmas(balls)
        found = [c.id for c in self.store.concepts(balls)
                 if any(letters_of(m[1]) in games for m in BALL_OF.finditer(c.gloss))
                 or any(letters_of(n) in named_for for n in names.get(c.id, ()))]
        return found[0] if len(found) == 1 and found[0] not in self.named else None

    def _shared_parent(self, taxon: str, species: Sequence[str]) -> str | None:
        """The parent more than half of a taxon's ``species`` have, if its gloss names the taxon
        (or a family or order named after it: "of the family Malvaceae" names Malva)."""
        graph = self.store.graph
        parent, count = most_shared_parent(self.store, species)
        if count * 2 <= len(species) or graph.is_a(parent, TAXON):
            return None
        name = self.store.names([taxon]).get(taxon, "").split()[-1:]
        gloss = self.store.concepts([parent])[0].gloss.lower()
        return parent if name and name[0].lower() in gloss else None

    def similarity(self) -> WuPalmer:
        """Wu & Palmer similarity, its ancestries kept for one call of the linker."""
        self._similarity = self._similarity or WuPalmer(self.store.graph)
        return self._similarity

    def coherence(self, senses: Sequence[str], around: Sequence[Sequence[str]]) -> dict[str, float]:
        """How well each sense fits the labels around it in a label set: for each neighbour, the
        Wu & Palmer similarity of the sense to the neighbour's nearest sense (of its first
        NEIGHBOUR_SENSES), averaged. Label sets group their classes ("beaver" among "marmot" and
        "porcupine" is the rodent, not the visor of a helmet); neighbours with no sense count not."""
        around = [n[:NEIGHBOUR_SENSES] for n in around if n]
        if not around:
            return {}
        similarity = self.similarity()
        return {sense: sum(max(similarity(sense, other) for other in neighbour) for neighbour in around) / len(around)
                for sense in senses}

    def animal_before_product(self, scores: dict[str, float], embeddings: ConceptEmbeddings) -> None:
        """Food or material made from an animal (under ANIMAL_PRODUCTS) gives way to the animal
        sense of the same name it is made from (the one nearest it) unless it leads it by more
        than PRODUCT_LEAD: an image dataset's "eel" is the fish, not its flesh; "mink" the
        animal, not its fur or a coat of it (the lexicographer files alone put food and artifacts
        first). They trade scores, so that no third sense gains, and a label set of dishes around
        it keeps the food (as does one that is mostly dishes, see :meth:`order`: Food-101's
        "mussels")."""
        graph, lexnames = self.store.graph, self.lexnames()
        products = [c for c in scores if any(graph.is_a(c, p) for p in ANIMAL_PRODUCTS if p in graph)]
        animals = [c for c in scores if lexnames.get(c) == ANIMAL and c not in products]
        if products and animals:
            product = max(products, key=scores.__getitem__)
            made_of = embeddings.vector(product)  # "king crab" the meat: the Alaskan crab, not the European
            nearest = embeddings.similarity(made_of, animals) if made_of is not None else [0.0] * len(animals)
            animal = animals[int(np.argmax(nearest))]
            if scores[animal] < scores[product] <= scores[animal] + PRODUCT_LEAD:
                scores[product], scores[animal] = scores[animal], scores[product]

    def lexnames(self) -> dict[str, str]:
        return self.facts()[2]

    def order(self, senses: list[str], embeddings: ConceptEmbeddings, context: np.ndarray | None,
              hint: np.ndarray | None = None, hinted: set[str] | frozenset[str] = frozenset(),
              around: Sequence[Sequence[str]] = (), name: str = "") -> list[tuple[str, float]]:
        """The senses of a dataset label, the one the dataset most likely means first: visual
        lexicographer files before abstract ones (food before plant: a dataset's "cherry" is
        the fruit), senses with image classes below them, WordNet's frequency order (less among
        the senses SemCor never tagged, see UNTAGGED_PLACE), senses the
        label is the first name of (see FIRST_NAME_BONUS; not with a qualifier), the sense the name
        usually means in running text (see FREQUENCY_WEIGHT; not with a qualifier), a sense the
        label names as written rather than by its singular (see WRITTEN_BONUS), and, in a
        label set, the sense nearest to the labels around it (COCO's "mouse" among "laptop",
        "remote" and "keyboard" is the device) or lying closest in the tree to their senses (see
        :meth:`coherence`), and the sense nearest to a qualifier, or under what it names ("bus
        (vehicle)", "church (indoor)"). Each with its score: how far the first lies ahead of the
        others says how sure the choice is (see :func:`margin`). Food made from an animal comes
        after the animal (see :meth:`animal_before_product`): images of "eel" show the fish;
        not in a set mostly of food and not of animals (see :meth:`read_set`)."""
        graph = self.store.graph
        imagenet1k, image_classes, lexnames = self.facts()
        near = dict(zip(senses, embeddings.similarity(context, senses), strict=True)) if context is not None else {}
        fits = self.coherence(senses, around) if len(senses) > 1 else {}
        by_hint = dict(zip(senses, embeddings.similarity(hint, senses), strict=True)) if hint is not None else {}
        first_named = ({c for c, n in self.store.names(senses).items() if letters_of(n) == letters_of(name)}
                       if name and hint is None else set())
        used = self.store.name_counts(name) if name else {}
        counts = {c: n for c, n in used.items() if c in first_named} if first_named else {}
        # the senses SemCor tagged come first in WordNet's order (a name with no counts: all of it so)
        ordered = sum(1 for c in senses if used.get(c, 0) > 0) if used else len(senses)
        concepts = self.store.concepts(senses)
        written = set(self.store.senses(name, "en")) if name else set()  # "glasses": spectacles, not glass
        if name.lower().endswith("s") and not written:  # "jeans", by a "(usually plural)" sense of "jean"
            written = {c.id for c in concepts if USUALLY_PLURAL.search(c.gloss)}
        tagged = sum(counts.values())
        slang = {c.id for c in concepts if STREET_NAME.search(c.gloss)}
        usual = {c for c, n in counts.items() if tagged >= FREQUENCY_MIN_TAGS and n >= FREQUENCY_SHARE * tagged}

        priors = self.priors if hint is None and not hinted else LABEL_SENSE_BY_LEXNAME  # a qualifier says more

        places = self.places if hint is None and not hinted else None

        def score(position: int, concept: str) -> float:
            below = graph.descendants(concept, inclusive=True)
            prior = priors.get(lexnames.get(concept, ""), 0.0)
            if places is not None and self.is_place(concept):
                prior = max(prior, SET_LEVEL) if places >= SET_SHARE else prior - PLACE_PENALTY * (places == 0)
            return (prior - 0.05 * min(position, ordered)
                    - UNTAGGED_PLACE * max(0, position - ordered)
                    + 0.1 * bool(image_classes.intersection(below)) + 0.05 * math.log1p(len(below))
                    + 0.1 * (concept in imagenet1k) + CONTEXT_WEIGHT * near.get(concept, 0.0)
                    + COHERENCE_WEIGHT * fits.get(concept, 0.0)
                    + by_hint.get(concept, 0.0) + HINT_BONUS * (concept in hinted)
                    + FIRST_NAME_BONUS * (concept in first_named)
                    + FREQUENCY_WEIGHT * (concept in usual) + WRITTEN_BONUS * (concept in written)
                    - STREET_NAME_PENALTY * (concept in slang))

        scores = {c: score(i, c) for i, c in enumerate(senses)}
        dishes = FOOD in self.mostly and ANIMAL not in self.mostly  # Food-101's "mussels" are eaten
        if hint is None and not hinted and not dishes:  # "crab (food)" says which
            self.animal_before_product(scores, embeddings)
        return sorted(scores.items(), key=lambda item: -item[1])


def most_shared_parent(store: Store, concepts: Sequence[str], hidden: Collection[str] = ()) -> tuple[str, int]:
    """The parent most of ``concepts`` have (the first of equals), and how many have it; ("", 0)
    when none has one. Hidden concepts and parents count not."""
    graph = store.graph
    votes = Counter(p for c in concepts if c not in hidden for p in graph.parents(c) if p not in hidden)
    return votes.most_common(1)[0] if votes else ("", 0)


def margin(scored: Sequence[tuple[str, float]], first: str) -> float:
    """How far ``first`` lies ahead of the best other sense (0 when it does not): the raw score
    of the "label-sense" confidence curve (confidence.CALIBRATION)."""
    scores = dict(scored)
    return max(0.0, scores[first] - max((v for c, v in scored if c != first), default=scores[first] - 1.0))
