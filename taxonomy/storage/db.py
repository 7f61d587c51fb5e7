"""The SQLite layer: connections, the schema version, and every SQL statement of the store."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from taxonomy.errors import StoreError
from taxonomy.model import Concept, ConceptRecord, Dataset, DatasetLabel, Edge, EdgeRecord, LabelRecord
from taxonomy.text import normalize

#: Bump with every schema change, made as migrations/<version>.sql (additions that bring a store of
#: the version before up to it). Older stores are upgraded in place when opened; newer ones are refused.
SCHEMA_VERSION = 8
#: The oldest version the migrations start from; an older store must be rebuilt.
OLDEST_MIGRATABLE = 4
REBUILD_HINT = "build one with 'taxonomy build' (or pass --store PATH)"


def schema_sql() -> str:
    """The DDL of the current schema: the base (version 4) and every migration after it, in order."""
    base = resources.files("taxonomy.storage").joinpath("schema.sql").read_text(encoding="utf-8")
    return base + "".join(f"\n{migration_sql(v)}" for v in range(OLDEST_MIGRATABLE + 1, SCHEMA_VERSION + 1))


def schema_hash() -> str:
    """sha256 of the schema text; a test pins it so that a schema change is a deliberate act."""
    return hashlib.sha256(schema_sql().encode()).hexdigest()


def migration_sql(version: int) -> str:
    """The DDL that brings a store of ``version - 1`` up to ``version`` (package data)."""
    return resources.files("taxonomy.storage").joinpath(f"migrations/{version}.sql").read_text(encoding="utf-8")


def migrate(path: Path, found: int) -> None:
    """Upgrade a store of an older schema in place, every step in one transaction: the
    migrations only add, so nothing the store holds is lost, and a failure leaves it as it was."""
    try:
        conn = sqlite3.connect(_uri(path, "rw"), uri=True, isolation_level=None, timeout=60)
    except sqlite3.OperationalError as error:
        raise StoreError(f"{str(path)!r} has store schema version {found} and cannot be upgraded to "
                         f"{SCHEMA_VERSION} here ({error}); open it once with write access") from None
    try:  # one script, one transaction: executescript runs the DDL as written, comments and all
        (current,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        steps = range(int(current) + 1, SCHEMA_VERSION + 1)  # none if another process did it meanwhile
        conn.executescript("BEGIN IMMEDIATE;\n" + "".join(
            f"{migration_sql(v)};\nUPDATE meta SET value = '{v}' WHERE key = 'schema_version';\n" for v in steps)
            + "COMMIT;")
    except sqlite3.OperationalError as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"{str(path)!r} has store schema version {found} and could not be upgraded to "
                         f"{SCHEMA_VERSION} ({error}); open it once with write access") from None
    finally:
        conn.close()


def _uri(path: Path, mode: str) -> str:
    # quoted: a '#', '?' or '%' in the file name is part of the name, not of the URI
    return f"file:{urllib.parse.quote(str(path.absolute()))}?mode={mode}"


# ---------------------------------------------------------------------- connections
def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """Open an existing store, checking that it is one and that its schema is known."""
    if not path.is_file():
        raise StoreError(f"no store at {str(path)!r}; {REBUILD_HINT}")
    try:  # wait for another process's write lock rather than fail at once
        conn = sqlite3.connect(_uri(path, "rw" if write else "ro"), uri=True, check_same_thread=False,
                               isolation_level=None, timeout=60)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StoreError(f"{str(path)!r} is busy: another process has held its write lock for a minute; "
                             "try again") from None
        raise StoreError(f"{str(path)!r} is not a taxonomy store ({error}); {REBUILD_HINT}") from None
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{str(path)!r} is not a taxonomy store ({error}); {REBUILD_HINT}") from None
    found = "none" if row is None else row[0]
    if found.isdigit() and OLDEST_MIGRATABLE <= int(found) < SCHEMA_VERSION:
        conn.close()
        migrate(path, int(found))
        return connect(path, write=write)
    if found != str(SCHEMA_VERSION):
        conn.close()
        if found.isdigit() and int(found) > SCHEMA_VERSION:
            raise StoreError(f"{str(path)!r} has store schema version {found}, newer than this version of "
                             f"taxonomy reads ({SCHEMA_VERSION}); upgrade taxonomy")
        raise StoreError(
            f"{str(path)!r} has store schema version {found}, this version of taxonomy reads "
            f"version {SCHEMA_VERSION}; rebuild it with 'taxonomy build --store {path}'"
        )
    conn.execute("PRAGMA foreign_keys = ON")
    if write:
        conn.execute("PRAGMA busy_timeout = 60000")
    return conn


def create(path: Path) -> sqlite3.Connection:
    """Create a new, empty store file with the current schema."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.executescript(schema_sql())
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


