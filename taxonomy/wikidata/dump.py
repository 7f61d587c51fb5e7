"""Reading a subclass-of (P279) tree from a Wikidata dump instead of an endpoint.

Two formats, streamed (``.gz`` / ``.bz2`` or plain): the truthy N-Triples dump, parsed by
pyoxigraph's streaming parser, and the JSON dump (one entity per line). Two passes over the
file: the first keeps only the structure of every item (P279 edges, the P31 classes that make
an item no concept, P8814 WordNet ids, sitelinks, whether it has an English description), as
interned integers; then the tree below the roots is chosen and filtered; the second pass
reads names and descriptions for the chosen items only. The result is a ``Harvest``, cleaned
and merged exactly as an endpoint's (taxonomy/wikidata/importer.py).
"""

from __future__ import annotations

import bz2
import gzip
import json
import time
import unicodedata
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from taxonomy.errors import InputError
from taxonomy.extras import require
from taxonomy.progress import Progress, quiet
from taxonomy.wikidata.cleaning import DROPPED_CLASSES
from taxonomy.wikidata.harvest import MAX_LITERAL, Harvest, Item
from taxonomy.wikidata.queries import validate_qid

ENTITY = "http://www.wikidata.org/entity/"
DIRECT = "http://www.wikidata.org/prop/direct/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DESCRIPTION = "http://schema.org/description"
ALIAS = "http://www.w3.org/2004/02/skos/core#altLabel"
ABOUT = "http://schema.org/about"  # <article> schema:about <item>: one sitelink
SITELINKS = "http://wikiba.se/ontology#sitelinks"  # the count, where the dump states it
LANGUAGES = ("en", "zh", "es", "nl", "it")  # English and the paper's crawl languages
MAX_ALIASES = 10


@dataclass(slots=True)
class DumpFilter:
    """Which classes of the dump to import."""

    roots: list[str] = field(default_factory=list)  # none: every class of the dump
    exclude: set[str] = field(default_factory=set)  # these and what is only below them
    min_sitelinks: int = 0
    require_description: bool = False
    up_depth: int = 8  # levels climbed above the tree to reach an item the store knows


@dataclass(slots=True)
class _Structure:
    """Pass 1: the structure of every item, by interned number."""

    ids: dict[str, int] = field(default_factory=dict)
    qids: list[str] = field(default_factory=list)
    children: array[int] = field(default_factory=lambda: array("i"))  # edge i: children[i] -P279-> parents[i]
    parents: array[int] = field(default_factory=lambda: array("i"))
    sitelinks: array[int] = field(default_factory=lambda: array("i"))
    described: bytearray = field(default_factory=bytearray)
    dropped: dict[int, str] = field(default_factory=dict)  # item -> the P31 class that makes it no concept
    wordnet: dict[int, list[str]] = field(default_factory=dict)
    malformed: int = 0

    def number(self, qid: str) -> int:
        found = self.ids.get(qid)
        if found is None:
            found = self.ids[qid] = len(self.qids)
            self.qids.append(qid)
            self.sitelinks.append(0)
            self.described.append(0)
        return found


def read_dump(path: Path, wanted: DumpFilter, is_anchor: Callable[[Item], bool],
              progress: Progress | None = None) -> Harvest:
    """The tree of ``wanted`` from the dump at ``path``, with its context above it."""
    progress = progress or quiet
    reader = _reader(path)
    structure = _Structure()
    for qid, kind, value in reader(path, "reading the dump's structure (pass 1 of 2)", progress, names=False):
        _take_structure(structure, qid, kind, value)
    roots = [validate_qid(q) for q in wanted.roots]
    tree, context, roots = _choose(structure, roots, wanted, is_anchor)
    found = Harvest(f"dump {path.name}", roots, tree=tree, context=context)
    found.fetched_at.add(time.strftime("%Y-%m-%d", time.gmtime(path.stat().st_mtime)))
    as_of = next(iter(found.fetched_at))
    chosen = tree | context
    qids = structure.qids
    for child, parent in zip(structure.children, structure.parents, strict=True):
        c, p = qids[child], qids[parent]
        if c in chosen and p in chosen and c != p:
            found.edges.setdefault((c, p), as_of)
    for qid in chosen:
        number = structure.ids[qid]
        found.items[qid] = Item(qid, wordnet=list(structure.wordnet.get(number, [])),
                                instance_of={structure.dropped[number]} if number in structure.dropped else set())
    for qid, kind, value in reader(path, "reading names of the chosen classes (pass 2 of 2)", progress, names=True):
        item = found.items.get(qid)
        if item is not None:
            _take_name(found, item, kind, value)
    found.malformed_rows = structure.malformed
    return found


