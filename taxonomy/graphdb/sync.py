"""Copy the embedded store into Neo4j, writing only what differs.

Every node and relationship the sync writes carries ``sync_digest``, a hash of everything it
holds. A sync reads the digests Neo4j has, compares them with the store's, and sends only the
rows that are new, changed or gone, in batched, parameterized UNWIND statements, one
transaction per batch. The meta node is written last: until then it says ``sync_state:
running``. An interrupted sync leaves some batches applied; the next one finds them done
and sends the rest.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from taxonomy.graphdb import cypher
from taxonomy.graphdb.connection import Target, translate_errors
from taxonomy.progress import Progress, quiet
from taxonomy.store import Store

if TYPE_CHECKING:
    import neo4j

#: The kinds of things synced, in the order they are written (concepts before what points at them).
KINDS = ("concepts", "edges", "datasets", "labels", "votes", "subsets", "imports")
DEFAULT_BATCH = 5000

Key = Any  # a str or a list, as Neo4j returns it (hashable once made a tuple)
Row = dict[str, Any]


@dataclass(slots=True)
class KindReport:
    """What one sync did to one kind of thing."""

    added: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0  # spent writing the new and changed ones

    def line(self, kind: str) -> str:
        text = (f"{kind}: {self.added:,} new, {self.changed:,} changed, {self.deleted:,} gone, "
                f"{self.unchanged:,} unchanged")
        return text + (f"; written in {self.seconds:.1f} s" if self.seconds else "")

    @property
    def written(self) -> int:
        return self.added + self.changed + self.deleted


@dataclass(slots=True)
class SyncReport:
    target: str
    dry_run: bool
    graph_version: int
    tags_version: int
    kinds: dict[str, KindReport] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "dry_run": self.dry_run, "graph_version": self.graph_version,
                "tags_version": self.tags_version, "seconds": round(self.seconds, 2),
                "kinds": {k: {"added": r.added, "changed": r.changed, "deleted": r.deleted,
                              "unchanged": r.unchanged} for k, r in self.kinds.items()}}


def digest(value: object) -> str:
    """A short, stable hash of a row's content."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _hashable(key: Key) -> Any:
    return tuple(key) if isinstance(key, list) else key