# ---------------------------------------------------------------------- meta
def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))


def read_meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def write_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())


# ---------------------------------------------------------------------- writes
def upsert_concepts(conn: sqlite3.Connection, records: Iterable[ConceptRecord]) -> list[str]:
    """Insert concepts, or fill in what an existing one lacks; returns the ids of the new ones."""
    new: list[str] = []
    for record in records:
        concept_id = record["id"]
        fresh = conn.execute("SELECT 1 FROM concepts WHERE id = ?", (concept_id,)).fetchone() is None
        if fresh:
            new.append(concept_id)
        conn.execute(
            "INSERT INTO concepts (id, name, gloss, lexname, source, visual, common) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET gloss = CASE WHEN gloss = '' THEN excluded.gloss ELSE gloss END, "
            "visual = CASE WHEN excluded.visual <> 2 THEN excluded.visual ELSE visual END, "
            "common = CASE WHEN excluded.common <> 2 THEN excluded.common ELSE common END",
            (concept_id, record["name"], record["gloss"], record["lexname"], record["source"],
             record.get("visual", 2), record.get("common", 2)),
        )
        add_names(conn, concept_id, "en", record["lemmas"], record["source"],
                  record.get("sense_ranks"), record.get("lemma_counts"), fresh=fresh)
        for lang, names in record.get("names", {}).items():
            add_names(conn, concept_id, lang, names, record.get("names_source", record["source"]), fresh=fresh)
        for lang, text in record.get("glosses", {}).items():
            add_gloss(conn, concept_id, lang, text)
        for scheme, values in record.get("external_ids", {}).items():
            add_external_ids(conn, concept_id, scheme, values)
        if record.get("usage"):
            conn.executemany("INSERT OR IGNORE INTO usage_domains (concept, domain) VALUES (?, ?)",
                             ((concept_id, domain) for domain in record.get("usage", [])))
    return new


def add_names(conn: sqlite3.Connection, concept_id: str, lang: str, names: Sequence[str], source: str,
              sense_ranks: Sequence[int] | None = None, counts: Sequence[int] | None = None, *,
              fresh: bool = False) -> int:
    """Append the names a concept lacks in ``lang`` (compared normalised); returns how many were new.
    ``fresh``: the concept was inserted just now and has no names to compare with yet."""
    known: set[str] = set() if fresh else {row[0] for row in conn.execute(
        "SELECT norm FROM lemmas WHERE concept = ? AND lang = ?", (concept_id, lang))}
    position = 0 if fresh else conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM lemmas WHERE concept = ? AND lang = ?",
        (concept_id, lang)).fetchone()[0]
    added = 0
    for i, name in enumerate(names):
        norm = normalize(name)
        if not norm or norm in known:
            continue
        known.add(norm)
        conn.execute(
            "INSERT INTO lemmas (concept, lang, position, lemma, norm, sense_rank, count, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (concept_id, lang, position, name, norm,
             sense_ranks[i] if sense_ranks and i < len(sense_ranks) else None,
             counts[i] if counts and i < len(counts) else None, source),
        )
        position += 1
        added += 1
    return added


def add_gloss(conn: sqlite3.Connection, concept_id: str, lang: str, text: str) -> None:
    """A gloss in a language other than English, unless the concept has one there already."""
    conn.execute("INSERT OR IGNORE INTO glosses (concept, lang, gloss) VALUES (?, ?, ?)", (concept_id, lang, text))


def add_external_ids(conn: sqlite3.Connection, concept_id: str, scheme: str, values: Iterable[str]) -> None:
    conn.executemany("INSERT OR IGNORE INTO external_ids (concept, scheme, value) VALUES (?, ?, ?)",
                     ((concept_id, scheme, value) for value in values))


def translations(conn: sqlite3.Connection, concept_id: str) -> list[tuple[str, str, str]]:
    """(lang, name, source) of a concept's names in languages other than English."""
    return list(conn.execute(
        "SELECT lang, lemma, source FROM lemmas WHERE concept = ? AND lang <> 'en' ORDER BY lang, position",
        (concept_id,)))


def insert_edges(conn: sqlite3.Connection, records: Iterable[EdgeRecord]) -> int:
    """Insert edges that are not there yet; returns how many were new."""
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO edges (child, parent, kind, method, score, evidence, source_version, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, "
        "(SELECT count(*) FROM edges WHERE child = ?))",
        ((e["child"], e["parent"], e["kind"], e["method"], e["score"], e.get("evidence"),
          e.get("source_version"), e["child"]) for e in records),
    )
    return conn.total_changes - before


