"""The embedded store: one SQLite file, atomic rebuilds, schema versions, clear errors."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taxonomy import Store, StoreError, UnknownDataset
from taxonomy.storage import db

#: Changing schema.sql or a migration changes this hash. Bump SCHEMA_VERSION and decide how old stores are
#: handled (rebuild or migrate) before updating it.
SCHEMA_SHA256 = "ea5a4ce2273d66f9d9ec891548d4d0436ff4afec3c4eb44145297c1988b334f1"


def test_schema_change_is_deliberate() -> None:
    assert db.schema_hash() == SCHEMA_SHA256, "schema.sql changed: bump SCHEMA_VERSION, then update this hash"


def test_store_records_schema_and_source_versions(wordnet_store: Store) -> None:
    assert wordnet_store.schema_version == db.SCHEMA_VERSION
    assert wordnet_store.sources["wordnet"] == "Princeton WordNet 3.0"
    assert wordnet_store.sources["wordnet_reader"].startswith("nltk ")
    assert wordnet_store.sources["imagenet"].startswith("timm 1.0.31")
    assert wordnet_store.meta["built_by"].startswith("taxonomy ")


def test_missing_store_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at .*taxonomy build"):
        Store.open(tmp_path / "absent.sqlite")


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="is not a taxonomy store"):
        Store.open(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreError, match="is not a taxonomy store"):
        Store.open(other)


def test_an_unknown_schema_version_is_refused(tiny_store_path: Path) -> None:
    conn = sqlite3.connect(tiny_store_path)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 999, newer than this version of taxonomy reads.*upgrade"):
        Store.open(tiny_store_path)


def test_a_damaged_index_is_reported_not_crashed_on(tiny_store_path: Path) -> None:
    conn = sqlite3.connect(tiny_store_path)
    conn.execute("DELETE FROM graph_index WHERE name = 'post'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="damaged"):
        Store.open(tiny_store_path)


def test_unknown_dataset_and_index_errors(wordnet_store: Store) -> None:
    with pytest.raises(UnknownDataset, match="no such dataset: 'imagenet22'.*imagenet21k"):
        wordnet_store.labels("imagenet22")
    with pytest.raises(UnknownDataset, match=r"valid: 0\.\.999"):
        wordnet_store.label("imagenet1k", 1000)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["reading", "writing"])
def test_a_killed_build_leaves_the_previous_store_intact(wordnet_store_path: Path, tmp_path: Path,
                                                          moment: str) -> None:
    target = tmp_path / "taxonomy.sqlite"
    target.write_bytes(wordnet_store_path.read_bytes())
    before = _sha(target)
    build = subprocess.Popen([sys.executable, "-m", "taxonomy", "build", "--store", str(target)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = target.with_name(f".{target.name}.building-{build.pid}")
    deadline = time.monotonic() + 120
    if moment == "reading":
        time.sleep(1.5)
    else:  # wait until the new file is being written, then kill in the middle of it
        while not partial.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert partial.exists(), "the build never started writing"
        time.sleep(0.3)
    assert build.poll() is None, "the build finished before it could be killed"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert _sha(target) == before
    with Store.open(target) as store:
        assert len(store.graph) == 82115
    if moment == "reading":
        return  # nothing was written yet; what a killed writer leaves is cleared below
    # the next build clears what the killed one left, and replaces the store
    from taxonomy import build_store

    build_store(target)
    assert not partial.exists()
    assert not list(tmp_path.glob(".*building*"))
    with Store.open(target) as store:
        assert store.graph.ancestors("n02084071") == Store.open(wordnet_store_path).graph.ancestors("n02084071")


def test_the_reader_interface_knows_no_implementation() -> None:
    import ast

    import taxonomy.reading

    tree = ast.parse(Path(taxonomy.reading.__file__).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.startswith(("taxonomy.graphdb", "taxonomy.store", "taxonomy.storage"))}


@pytest.mark.parametrize("name", ["my#1.sqlite", "q?x.sqlite", "50%25 done.sqlite", "a b&c=d.sqlite"])
def test_store_paths_with_uri_characters_open_that_file(tiny_store_path: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(tiny_store_path, path)
    before = set(tmp_path.iterdir())
    with Store.open(path, write=True) as store:
        store.graph_version  # noqa: B018  (reads the file)
        with store.transaction(structure=False) as writes:
            writes.log_import("test", "{}")
    assert Store.open(path).import_reports("test") == [("test", "{}")]  # written to that very file
    assert set(tmp_path.iterdir()) == before  # and no other file made beside it
