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
def _concept_rows(store: Store) -> Iterator[Row]:
    graph = store.graph
    names: dict[str, list[Row]] = {}
    for cid, lang, position, text, norm, rank, count, name_source in store.table_rows("lemmas"):
        names.setdefault(cid, []).append({"concept": cid, "lang": lang, "position": position, "text": text,
                                          "norm": norm, "sense_rank": rank, "count": count, "source": name_source,
                                          "length": len(text)})
    glosses: dict[str, dict[str, str]] = {}
    for concept, lang, text in store.table_rows("glosses"):
        glosses.setdefault(concept, {})[lang] = text
    usage: dict[str, list[str]] = {}
    for concept, domain in store.table_rows("usage_domains"):
        usage.setdefault(concept, []).append(domain)
    xrefs: dict[str, dict[str, list[str]]] = {}
    for concept, scheme, value in store.table_rows("external_ids"):
        xrefs.setdefault(concept, {}).setdefault(scheme, []).append(value)
    priors: dict[str, dict[str, tuple[float, str]]] = {}
    for (concept, question), prior in store.prior_rows().items():
        priors.setdefault(concept, {})[question] = prior
    for cid, name, gloss, lexname, source, visual, common in store.table_rows("concepts"):
        own = names.get(cid, [])
        props: Row = {"id": cid, "name": name, "gloss": gloss, "lexname": lexname, "source": source,
                      "visual": visual, "common": common, "depth": graph.depth(cid), "max_depth": graph.max_depth(cid),
                      "lemmas": [n["text"] for n in own if n["lang"] == "en"]}
        props.update({f"gloss_{lang}": text for lang, text in glosses.get(cid, {}).items()})
        props.update({f"xref_{scheme}": values for scheme, values in xrefs.get(cid, {}).items()})
        if cid in usage:
            props["usage"] = usage[cid]
        for question, (score, method) in priors.get(cid, {}).items():
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

        plans: dict[str, tuple[list[Row], list[Key]]] = {}
        for kind in KINDS:
            there = {_hashable(r["key"]): r["digest"] for r in session.run(cypher.EXISTING[kind])}
            upserts: list[Row] = []
            kept = set()
            counts = KindReport()
            for row in ROWS[kind](store):
                key = _hashable(row["key"])
                kept.add(key)
                old = there.get(key)
                if old == row["props"]["sync_digest"]:
                    counts.unchanged += 1
                    continue
                upserts.append(row)
                if old is None:
                    counts.added += 1
                else:
                    counts.changed += 1
            gone = [list(k) if isinstance(k, tuple) else k for k in there if k not in kept]
            counts.deleted = len(gone)
            report.kinds[kind] = counts
            plans[kind] = (upserts, gone)
            say("comparing", KINDS.index(kind) + 1, len(KINDS))
        if not dry_run:
            # Edges, labels and votes that are gone go first (they may point at concepts that go);
            # concepts and datasets that are gone go last (after what pointed at them moved).
            for kind in ("edges", "labels", "votes"):
                for keys in _batches(plans[kind][1], batch):
                    write(cypher.DELETE[kind], keys=list(keys))
            for kind in KINDS:
                began, done = time.perf_counter(), 0
                for rows in _batches(plans[kind][0], batch if kind != "concepts" else max(1, batch // 2)):
                    write(cypher.UPSERT[kind], rows=list(rows))
                    done += len(rows)
                    say(f"writing {kind}", done, len(plans[kind][0]))
                report.kinds[kind].seconds = round(time.perf_counter() - began, 1) if plans[kind][0] else 0.0
            for kind in ("concepts", "datasets", "subsets", "imports"):
                for keys in _batches(plans[kind][1], batch):
                    write(cypher.DELETE[kind], keys=list(keys))
            report.seconds = time.perf_counter() - started
            write(cypher.WRITE_META, props=_meta(store, report))
    report.seconds = time.perf_counter() - started
    return report