def remove_edge(conn: sqlite3.Connection, child: str, parent: str) -> bool:
    return conn.execute("DELETE FROM edges WHERE child = ? AND parent = ?", (child, parent)).rowcount > 0


def hold_edges(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, int, str, str]]) -> None:
    """Record edges held back for review: (child, parent, reason, descendants, method, source_version)."""
    conn.executemany(
        "INSERT OR REPLACE INTO held_edges (child, parent, reason, descendants, method, source_version) "
        "VALUES (?, ?, ?, ?, ?, ?)", rows)


def held_edges(conn: sqlite3.Connection) -> list[tuple[str, str, str, int, str, str]]:
    return list(conn.execute(
        "SELECT child, parent, reason, descendants, method, source_version FROM held_edges ORDER BY child, parent"))


def log_import(conn: sqlite3.Connection, source: str, report: str) -> None:
    conn.execute("INSERT INTO imports (at, source, report) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?)",
                 (source, report))


def import_reports(conn: sqlite3.Connection, prefix: str) -> list[tuple[str, str]]:
    """(source, report) of the imports whose source starts with ``prefix``, oldest first."""
    return list(conn.execute("SELECT source, report FROM imports WHERE substr(source, 1, length(?)) = ? ORDER BY id",
                             (prefix, prefix)))


def concepts_with_external_id(conn: sqlite3.Connection, scheme: str, value: str) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT concept FROM external_ids WHERE scheme = ? AND value = ? ORDER BY concept", (scheme, value))]


def replace_dataset(conn: sqlite3.Connection, dataset: Dataset, labels: Iterable[LabelRecord]) -> None:
    """Store (or replace) a dataset's whole label set."""
    conn.execute("DELETE FROM datasets WHERE name = ?", (dataset.name,))
    conn.execute(
        "INSERT INTO datasets (name, num_classes, source, license, description) VALUES (?, ?, ?, ?, ?)",
        (dataset.name, dataset.num_classes, dataset.source, dataset.license, dataset.description),
    )
    conn.executemany(
        "INSERT INTO dataset_labels (dataset, class_index, class_name, concept, method, score) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((r["dataset"], r["class_index"], r["class_name"], r["concept"], r["method"], r["score"]) for r in labels),
    )


def save_index(conn: sqlite3.Connection, blobs: dict[str, bytes]) -> None:
    conn.execute("DELETE FROM graph_index")
    conn.executemany("INSERT INTO graph_index (name, data) VALUES (?, ?)", blobs.items())


# ---------------------------------------------------------------------- reads
def load_index(conn: sqlite3.Connection) -> dict[str, bytes]:
    return dict(conn.execute("SELECT name, data FROM graph_index"))