# ---------------------------------------------------------------------- rows from the store
class _ByConcept:
    """The rows of a table read in concept order, handed out a concept at a time as the concepts
    are read in the same order (a merge join: no table of millions held in memory)."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]):
        self._rows = rows
        self._next = next(rows, None)

    def of(self, concept: str) -> list[tuple[Any, ...]]:
        found = []
        while self._next is not None and self._next[0] <= concept:
            if self._next[0] == concept:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _concept_rows(store: Store) -> Iterator[Row]:
    graph = store.graph
    lemmas, glosses, usage, xrefs, priors = (_ByConcept(store.table_rows(table)) for table in
                                             ("lemmas", "glosses", "usage_domains", "external_ids", "tag_priors"))
    for cid, name, gloss, lexname, source, visual, common in store.table_rows("concepts"):
        own = [{"concept": cid, "lang": lang, "position": position, "text": text, "norm": norm, "sense_rank": rank,
                "count": count, "source": name_source, "length": len(text)}
               for _, lang, position, text, norm, rank, count, name_source in lemmas.of(cid)]
        props: Row = {"id": cid, "name": name, "gloss": gloss, "lexname": lexname, "source": source,
                      "visual": visual, "common": common, "depth": graph.depth(cid), "max_depth": graph.max_depth(cid),
                      "lemmas": [n["text"] for n in own if n["lang"] == "en"]}
        props.update({f"gloss_{lang}": text for _, lang, text in glosses.of(cid)})
        schemes: dict[str, list[str]] = {}
        for _, scheme, value in xrefs.of(cid):
            schemes.setdefault(scheme, []).append(value)
        props.update({f"xref_{scheme}": values for scheme, values in schemes.items()})
        domains = [domain for _, domain in usage.of(cid)]
        if domains:
            props["usage"] = domains
        for _, question, score, method in priors.of(cid):
            props[f"prior_{question}"], props[f"prior_{question}_method"] = score, method
        yield _with_digest(cid, props, {"lemmas": own})


def _edge_rows(store: Store) -> Iterator[Row]:
    for child, parent, kind, method, score, evidence, source_version, position in store.table_rows("edges"):
        props = {"kind": kind, "method": method, "score": score, "evidence": evidence,
                 "source_version": source_version, "position": position}
        yield _with_digest([child, parent], props)


def _dataset_rows(store: Store) -> Iterator[Row]:
    for d in store.datasets():
        props = {"name": d.name, "num_classes": d.num_classes, "source": d.source, "license": d.license,
                 "description": d.description}
        yield _with_digest(d.name, props)


def _label_rows(store: Store) -> Iterator[Row]:
    for dataset, index, class_name, concept, method, score in store.table_rows("labels"):
        props = {"dataset": dataset, "class_index": index, "class_name": class_name, "concept": concept,
                 "method": method, "score": score}
        yield _with_digest([dataset, index], props)


def _vote_rows(store: Store) -> Iterator[Row]:
    for concept, question, annotator, answer, at in store.table_rows("votes"):
        yield _with_digest([concept, question, annotator], {"question": question, "answer": answer, "at": at})


def _subset_rows(store: Store) -> Iterator[Row]:
    """One node per subset version, its members a list property (a subset is read whole)."""
    members: dict[tuple[str, int], list[str]] = {}
    for name, version, concept in store.table_rows("subset_members"):
        members.setdefault((name, version), []).append(concept)
    for name, version, definition, graph_version, tags_version, created_at, size in store.table_rows("subsets"):
        props = {"name": name, "version": version, "definition": definition, "graph_version": graph_version,
                 "tags_version": tags_version, "created_at": created_at, "size": size,
                 "members": members.get((name, version), [])}
        yield _with_digest([name, version], props)


def _import_rows(store: Store) -> Iterator[Row]:
    for number, at, source, report in store.table_rows("imports"):
        yield _with_digest(number, {"number": number, "at": at, "source": source, "report": report})


def _with_digest(key: Key, props: Row, extra: Row | None = None) -> Row:
    row: Row = {"key": key, "props": props, **(extra or {})}
    props["sync_digest"] = digest([props, extra or {}])
    return row


ROWS: dict[str, Callable[[Store], Iterator[Row]]] = {
    "concepts": _concept_rows, "edges": _edge_rows, "datasets": _dataset_rows, "labels": _label_rows,
    "votes": _vote_rows, "subsets": _subset_rows, "imports": _import_rows,
}


# ---------------------------------------------------------------------- the sync
def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sync_kind(store: Store, kind: str, there: dict[Any, str], write: Callable[..., None] | None, batch: int,
               say: Progress) -> tuple[KindReport, list[Key]]:
    """Compare the store's rows of one kind with the digests Neo4j has (``there``, emptied of
    those seen) and write the new and changed ones a batch at a time as they come (``write``
    None: a dry run). Returns what was found, and the keys Neo4j has that the store has not."""
    counts = KindReport()
    size = batch if kind != "concepts" else max(1, batch // 2)
    total = {"concepts": len(store.graph), "edges": store.graph.edge_count}.get(kind)
    pending: list[Row] = []
    seen = 0

    def flush() -> None:
        began = time.perf_counter()
        assert write is not None
        write(cypher.UPSERT[kind], rows=pending)
        counts.seconds += time.perf_counter() - began
        pending.clear()

    for row in ROWS[kind](store):
        seen += 1
        old = there.pop(_hashable(row["key"]), None)
        if old == row["props"]["sync_digest"]:
            counts.unchanged += 1
            continue
        if old is None:
            counts.added += 1
        else:
            counts.changed += 1
        if write is not None:
            pending.append(row)
            if len(pending) >= size:
                flush()
        if seen % 10_000 == 0:
            say(f"syncing {kind}", seen, total)
    if pending:
        flush()
    counts.seconds = round(counts.seconds, 1)
    say(f"syncing {kind}", seen, seen)
    counts.deleted = len(there)
    return counts, [list(k) if isinstance(k, tuple) else k for k in there]


def _meta(store: Store, report: SyncReport) -> Row:
    props: Row = {"key": "store", **store.meta, "sync_state": "complete",
                  "synced_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "synced_from": str(store.path)}
    props["last_sync"] = json.dumps(report.as_dict()["kinds"])
    return props


def sync(store: Store, driver: neo4j.Driver, target: Target, *, batch: int = DEFAULT_BATCH, dry_run: bool = False,
         progress: Progress | None = None) -> SyncReport:
    """Bring the Neo4j database of ``target`` to the store's content; returns what was done."""
    started = time.perf_counter()
    report = SyncReport(str(target), dry_run, store.graph_version, store.tags_version)
    say = progress or quiet
    with translate_errors(target), driver.session(database=target.database) as session:
        if not dry_run:
            for statement in cypher.SCHEMA:
                session.run(statement).consume()
            session.run(cypher.AWAIT_INDEXES, seconds=300).consume()
            session.run(cypher.MARK_SYNC, state="running",
                        at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")).consume()

        def write(statement: str, **params: Any) -> None:
            session.execute_write(lambda tx: tx.run(statement, **params).consume())

        # Each kind is compared and written as its rows stream by (a store of millions is never
        # held whole), concepts before what points at them; what is gone goes at the end: edges,
        # labels and votes first, then the concepts and the rest they pointed at.
        gone: dict[str, list[Key]] = {}
        for kind in KINDS:
            there = {_hashable(r["key"]): r["digest"] for r in session.run(cypher.EXISTING[kind])}
            report.kinds[kind], gone[kind] = _sync_kind(store, kind, there, None if dry_run else write, batch, say)
        if not dry_run:
            for kind in ("edges", "labels", "votes", "concepts", "datasets", "subsets", "imports"):
                for keys in _batches(gone[kind], batch):
                    write(cypher.DELETE[kind], keys=list(keys))
            report.seconds = time.perf_counter() - started
            write(cypher.WRITE_META, props=_meta(store, report))
    report.seconds = time.perf_counter() - started
    return report
