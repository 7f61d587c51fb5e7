"""Crawl queries (paper section 4.1.1): what to type into an image search engine for a concept.

Classification queries are a concept's name, synonyms and translations (zh, es, nl, it), each
with its language; an English name whose most frequent sense is another concept is qualified
by the last word of the parent's name ("crane bird"), placeholders of the wordnets ("GAP!") are
dropped, as is a translation that also names a more frequent sense of the concept's English
name (the Dutch "hijskraan", the machine, given to the crane bird too); a text is asked once
whatever its language. Detection queries pair a common
concept with a scene word (the Places365 categories) or with another common, visual concept
that WordNet does not mark as slang, obscene or disparaging.
Each concept is capped; the choice of pairs is seeded by the concept id, so the same store gives
the same queries.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TypedDict

from taxonomy.model import Concept
from taxonomy.paths import data_dir
from taxonomy.reading import LabelReader
from taxonomy.text import normalize


class Query(TypedDict):
    concept: str
    query: str
    lang: str
    kind: str  # name, synonym, translation, scene, pair
    partners: list[str]


@cache
def scene_words() -> tuple[str, ...]:
    """The 365 Places365 categories as plain words (``/b/bakery/shop`` -> ``bakery shop``)."""
    words: dict[str, None] = {}
    with open(data_dir() / "places365" / "categories_places365.txt", encoding="utf-8") as lines:
        for line in lines:
            path = line.split()[0]
            words[" ".join(path.split("/")[2:]).replace("_", " ")] = None
    return tuple(words)


PLACEHOLDERS = frozenset({"gap!", "pseudogap!"})  # the Open Multilingual Wordnet's "no word here"
#: WordNet's usage domains of senses nobody wants in a search query.
OFFENSIVE_DOMAINS = frozenset({"slang", "obscenity", "vulgarism", "disparagement", "ethnic slur"})
#: Glosses that say so where the usage-domain pointer is missing ("obscene terms for feces",
#: "(slang) offensive term for ...", "a coarse term for defecation"); not "an Allied offensive".
OFFENSIVE_GLOSS = re.compile(
    r"\((?:slang|vulgar|ethnic slur|offensive|obscene)\)|\bslang (?:term|word|name|for)"
    r"|\b(?:obscene|vulgar|offensive|insulting|disparaging|derogatory|coarse|crude) (?:terms?|words?|names?|slang)\b",
    re.IGNORECASE)


def offensive(concept: Concept) -> bool:
    """A sense WordNet marks as slang, obscene, vulgar or disparaging (by pointer or in its gloss)."""
    return bool(OFFENSIVE_DOMAINS.intersection(concept.usage)) or bool(OFFENSIVE_GLOSS.search(concept.gloss))


def classification_queries(store: LabelReader, concept_id: str, cap: int = 20,
                           langs: Sequence[str] | None = None) -> list[Query]:
    """Name, synonyms and translations of one concept (in ``langs``, default all), each text
    once, an ambiguous English name qualified by its parent, at most ``cap``."""
    concept = store.concept(concept_id)
    found: list[Query] = []
    candidates: list[tuple[str, str, str]] = [(concept.name, "en", "name")]
    candidates += [(lemma, "en", "synonym") for lemma in concept.lemmas]
    candidates += [(name, lang, "translation") for lang, name, _ in store.translations(concept_id)]
    qualifier = _qualifier(store, concept_id)
    rivals = _more_frequent_senses(store, concept)
    seen: set[str] = set()
    for text, lang, kind in candidates:
        if langs is not None and lang not in langs:
            continue
        if kind == "translation" and rivals.intersection(store.senses(text, lang)):
            continue  # "hijskraan" is on the crane bird too, but it is the machine, crane's first sense
        if lang == "en" and qualifier and _lesser_sense(store, text, concept_id) and not text.endswith(qualifier):
            text = f"{text} {qualifier}"  # "crane" alone finds the hoisting cranes, its first sense
        key = normalize(text)
        if key and key not in seen and key not in PLACEHOLDERS:
            seen.add(key)
            found.append({"concept": concept_id, "query": text, "lang": lang, "kind": kind, "partners": []})
    return found[:cap]


def _more_frequent_senses(store: LabelReader, concept: Concept) -> set[str]:
    """Other concepts that an English name of ``concept`` means more often than it."""
    found: set[str] = set()
    for lemma in concept.lemmas:
        senses = store.senses(lemma, "en")
        if concept.id in senses:
            found.update(senses[: senses.index(concept.id)])
    return found


def _lesser_sense(store: LabelReader, name: str, concept_id: str) -> bool:
    """``name`` names other concepts too, and its most frequent sense is another one."""
    senses = store.senses(name)
    return len(senses) > 1 and senses[0] != concept_id


def _qualifier(store: LabelReader, concept_id: str) -> str:
    """The last word of the first parent's name ("bird" for a crane under "wading bird")."""
    parents = store.graph.parents(concept_id)
    if not parents:
        return ""
    return store.names(parents[:1])[parents[0]].replace("_", " ").split()[-1]


def detection_queries(store: LabelReader, concept_id: str, partners: Sequence[str], cap: int = 50) -> list[Query]:
    """A common concept paired with scene words and with other common concepts, at most ``cap``."""
    names = store.names([concept_id, *partners])
    name = names[concept_id]
    rng = random.Random(concept_id)  # reproducible variety
    scenes = list(scene_words())
    others = [p for p in partners if p != concept_id]
    rng.shuffle(scenes)
    rng.shuffle(others)
    found: list[Query] = []
    seen: set[str] = set()
    pairs = _alternate(((f"{name} {scene}", "scene", []) for scene in scenes),
                       ((f"{name} and {names[o]}", "pair", [o]) for o in others))
    for text, kind, with_ in pairs:
        if len(found) >= cap:
            break
        key = normalize(text)
        if key not in seen:
            seen.add(key)
            found.append({"concept": concept_id, "query": text, "lang": "en", "kind": kind, "partners": with_})
    return found


def _alternate(*streams: Iterable[tuple[str, str, list[str]]]) -> Iterator[tuple[str, str, list[str]]]:
    """Interleave streams so that a cap keeps some of each."""
    iterators = [iter(s) for s in streams]
    while iterators:
        for it in list(iterators):
            try:
                yield next(it)
            except StopIteration:
                iterators.remove(it)