# ---------------------------------------------------------------------- choosing the tree
def _choose(structure: _Structure, roots: list[str], wanted: DumpFilter,
            is_anchor: Callable[[Item], bool]) -> tuple[set[str], set[str], list[str]]:
    """(tree, context, roots): the classes below the roots that pass the filters, and the
    superclasses above them up to items the store knows (``up_depth`` levels at most)."""
    qids, ids = structure.qids, structure.ids
    below: dict[int, list[int]] = {}
    above: dict[int, list[int]] = {}
    for child, parent in zip(structure.children, structure.parents, strict=True):
        below.setdefault(parent, []).append(child)
        above.setdefault(child, []).append(parent)
    missing = [q for q in roots if q not in ids]
    if missing:
        raise InputError(f"the dump has no item {missing[0]}; check the --root QIDs")
    if not roots:  # the whole tree: every class, from the classes that have no parent
        roots = sorted(qids[n] for n in below if n not in above)
    stop = {ids[q] for q in wanted.exclude if q in ids}
    seen = {ids[q] for q in roots}
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for child in below.get(node, ()):
            if child not in seen and child not in stop:
                seen.add(child)
                queue.append(child)
    root_numbers = {ids[q] for q in roots}
    tree = {qids[n] for n in seen if n in root_numbers or _passes(structure, n, wanted)}
    # a class the filters leave out stays as context: what is below it climbs through it
    context: set[str] = {qids[n] for n in seen} - tree
    frontier = {p for n in seen for p in above.get(n, ()) if qids[p] not in tree}
    for _ in range(wanted.up_depth):
        if not frontier:
            break
        names = {qids[n] for n in frontier}
        context |= names
        climbing = [n for n in frontier if not is_anchor(Item(qids[n], wordnet=structure.wordnet.get(n, [])))]
        frontier = {p for n in climbing for p in above.get(n, ()) if qids[p] not in tree and qids[p] not in context}
    return tree, context, roots


def _passes(structure: _Structure, number: int, wanted: DumpFilter) -> bool:
    return (structure.sitelinks[number] >= wanted.min_sitelinks
            and (structure.described[number] == 1 or not wanted.require_description))


# ---------------------------------------------------------------------- what each statement says
def _take_structure(structure: _Structure, qid: str, kind: str, value: str) -> None:
    if kind == "malformed":
        structure.malformed += 1
    elif kind == "P279":
        if value == qid:
            structure.malformed += 1
            return
        structure.children.append(structure.number(qid))
        structure.parents.append(structure.number(value))
    elif kind == "P31":
        if value in DROPPED_CLASSES:
            structure.dropped[structure.number(qid)] = value
    elif kind == "P8814":
        structure.wordnet.setdefault(structure.number(qid), []).append(value.strip())
    elif kind == "sitelink":
        structure.sitelinks[structure.number(qid)] += 1
    elif kind == "sitelinks":
        structure.sitelinks[structure.number(qid)] = int(value)
    elif kind == "description:en":
        structure.described[structure.number(qid)] = 1


def _take_name(found: Harvest, item: Item, kind: str, value: str) -> None:
    field_name, _, lang = kind.partition(":")
    text = _clean(found, value)
    if not text:
        return
    if field_name == "label" and lang not in item.labels:
        item.labels[lang] = text
    elif field_name == "description" and lang == "en" and not item.description:
        item.description = text
    elif field_name == "alias" and lang == "en" and len(item.aliases) < MAX_ALIASES and text not in item.aliases:
        item.aliases.append(text)


def _clean(found: Harvest, text: str) -> str:
    """Control characters dropped, spaces collapsed, very long literals cut (as from an endpoint)."""
    cleaned = " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cc").split())[:MAX_LITERAL]
    if cleaned != text:
        found.cleaned_literals += 1
    return cleaned


# ---------------------------------------------------------------------- the two formats
Statement = tuple[str, str, str]  # (qid, kind, value): kind P279 | P31 | P8814 | sitelink(s) | label:en | ...


def _reader(path: Path) -> Callable[..., Iterator[Statement]]:
    name = path.name.lower().removesuffix(".gz").removesuffix(".bz2")
    if not path.is_file():
        raise InputError(f"no such dump: {str(path)!r}")
    if name.endswith(".nt"):
        return _ntriples
    if name.endswith(".json"):
        return _json_lines
    raise InputError(f"{path.name}: not a Wikidata dump this reads; give the truthy N-Triples dump (.nt.gz, "
                     ".nt.bz2) or the JSON dump (.json.gz, .json.bz2)")


