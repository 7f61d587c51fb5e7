"""Review before the graph changes: the review queue, unlink with provenance, labels set by hand,
and the schema migration that added their tables. On a copy of the real, embedded WordNet store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from taxonomy import Store, StoreError
from taxonomy.cli import main
from taxonomy.storage import db
from tests.conftest import copy_store

pytestmark = pytest.mark.slow
BOARD, BEE, AIRCRAFT_DRONE, KITE_TOY = "n02856463", "n02207179", "n03245889", "n03621473"
#: Where a hoverboard may go: WordNet puts the skateboard under both board and wheeled vehicle.
BOARD_OR_WHEELED = {BOARD, "n04576211"}
HOVERBOARD = ["hoverboard", "--description", "a self-balancing two-wheeled board"]


def run(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--store", str(store)])
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> object:
    status, out, err = run(capsys, store, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


@pytest.fixture()
def path(embedded_store_path: Path, tmp_path: Path) -> Path:
    return copy_store(embedded_store_path, tmp_path)


def test_an_unsure_link_waits_for_review_and_a_person_decides(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    version = Store.open(path).meta["graph_version"]
    status, out, _ = run(capsys, path, "link", "drone")  # the bee is WordNet's first sense, 0.03 sure
    assert status == 0 and "waits for review as #1" in out
    status, out, _ = run(capsys, path, "link", *HOVERBOARD)
    assert "child" in out and "waits for review as #2" in out
    with Store.open(path) as store:  # nothing entered the graph
        assert store.meta["graph_version"] == version and not store.search("hoverboard")
    listed = run_json(capsys, path, "review")
    assert [(i["id"], i["name"], i["proposal"]["decision"]) for i in listed] == [(1, "drone", "same"),
                                                                                  (2, "hoverboard", "child")]
    (proposed,) = listed[1]["proposal"]["parents"]
    assert listed[0]["proposal"]["concept"] == BEE and proposed in BOARD_OR_WHEELED
    _, shown, _ = run(capsys, path, "review", "show", "1")
    assert AIRCRAFT_DRONE in shown and "an aircraft without a pilot" in shown  # the candidates, with glosses

    # pick another candidate; a name with several senses is refused for a write
    status, _, err = run(capsys, path, "review", "accept", "1", "--same", "drone")
    assert status == 2 and "has 5 senses" in err and AIRCRAFT_DRONE in err
    assert run(capsys, path, "review", "accept", "1", "--same", AIRCRAFT_DRONE, "--reviewer", "ann")[0] == 0
    status, _, err = run(capsys, path, "review", "accept", "1")
    assert status == 2 and "accepted already" in err and "by ann" in err
    # the proposal as it is: a new concept under what it proposed
    assert run(capsys, path, "review", "accept", "2")[0] == 0
    with Store.open(path) as store:
        (new,) = [c.id for c, _, _ in store.search("hoverboard")]
        assert store.graph.parents(new) == [proposed] and store.embedding_count() == len(store.graph)
        assert "drone" in store.concept(AIRCRAFT_DRONE).lemmas
    done = run_json(capsys, path, "review", "--status", "all")
    assert [(i["status"], i["outcome"]["concept"]) for i in done] == [("accepted", AIRCRAFT_DRONE), ("accepted", new)]

    # reject; sure links commit as before; --review-below 0 commits everything
    run(capsys, path, "link", "bow", "--visual")  # the weapon, a knot, a ship's or a violin's: 0.44 sure
    assert run(capsys, path, "review", "reject", "3", "--reason", "ambiguous")[0] == 0
    assert run_json(capsys, path, "review", "show", "3")["outcome"] == {"decision": "rejected", "reason": "ambiguous"}
    row = run_json(capsys, path, "link", "cell phone")
    assert row["review"] is None and row["concept"] == "n02992529" and not row["waits_for_review"]
    row = run_json(capsys, path, "link", "Sumatran orangutan", "--review-below", "0")
    assert row["review"] is None and row["concept"] in Store.open(path).graph
    status, _, err = run(capsys, path, "review", "show", "99")
    assert status == 2 and "no such review item" in err


def test_a_batch_commits_the_sure_and_queues_the_rest_in_one_go(capsys: pytest.CaptureFixture[str],
                                                                  path: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.tsv"
    batch.write_text("name\tdescription\ncell phone\t\ndrone\t\nhoverboard\ta self-balancing two-wheeled board\n",
                     encoding="utf-8")
    status, out, err = run(capsys, path, "link", "--file", str(batch))
    assert status == 0 and "3 names: same 2, child 1; 2 below 0.5 wait for review: taxonomy review" in err
    assert out.count("waits for review") == 2
    assert [i["name"] for i in run_json(capsys, path, "review")] == ["drone", "hoverboard"]


def test_unlink_takes_back_with_its_provenance(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    jean = "n03594734"
    row = run_json(capsys, path, "link", "blue jeans", "--review-below", "0")
    assert row["concept"] == jean
    assert "blue jeans" in Store.open(path).concept(jean).lemmas
    assert run(capsys, path, "unlink", jean, "--name", "blue jeans", "--reason", "test")[0] == 0
    assert "blue jeans" not in Store.open(path).concept(jean).lemmas
    again = run_json(capsys, path, "link", "blue jeans")  # not that concept again on the linker's word alone
    assert again["concept"] == jean and again["score"] == 0.0 and again["review"] is not None
    assert "took 'blue jeans' back" in again["evidence"]["unlinked_before"]
    assert "blue jeans" not in Store.open(path).concept(jean).lemmas
    status, _, err = run(capsys, path, "unlink", jean, "--name", "jean")
    assert status == 2 and "WordNet's own name" in err
    status, _, err = run(capsys, path, "unlink", jean)
    assert status == 2 and "is a wordnet concept" in err
    linked = run_json(capsys, path, "link", *HOVERBOARD, "--review-below", "0")
    new, (parent,) = linked["concept"], linked["parents"]
    assert parent in BOARD_OR_WHEELED
    status, _, err = run(capsys, path, "unlink", parent)
    assert status == 2 and "wordnet concept" in err
    assert run(capsys, path, "unlink", new, "--reason", "a toy, not a board")[0] == 0
    with Store.open(path) as store:
        assert new not in store.graph and not store.search("hoverboard")
    history = run_json(capsys, path, "unlink", "--history")
    assert [(h["kind"], h["target"], h["reason"]) for h in history] == [
        ("concept", new, "a toy, not a board"), ("name", jean, "test")]
    assert history[0]["removed"]["edges"][0][1] == parent  # the edge as it was
    assert history[1]["removed"]["lemmas"][0][3] == "blue jeans"


def test_labels_set_and_unlink_survive_linking_the_set_again(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    run(capsys, path, "datasets", "link", "--dataset", "coco")
    kite = next(lb for lb in run_json(capsys, path, "labels", "coco", "--limit", "80") if lb["class_name"] == "kite")
    index = str(kite["class_index"])
    status, _, err = run(capsys, path, "labels", "set", "coco", index, "kite")
    assert status == 2 and "has 4 senses" in err  # a write does not guess among senses
    assert run(capsys, path, "labels", "set", "coco", index, KITE_TOY, "--reason", "the toy")[0] == 0
    assert run(capsys, path, "unlink", "--label", "coco", "41")[0] == 0
    status, _, err = run(capsys, path, "labels", "set", "coco", "9999", KITE_TOY)
    assert status == 2 and "valid: 0..79" in err
    status, _, err = run(capsys, path, "labels", "set", "cooc", "3", "kite")  # the class first, then the sense
    assert status == 2 and "no such dataset: 'cooc'" in err and "senses" not in err
    _, out, _ = run(capsys, path, "datasets", "link", "--dataset", "coco")
    assert "2 mapped by a person kept" in out
    assert run_json(capsys, path, "labels", "coco", index)[0]["concept"] == KITE_TOY
    assert run_json(capsys, path, "labels", "coco", "41")[0]["concept"] is None
    assert [h["target"] for h in run_json(capsys, path, "unlink", "--history")] == ["coco/41", f"coco/{index}"]

    # a threshold queues the unsure labels unmapped; accepting one maps it
    _, out, _ = run(capsys, path, "datasets", "link", "--dataset", "coco", "--review-below", "0.6")
    queued = run_json(capsys, path, "review", "--limit", "100")
    assert queued and f"{len(queued)} wait for review" in out and all(i["dataset"] == "coco" for i in queued)
    first = queued[0]
    label = run_json(capsys, path, "labels", "coco", str(first["class_index"]))[0]
    assert (label["concept"], label["method"]) == (None, "queued")
    run(capsys, path, "review", "accept", str(first["id"]))
    label = run_json(capsys, path, "labels", "coco", str(first["class_index"]))[0]
    assert (label["concept"], label["method"]) == (first["proposal"]["concept"], "review")
    _, out, _ = run(capsys, path, "datasets", "link", "--dataset", "coco", "--review-below", "0.6")
    assert "wait for review" not in out  # nothing queued twice


#: The tables each schema version added (the migrations/N.sql files).
ADDED = {5: ["review_queue", "unlinks"], 6: ["usage_domains"], 7: ["members"], 8: ["verb_acts"]}


@pytest.mark.parametrize("version", [4, 5, 6, 7])
def test_an_older_store_is_upgraded_in_place(tiny_store_path: Path, version: int) -> None:
    fresh = _schema(tiny_store_path)
    with sqlite3.connect(tiny_store_path) as conn:  # the store as that version wrote it
        for later in range(version + 1, db.SCHEMA_VERSION + 1):
            for table in ADDED[later]:
                conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        concepts = conn.execute("SELECT count(*) FROM concepts").fetchone()[0]
    before = _schema(tiny_store_path)
    with Store.open(tiny_store_path) as store:  # a read opens it: the upgrade is additive and atomic
        assert store.schema_version == db.SCHEMA_VERSION and len(store.graph) == concepts
        assert store.review_rows() == [] and list(store.table_rows("usage_domains")) == []
    assert _schema(tiny_store_path) == fresh != before


def test_a_failed_upgrade_leaves_the_store_as_it_was(tiny_store_path: Path) -> None:
    with sqlite3.connect(tiny_store_path) as conn:  # version 4 in its meta, but one table of 5 is there
        conn.execute("DROP TABLE review_queue")
        conn.execute("DROP TABLE usage_domains")
        conn.execute("DROP TABLE members")
        conn.execute("DROP TABLE verb_acts")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    before = _schema(tiny_store_path)
    with pytest.raises(StoreError, match="could not be upgraded to 8 .*unlinks already exists"):
        Store.open(tiny_store_path)
    assert _schema(tiny_store_path) == before  # the first step's table is not left behind
    with sqlite3.connect(tiny_store_path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("4",)


def test_an_upgraded_store_is_told_of_and_given_wordnet_s_relations(path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A store upgraded from before schema 7 and 8 has WordNet's member and verb tables empty, so
    that its taxon and activity labels link as they did before. `check` says so (W205); `check
    --repair` fills them from WordNet in place, and keeps what was linked."""
    linked = run_json(capsys, path, "link", "Nubian giraffe", "--visual")
    with sqlite3.connect(path) as conn:  # the tables as the migrations add them: empty
        conn.execute("DELETE FROM members")
        conn.execute("DELETE FROM verb_acts")
    report = run_json(capsys, path, "check", "--select", "W205")
    assert sorted(f["subject"] for f in report["findings"]) == ["members", "verb_acts"]
    with Store.open(path) as store:
        assert store.verb_acts("bike") == []
    status, out, _ = run(capsys, path, "check", "--repair", "--select", "W205")
    assert status == 0 and "filled members from WordNet" in out and "filled verb_acts from WordNet" in out
    assert "W205 a table of WordNet's relations is empty" in out and out.rstrip().endswith(": 0")
    with Store.open(path) as store:
        assert store.verb_acts("bike") == ["n00451370"] and store.empty_wordnet_tables() == []
        assert "n02411705" in store.members(next(c for c in store.senses("Ovis") if store.members(c)))  # sheep
        assert store.concepts([linked["concept"]])  # what was linked stays
    assert "filled" not in run(capsys, path, "check", "--repair", "--select", "W205")[1]  # nothing left to fill


