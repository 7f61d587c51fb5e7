"""WordNet id crosswalks shipped in ``data/crosswalk``: WN 3.1 -> 3.0 (via ILI) and Wikidata QIDs.

Wikidata's property P8814 holds WordNet 3.1 synset ids (``02086723-n``); the store's ids are
WordNet 3.0 offsets (``n02084071``). Open English WordNet also records QIDs on 13K synsets.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from taxonomy.paths import data_dir

_SYNSET_ID = re.compile(r"^(\d{8})-([nvasr])$")


@cache
def wn31_to_wn30(folder: Path | None = None) -> dict[str, str]:
    """WN 3.1 synset id -> WN 3.0 synset id, both as ``02084071-n``."""
    with open((folder or data_dir()) / "crosswalk" / "wn31_to_wn30.tsv", encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["wn31"]: row["wn30"] for row in rows if row["wn31"] and row["wn30"]}


def concept_id_from_wn30(synset: str) -> str | None:
    """``02084071-n`` -> ``n02084071`` (nouns only; None for other parts of speech or junk)."""
    match = _SYNSET_ID.match(synset.strip())
    return f"n{match.group(1)}" if match and match.group(2) == "n" else None


def concept_id_from_p8814(value: str) -> str | None:
    """A Wikidata P8814 value (WordNet 3.1 id) -> the store's WN 3.0 concept id, or None."""
    wn30 = wn31_to_wn30().get(value.strip())
    return concept_id_from_wn30(wn30) if wn30 else None


@cache
def oewn_qid_to_concept(folder: Path | None = None) -> dict[str, str]:
    """QID -> WN 3.0 noun concept id, from Open English WordNet's ``wikidata:`` fields."""
    mapping: dict[str, str] = {}
    with open((folder or data_dir()) / "crosswalk" / "oewn_wn30_wikidata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            concept = concept_id_from_wn30(row["wn30_offset"]) if row["wn30_offset"] else None
            if concept:
                for qid in row["wikidata_qids"].split("|"):
                    if qid:
                        mapping.setdefault(qid, concept)
    return mapping


def qids_of_concepts() -> dict[str, list[str]]:
    """WN 3.0 concept id -> its QIDs per Open English WordNet (recorded on concepts at build time)."""
    found: dict[str, list[str]] = {}
    for qid, concept in oewn_qid_to_concept().items():
        found.setdefault(concept, []).append(qid)
    return found
