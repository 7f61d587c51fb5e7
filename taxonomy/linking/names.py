"""Names given to the linker: validation, normalisation, and WordNet's noun morphology."""

from __future__ import annotations

import sqlite3
import unicodedata

from taxonomy.errors import InputError
from taxonomy.storage import db
from taxonomy.storage.db import normalize

MAX_NAME = 200
MAX_DESCRIPTION = 2000
#: WordNet's detachment rules for nouns (morphy): suffix -> replacement.
NOUN_RULES = (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
              ("men", "man"), ("ies", "y"))


def clean_name(name: object) -> str:
    """A name as the linker takes it; raises InputError saying what is wrong with it."""
    if not isinstance(name, str):
        raise InputError(f"a name must be text, got {type(name).__name__}")
    if any(unicodedata.category(ch) == "Cc" for ch in name.replace("\t", " ")):
        raise InputError("the name contains control characters")
    cleaned = " ".join(name.replace("_", " ").split())
    if not cleaned:
        raise InputError("the name is empty")
    if len(cleaned) > MAX_NAME:
        raise InputError(f"the name is {len(cleaned):,} characters long; at most {MAX_NAME}")
    return cleaned


def clean_description(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InputError(f"a description must be text, got {type(text).__name__}")
    if any(unicodedata.category(ch) == "Cc" for ch in text.replace("\t", " ").replace("\n", " ")):
        raise InputError("the description contains control characters")
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_DESCRIPTION:
        raise InputError(f"the description is {len(cleaned):,} characters long; at most {MAX_DESCRIPTION}")
    return cleaned


def base_forms(conn: sqlite3.Connection, name: str) -> list[str]:
    """Normalised forms of ``name`` that are names in the store: itself, or its singular by
    WordNet's exception list and detachment rules (applied to the last word)."""
    norm = normalize(name)
    found = [norm] if db.has_name(conn, norm) else []
    head, _, last = norm.rpartition(" ")
    prefix = f"{head} " if head else ""
    candidates = [prefix + base for base in db.morph_bases(conn, last)]
    candidates += [base for base in db.morph_bases(conn, norm)]
    candidates += [prefix + last[: -len(suffix)] + ending for suffix, ending in NOUN_RULES
                   if last.endswith(suffix) and len(last) > len(suffix)]
    for candidate in candidates:
        if candidate not in found and db.has_name(conn, candidate):
            found.append(candidate)
    return found
