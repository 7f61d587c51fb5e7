"""The embedded store: one SQLite file and the compiled graph index loaded from it."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from taxonomy.errors import GraphError, StoreError, UnknownConcept
from taxonomy.graph import ARRAY_NAMES, ID_TABLE_MIN, GraphIndex
from taxonomy.graph_growth import whole
from taxonomy.graph_ids import IdTable
from taxonomy.model import Concept, ConceptRecord, Dataset, DatasetLabel, Edge, EdgeRecord
from taxonomy.paths import default_store_path
from taxonomy.priors import refresh_priors
from taxonomy.reading import LabelReader, SubsetRow, VoteRow, tag_question
from taxonomy.storage import db
from taxonomy.storage.writer import Writer
from taxonomy.text import normalize

_ID_LIST = "ids"
_ID_SLOTS = "id_slots"  # an IdTable's slots, saved with large indexes
_DIGEST = "graph_index_digest"  # meta key of the compiled index's checksum


class Store(LabelReader):
    """The embedded label-system store. Open one with :meth:`Store.open`; use it as a context manager.

    >>> with Store.open() as store:                               # doctest: +SKIP
    ...     store.graph.is_a("n02084071", "n00015388")             # dog is an animal
    True
    """

    graph: GraphIndex
    repaired = False  # open(repair=True) found the graph index damaged and compiled it again

    def __init__(self, path: Path, conn: sqlite3.Connection, graph: GraphIndex, meta: dict[str, str]):
        self.path = path
        self._conn = conn
        self.graph = graph
        self.meta = meta
        self._morph: dict[str, list[str]] | None = None  # the plural exceptions, read on first use

    @classmethod
    def open(cls, path: Path | str | None = None, *, write: bool = False, graph: GraphIndex | None = None,
             repair: bool = False) -> Store:
        """Open the store at ``path`` (default: $TAXONOMY_STORE or the user data folder).

        ``graph``: an index already loaded from the same file (servers share one between threads).
        ``repair`` (with ``write``): a damaged graph index is compiled again from the edges.
        """
        location = Path(path).expanduser() if path is not None else default_store_path()
        conn = db.connect(location, write=write)
        try:
            graph = graph or _load_graph(conn)
        except IndexDamaged as damage:
            if not (repair and write):
                conn.close()
                raise StoreError(f"{str(location)!r}: {damage}; repair it with 'taxonomy check --repair --store "
                                 f"{location}'") from None
            store = cls(location, conn, _recompile(conn), db.read_meta(conn))
            store.repaired = True
            return store
        except (sqlite3.DatabaseError, GraphError, ValueError) as error:
            conn.close()
            raise StoreError(f"{str(location)!r} is damaged ({error}); {db.REBUILD_HINT}") from None
        return cls(location, conn, graph, db.read_meta(conn))

    def close(self) -> None:
        self._conn.close()

    def refresh_meta(self) -> None:
        """Read the meta table again (versions change when other processes write)."""
        self.meta = db.read_meta(self._conn)

    # ------------------------------------------------------------------ facts
    @property
    def schema_version(self) -> int:
        return int(self.meta["schema_version"])

    def stats(self) -> dict[str, object]:
        """Counts of everything in the store, by kind."""
        roots = self.graph.roots()
        multi = int(np.count_nonzero(np.diff(self.graph.arrays["parent_ptr"]) > 1))
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            "sources": self.sources,
            **db.counts(self._conn),
            "roots": roots,
            "concepts_with_several_parents": multi,
            "max_depth": int(self.graph.arrays["max_depth"].max(initial=0)),
            "concepts_by_source": db.count_by(self._conn, "concepts", "source"),
            "edges_by_kind": db.count_by(self._conn, "edges", "kind"),
            "datasets": {d.name: d.num_classes for d in self.datasets()},
        }

    # ------------------------------------------------------------------ concepts
    def concepts(self, concept_ids: Sequence[str]) -> list[Concept]:
        """Many concepts at once, in the order asked; raises UnknownConcept for the first missing one."""
        found = db.fetch_concepts(self._conn, concept_ids)
        for concept_id in concept_ids:
            if concept_id not in found:
                raise UnknownConcept(concept_id, self.graph.close_ids(concept_id))
        return [found[c] for c in concept_ids]

    def names(self, concept_ids: Sequence[str]) -> dict[str, str]:
        """Preferred names of many concepts (for display)."""
        return db.preferred_names(self._conn, concept_ids)

    def english_lemmas(self, concept_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The English names of many concepts, in order (concepts without one are absent)."""
        return db.english_lemmas(self._conn, concept_ids)

    def senses(self, name: str, lang: str | None = None) -> list[str]:
        """Ids of the concepts that have ``name`` as a name (in ``lang``, or any language), most
        frequent sense first."""
        return db.senses(self._conn, normalize(name), lang)

    def name_counts(self, name: str) -> dict[str, int]:
        """How often each concept named ``name`` is meant by it in running text (SemCor tag
        counts of that name; 0 for a sense never tagged)."""
        return db.name_counts(self._conn, normalize(name))

    def members(self, whole: str) -> list[str]:
        """The concepts WordNet lists as members of ``whole`` (a taxon's genera or species)."""
        return db.members(self._conn, whole)

    def empty_wordnet_tables(self) -> list[str]:
        """WordNet's relation tables this store has empty (db.WORDNET_TABLES): upgraded from a
        schema before them; ``taxonomy check --repair`` fills them."""
        return db.empty_wordnet_tables(self._conn)

    def verb_acts(self, verb: str) -> list[str]:
        """The acts WordNet's verb ``verb`` names, its likeliest first ("bike": cycling); none for
        a store upgraded from before schema 8 until ``taxonomy check --repair`` fills them."""
        return db.verb_acts(self._conn, verb)

    def search(self, text: str, limit: int = 20) -> list[tuple[Concept, str, int]]:
        norm = normalize(text)
        if not norm:
            return []
        hits = db.search(self._conn, norm, limit)
        found = db.fetch_concepts(self._conn, [h[0] for h in hits])
        return [(found[cid], name, rank) for cid, name, rank in hits]

    def names_with_prefix(self, prefix: str, limit: int) -> list[str]:
        return db.names_with_prefix(self._conn, prefix, limit)

    def translations(self, concept_id: str) -> list[tuple[str, str, str]]:
        """(language, name, source) of every non-English name of a concept."""
        self.graph.position(concept_id)
        return db.translations(self._conn, concept_id)

    def concepts_with_external_id(self, scheme: str, value: str) -> list[str]:
        """Concepts that carry an external id (``wikidata``, ``Q144``)."""
        return db.concepts_with_external_id(self._conn, scheme, value)

    def held_edges(self) -> list[tuple[str, str, str, int, str, str]]:
        """Edges that imports held back for review: (child, parent, reason, descendants, method, version)."""
        return db.held_edges(self._conn)

    def edges(self, concept_id: str) -> list[Edge]:
        """The edges from a concept to its parents, with kind, method, score and source."""
        self.graph.position(concept_id)
        return db.edges_of(self._conn, concept_id)

    def iter_edges(self) -> Iterator[Edge]:
        return db.iter_edges(self._conn)

    def edge_pairs(self) -> list[tuple[str, str]]:
        """Every (child, parent) edge, a child's parents in their source order (no provenance:
        for whole-graph checks over millions of edges)."""
        return db.all_edges(self._conn)

    # ------------------------------------------------------------------ datasets
    def datasets(self) -> list[Dataset]:
        return db.datasets(self._conn)

    def labels(self, dataset: str, start: int = 0, limit: int | None = None) -> list[DatasetLabel]:
        """The labels of a dataset by class index, from ``start``."""
        self.dataset(dataset)
        return db.dataset_labels(self._conn, dataset, start, -1 if limit is None else limit)

    def label_concepts(self, dataset: str) -> list[str | None]:
        """The concept id of every class index of a dataset (a model output -> concept table)."""
        self.dataset(dataset)
        return db.dataset_concepts(self._conn, dataset)

    def labels_of(self, concept_id: str) -> list[DatasetLabel]:
        """The dataset labels that map to a concept."""
        return db.labels_of_concept(self._conn, concept_id)

    # ------------------------------------------------------------------ tags
    def priors_and_votes(self, concept_id: str) -> tuple[dict[str, tuple[float, str]], list[VoteRow]]:
        return db.priors_of(self._conn, concept_id), db.votes_of(self._conn, concept_id)


    def priors(self, question: str) -> dict[str, float]:
        return db.all_priors(self._conn, tag_question(question))

    def prior_rows(self) -> dict[tuple[str, str], tuple[float, str]]:
        return db.all_prior_rows(self._conn)

    def vote_tallies(self, question: str) -> dict[str, tuple[int, int]]:
        return db.vote_tallies(self._conn, tag_question(question))

    def given_decisions(self, question: str) -> dict[str, int]:
        return db.given_decisions(self._conn, tag_question(question))

    # ------------------------------------------------------------------ subsets, history
    def subsets(self, name: str | None = None) -> list[SubsetRow]:
        return db.subsets(self._conn, name)

    def subset_members(self, name: str, version: int) -> list[str]:
        return db.subset_members(self._conn, name, version)

    def import_reports(self, prefix: str) -> list[tuple[str, str]]:
        return db.import_reports(self._conn, prefix)

    # ------------------------------------------------------------------ what only the embedded store keeps
    def concept_columns(self) -> list[tuple[str, str | None, str]]:
        """(id, lexname, source) of every concept, in id order."""
        return db.concept_columns(self._conn)

    def dataset_members(self) -> dict[str, set[str]]:
        """dataset -> the concepts its labels map to."""
        return db.dataset_members(self._conn)

    def has_name(self, norm: str) -> bool:
        """Whether a normalised name names a concept, in any language."""
        return db.has_name(self._conn, norm)

    def has_lemma_as_written(self, text: str) -> bool:
        """Whether ``text`` is a name in the store exactly as written ("pH", not "Ph")."""
        return db.has_lemma_as_written(self._conn, text)

    def morph_bases(self, form: str) -> list[str]:
        """WordNet's base forms of an irregular plural ("mice" -> "mouse"), from its table of a few
        thousand exceptions, written by the build alone and read whole once: a batch of names asks
        about every word."""
        if self._morph is None:
            self._morph = db.morph_exceptions(self._conn)
        return list(self._morph.get(form, ()))

    def english_names(self) -> set[str]:
        """Every normalised English name."""
        return db.english_names(self._conn)

    def name_and_gloss(self) -> list[tuple[str, str, str]]:
        """(id, preferred name, gloss) of every concept, in id order."""
        return db.name_and_gloss(self._conn)

    def embedding_count(self) -> int:
        return db.count_embeddings(self._conn)

    def iter_embeddings(self) -> Iterator[tuple[str, bytes]]:
        """(concept, float16 vector bytes) of every stored embedding, one row at a time."""
        return db.iter_embeddings(self._conn)

    def stale_embeddings(self) -> list[tuple[str, str, str]]:
        """(id, name, gloss) of the concepts whose stored embedding is missing or out of date."""
        return db.stale_embeddings(self._conn)

    def unmapped_labels(self) -> list[tuple[str, int, str]]:
        """(dataset, class index, class name) of the labels that map to no concept."""
        return db.unmapped_labels(self._conn)

    def concepts_missing_gloss(self) -> list[str]:
        return db.concepts_missing_gloss(self._conn)

    def duplicate_names_under_one_parent(self) -> list[tuple[str, str, str]]:
        """(parent, name, children) where two children of one parent share a name."""
        return db.duplicate_names_under_one_parent(self._conn)

    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Every row of one table, in key order, for copying the store elsewhere (Neo4j sync):
        ``concepts``, ``lemmas``, ``glosses``, ``usage_domains``, ``external_ids``, ``tag_priors``,
        ``edges``, ``labels``, ``votes``, ``subsets``, ``subset_members``, ``imports``. The tables
        keyed by concept come in concept order, as ``concepts`` does: they can be read side by side."""
        return db.table_rows(self._conn, table)

    def review_rows(self, status: str | None = "pending", limit: int = -1) -> list[tuple[Any, ...]]:
        """Rows of the review queue (its columns in table order), oldest first."""
        return db.review_rows(self._conn, status, limit)

    def review_row(self, item: int) -> tuple[Any, ...] | None:
        return db.review_row(self._conn, item)

    def review_counts(self) -> dict[str, int]:
        """How many review items are pending, accepted and rejected."""
        return db.review_counts(self._conn)

    def unlinked_names(self) -> set[tuple[str, str]]:
        """(normalised name, concept) of every name a person took back ('taxonomy unlink --name')."""
        return set(db.unlinked_names(self._conn))

    def unlink_history(self, limit: int = 50) -> list[tuple[int, str, str, str, str, str]]:
        """(id, at, kind, target, removed JSON, reason) of what was unlinked, newest first."""
        return db.unlink_history(self._conn, limit)

    def reload_graph(self, known: GraphIndex | None = None) -> GraphIndex:
        """The graph index in the file now; when ``known`` was loaded from the same compiled
        arrays, only the concepts added since are replayed onto it (milliseconds, not a load)."""
        return _load_graph(self._conn, known)

    def compile_index(self) -> dict[str, int]:
        """Compile the graph index again from the edges and save it whole, in one transaction:
        the log of concepts added since the last compile goes into the saved arrays (a quicker
        open). No commit needs it: growth answers as a compile does. Returns concepts, edges and
        the concepts the log held."""
        logged = len(_log_lines(self._conn))
        self.graph = _recompile(self._conn)
        self.refresh_meta()
        return {"concepts": len(self.graph), "edges": self.graph.edge_count, "logged": logged}

    def held_graph_version(self) -> int | None:
        """The graph version of the index this store holds (None when not known): a store that
        committed holds the index of its own commit."""
        origin = _ORIGINS.get(self.graph)
        return origin.version if origin else None

    def stored_graph_version(self) -> int:
        """The graph version in the file now (another process may have written since this opened)."""
        return load_graph_version(self._conn)

    def use_write_ahead_log(self) -> None:
        """Let readers in other connections and processes read while one writes (servers)."""
        self._conn.execute("PRAGMA journal_mode = WAL")

    # ------------------------------------------------------------------ writes
    @contextmanager
    def transaction(self, *, structure: bool = True, tags: bool = True) -> Iterator[Writer]:
        """One write transaction. If it changed anything and may have changed concepts or edges
        (``structure``), the graph index is recompiled before it commits; otherwise (votes,
        dataset labels) the tags version is bumped instead, unless ``tags`` is false (embeddings
        and subsets, which change neither)."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            before = conn.total_changes
            writer = Writer(conn)
            yield writer
            graph = self.graph
            if conn.total_changes != before:
                if structure:
                    graph = _commit_structure(conn, graph, writer)
                elif tags:
                    version = int(db.read_meta(conn).get("tags_version", "0")) + 1
                    db.write_meta(conn, {"tags_version": str(version)})
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.graph = graph
        self.meta = db.read_meta(conn)

    def merge(self, concepts: Iterable[ConceptRecord], edges: Iterable[EdgeRecord]) -> tuple[int, int]:
        """Add concepts and edges in one transaction; returns (new concepts, new edges).

        Nothing is written if the result would not be a DAG.
        """
        with self.transaction() as writes:
            new_concepts = writes.upsert_concepts(concepts)
            new_edges = writes.insert_edges(edges)
        return new_concepts, new_edges