def all_concept_ids(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT id FROM concepts ORDER BY id")]


def all_edges(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every (child, parent) edge, parents of a child in their source order."""
    return list(conn.execute("SELECT child, parent FROM edges ORDER BY child, position, parent"))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = ("concepts", "edges", "lemmas", "dataset_labels", "external_ids")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608


def count_by(conn: sqlite3.Connection, table: str, column: str) -> dict[str, int]:
    """Row counts grouped by one column, for statistics (table and column are ours, not the user's)."""
    return dict(conn.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column} ORDER BY 2 DESC, 1"))  # noqa: S608


def _chunks(ids: Sequence[str], size: int = 900) -> Iterator[list[str]]:
    """Lists short enough for one ``IN (...)`` (SQLite allows 999 parameters by default)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def fetch_concepts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Concept]:
    """Full concepts for many ids (missing ids are simply absent from the answer)."""
    found: dict[str, Concept] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        names: dict[str, dict[str, list[str]]] = {}
        for concept, lang, lemma in conn.execute(
            f"SELECT concept, lang, lemma FROM lemmas WHERE concept IN ({marks}) ORDER BY concept, lang, position",  # noqa: S608
            chunk,
        ):
            names.setdefault(concept, {}).setdefault(lang, []).append(lemma)
        glosses: dict[str, dict[str, str]] = {}
        for concept, lang, text in conn.execute(
            f"SELECT concept, lang, gloss FROM glosses WHERE concept IN ({marks})", chunk  # noqa: S608
        ):
            glosses.setdefault(concept, {})[lang] = text
        external: dict[str, dict[str, list[str]]] = {}
        for concept, scheme, value in conn.execute(
            f"SELECT concept, scheme, value FROM external_ids WHERE concept IN ({marks}) "  # noqa: S608
            "ORDER BY concept, scheme, value", chunk
        ):
            external.setdefault(concept, {}).setdefault(scheme, []).append(value)
        usage: dict[str, list[str]] = {}
        for concept, domain in conn.execute(
            f"SELECT concept, domain FROM usage_domains WHERE concept IN ({marks}) ORDER BY concept, domain",  # noqa: S608
            chunk,
        ):
            usage.setdefault(concept, []).append(domain)
        for cid, name, gloss, lexname, source, visual, common in conn.execute(
            f"SELECT id, name, gloss, lexname, source, visual, common FROM concepts WHERE id IN ({marks})",  # noqa: S608
            chunk,
        ):
            by_lang = {lang: tuple(v) for lang, v in names.get(cid, {}).items()}
            found[cid] = Concept(
                id=cid, name=name, lemmas=by_lang.pop("en", ()), gloss=gloss, lexname=lexname,
                source=source, visual=visual, common=common, names=by_lang,
                glosses=glosses.get(cid, {}),
                external_ids={scheme: tuple(v) for scheme, v in external.get(cid, {}).items()},
                usage=tuple(usage.get(cid, ())),
            )
    return found


def english_lemmas(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The English names of many concepts, in order (a light read: no glosses, ids or domains)."""
    found: dict[str, list[str]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for concept, lemma in conn.execute(
            f"SELECT concept, lemma FROM lemmas WHERE lang = 'en' AND concept IN ({marks}) "  # noqa: S608
            "ORDER BY concept, position", chunk
        ):
            found.setdefault(concept, []).append(lemma)
    return {concept: tuple(lemmas) for concept, lemmas in found.items()}


def preferred_names(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, name FROM concepts WHERE id IN ({marks})", chunk))  # noqa: S608
    return found


def senses(conn: sqlite3.Connection, norm: str, lang: str | None = None) -> list[str]:
    """Concept ids that have ``norm`` as a name, most frequent sense first."""
    rows = conn.execute(
        "SELECT concept FROM lemmas WHERE norm = ? AND (? IS NULL OR lang = ?) "
        "GROUP BY concept ORDER BY min(coalesce(sense_rank, 1000000)), concept",
        (norm, lang, lang),
    )
    return [row[0] for row in rows]


def name_counts(conn: sqlite3.Connection, norm: str) -> dict[str, int]:
    """concept -> the SemCor tag count of its name ``norm`` (English; concepts whose name it is)."""
    rows = conn.execute("SELECT concept, sum(coalesce(count, 0)) FROM lemmas WHERE norm = ? AND lang = 'en' "
                        "GROUP BY concept", (norm,))
    return dict(rows)


def names_with_prefix(conn: sqlite3.Connection, prefix: str, limit: int) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT norm FROM lemmas WHERE norm >= ? AND norm < ? ORDER BY norm LIMIT ?",
        (prefix, prefix + "\U0010ffff", limit),
    )
    return [row[0] for row in rows]


def search(conn: sqlite3.Connection, norm: str, limit: int) -> list[tuple[str, str, int]]:
    """(concept, matched name, rank) for names that match ``norm``, best first.

    Rank 0 is an exact name, 1 a name that starts with the query as whole words, 2 any other
    prefix, 3 a word inside the name that starts with the query, 4 any substring. A concept
    ranks by its best name; inside a rank, senses that are more frequent (SemCor tag counts,
    then WordNet's sense order of the name), then shorter names, then ids come first. The
    matched name is the concept's best name in that order (ties: the earlier name).
    """
    escaped = norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        "WITH hits AS (SELECT concept, lemma, lang, position, coalesce(count, 0) AS frequency, "
        "coalesce(sense_rank, 1000000) AS sense, "
        "CASE WHEN norm = :q THEN 0 "
        "WHEN norm LIKE :e || ' %' ESCAPE '\\' THEN 1 "
        "WHEN norm LIKE :e || '%' ESCAPE '\\' THEN 2 "
        "WHEN norm LIKE '% ' || :e || '%' ESCAPE '\\' THEN 3 ELSE 4 END AS rank "
        "FROM lemmas WHERE norm LIKE '%' || :e || '%' ESCAPE '\\'), "
        "best AS (SELECT *, row_number() OVER (PARTITION BY concept "
        "ORDER BY rank, frequency DESC, sense, length(lemma), lang, position) AS nth FROM hits) "
        "SELECT concept, lemma, rank FROM best WHERE nth = 1 "
        "ORDER BY rank, frequency DESC, sense, length(lemma), concept LIMIT :limit",
        {"q": norm, "e": escaped, "limit": limit},
    )
    return [(concept, lemma, rank) for concept, lemma, rank in rows]


def edges_of(conn: sqlite3.Connection, concept_id: str) -> list[Edge]:
    """The edges from a concept to its parents, with their provenance."""
    rows = conn.execute(
        "SELECT child, parent, kind, method, score, evidence, source_version FROM edges "
        "WHERE child = ? ORDER BY position, parent",
        (concept_id,),
    )
    return [Edge(*row) for row in rows]


def iter_edges(conn: sqlite3.Connection) -> Iterator[Edge]:
    rows = conn.execute(
        "SELECT child, parent, kind, method, score, evidence, source_version FROM edges "
        "ORDER BY child, position, parent"
    )
    return (Edge(*row) for row in rows)


def datasets(conn: sqlite3.Connection) -> list[Dataset]:
    rows = conn.execute("SELECT name, num_classes, source, license, description FROM datasets ORDER BY name")
    return [Dataset(*row) for row in rows]


def dataset_labels(conn: sqlite3.Connection, dataset: str, start: int = 0, limit: int = -1) -> list[DatasetLabel]:
    rows = conn.execute(
        "SELECT dataset, class_index, class_name, concept, method, score FROM dataset_labels "
        "WHERE dataset = ? AND class_index >= ? ORDER BY class_index LIMIT ?",
        (dataset, start, limit),
    )
    return [DatasetLabel(*row) for row in rows]


def labels_of_concept(conn: sqlite3.Connection, concept_id: str) -> list[DatasetLabel]:
    rows = conn.execute(
        "SELECT dataset, class_index, class_name, concept, method, score FROM dataset_labels "
        "WHERE concept = ? ORDER BY dataset, class_index",
        (concept_id,),
    )
    return [DatasetLabel(*row) for row in rows]


def dataset_concepts(conn: sqlite3.Connection, dataset: str) -> list[str | None]:
    """The concept of every class index of a dataset, in index order (None where unmapped)."""
    return [row[0] for row in conn.execute(
        "SELECT concept FROM dataset_labels WHERE dataset = ? ORDER BY class_index", (dataset,))]


def concepts_missing_gloss(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT id FROM concepts WHERE gloss = '' ORDER BY id")]


def duplicate_names_under_one_parent(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(parent, name, concept) rows where two children of one parent share their preferred name."""
    rows = conn.execute(
        "SELECT e.parent, lower(c.name), group_concat(c.id, ' ') FROM edges e JOIN concepts c ON c.id = e.child "
        "GROUP BY e.parent, lower(c.name) HAVING count(*) > 1 ORDER BY e.parent"
    )
    return list(rows)


def unmapped_labels(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    rows = conn.execute(
        "SELECT dataset, class_index, class_name FROM dataset_labels WHERE concept IS NULL "
        "OR concept NOT IN (SELECT id FROM concepts) ORDER BY dataset, class_index"
    )
    return list(rows)


# ---------------------------------------------------------------------- tags, votes, subsets
def write_priors(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, float, str]]) -> None:
    """(concept, question, score, method) rows, replacing earlier priors."""
    conn.executemany("INSERT OR REPLACE INTO tag_priors (concept, question, score, method) VALUES (?, ?, ?, ?)", rows)


def priors_of(conn: sqlite3.Connection, concept_id: str) -> dict[str, tuple[float, str]]:
    rows = conn.execute("SELECT question, score, method FROM tag_priors WHERE concept = ?", (concept_id,))
    return {question: (score, method) for question, score, method in rows}


def all_priors(conn: sqlite3.Connection, question: str) -> dict[str, float]:
    return dict(conn.execute("SELECT concept, score FROM tag_priors WHERE question = ?", (question,)))


def all_prior_rows(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[float, str]]:
    """(concept, question) -> (score, method) for every prior."""
    rows = conn.execute("SELECT concept, question, score, method FROM tag_priors")
    return {(concept, question): (score, method) for concept, question, score, method in rows}


def concepts_without_priors(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT id FROM concepts WHERE id NOT IN (SELECT concept FROM tag_priors) ORDER BY id")]


def cast_vote(conn: sqlite3.Connection, concept_id: str, question: str, annotator: str, answer: int) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO votes (concept, question, annotator, answer, at) "
        "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        (concept_id, question, annotator, answer))


def votes_of(conn: sqlite3.Connection, concept_id: str) -> list[tuple[str, str, int, str]]:
    """(question, annotator, answer, at) of every vote on a concept."""
    return list(conn.execute(
        "SELECT question, annotator, answer, at FROM votes WHERE concept = ? ORDER BY question, at, annotator",
        (concept_id,)))


def vote_tallies(conn: sqlite3.Connection, question: str) -> dict[str, tuple[int, int]]:
    """concept -> (yes, no) for one question, over the concepts that have votes."""
    rows = conn.execute("SELECT concept, sum(answer), sum(1 - answer) FROM votes WHERE question = ? "
                        "GROUP BY concept", (question,))
    return {concept: (yes, no) for concept, yes, no in rows}


def given_decisions(conn: sqlite3.Connection, question: str) -> dict[str, int]:
    """concept -> the decision given with it (by an import), where it is not 2."""
    column = {"visual": "visual", "common": "common"}[question]
    return dict(conn.execute(f"SELECT id, {column} FROM concepts WHERE {column} <> 2"))  # noqa: S608


def concept_columns(conn: sqlite3.Connection) -> list[tuple[str, str | None, str]]:
    """(id, lexname, source) of every concept, in id order."""
    return list(conn.execute("SELECT id, lexname, source FROM concepts ORDER BY id"))


def tag_count_sums(conn: sqlite3.Connection, concept_ids: Sequence[str] | None = None) -> dict[str, int]:
    """concept -> the summed SemCor tag counts of its English names (of every concept, or these)."""
    query = "SELECT concept, sum(count) FROM lemmas WHERE lang = 'en' AND count IS NOT NULL"
    if concept_ids is None:
        return dict(conn.execute(query + " GROUP BY concept"))
    found: dict[str, int] = {}
    for chunk in _chunks(concept_ids):
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"{query} AND concept IN ({marks}) GROUP BY concept", chunk))
    return found


def lexnames_of(conn: sqlite3.Connection, concept_ids: Sequence[str]) -> dict[str, str | None]:
    """concept -> its lexicographer file, for these concepts."""
    found: dict[str, str | None] = {}
    for chunk in _chunks(concept_ids):
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, lexname FROM concepts WHERE id IN ({marks})", chunk))  # noqa: S608
    return found


def dataset_members(conn: sqlite3.Connection, concept_ids: Sequence[str] | None = None) -> dict[str, set[str]]:
    """dataset -> the concepts its labels map to (all of them, or those among ``concept_ids``)."""
    found: dict[str, set[str]] = {}
    query = "SELECT dataset, concept FROM dataset_labels WHERE concept IS NOT NULL"
    chunks = [conn.execute(query)] if concept_ids is None else (
        conn.execute(f"{query} AND concept IN ({','.join('?' * len(chunk))})", chunk)
        for chunk in _chunks(concept_ids))
    for rows in chunks:
        for dataset, concept in rows:
            found.setdefault(dataset, set()).add(concept)
    return found


def save_subset(conn: sqlite3.Connection, name: str, definition: str, graph_version: int, tags_version: int,
                members: Sequence[str]) -> int:
    """Store a new version of a subset; returns its version number."""
    version: int = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM subsets WHERE name = ?",
                                (name,)).fetchone()[0]
    conn.execute(
        "INSERT INTO subsets (name, version, definition, graph_version, tags_version, created_at, size) "
        "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)",
        (name, version, definition, graph_version, tags_version, len(members)))
    conn.executemany("INSERT INTO subset_members (name, version, concept) VALUES (?, ?, ?)",
                     ((name, version, concept) for concept in members))
    return version


def subsets(conn: sqlite3.Connection, name: str | None = None) -> list[tuple[str, int, str, int, int, str, int]]:
    """(name, version, definition, graph_version, tags_version, created_at, size), newest version last."""
    return list(conn.execute(
        "SELECT name, version, definition, graph_version, tags_version, created_at, size FROM subsets "
        "WHERE ? IS NULL OR name = ? ORDER BY name, version", (name, name)))


def subset_members(conn: sqlite3.Connection, name: str, version: int) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT concept FROM subset_members WHERE name = ? AND version = ? ORDER BY concept", (name, version))]


# ---------------------------------------------------------------------- linking
def add_morph_exceptions(conn: sqlite3.Connection, rows: Iterable[tuple[str, str]]) -> None:
    conn.executemany("INSERT OR IGNORE INTO morph_exceptions (form, base) VALUES (?, ?)", rows)


def add_members(conn: sqlite3.Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """(whole, member) pairs of WordNet's member holonymy."""
    conn.executemany("INSERT OR IGNORE INTO members (whole, member) VALUES (?, ?)", pairs)


#: The tables of WordNet's relations that migrations add empty (schema 7 and 8) and a build fills.
WORDNET_TABLES = ("members", "verb_acts")


def empty_wordnet_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables of WORDNET_TABLES a store holding WordNet's concepts has empty: it was upgraded
    from before they were added, and the linker's rules that read them have nothing to read."""
    if conn.execute("SELECT 1 FROM concepts WHERE source = 'wordnet' LIMIT 1").fetchone() is None:
        return []
    return [t for t in WORDNET_TABLES if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None]  # noqa: S608


def add_verb_acts(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, int]]) -> None:
    """(verb, act, rank): the acts a WordNet verb names."""
    conn.executemany("INSERT OR IGNORE INTO verb_acts (verb, concept, rank) VALUES (?, ?, ?)", rows)


def verb_acts(conn: sqlite3.Connection, verb: str) -> list[str]:
    return [row[0] for row in conn.execute("SELECT concept FROM verb_acts WHERE verb = ? ORDER BY rank", (verb,))]


def members(conn: sqlite3.Connection, whole: str) -> list[str]:
    return [row[0] for row in conn.execute("SELECT member FROM members WHERE whole = ? ORDER BY member", (whole,))]


def morph_exceptions(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Irregular plural -> its base forms (sorted)."""
    bases: dict[str, list[str]] = {}
    for form, base in conn.execute("SELECT form, base FROM morph_exceptions ORDER BY form, base"):
        bases.setdefault(form, []).append(base)
    return bases


def english_names(conn: sqlite3.Connection) -> set[str]:
    """Every normalised English name."""
    return {row[0] for row in conn.execute("SELECT DISTINCT norm FROM lemmas WHERE lang = 'en'")}


def has_lemma_as_written(conn: sqlite3.Connection, text: str) -> bool:
    """Whether a name is in the store exactly as written (case and all)."""
    return conn.execute("SELECT 1 FROM lemmas WHERE norm = ? AND lemma = ? LIMIT 1",
                        (normalize(text), text)).fetchone() is not None


def has_name(conn: sqlite3.Connection, norm: str) -> bool:
    return conn.execute("SELECT 1 FROM lemmas WHERE norm = ? LIMIT 1", (norm,)).fetchone() is not None


def write_embeddings(conn: sqlite3.Connection, model: str, rows: Iterable[tuple[str, str, bytes]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO embeddings (concept, model, text, vector) VALUES (?, ?, ?, ?)",
                     ((concept, model, text, vector) for concept, text, vector in rows))


def iter_embeddings(conn: sqlite3.Connection) -> Iterator[tuple[str, bytes]]:
    """(concept, vector) of every stored embedding, in concept order, one row at a time."""
    yield from conn.execute("SELECT concept, vector FROM embeddings ORDER BY concept")


def count_embeddings(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM embeddings").fetchone()[0])


def stale_embeddings(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(id, name, gloss) of the concepts whose embedding is missing or was computed from another
    text than "name: gloss" (or the name alone, without a gloss)."""
    return list(conn.execute(
        "SELECT c.id, c.name, c.gloss FROM concepts c LEFT JOIN embeddings e ON e.concept = c.id "
        "WHERE e.text IS NOT (CASE WHEN c.gloss != '' THEN c.name || ': ' || c.gloss ELSE c.name END) ORDER BY c.id"))


def name_and_gloss(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(id, preferred name, gloss) of every concept, in id order."""
    return list(conn.execute("SELECT id, name, gloss FROM concepts ORDER BY id"))


# ---------------------------------------------------------------------- whole tables (sync to Neo4j)
# ---------------------------------------------------------------------- review and undo
_REVIEW_SELECT = ("SELECT id, queued_at, name, description, wikidata, dataset, class_index, proposal, vector, "
                  "status, decided_at, reviewer, outcome FROM review_queue ")


def queue_review(conn: sqlite3.Connection, name: str, description: str, wikidata: str | None,
                 dataset: str | None, class_index: int | None, proposal: str, vector: bytes | None) -> int:
    """Add one link to the review queue; returns its id."""
    cursor = conn.execute(
        "INSERT INTO review_queue (queued_at, name, description, wikidata, dataset, class_index, proposal, vector) "
        "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?, ?, ?, ?)",
        (name, description, wikidata, dataset, class_index, proposal, vector))
    return int(cursor.lastrowid or 0)


def review_rows(conn: sqlite3.Connection, status: str | None, limit: int) -> list[tuple[Any, ...]]:
    """Rows of the review queue (all, or of one status), oldest first."""
    return list(conn.execute(
        _REVIEW_SELECT + "WHERE ? IS NULL OR status = ? ORDER BY id LIMIT ?",
        (status, status, limit)))


def review_row(conn: sqlite3.Connection, item: int) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = conn.execute(
        _REVIEW_SELECT + "WHERE id = ?", (item,)).fetchone()
    return row


def review_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT status, count(*) FROM review_queue GROUP BY status"))


def decide_review(conn: sqlite3.Connection, item: int, status: str, reviewer: str, outcome: str) -> bool:
    """Close a pending item; False when it was not pending (decided meanwhile)."""
    return conn.execute(
        "UPDATE review_queue SET status = ?, decided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), reviewer = ?, "
        "outcome = ? "
        "WHERE id = ? AND status = 'pending'", (status, reviewer, outcome, item)).rowcount > 0


def log_unlink(conn: sqlite3.Connection, kind: str, target: str, removed: str, reason: str) -> None:
    conn.execute("INSERT INTO unlinks (at, kind, target, removed, reason) "
                 "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)",
                 (kind, target, removed, reason))


def unlink_history(conn: sqlite3.Connection, limit: int) -> list[tuple[int, str, str, str, str, str]]:
    """(id, at, kind, target, removed JSON, reason) of what was unlinked, newest first."""
    return list(conn.execute("SELECT id, at, kind, target, removed, reason FROM unlinks ORDER BY id DESC LIMIT ?",
                             (limit,)))


def unlinked_names(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(normalised name, concept) of every name a person took back from a concept."""
    found: list[tuple[str, str]] = []
    for (removed,) in conn.execute("SELECT removed FROM unlinks WHERE kind = 'name'"):
        found += [(row[4], row[0]) for row in json.loads(removed).get("lemmas", [])]
    return found


def concept_rows(conn: sqlite3.Connection, concept_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything stored about one concept, table by table (what removing it removes)."""
    where = {"concepts": "id", "lemmas": "concept", "glosses": "concept", "external_ids": "concept",
             "usage_domains": "concept", "edges": "child", "labels": "concept"}
    found: dict[str, list[tuple[Any, ...]]] = {}
    for table, column in where.items():
        query = TABLE_ROWS[table].replace(" ORDER BY", f" WHERE {column} = ? ORDER BY")
        found[table] = list(conn.execute(query, (concept_id,)))
    found["children"] = list(conn.execute("SELECT child FROM edges WHERE parent = ? ORDER BY child", (concept_id,)))
    return found


def remove_concept(conn: sqlite3.Connection, concept_id: str) -> None:
    """Delete a concept (its names, glosses, ids, edges, votes, priors and vector go with it);
    dataset labels that mapped to it map to nothing."""
    conn.execute("UPDATE dataset_labels SET concept = NULL, method = 'unlinked' WHERE concept = ?", (concept_id,))
    conn.execute("DELETE FROM concepts WHERE id = ?", (concept_id,))


def remove_name(conn: sqlite3.Connection, concept_id: str, lang: str, position: int) -> None:
    conn.execute("DELETE FROM lemmas WHERE concept = ? AND lang = ? AND position = ?", (concept_id, lang, position))


def set_label(conn: sqlite3.Connection, dataset: str, class_index: int, concept: str | None, method: str,
              score: float) -> None:
    conn.execute("UPDATE dataset_labels SET concept = ?, method = ?, score = ? WHERE dataset = ? AND class_index = ?",
                 (concept, method, score, dataset, class_index))


#: Every row of a table, in key order. lemmas: (concept, lang, position, lemma, norm, sense_rank,
#: count, source); edges: (child, parent, kind, method, score, evidence, source_version, position).
TABLE_ROWS = {
    "concepts": "SELECT id, name, gloss, lexname, source, visual, common FROM concepts ORDER BY id",
    "lemmas": "SELECT concept, lang, position, lemma, norm, sense_rank, count, source FROM lemmas "
              "ORDER BY concept, lang, position",
    "glosses": "SELECT concept, lang, gloss FROM glosses ORDER BY concept, lang",
    "usage_domains": "SELECT concept, domain FROM usage_domains ORDER BY concept, domain",
    "external_ids": "SELECT concept, scheme, value FROM external_ids ORDER BY concept, scheme, value",
    "edges": "SELECT child, parent, kind, method, score, evidence, source_version, position FROM edges "
             "ORDER BY child, position, parent",
    "labels": "SELECT dataset, class_index, class_name, concept, method, score FROM dataset_labels "
              "ORDER BY dataset, class_index",
    "votes": "SELECT concept, question, annotator, answer, at FROM votes ORDER BY concept, question, annotator",
    "subsets": "SELECT name, version, definition, graph_version, tags_version, created_at, size FROM subsets "
               "ORDER BY name, version",
    "subset_members": "SELECT name, version, concept FROM subset_members ORDER BY name, version, concept",
    "imports": "SELECT id, at, source, report FROM imports ORDER BY id",
    "tag_priors": "SELECT concept, question, score, method FROM tag_priors ORDER BY concept, question",
}


def table_rows(conn: sqlite3.Connection, table: str) -> Iterator[tuple[Any, ...]]:
    """Every row of one of the TABLE_ROWS tables, one at a time."""
    if table not in TABLE_ROWS:
        raise ValueError(f"no such table to copy: {table!r} (tables: {', '.join(TABLE_ROWS)})")
    return iter(conn.execute(TABLE_ROWS[table]))
