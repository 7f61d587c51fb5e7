"""SPARQL text for the Wikidata import, built only from validated QIDs (never from user text)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from taxonomy.errors import InputError

ENTITY = "http://www.wikidata.org/entity/"
_QID = re.compile(r"^Q[1-9][0-9]{0,11}$")
_ENTITY_URI = re.compile(r"^http://www\.wikidata\.org/entity/(Q[1-9][0-9]{0,11})$")
PREFIXES = (
    "PREFIX wd: <http://www.wikidata.org/entity/>\n"
    "PREFIX wdt: <http://www.wikidata.org/prop/direct/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX schema: <http://schema.org/>\n"
)
#: Wikidata label languages kept, and the language code they are stored under.
LABEL_LANGUAGES = {"en": "en", "zh": "zh", "zh-hans": "zh", "zh-cn": "zh", "es": "es", "nl": "nl", "it": "it"}


def validate_qid(value: str) -> str:
    """A QID as given by a user (``Q144``, or an entity URI); raises InputError otherwise."""
    text = value.strip()
    match = _ENTITY_URI.match(text)
    if match:
        return match.group(1)
    if not _QID.match(text):
        raise InputError(f"not a Wikidata item id: {value!r}; item ids look like Q144")
    return text


def qid_of(uri: str) -> str | None:
    """The QID of an entity URI in a result, or None for anything else (a counted skip)."""
    match = _ENTITY_URI.match(uri)
    return match.group(1) if match else None


def _values(variable: str, qids: Sequence[str]) -> str:
    return f"VALUES ?{variable} {{ " + " ".join(f"wd:{validate_qid(q)}" for q in qids) + " }"


def subclasses(parents: Sequence[str]) -> str:
    """Direct subclasses (P279) of the given items."""
    return PREFIXES + f"SELECT ?item ?parent WHERE {{ {_values('parent', parents)} ?item wdt:P279 ?parent . }}"


def superclasses(items: Sequence[str]) -> str:
    """Direct superclasses (P279) of the given items."""
    return PREFIXES + f"SELECT ?item ?parent WHERE {{ {_values('item', items)} ?item wdt:P279 ?parent . }}"


def details(items: Sequence[str]) -> str:
    """Labels (kept languages), English description, WordNet 3.1 ids (P8814) and P31 classes."""
    languages = ", ".join(f'"{lang}"' for lang in LABEL_LANGUAGES)
    return PREFIXES + (
        f"SELECT ?item ?field ?value WHERE {{ {_values('item', items)} "
        f"{{ ?item rdfs:label ?value . FILTER(LANG(?value) IN ({languages})) BIND(\"label\" AS ?field) }} "
        "UNION { ?item schema:description ?value . FILTER(LANG(?value) = \"en\") BIND(\"description\" AS ?field) } "
        "UNION { ?item wdt:P8814 ?value . BIND(\"wordnet\" AS ?field) } "
        "UNION { ?item wdt:P31 ?value . BIND(\"instance_of\" AS ?field) } }"
    )
