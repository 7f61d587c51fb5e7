"""Crawl queries (paper section 4.1.1): what to type into an image search engine for a concept.

Classification queries are a concept's name, synonyms and translations (zh, es, nl, it), each
with its language. Detection queries pair a common concept with a scene word (the Places365
categories) or with another common concept. Duplicates are removed and each concept capped;
the choice of pairs is seeded by the concept id, so the same store gives the same queries.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TypedDict

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


def classification_queries(store: LabelReader, concept_id: str, cap: int = 20) -> list[Query]:
    """Name, synonyms and translations of one concept, without duplicates, at most ``cap``."""
    concept = store.concept(concept_id)
    found: list[Query] = []
    candidates: list[tuple[str, str, str]] = [(concept.name, "en", "name")]
    candidates += [(lemma, "en", "synonym") for lemma in concept.lemmas]
    candidates += [(name, lang, "translation") for lang, name, _ in store.translations(concept_id)]
    seen: set[tuple[str, str]] = set()
    for text, lang, kind in candidates:
        key = (lang, normalize(text))
        if key[1] and key not in seen:
            seen.add(key)
            found.append({"concept": concept_id, "query": text, "lang": lang, "kind": kind, "partners": []})
    return found[:cap]


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