def compile_graph(conn: sqlite3.Connection) -> GraphIndex:
    """Compile the graph index from the store's tables and save it into the store."""
    graph = GraphIndex.compile(db.all_concept_ids(conn), db.all_edges(conn))
    _save_whole(conn, graph)
    return graph


#: More new concepts than this in one commit, and the index is compiled rather than grown.
GROW_LIMIT = 1_000
#: A grown index is saved as a log of the concepts added since its arrays were saved (a few
#: bytes per commit, not the arrays: hundreds of MB at millions of concepts), replayed on load
#: in one batch; past this many concepts the arrays are saved whole again.
LOG_LIMIT = 2_000
_ADDED = "graph_index_added"  # meta key of that log: "id<TAB>parent<TAB>parent..." per line
_ADDED_DIGEST = "added"  # its entry in the index's checksums


@dataclass(frozen=True)
class _Origin:
    """Where an index in memory came from: the saved arrays (their checksums), how many lines of
    the log were replayed onto them, and the graph version that is."""

    arrays: str
    lines: int
    version: int


_ORIGINS: WeakKeyDictionary[GraphIndex, _Origin] = WeakKeyDictionary()


def _commit_structure(conn: sqlite3.Connection, graph: GraphIndex, writer: Writer) -> GraphIndex:
    """The graph index after a transaction's structure changes, saved in the same transaction:
    grown by the concepts it added under existing ones, else compiled again."""
    growth = _growth(writer)
    origin = _ORIGINS.get(graph)
    theirs: list[tuple[str, list[str]]] = []  # what other processes added since: grown in with ours
    if growth is not None and (origin is None or origin.version != load_graph_version(conn)):
        since = _log_since(conn, graph)
        if since is None:
            graph = _load_graph(conn, graph)  # the arrays were saved again since this one loaded
            origin = _ORIGINS.get(graph)
        else:
            theirs = since
    known = {c for c, _ in theirs}
    if growth is None or origin is None or any(c in graph or c in known for c, _ in growth) or \
            any(p not in graph and p not in writer.added and p not in known for _, ps in growth for p in ps):
        graph = compile_graph(conn)
        refresh_priors(conn, graph)  # new concepts get their priors in the same commit
        return graph
    grown = graph.with_concepts([*theirs, *growth])  # one batch, not one per commit
    lines = [*_log_lines(conn), *("\t".join([c, *ps]) for c, ps in growth)]
    if len(lines) > LOG_LIMIT:
        grown = _save_whole(conn, grown)
    else:
        text = "\n".join(lines)
        version = load_graph_version(conn) + 1
        digests = dict(entry.split(":") for entry in origin.arrays.split(","))  # the arrays' own, no log
        if text:
            digests[_ADDED_DIGEST] = f"{zlib.crc32(text.encode()):08x}"
        recorded = ",".join(f"{name}:{digests[name]}" for name in sorted(digests))
        db.write_meta(conn, {_ADDED: text, "graph_version": str(version), _DIGEST: f"v{version}:{recorded}"})
        _ORIGINS[grown] = _Origin(origin.arrays, len(lines), version)
    if growth:
        refresh_priors(conn, grown, only=[c for c, _ in growth])
    return grown


