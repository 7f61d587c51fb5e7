"""Fetching a subclass-of (P279) tree from a SPARQL endpoint: down from roots, up to anchors."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from taxonomy.progress import Progress, quiet
from taxonomy.wikidata import queries
from taxonomy.wikidata.client import SparqlClient

#: A label or description longer than this is cut (a hostile endpoint can send anything).
MAX_LITERAL = 1000


@dataclass(slots=True)
class Item:
    """What the endpoint says about one Wikidata item."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    description: str = ""
    aliases: list[str] = field(default_factory=list)  # English (a dump's; the endpoint import asks none)
    wordnet: list[str] = field(default_factory=list)
    instance_of: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Harvest:
    """Items at or below the roots (``tree``), their superclasses outside it (``context``), and edges."""

    endpoint: str
    roots: list[str]
    tree: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)
    edges: dict[tuple[str, str], str] = field(default_factory=dict)  # (child, parent) -> fetched at
    items: dict[str, Item] = field(default_factory=dict)
    malformed_rows: int = 0
    cleaned_literals: int = 0
    requests: int = 0
    cached_answers: int = 0
    fetched_at: set[str] = field(default_factory=set)


class Harvester:
    """Runs the import's queries in batches and collects the answers into a Harvest."""

    def __init__(self, client: SparqlClient, batch_size: int = 200, progress: Progress | None = None):
        self.client = client
        self.batch_size = batch_size
        self.progress = progress or quiet

    def harvest(self, roots: Sequence[str], depth: int, up_depth: int,
                is_anchor: Callable[[Item], bool]) -> Harvest:
        """Fetch the tree below ``roots`` to ``depth`` levels, then follow superclasses that lie
        outside it upward (at most ``up_depth`` levels) until each reaches an anchor."""
        found = Harvest(self.client.endpoint, list(roots), tree=set(roots))
        frontier = list(roots)
        for _ in range(depth):
            pairs = self._pairs(found, frontier, queries.subclasses)
            frontier = sorted({child for child, _ in pairs} - found.tree)
            found.tree.update(frontier)
            if not frontier:
                break
        self._pairs(found, sorted(found.tree), queries.superclasses)  # every parent of every item
        self._details(found, sorted(found.tree))
        outside = sorted({p for _, p in found.edges} - found.tree)
        for _ in range(up_depth):
            if not outside:
                break
            found.context.update(outside)
            self._details(found, outside)
            climbing = [q for q in outside if not is_anchor(found.items[q])]
            self._pairs(found, climbing, queries.superclasses)
            outside = sorted({p for _, p in found.edges} - found.tree - found.context)
        found.requests = self.client.requests
        return found

    def _batches(self, qids: Sequence[str]) -> Iterable[Sequence[str]]:
        for start in range(0, len(qids), self.batch_size):
            yield qids[start : start + self.batch_size]
            self.progress("querying Wikidata (requests)", self.client.requests)

    def _pairs(self, found: Harvest, qids: Sequence[str],
               build: Callable[[Sequence[str]], str]) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for batch in self._batches(qids):
            answer = self.client.select(build(batch))
            found.cached_answers += answer.from_cache
            found.fetched_at.add(answer.fetched_at)
            for row in answer.rows:
                child = queries.qid_of(row.get("item", ""))
                parent = queries.qid_of(row.get("parent", ""))
                if child is None or parent is None or child == parent:
                    found.malformed_rows += 1
                    continue
                found.edges.setdefault((child, parent), answer.fetched_at)
                pairs.append((child, parent))
        return pairs

    def _details(self, found: Harvest, qids: Sequence[str]) -> None:
        for batch in self._batches(qids):
            answer = self.client.select(queries.details(batch))
            found.cached_answers += answer.from_cache
            found.fetched_at.add(answer.fetched_at)
            for asked in batch:
                found.items.setdefault(asked, Item(asked))
            for row in answer.rows:
                qid = queries.qid_of(row.get("item", ""))
                kind, value = row.get("field"), row.get("value")
                if qid is None or qid not in found.items or value is None:
                    found.malformed_rows += 1
                    continue
                item = found.items[qid]
                if kind == "label":
                    lang = queries.LABEL_LANGUAGES.get(row.get("value@lang", "").lower())
                    text = self._clean(found, value)
                    if lang and text and lang not in item.labels:
                        item.labels[lang] = text
                elif kind == "description":
                    item.description = item.description or self._clean(found, value)
                elif kind == "wordnet":
                    item.wordnet.append(value.strip())
                elif kind == "instance_of":
                    parent = queries.qid_of(value)
                    if parent:
                        item.instance_of.add(parent)
                else:
                    found.malformed_rows += 1

    @staticmethod
    def _clean(found: Harvest, text: str) -> str:
        """Drop control characters and cut very long literals; the text is stored, never executed."""
        cleaned = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
        cleaned = " ".join(cleaned.split())[:MAX_LITERAL]
        if cleaned != text:
            found.cleaned_literals += 1
        return cleaned
