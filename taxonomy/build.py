"""Building a store from its sources, atomically: write a new file, then rename it into place."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from taxonomy import __version__
from taxonomy.paths import default_store_path
from taxonomy.priors import refresh_priors
from taxonomy.progress import Progress, quiet
from taxonomy.sources import crosswalk, datasets, omw, wordnet
from taxonomy.storage import db
from taxonomy.store import Store, compile_graph


def build_store(
    path: Path | str | None = None, *, wordnet_dir: Path | None = None, progress: Progress | None = None
) -> Path:
    """Build the label system from WordNet 3.0 and the shipped label sets into ``path``.

    The new store is written beside the target and renamed over it only when complete, so a
    build that is killed at any moment leaves the previous store as it was.
    """
    target = Path(path).expanduser() if path is not None else default_store_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(target)
    partial = target.with_name(f".{target.name}.building-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        say = progress or quiet
        nouns = wordnet.read_nouns(wordnet_dir, progress)
        steps = 5  # concepts and edges, translations, label sets, index and priors, the file
        say("building the store", 0, steps)
        conn = db.create(partial)
        conn.execute("PRAGMA journal_mode = OFF")  # a half-built file is thrown away, never repaired
        with conn:
            conn.execute("BEGIN")
            db.upsert_concepts(conn, nouns.concepts)
            db.insert_edges(conn, nouns.edges)
            db.add_morph_exceptions(conn, nouns.exceptions)
            db.add_members(conn, nouns.members)
            db.add_verb_acts(conn, nouns.verb_acts)
            say("building the store", 1, steps)
            known = {c["id"] for c in nouns.concepts}
            _add_translations_and_qids(conn, known)
            say("building the store", 2, steps)
            for label_set in datasets.IMAGENET_LABEL_SETS:
                db.replace_dataset(conn, label_set.dataset, datasets.imagenet_labels(label_set, known))
            say("building the store", 3, steps)
            refresh_priors(conn, compile_graph(conn), all_concepts=True)
            say("building the store", 4, steps)
            db.write_meta(conn, {
                "source.wordnet": nouns.version,
                "source.wordnet_reader": nouns.reader,
                "source.imagenet": label_set.dataset.source,
                "source.crosswalk": "globalwordnet/cili ILI maps; Open English WordNet wikidata fields",
                **{f"source.{key}": value for key, value in omw.versions().items()},
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "built_by": f"taxonomy {__version__}",
            })
            conn.execute("COMMIT")
        conn.execute("VACUUM")
        conn.close()
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def fill_wordnet_tables(store: Store, wordnet_dir: Path | None = None) -> dict[str, int]:
    """Fill the tables of WordNet's relations that ``store`` has empty, having been upgraded from
    before them (db.WORDNET_TABLES: member holonymy from schema 7, verbs' acts from schema 8),
    from WordNet, in one transaction, with the rows whose concepts the store holds; what a
    person linked and voted stays. Returns the rows added per table ({} when none was empty)."""
    empty = store.empty_wordnet_tables()
    if not empty:
        return {}
    members, verb_acts = wordnet.read_relations(wordnet_dir)
    graph = store.graph
    members = [(w, m) for w, m in members if w in graph and m in graph] if "members" in empty else []
    verb_acts = [row for row in verb_acts if row[1] in graph] if "verb_acts" in empty else []
    with store.transaction(structure=False, tags=False) as writes:
        writes.add_wordnet_relations(members, verb_acts)
    added = {"members": len(members), "verb_acts": len(verb_acts)}
    return {table: added[table] for table in empty}


def _add_translations_and_qids(conn: sqlite3.Connection, known: set[str]) -> None:
    """Names in zh/es/nl/it from the OMW tables, and Wikidata QIDs from Open English WordNet."""
    for item in omw.noun_translations():
        if item.concept in known:
            db.add_names(conn, item.concept, item.lang, item.names, item.source)
            if item.gloss:
                db.add_gloss(conn, item.concept, item.lang, item.gloss)
    for concept, qids in crosswalk.qids_of_concepts().items():
        if concept in known:
            db.add_external_ids(conn, concept, "wikidata", qids)


def create_empty_store(path: Path) -> Path:
    """Create a store with no concepts at ``path`` (atomically), for imports that start from nothing."""
    partial = path.with_name(f".{path.name}.building-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        conn = db.create(partial)
        conn.execute("BEGIN")
        compile_graph(conn)
        db.write_meta(conn, {"built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                             "built_by": f"taxonomy {__version__}"})
        conn.execute("COMMIT")
        conn.close()
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def _remove_stale_partials(target: Path) -> None:
    """Remove files of builds that were killed (their process no longer exists)."""
    for leftover in target.parent.glob(f".{target.name}.building-*"):  # the file and its -journal
        pid = leftover.name.split(".building-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