def _growth(writer: Writer) -> list[tuple[str, list[str]]] | None:
    """The concepts a transaction added, parents before children, or None when the structure
    changed in a way only a compile follows (or so many were added that a compile is cheaper)."""
    if writer.reshaped or len(writer.added) > GROW_LIMIT:
        return None
    try:
        order = TopologicalSorter({c: [p for p in ps if p in writer.added] for c, ps in writer.added.items()})
        return [(c, writer.added[c]) for c in order.static_order()]
    except CycleError:
        return None  # the compile names the cycle


def _save_whole(conn: sqlite3.Connection, graph: GraphIndex) -> GraphIndex:
    """Save an index's arrays and ids (in place of what was saved, log included); a new version.
    Returns the index to go on with: a grown one comes back as the saved arrays read afresh, so
    the concepts it kept apart (copied by every later growth) start again from none."""
    arrays = whole(graph.arrays)
    ids = graph.ids if isinstance(graph.ids, list) else list(graph.ids)
    slots = np.ascontiguousarray(graph.id_slots(), dtype="<i4") if len(graph) >= ID_TABLE_MIN else None
    blobs = {name: np.ascontiguousarray(arrays[name], dtype="<i4").tobytes() for name in ARRAY_NAMES}
    blobs[_ID_LIST] = "\n".join(ids).encode()
    if slots is not None:
        blobs[_ID_SLOTS] = slots.tobytes()
    db.save_index(conn, blobs)
    version = int(db.read_meta(conn).get("graph_version", "0")) + 1
    digest = index_digest(blobs)
    db.write_meta(conn, {_ADDED: "", "graph_version": str(version), _DIGEST: f"v{version}:{digest}"})
    if ids is not graph.ids:
        graph = GraphIndex(ids, arrays, _pos=IdTable(ids, slots) if slots is not None else None)
    _ORIGINS[graph] = _Origin(digest, 0, version)
    return graph


