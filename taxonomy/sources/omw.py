"""Translations of WordNet nouns from the Open Multilingual Wordnet tables in ``data/multilingual``.

The paper's crawl languages: Chinese (Chinese Open Wordnet), Spanish (Wiktionary-derived),
Dutch (Open Dutch WordNet) and Italian (MultiWordNet), keyed by WordNet 3.0 offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from taxonomy.paths import data_dir

#: language (BCP 47) -> (table, source name, license file)
TABLES = {
    "zh": ("wn-data-cmn.tab", "omw-cow", "LICENSE-cow-cmn"),
    "es": ("wn-wikt-spa.tab", "omw-wikt", "LICENSE-wikt"),
    "nl": ("wn-data-nld.tab", "omw-odwn", "LICENSE-nld"),
    "it": ("wn-data-ita.tab", "omw-mwn", "LICENSE-ita"),
}


@dataclass(slots=True)
class Translation:
    """Names (and maybe a gloss) of one concept in one language, from one table."""

    concept: str
    lang: str
    source: str
    names: list[str] = field(default_factory=list)
    gloss: str | None = None


def noun_translations(folder: Path | None = None) -> Iterator[Translation]:
    """Every noun translation of the four tables, one item per (concept, language)."""
    base = (folder or data_dir()) / "multilingual"
    for lang, (table, source, _) in TABLES.items():
        found: dict[str, Translation] = {}
        with open(base / table, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3 or not parts[0].endswith("-n"):
                    continue
                synset, relation, value = parts
                value = value.strip()
                if not value:
                    continue
                item = found.setdefault(synset, Translation(f"n{synset[:8]}", lang, source))
                if relation.endswith(":lemma"):
                    item.names.append(value.replace("_", " "))
                elif relation.endswith(":def") and item.gloss is None:
                    item.gloss = value
        yield from found.values()


def versions() -> dict[str, str]:
    """The source line of every table (its first line names the wordnet and its license)."""
    base = data_dir() / "multilingual"
    found = {}
    for lang, (table, source, license_file) in TABLES.items():
        with open(base / table, encoding="utf-8") as lines:
            header = lines.readline().lstrip("# ").strip().split("\t")
        found[f"omw.{lang}"] = f"{source}: {header[0]}, license in data/multilingual/{license_file}"
    return found