def test_a_new_store_is_the_base_schema_and_every_migration(tiny_store_path: Path) -> None:
    """One source of truth: schema.sql is version 4; each later table is created by its migration only."""
    created = {name for name, _ in _schema(tiny_store_path)}
    for version, tables in ADDED.items():
        assert all(f"CREATE TABLE {t} (" in db.migration_sql(version) and t in created for t in tables)
        assert all(db.schema_sql().count(f"CREATE TABLE {t} (") == 1 for t in tables)


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def test_the_review_queue_through_the_api(path: Path) -> None:
    from tests.test_api import KEY, client_for

    client, key = client_for(path), {"X-API-Key": KEY}
    body = {"items": [{"name": "drone"}, {"name": "cell phone"}]}
    done = client.post("/link", json=body, headers=key).json()
    assert done["queued_for_review"] == 1 and done["committed"]
    assert [r["review"] for r in done["results"]] == [1, None]
    assert client.get("/review").json()[0]["proposal"]["concept"] == BEE
    assert client.post("/review/1/accept", json={"same": AIRCRAFT_DRONE}).status_code == 401  # a write needs a key
    accepted = client.post("/review/1/accept", json={"same": AIRCRAFT_DRONE}, headers=key).json()
    assert (accepted["status"], accepted["reviewer"], accepted["outcome"]["concept"]) == ("accepted", "ann",
                                                                                         AIRCRAFT_DRONE)
    again = client.post("/review/1/reject", json={}, headers=key)
    assert again.status_code == 409 and "accepted already" in again.json()["error"]["message"]
    assert client.get("/review/7").status_code == 404
    assert client.post("/review/1/accept", json={"same": "x", "under": ["y"]}, headers=key).status_code == 422
    every = client.post("/link", json={**body, "review_below": 0}, headers=key).json()
    assert every["queued_for_review"] == 0 and client.get("/review").json() == []

    set_label = client.put("/datasets/imagenet1k/labels/0", json={"concept": KITE_TOY, "reason": "test"},
                           headers=key)
    assert set_label.status_code == 200 and (set_label.json()["concept"], set_label.json()["method"]) == (
        KITE_TOY, "manual")
    assert client.get("/datasets/imagenet1k/labels/0").json()["concept"] == KITE_TOY
    unmapped = client.put("/datasets/imagenet1k/labels/0", json={"concept": None}, headers=key).json()
    assert (unmapped["concept"], unmapped["method"]) == (None, "unlinked")
    assert client.put("/datasets/imagenet1k/labels/5000", json={"concept": KITE_TOY}, headers=key).status_code == 404
    assert client.put("/datasets/imagenet1k/labels/0", json={"concept": "n0000"}, headers=key).status_code == 404