class IndexDamaged(GraphError):
    """The stored graph index does not match its checksum, or cannot be read."""


def index_digest(blobs: dict[str, bytes]) -> str:
    """A checksum of the compiled index (CRC-32 per blob: a few milliseconds for WordNet)."""
    return ",".join(f"{name}:{zlib.crc32(blobs[name]):08x}" for name in sorted(blobs))


def _recompile(conn: sqlite3.Connection) -> GraphIndex:
    conn.execute("BEGIN IMMEDIATE")
    try:
        graph = compile_graph(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return graph


def load_graph_version(conn: sqlite3.Connection) -> int:
    """The graph version recorded in the store file now (cheap: one indexed read)."""
    return int(db.read_meta_value(conn, "graph_version") or 0)


def _load_graph(conn: sqlite3.Connection, known: GraphIndex | None = None) -> GraphIndex:
    """The index saved in the store; from ``known`` when it came from the same saved arrays."""
    outer = conn.in_transaction
    if not outer:
        conn.execute("BEGIN")  # the blobs and their checksum from one snapshot: a writer may commit meanwhile
    try:
        recorded, version = db.read_meta_value(conn, _DIGEST), db.read_meta_value(conn, "graph_version")
        origin = _ORIGINS.get(known) if known is not None else None
        if known is not None and origin is not None and version is not None and origin.version == int(version):
            return known  # nothing committed since: not even the log is read
        since = _log_since(conn, known) if known is not None else None
        if known is not None and origin is not None and since is not None and version is not None:
            grown = known.with_concepts(since)  # the same saved arrays: only the log is replayed
            _ORIGINS[grown] = _Origin(origin.arrays, origin.lines + len(since), int(version))
            return grown
        added = _log_lines(conn)
        blobs = db.load_index(conn)
    finally:
        if not outer:
            conn.execute("COMMIT")
    if _ID_LIST not in blobs:
        raise GraphError("the graph index is missing")
    # the checksum of this very version (a release before checksums compiles without writing one)
    checked = {**blobs, _ADDED_DIGEST: "\n".join(added).encode()} if added else blobs
    if recorded is not None and recorded.startswith(f"v{version}:") and \
            recorded != f"v{version}:{index_digest(checked)}":
        raise IndexDamaged("its compiled graph index is damaged (the checksum does not match)")
    try:
        text = blobs[_ID_LIST].decode()
        ids = text.split("\n") if text else []
        arrays = {name: np.frombuffer(blobs[name], dtype="<i4") for name in ARRAY_NAMES if name in blobs}
        table = IdTable(ids, np.frombuffer(blobs[_ID_SLOTS], dtype="<i4")) if _ID_SLOTS in blobs else None
        graph = GraphIndex(ids, arrays, _pos=table)
        if added:
            graph = graph.with_concepts(_parse_log(added))
    except (ValueError, IndexError, UnicodeDecodeError, GraphError) as error:
        raise IndexDamaged(f"its compiled graph index cannot be read ({error})") from None
    if recorded is not None and version is not None:
        _ORIGINS[graph] = _Origin(_arrays_digest(recorded), len(added), int(version))
    return graph


def _log_since(conn: sqlite3.Connection, known: GraphIndex) -> list[tuple[str, list[str]]] | None:
    """The concepts other processes logged since ``known`` was loaded, or None when the saved
    arrays are not those it came from (then only a load catches up)."""
    origin, recorded = _ORIGINS.get(known), db.read_meta_value(conn, _DIGEST)
    if origin is None or recorded is None or _arrays_digest(recorded) != origin.arrays:
        return None
    added = _log_lines(conn)
    return _parse_log(added[origin.lines :]) if len(added) >= origin.lines else None


def _log_lines(conn: sqlite3.Connection) -> list[str]:
    """The log of concepts added since the arrays were saved, a line each."""
    log = db.read_meta_value(conn, _ADDED)
    return log.split("\n") if log else []


def _parse_log(lines: list[str]) -> list[tuple[str, list[str]]]:
    return [(fields[0], fields[1:]) for fields in (line.split("\t") for line in lines)]


def _arrays_digest(recorded: str) -> str:
    """The checksums of the saved arrays alone, from a recorded digest (version and log left out)."""
    entries = recorded.partition(":")[2].split(",")
    return ",".join(entry for entry in entries if not entry.startswith(f"{_ADDED_DIGEST}:"))
