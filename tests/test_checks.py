"""The registry of coded integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from taxonomy import InputError, Store
from taxonomy.checks import CHECKS, run_checks


def test_every_check_has_a_code_and_a_message() -> None:
    assert set(CHECKS) >= {"E101", "E102", "W201", "W202", "W203", "W204"}
    assert all(check.message and check.message[0].islower() for check in CHECKS.values())


def test_checks_find_what_the_fixture_plants(tiny_store: Store) -> None:
    report = run_checks(tiny_store)
    found = {(f.code, f.subject) for f in report.findings}
    assert ("W201", "lonely") in found  # a second root
    assert ("W202", "corgi") in found  # corgi -> animal is implied by corgi -> dog -> ... -> animal
    assert ("W203", "pet") in found  # no gloss
    assert ("W204", "animal") in found  # two children of animal are called "pet"
    assert not report.errors
    assert report.counts()["E101"] == 0


def test_select_by_code_or_prefix(tiny_store: Store) -> None:
    assert run_checks(tiny_store, ["W202"]).checked == ["W202"]
    assert all(code.startswith("E") for code in run_checks(tiny_store, ["E"]).checked)
    with pytest.raises(InputError, match="no such check: 'X9'"):
        run_checks(tiny_store, ["X9"])


def test_a_cycle_written_behind_the_store_s_back_is_found(tiny_store_path: Path) -> None:
    conn = sqlite3.connect(tiny_store_path)
    conn.execute("INSERT INTO edges (child, parent, kind, method) VALUES ('animal', 'corgi', 'linked', 'manual')")
    conn.execute("INSERT INTO dataset_labels VALUES ('ghost', 0, 'ghost', 'nowhere', 'manual', 1.0)")
    conn.commit()
    conn.close()
    with Store.open(tiny_store_path) as store:  # the stored index predates the bad edge
        report = run_checks(store, ["E"])
    codes = [f.code for f in report.errors]
    assert "E101" in codes
    cycle = next(f for f in report.errors if f.code == "E101")
    assert "corgi" in cycle.detail and "animal" in cycle.detail
    # the index, compiled before the edge, does not hold it: exactly that concept disagrees
    disagree = [f for f in report.errors if f.code == "E103"]
    assert [f.subject for f in disagree] == ["animal"]
    assert "edges ['corgi'" in disagree[0].detail


def test_an_edge_removed_behind_the_store_s_back_is_found(tiny_store_path: Path) -> None:
    conn = sqlite3.connect(tiny_store_path)
    child, parent = conn.execute("SELECT child, parent FROM edges ORDER BY child LIMIT 1").fetchone()
    conn.execute("DELETE FROM edges WHERE child = ? AND parent = ?", (child, parent))
    conn.commit()
    conn.close()
    with Store.open(tiny_store_path) as store:
        findings = run_checks(store, ["E103"]).errors
    assert [(f.subject, parent in f.detail) for f in findings] == [(child, True)]


@pytest.mark.slow
def test_wordnet_has_no_errors(wordnet_store: Store) -> None:
    report = run_checks(wordnet_store)
    assert not report.errors
    counts = report.counts()
    assert counts["W201"] == 0  # one root: entity
    assert counts["W202"] > 0  # WordNet 3.0 does have a few redundant hypernym edges