def _open(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(the raw file, for progress by compressed bytes; the decompressed stream)."""
    raw = open(path, "rb")  # closed by the caller, with the stream
    suffix = path.suffix.lower()
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if suffix == ".gz" else \
        bz2.BZ2File(raw) if suffix == ".bz2" else raw  # type: ignore[assignment]
    return raw, stream


def _ntriples(path: Path, stage: str, progress: Progress, names: bool) -> Iterator[Statement]:
    pyoxigraph = require("pyoxigraph", "wikidata", "reading an N-Triples dump")
    total = path.stat().st_size
    raw, stream = _open(path)
    wanted = {LABEL: "label", ALIAS: "alias", DESCRIPTION: "description"} if names else {}
    try:
        for count, triple in enumerate(pyoxigraph.parse(stream, pyoxigraph.RdfFormat.N_TRIPLES)):
            if count % 200_000 == 0:
                progress(stage, raw.tell(), total)
            subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
            if not names and predicate == ABOUT and isinstance(obj, pyoxigraph.NamedNode):
                if obj.value.startswith(ENTITY):
                    yield obj.value[len(ENTITY):], "sitelink", ""
                continue
            if not isinstance(subject, pyoxigraph.NamedNode) or not subject.value.startswith(ENTITY + "Q"):
                continue  # properties, lexemes, statements
            qid = subject.value[len(ENTITY):]
            if names:
                kind = wanted.get(predicate)
                if kind and isinstance(obj, pyoxigraph.Literal) and obj.language in LANGUAGES:
                    yield qid, f"{kind}:{obj.language}", obj.value
            elif predicate.startswith(DIRECT):
                prop = predicate[len(DIRECT):]
                if prop in ("P279", "P31") and isinstance(obj, pyoxigraph.NamedNode) and obj.value.startswith(ENTITY):
                    yield qid, prop, obj.value[len(ENTITY):]
                elif prop == "P8814" and isinstance(obj, pyoxigraph.Literal):
                    yield qid, prop, obj.value
            elif predicate == SITELINKS and isinstance(obj, pyoxigraph.Literal) and obj.value.isdigit():
                yield qid, "sitelinks", obj.value
            elif predicate == DESCRIPTION and isinstance(obj, pyoxigraph.Literal) and obj.language == "en":
                yield qid, "description:en", ""
        progress(stage, total, total)
    except SyntaxError as error:
        raise InputError(f"{path.name}: not valid N-Triples ({error}); nothing was imported") from None
    except (OSError, EOFError) as error:
        raise InputError(f"{path.name}: cannot be read to its end ({error}); nothing was imported") from None
    finally:
        stream.close()
        raw.close()


def _json_lines(path: Path, stage: str, progress: Progress, names: bool) -> Iterator[Statement]:
    try:
        import orjson

        loads: Callable[[bytes], Any] = orjson.loads
    except ImportError:
        loads = json.loads
    total = path.stat().st_size
    raw, stream = _open(path)
    try:
        for count, line in enumerate(stream):
            if count % 20_000 == 0:
                progress(stage, raw.tell(), total)
            line = line.strip().rstrip(b",")
            if line in (b"[", b"]", b""):
                continue
            try:
                entity = loads(line)
            except ValueError:
                if not names:
                    yield "", "malformed", ""
                continue
            if not isinstance(entity, dict) or not str(entity.get("id", "")).startswith("Q"):
                continue  # properties and lexemes
            yield from (_entity_names(entity) if names else _entity_structure(entity))
        progress(stage, total, total)
    except (OSError, EOFError) as error:
        raise InputError(f"{path.name}: cannot be read to its end ({error}); nothing was imported") from None
    finally:
        stream.close()
        raw.close()


def _entity_structure(entity: dict[str, Any]) -> Iterator[Statement]:
    qid = entity["id"]
    claims = entity.get("claims") or {}
    for prop in ("P279", "P31"):
        for value in _truthy_values(claims.get(prop)):
            if isinstance(value, dict) and str(value.get("id", "")).startswith("Q"):
                yield qid, prop, value["id"]
    for value in _truthy_values(claims.get("P8814")):
        if isinstance(value, str):
            yield qid, "P8814", value
    sitelinks = entity.get("sitelinks") or {}
    if sitelinks:
        yield qid, "sitelinks", str(len(sitelinks))
    if ((entity.get("descriptions") or {}).get("en") or {}).get("value"):
        yield qid, "description:en", ""


def _entity_names(entity: dict[str, Any]) -> Iterator[Statement]:
    qid = entity["id"]
    for kind, key in (("label", "labels"), ("description", "descriptions")):
        for lang, value in (entity.get(key) or {}).items():
            if lang in LANGUAGES and isinstance(value, dict) and isinstance(value.get("value"), str):
                yield qid, f"{kind}:{lang}", value["value"]
    for value in (entity.get("aliases") or {}).get("en") or []:
        if isinstance(value, dict) and isinstance(value.get("value"), str):
            yield qid, "alias:en", value["value"]


def _truthy_values(statements: Sequence[Any] | None) -> Iterator[Any]:
    """The values of the best-ranked statements (preferred if any, else normal), as the truthy dump has them."""
    good = [s for s in statements or [] if isinstance(s, dict) and s.get("rank") != "deprecated"]
    preferred = [s for s in good if s.get("rank") == "preferred"]
    for statement in preferred or good:
        snak = statement.get("mainsnak") or {}
        if snak.get("snaktype") == "value":
            yield (snak.get("datavalue") or {}).get("value")
