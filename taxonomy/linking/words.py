"""The store's words as the linker reads a name: the concepts a name names however it is written
(a variant, one typo away, another language), the names and kinds of concepts, the acts a verb
names, and where a word written solid splits. Remembered for one call of ``Linker.link``: a
batch's names share words, and the store may change between calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from taxonomy.linking import placement
from taxonomy.linking.label_senses import ACT, ANIMAL, IMAGED_LEXNAMES, PLANT, TAXON, LabelSenses
from taxonomy.linking.names import (
    NAMED_SPLIT_PART,
    CachedLexicon,
    adjective_stems,
    base_forms,
    compound_splits,
    gerund_stems,
    latin_letters,
    respellings,
    variants,
)
from taxonomy.store import Store
from taxonomy.text import normalize

KIND_NAMES_READ = 2_000  # kinds of a sense whose names are read for it: a hub of a merged Wikidata tree has 500,000
SOLID_HEAD_LETTERS = 4  # letters at least of the head of a word written solid ("kinesis" is no kind of sis)
#: Nouns that end a word as a suffix more often than as its head: "commandership" is no ship,
#: "childhood" no hood, "likeness" no headland.
SUFFIX_WORDS = frozenset({"ship", "hood", "ness", "like", "ward", "wise", "ology"})
#: Prefixes that begin a word written solid as its first part: "Triplane" is a plane, no trip lane.
PREFIXES = frozenset({"tri", "multi", "mono", "poly", "semi", "hyper", "micro", "mini", "mega", "super", "ultra",
                      "pseudo", "proto", "quad"})


class StoreWords:
    """What the store's names say, for one linker. ``hidden``: concepts the linker must not see
    (measuring on WordNet's own leaves); ``visual``: the names are labels of an image dataset."""

    def __init__(self, store: Store, label_senses: LabelSenses):
        self.store = store
        self.label_senses = label_senses  # its lexicographer files, read once per store
        self.hidden: set[str] = set()
        self.visual = False
        self._names: set[str] | None = None
        self.forget()

    def forget(self) -> None:
        """Forget what the last call of ``Linker.link`` read: the store may have changed since."""
        self._found: dict[tuple[str, bool], tuple[list[str], str, str]] = {}  # senses
        self._lemmas_read: dict[str, tuple[str, ...]] = {}  # lemmas
        self._instances: dict[str, bool] = {}  # is_instance
        self._kind_words: dict[str, Counter[str]] = {}  # kinds_named
        self._acts_of_verb: dict[str, list[str]] = {}  # Store.verb_acts
        self.lexicon = CachedLexicon(self.store)  # the store's answers to base_forms

    def senses_named(self, name: str) -> list[str]:
        """The concepts ``name`` names, written any way the linker reads it (no typos), as the
        store and ``hidden`` are now, not as the last call of ``Linker.link`` found them."""
        return list(self._find_senses(name, typos=False)[0])

    def senses(self, name: str, *, typos: bool = False) -> tuple[list[str], str, str]:
        """The concepts ``name`` names, English senses first, the form that found them and how
        it was found: "name" (itself or its singular), "variant" (another way to write it, see
        names.variants) or, with ``typos``, "typo" (one typo away, see names.respellings).
        Remembered for one call of ``Linker.link`` (a name is looked up before and with the models)."""
        key = (name, typos)
        if key not in self._found:
            self._found[key] = self._find_senses(name, typos)
        found, form, how = self._found[key]
        return list(found), form, how

    def _find_senses(self, name: str, typos: bool) -> tuple[list[str], str, str]:
        if typos:  # a typo only when neither the name nor a variant names anything (looked up once)
            found_already = self.senses(name)
            if found_already[0] or self.activity(name) or self.adjective(name):  # "rafting" is a
                # word, not a typo of "drafting"; "cracked" no typo of "cracker"
                return found_already
        # a name of another language only when English has none, the name's variants included
        # ("Café" is the English cafe, not the Spanish name of a barroom); each way of writing it
        # made once, and looked up in English, then in any language
        written: dict[str, list[str]] = {}
        for lang in ("en",) if typos else ("en", None):
            for how in ("typo",) if typos else ("name", "variant"):
                if how not in written:
                    written[how] = ([name] if how == "name" else [*variants(name), *self.named_splits(name)]
                                    if how == "variant" else respellings(name, self.english_names()))
                for form in written[how]:
                    bases = base_forms(self.lexicon, form)
                    found = list(dict.fromkeys(c for base in bases for c in self.store.senses(base, lang)
                                               if c not in self.hidden))
                    if how == "typo" and self.visual:  # a dataset label's typo is of a kind of thing
                        lexnames = self.lexnames()  # images show, never of one river or star ("Balafon" is
                        found = [c for c in found if lexnames.get(c) in IMAGED_LEXNAMES  # no Balaton)
                                 and not self.is_instance(c)]
                    if found:
                        return found, bases[0], "foreign" if lang is None and latin_letters(name) else how
        return [], "", ""

    def lemmas(self, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """English names of ``ids``, read once per call of ``Linker.link`` (a batch's names share heads)."""
        missing = [c for c in dict.fromkeys(ids) if c not in self._lemmas_read]
        if missing:
            found = self.store.english_lemmas(missing)
            self._lemmas_read.update((c, found.get(c, ())) for c in missing)
        return {c: self._lemmas_read[c] for c in ids}

    def is_instance(self, concept: str) -> bool:
        """Is ``concept`` one individual (a river, a star, a person), an instance of its parents?
        Read once per call of ``Linker.link``: every placement asks it of its candidates."""
        if concept not in self._instances:
            self._instances[concept] = any(edge.kind == "instance_hypernym" for edge in self.store.edges(concept))
        return self._instances[concept]

    def english_names(self) -> set[str]:
        """Every English name of the store (normalised), read once: typos are checked against it."""
        if self._names is None:
            self._names = self.store.english_names()
        return self._names

    def lexnames(self) -> dict[str, str]:
        """concept -> lexicographer file, read once."""
        return self.label_senses.lexnames()

    def acts_of(self, verb: str) -> list[str]:
        if verb not in self._acts_of_verb:
            self._acts_of_verb[verb] = self.store.verb_acts(verb)
        return self._acts_of_verb[verb]

    def act_senses(self, word: str) -> list[str]:
        """The senses of ``word`` that are acts (noun.act)."""
        lexnames = self.lexnames()
        return [c for c in self.senses(word)[0] if lexnames.get(c) == ACT]

    def verb_acts(self, word: str) -> list[str]:
        """The acts of the verb an ``-ing`` word is made from (Store.verb_acts), of its likeliest
        stem that is a verb: "biking" -> bike -> cycling; "canoeing" -> canoe -> boating."""
        graph = self.store.graph
        for stem in gerund_stems(word):
            acts = [c for c in self.acts_of(stem) if c in graph and c not in self.hidden]
            if acts:
                return acts
        return []

    def activity(self, name: str) -> bool:
        """An ``-ing`` form of a word the store knows ("rafting" of raft) or of a verb that names
        an act ("aviating" of aviate): a word, not a typo."""
        names = self.english_names()
        return any(stem in names or self.acts_of(stem) for stem in gerund_stems(name))

    def adjective(self, name: str) -> str:
        """The noun a one-word adjective in "-ed" or "-y" is made from, if the store knows it
        ("cracked" of crack, "scaly" of scale), or ""."""
        names = self.english_names()
        return next((stem for stem in adjective_stems(name) if stem in names), "")

    def kinds(self, concept: str, limit: int) -> list[str]:
        """The first ``limit`` children of ``concept`` that are not hidden."""
        return [c for c in self.store.graph.children(concept, limit + len(self.hidden)) if c not in self.hidden][:limit]

    def kinds_named(self, concept: str, word: str) -> int:
        """How many kinds of ``concept`` have a name of two words or more that ends in ``word``."""
        if concept not in self._kind_words:
            kinds = self.kinds(concept, KIND_NAMES_READ)
            lemmas = self.lemmas(kinds)
            last_words = ({words[-1] for n in lemmas[c] if len(words := normalize(n).replace("-", " ").split()) > 1}
                          for c in kinds)  # each kind counted once
            self._kind_words[concept] = Counter(last for words in last_words for last in words)
        return self._kind_words[concept][word]

    def kind_of_any(self, kinds: Sequence[str], of: Sequence[str]) -> bool:
        """Is one of ``kinds`` a kind of one of ``of``?"""
        graph = self.store.graph
        return any(graph.is_a(kind, c) for kind in kinds if kind in graph for c in of if c in graph)

    def known_noun(self, word: str) -> bool:
        """Does the store name ``word`` in English, as written or as a variant of it (not a word
        only another language has: "Darth vader" is no kind of father, Dutch "vader")?"""
        senses, _, how = self.senses(word)
        return bool(senses) and how != "foreign"

    def common_nouns(self, word: str) -> list[str]:
        """The senses of ``word`` that an English name in lower case names, as a common noun, not
        a taxon's or a proper name ("capoeira" is no kind of Eira, the tayra's genus; "curious"
        no IOU)."""
        found, form, how = self.senses(word)
        if how == "foreign":
            return []
        graph, lemmas = self.store.graph, self.lemmas(found)
        return [c for c in found if c in graph and not graph.is_a(c, TAXON)
                and any(lemma == normalize(lemma) == form for lemma in lemmas[c])]

    def split_solid(self, word: str) -> tuple[str, str, list[str]]:
        """``word`` split into a first part, a common noun of the store (:meth:`common_nouns`)
        or a prefix (PREFIXES), and the longest second, a common noun of SOLID_HEAD_LETTERS or
        more and no suffix (SUFFIX_WORDS), with the second's senses: "headshake" -> ("head",
        "shake", ...), no "heads hake". ("", "", []) if none is, or the word ends as a taxon's
        name does."""
        if word.endswith(placement.TAXON_ENDINGS):  # "Malpighiales" is an order, no kind of ale
            return "", "", []
        for split in reversed(compound_splits(word)):  # the longest head first
            first, second = split.split()
            if len(second) >= SOLID_HEAD_LETTERS and second not in SUFFIX_WORDS and (
                    first in PREFIXES or self.common_nouns(first)):
                senses = self.common_nouns(second)
                if senses:
                    return first, second, senses
        return "", "", []

    def named_splits(self, name: str) -> list[str]:
        """A word written solid split in two where that is a name of the store ("payphone" -> "pay-phone")."""
        names = self.english_names()
        return [form for split in compound_splits(normalize(name), NAMED_SPLIT_PART)
                for form in (split, split.replace(" ", "-")) if form in names]

    def knows_a_word(self, name: str) -> bool:
        """A word of it is a word of the store, or a hyphenated word of it is ("Alpine
        forget-me-not", none of whose parts is a noun), or it is one word written solid of two
        ("skiboard"), or an activity made from one ("Canoeing", "throwing frisby")."""
        norm, lexicon = normalize(name), self.lexicon
        words = [w for w in norm.replace("-", " ").split() if len(w) > 2]
        hyphenated = [w for w in norm.split() if "-" in w]
        return (any(base_forms(lexicon, word) for word in words + hyphenated) or self.activity(name)
                or (bool(words) and self.activity(words[0])) or any(
            all(base_forms(lexicon, part) for part in split.split()) for split in compound_splits(norm)))

    def taxa(self, name: str) -> list[str]:
        """The taxa ``name`` names, or, where it names none, "genus NAME" does: WordNet names
        some genera only so ("genus Hydrangea"; its "hydrangea" is the shrub)."""
        graph = self.store.graph
        for form in (name, f"genus {name}"):
            found = [c for c in self.senses(form)[0] if c in graph and graph.is_a(c, TAXON)]
            if found:
                return found
        return []

    def binomial_of(self, concept: str) -> str:
        """A name of an animal or plant ``concept`` that is a binomial of a genus the store knows
        ("Iguana iguana"), or "" (the potato chip's "Saratoga chip" is none)."""
        if self.lexnames().get(concept) not in (ANIMAL, PLANT):
            return ""
        for lemma in self.lemmas([concept])[concept]:
            words = lemma.split()
            if (len(words) == 2 and words[0][:1].isupper() and words[0][1:].islower() and words[1].isalpha()
                    and words[1].islower() and self.taxa(words[0])):
                return lemma
        return ""

    def proper_names(self, lookup: str, form: str, senses: Sequence[str]) -> set[str]:
        """The senses that ``lookup``, written in lower case, names only as a proper name: WordNet
        writes those capitalised, so "china" is the porcelain and "medina" the old quarter of a
        city, after China and Medina. Only one individual is a proper name: WordNet capitalises
        some classes too (Caltech-101's "buddha" is a buddha, not Gautama). None when the name
        has a capital (Wikipedia writes every title so) or every sense is a proper name."""
        if lookup != lookup.lower():
            return set()
        lemmas = self.lemmas(senses)
        proper = {c for c in senses if all(lemma[:1].isupper() for lemma in lemmas[c] if normalize(lemma) == form)
                  and any(normalize(lemma) == form for lemma in lemmas[c]) and self.is_instance(c)}
        return proper if len(proper) < len(senses) else set()

    def written_as_capitalised(self, lookup: str, senses: Sequence[str]) -> set[str]:
        """The senses with a name written exactly as ``lookup``, a capitalised name, when others
        have none so: WordNet and Wikidata capitalise proper names and write common nouns in lower
        case. Only with a description (a dataset capitalises every label: "Duck")."""
        if lookup == lookup.lower():
            return set()
        lemmas = self.lemmas(senses)
        cased = {c for c in senses if lookup in lemmas[c]}
        return cased if len(cased) < len(senses) else set()
