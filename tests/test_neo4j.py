"""Neo4j as the shared graph store, against a real Neo4j 5.26 server on loopback.

One server serves the module; each test syncs the store it needs first (a sync only writes
the difference, so moving between similar stores is cheap, and that is tested too).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from taxonomy import subsets
from taxonomy.cli import main
from taxonomy.errors import InputError, StoreError, TaxonomyError
from taxonomy.formats import export, import_file
from taxonomy.graphdb import cypher
from taxonomy.graphdb.connection import Target, connect
from taxonomy.graphdb.store import Neo4jStore
from taxonomy.graphdb.sync import SyncReport, sync
from taxonomy.linking.datasets import dataset_reports
from taxonomy.reading import LabelReader
from taxonomy.store import Store
from taxonomy.tags import tags, vote
from taxonomy.views import concept_view
from tests.conftest import copy_store
from tests.neo4j_server import Neo4jServer, neo4j_server

Query = tuple[str, Callable[[LabelReader], object]]
ANIMALS = 4_017  # concepts under animal, itself included


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    with neo4j_server(tmp_path_factory.mktemp("neo4j")) as running:
        yield running


@pytest.fixture(scope="module")
def animal_store_path(wordnet_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The WordNet subtree under animal, as its own store (a Bamboo JSON export imported)."""
    folder = tmp_path_factory.mktemp("animals")
    with Store.open(wordnet_store_path) as store:
        export(store, "bamboo-json", folder / "animals.json", root="n00015388")
    import_file(folder / "animals.sqlite", "bamboo-json", folder / "animals.json")
    return folder / "animals.sqlite"


@pytest.fixture()
def password(server: Neo4jServer, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    return server.password


SYNCED: dict[str, str] = {}  # what the module's server holds: "path" -> the store last synced into it


def sync_store(path: Path, server: Neo4jServer, **options: Any) -> SyncReport:
    os.environ["NEO4J_PASSWORD"] = server.password
    target = Target.parse(server.uri)
    with Store.open(path) as store:
        driver = connect(target)
        try:
            report = sync(store, driver, target, **options)
        finally:
            driver.close()
    SYNCED["path"] = str(path)
    return report


def holding(path: Path, server: Neo4jServer) -> None:
    """Make the server hold the store at ``path`` (a sync, unless the last one was of it: comparing
    82,115 concepts with what Neo4j holds takes seconds)."""
    if SYNCED.get("path") != str(path):
        sync_store(path, server)


def written(report: SyncReport) -> dict[str, tuple[int, int, int]]:
    return {kind: (r.added, r.changed, r.deleted) for kind, r in report.kinds.items() if r.written}


def outcome(reader: LabelReader, query: Callable[[LabelReader], object]) -> object:
    """What a query answers, as plain data, or the error it raises (kind and message)."""
    try:
        return _plain(query(reader))
    except TaxonomyError as error:
        return ("error", type(error).__name__, str(error))


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def parity_queries(store: Store, seed: int) -> list[Query]:
    """Random reads of every kind, on random concepts, names, pairs and label indices."""
    rng = random.Random(seed)
    ids = rng.sample(store.graph.ids, 90)
    queries: list[Query] = []
    for c in ids:
        queries += [
            ("view", lambda s, c=c: concept_view(s, c)),
            ("concept", lambda s, c=c: s.concept(c)),
            ("parents", lambda s, c=c: s.graph.parents(c)),
            ("children", lambda s, c=c: s.graph.children(c)),
            ("ancestors", lambda s, c=c: s.graph.ancestors(c)),
            ("descendants", lambda s, c=c: s.graph.descendants(c, limit=25)),
            ("descendants-inclusive", lambda s, c=c: s.graph.descendants(c, inclusive=True, limit=10)),
            ("descendant-count", lambda s, c=c: s.graph.descendant_count(c)),
            ("paths", lambda s, c=c: s.graph.paths_to_root(c)),
            ("related", lambda s, c=c: s.graph.related(c)[:200]),
            ("depths", lambda s, c=c: (s.graph.depth(c), s.graph.max_depth(c))),
            ("tags", lambda s, c=c: {q: t.as_dict() for q, t in tags(s, c).items()}),
            ("edges", lambda s, c=c: s.edges(c)),
            ("translations", lambda s, c=c: s.translations(c)),
            ("labels-of", lambda s, c=c: s.labels_of(c)),
        ]
    for _ in range(120):
        a, b = rng.sample(store.graph.ids, 2)
        queries += [("lca", lambda s, a=a, b=b: s.graph.lowest_common_ancestors(a, b)),
                    ("is-a", lambda s, a=a, b=b: s.graph.is_a(a, b))]
    for c in ids[:60]:
        ups = store.graph.ancestors(c)
        if ups:
            up = rng.choice(ups)
            queries += [("is-a-true", lambda s, c=c, up=up: s.graph.is_a(c, up)),
                        ("lca-ancestor", lambda s, c=c, up=up: s.graph.lowest_common_ancestors(c, up))]
    for concept in store.concepts(ids[:60]):
        name = rng.choice(concept.lemmas or (concept.name,))
        middle = name[1:4] if len(name) > 4 else name
        queries += [
            ("senses", lambda s, n=name: s.senses(n)),
            ("resolve", lambda s, n=name: s.resolve(n)),
            ("search", lambda s, n=name: [(c.id, m, r) for c, m, r in s.search(n, 10)]),
            ("search-substring", lambda s, n=middle: [(c.id, m, r) for c, m, r in s.search(n, 15)]),
            ("misspelled", lambda s, n=name: s.resolve(n[:-1] + "q" + n[-1:])),
        ]
    for dataset, size in (("imagenet1k", 1000), ("imagenet21k", 21843)):
        for _ in range(20):
            start = rng.randrange(size)
            queries += [("labels", lambda s, d=dataset, i=start: s.labels(d, i, 5)),
                        ("label", lambda s, d=dataset, i=start: s.label(d, i))]
    queries += [
        ("unknown-id", lambda s: s.concept("n0208407")),
        ("unknown-ancestors", lambda s: s.graph.ancestors("n9999999x")),
        ("unknown-is-a", lambda s: s.graph.is_a("n02084071", "nope")),
        ("unknown-name", lambda s: s.resolve("dogz")),
        ("unknown-dataset", lambda s: s.labels("imagenet2k")),
        ("label-out-of-range", lambda s: s.label("imagenet1k", 1000)),
        ("label-concepts", lambda s: s.label_concepts("imagenet1k")),
        ("datasets", lambda s: s.datasets()),
        ("roots", lambda s: s.graph.roots()),
        ("stats", lambda s: {k: v for k, v in s.stats().items() if k != "path"}),
        ("close-names", lambda s: s.close_names("elefant")),
        ("search-empty", lambda s: s.search("   ")),
        ("priors-visual", lambda s: s.priors("visual")),
        ("prior-rows", lambda s: sorted(s.prior_rows().items())[:: 997]),
        ("tallies", lambda s: (s.vote_tallies("visual"), s.vote_tallies("common"))),
        ("given", lambda s: (s.given_decisions("visual"), s.given_decisions("common"))),
        ("bad-question", lambda s: s.priors("colour")),
        ("subsets", lambda s: s.subsets()),
        ("subset-missing", lambda s: subsets.get(s, "nope")),
        ("reports", lambda s: s.import_reports("")),
    ]
    return queries


def assert_same_answers(embedded: Store, neo4j: Neo4jStore, queries: list[Query]) -> None:
    differences = []
    for kind, query in queries:
        expected, got = outcome(embedded, query), outcome(neo4j, query)
        if expected != got:
            differences.append(f"{kind}: embedded {expected!r:.300}\n   neo4j    {got!r:.300}")
    assert not differences, f"{len(differences)} of {len(queries)} answers differ:\n" + "\n".join(differences[:10])


# ---------------------------------------------------------------------- sync
def test_a_full_sync_writes_everything_with_constraints_and_a_second_writes_nothing(
        server: Neo4jServer, wordnet_store_path: Path, password: str) -> None:
    report = sync_store(wordnet_store_path, server)
    with Store.open(wordnet_store_path) as store:
        stats = store.stats()
        votes = len(list(store.table_rows("votes")))
    assert report.kinds["concepts"].added + report.kinds["concepts"].unchanged == stats["concepts"] == 82_115
    assert report.kinds["edges"].added + report.kinds["edges"].unchanged == stats["edges"] == 84_427
    assert sum(r.added + r.unchanged for k, r in report.kinds.items() if k == "labels") == stats["dataset_labels"]
    assert report.kinds["votes"].added + report.kinds["votes"].unchanged == votes

    with Neo4jStore.open(server.uri) as neo4j:
        names = {r["name"] for r in neo4j.run("SHOW CONSTRAINTS YIELD name")}
        indexes = {r["name"]: r["type"] for r in neo4j.run("SHOW INDEXES YIELD name, type")}
        assert {"concept_id", "lemma_key", "dataset_name", "label_key", "annotator_name"} <= names
        assert indexes["lemma_norm_text"] == "TEXT" and indexes["lemma_norm"] == "RANGE"
        assert neo4j.meta["sync_state"] == "complete"
        assert neo4j.graph_version == Store.open(wordnet_store_path).graph_version

    again = sync_store(wordnet_store_path, server)
    assert written(again) == {}
    assert again.kinds["concepts"].unchanged == 82_115


def test_neo4j_answers_1000_random_reads_as_the_embedded_store_does(
        server: Neo4jServer, wordnet_store_path: Path, password: str) -> None:
    holding(wordnet_store_path, server)
    queries = parity_queries(Store.open(wordnet_store_path), seed=7)
    assert len(queries) >= 1000
    with Store.open(wordnet_store_path) as embedded, Neo4jStore.open(server.uri) as neo4j:
        assert_same_answers(embedded, neo4j, queries)


def test_a_resync_applies_only_the_difference(server: Neo4jServer, wordnet_store_path: Path, tmp_path: Path,
                                              password: str) -> None:
    holding(wordnet_store_path, server)
    changed = copy_store(wordnet_store_path, tmp_path)
    hostile = "Robert'); MATCH (n) DETACH DELETE n; //"
    quoted = 'say "cheese" \\ {x: $y}'
    with Store.open(changed, write=True) as store:
        store.merge(
            [{"id": "x0badc0ffee01", "name": hostile, "lemmas": [hostile, quoted], "gloss": "a name with Cypher in it",
              "lexname": None, "source": "test", "names": {"es": ["perro raro"]}, "names_source": "test",
              "external_ids": {"wikidata": ["Q1"]}}],
            [{"child": "x0badc0ffee01", "parent": "n02084071", "kind": "linked", "method": "test", "score": 0.5}])
        vote(store, "n02084071", "ann1", {"visual": 1, "common": 1})
        vote(store, "n02084071", "ann2", {"visual": 1})
        with store.transaction() as writes:  # a concept loses one of its two parents
            assert writes.remove_edge("n02084071", "n01317541")
        subsets.create(store, "dogs", "dataset=imagenet1k", under="dog")
        with store.transaction(structure=False) as writes:
            writes.log_import("datasets:test", '{"classes": 2, "note": "quoted \\"x\\""}')
        subsets.create(store, "dogs", "visual=1", under="dog")  # the newest: the store has not changed since
    report = sync_store(changed, server)
    kinds = written(report)
    assert kinds["edges"] == (1, 0, 1)
    assert kinds["votes"] == (3, 0, 0)
    assert kinds["subsets"] == (2, 0, 0) and kinds["imports"] == (1, 0, 0)
    added, updated, deleted = kinds["concepts"]
    # The new concept, and dog with everything below it whose longest path to the root shrank
    assert (added, deleted) == (1, 0)
    assert 1 <= updated <= 200

    with Store.open(changed) as embedded, Neo4jStore.open(server.uri) as neo4j:
        assert neo4j.resolve(hostile) == ["x0badc0ffee01"] == neo4j.resolve(quoted)
        assert neo4j.concept("x0badc0ffee01").lemmas == (hostile, quoted)
        assert neo4j.stats()["concepts"] == 82_116  # nothing was deleted by the name
        queries: list[Query] = [
            ("view", lambda s: concept_view(s, "x0badc0ffee01")),
            ("dog", lambda s: concept_view(s, "n02084071")),
            ("tags", lambda s: {q: t.as_dict() for q, t in tags(s, "n02084071").items()}),
            ("ancestors", lambda s: s.graph.ancestors("x0badc0ffee01")),
            ("paths", lambda s: s.graph.paths_to_root("n02085620")),
            ("search", lambda s: [(c.id, m, r) for c, m, r in s.search("cheese")]),
            ("search-hostile", lambda s: [(c.id, m, r) for c, m, r in s.search("detach delete")]),
            ("subset-dogs", lambda s: subsets.get(s, "dogs", 1)),
            ("subset-members", lambda s: subsets.members(s, subsets.get(s, "dogs"))),
            ("subset-unknown-version", lambda s: subsets.get(s, "dogs", 3)),
            ("subset-current", lambda s: subsets.is_current(s, subsets.get(s, "dogs"))),
            ("dataset-reports", lambda s: dataset_reports(s)),
            *parity_queries(embedded, seed=3)[:300],
        ]
        assert_same_answers(embedded, neo4j, queries)
        # an older version: the embedded store computes it again, Neo4j cannot tell
        assert subsets.is_current(embedded, subsets.get(embedded, "dogs", 1)) is True
        assert subsets.is_current(neo4j, subsets.get(neo4j, "dogs", 1)) is None
    commands = [["subset", "list"], ["subset", "show", "dogs"], ["datasets"],
                ["queries", "--subset", "dogs", "-o", str(tmp_path / "q.jsonl")]]
    urls = ["/subsets", "/subsets/dogs?version=1", "/subsets/dogs/members?limit=5", "/subsets/cats"]
    assert_cli_and_api_agree(changed, server, commands, urls)

    assert written(sync_store(changed, server)) == {}
    back = written(sync_store(wordnet_store_path, server))  # and back: the reverse difference
    assert back["edges"] == (1, 0, 1) and back["votes"] == (0, 0, 3) and back["concepts"][2] == 1
    assert back["subsets"] == (0, 0, 2) and back["imports"] == (0, 0, 1)


# ---------------------------------------------------------------------- the CLI and the API read Neo4j
def test_the_cli_reads_from_neo4j(server: Neo4jServer, wordnet_store_path: Path, password: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    holding(wordnet_store_path, server)
    commands = [["show", "dog"], ["show", "n02084071"], ["ancestors", "dog"], ["descendants", "dog", "--limit", "7"],
                ["path", "n02085620"], ["lca", "dog", "cat"], ["is-a", "dog", "animal"], ["search", "golden"],
                ["labels", "imagenet1k", "207"], ["tags", "dog"], ["related", "poodle", "--limit", "5"]]
    for command in commands:
        outputs = []
        for store in (str(wordnet_store_path), server.uri):
            status = main(["--json", "--store", store, *command])
            outputs.append((status, *capsys.readouterr()))
        assert outputs[0] == outputs[1], command
        assert outputs[0][0] == 0
    status = main(["--store", server.uri, "vote", "n02084071", "--visual", "yes", "--annotator", "a"])
    assert status == 2
    assert "needs the embedded store" in capsys.readouterr().err


def test_the_api_reads_from_neo4j(server: Neo4jServer, wordnet_store_path: Path, password: str) -> None:
    holding(wordnet_store_path, server)
    embedded, neo4j = TestClient(create_app(wordnet_store_path)), TestClient(create_app(server.uri))
    for url in ["/concepts/n02084071", "/concepts/n02084071/parents", "/concepts/n02084071/children?limit=5",
                "/concepts/n02084071/ancestors", "/concepts/n00015388/descendants?offset=10&limit=20",
                "/concepts/n02085620/paths", "/concepts/n02084071/related?limit=30",
                "/concepts/n02084071/is-a/n00015388", "/concepts/n02084071/lca/n02121808",
                "/search?q=retriever", "/search?q=dogg", "/datasets",
                "/datasets/imagenet21k/labels?offset=2000&limit=5", "/datasets/imagenet1k/labels/207",
                "/concepts/n02084071/tags", "/concepts/n02084071/queries",
                "/concepts/n0208407", "/datasets/nope/labels"]:
        a, b = embedded.get(url), neo4j.get(url)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), url
    refused = neo4j.post("/subsets", json={"name": "x", "where": "visual=1"}, headers={"X-API-Key": "k"})
    assert refused.status_code in (401, 501)


def assert_cli_and_api_agree(path: Path, server: Neo4jServer, commands: list[list[str]], urls: list[str]) -> None:
    """The CLI and the API answer the same from the embedded store at ``path`` and from Neo4j."""
    for command in commands:
        outputs = []
        for store in (str(path), server.uri):
            with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
                status = main(["--json", "--store", store, *command])
            written_file = Path(command[command.index("-o") + 1]).read_text() if "-o" in command else None
            outputs.append((status, out.getvalue(), err.getvalue(), written_file))
        assert outputs[0] == outputs[1], command
        assert outputs[0][0] == 0, outputs[0]
    embedded, neo4j = TestClient(create_app(path)), TestClient(create_app(server.uri))
    for url in urls:
        a, b = embedded.get(url), neo4j.get(url)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), url


# ---------------------------------------------------------------------- bad input
def test_bad_credentials_a_down_server_and_bad_uris_get_clear_errors(
        server: Neo4jServer, wordnet_store_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    with pytest.raises(StoreError, match="refused user 'neo4j': wrong user or password"):
        Neo4jStore.open(server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    with pytest.raises(StoreError, match="no Neo4j server answers at neo4j://127.0.0.1:1 .*is it running"):
        Neo4jStore.open("neo4j://127.0.0.1:1")
    with pytest.raises(StoreError, match="has no database 'other'"):
        Neo4jStore.open(server.uri + "/other")
    with pytest.raises(InputError, match="not in the URI"):
        Target.parse("neo4j://neo4j:secret@localhost:7687")
    with pytest.raises(InputError, match="bad port"):
        Target.parse("neo4j://localhost:port")
    monkeypatch.delenv("NEO4J_PASSWORD")
    with pytest.raises(InputError, match=r"in \$NEO4J_PASSWORD"):
        Neo4jStore.open(server.uri)

    monkeypatch.setenv("WRONG", "nope-nope")
    status = main(["neo4j", "sync", "--store", str(wordnet_store_path), "--uri", server.uri, "--password-env", "WRONG"])
    error = capsys.readouterr().err
    assert status == 2 and "wrong user or password (the password is read from $WRONG)" in error
    assert "Traceback" not in error


def test_no_cypher_is_built_from_values() -> None:
    """Every statement the package runs is a constant of taxonomy.graphdb.cypher, never text made at run time."""
    package = Path(__file__).resolve().parent.parent / "taxonomy" / "graphdb"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "run", "execute_query") and node.args:
                statement = node.args[0]
                if isinstance(statement, ast.Subscript):  # cypher.UPSERT[kind]
                    statement = statement.value
                where = f"{source.name}:{node.lineno}"
                assert isinstance(statement, ast.Attribute | ast.Name), f"{where} runs text made at run time"
                if isinstance(statement, ast.Attribute):
                    assert isinstance(statement.value, ast.Name) and statement.value.id == "cypher", \
                        f"{where} runs a statement that is not in cypher.py"


def test_an_interrupted_sync_runs_again_cleanly(server: Neo4jServer, animal_store_path: Path,
                                                password: str) -> None:
    """Last in the module: it leaves Neo4j holding the animal subtree (4,017 concepts), which is
    enough batches to kill a sync in the middle of and cheap to write again."""
    SYNCED.clear()
    with Neo4jStore.open(server.uri) as neo4j:  # start from an empty database
        with neo4j._driver.session() as session:  # CALL IN TRANSACTIONS needs an auto-commit transaction
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
        with pytest.raises(StoreError, match="holds no label system; fill it with 'taxonomy neo4j sync'"):
            Neo4jStore.open(server.uri)
        command = [sys.executable, "-c", "from taxonomy.cli import run; run()", "neo4j", "sync",
                   "--store", str(animal_store_path), "--uri", server.uri, "--batch", "100"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while neo4j.run("MATCH (c:Concept) RETURN count(c) AS n")[0]["n"] < 1_000:
            alive = process.poll() is None and time.monotonic() < deadline
            assert alive, process.stderr.read() if process.stderr else ""
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert neo4j.run(cypher.READ_META)[0]["meta"]["sync_state"] == "running"
        # A batch whose commit reached the server before the kill still lands after it: count
        # once the server has finished with the dead client's last transaction.
        def count() -> int:
            return int(neo4j.run("MATCH (c:Concept) RETURN count(c) AS n")[0]["n"])
        previous, done = -1, count()
        while done != previous:
            time.sleep(1.0)
            previous, done = done, count()
        assert 1_000 <= done < ANIMALS

    report = sync_store(animal_store_path, server)
    assert report.kinds["concepts"].added == ANIMALS - done  # the batches that had landed are not sent again
    assert report.kinds["concepts"].unchanged == done
    with Store.open(animal_store_path) as embedded, Neo4jStore.open(server.uri) as neo4j:
        assert neo4j.meta["sync_state"] == "complete"
        assert_same_answers(embedded, neo4j, parity_queries(embedded, seed=11)[:400])


def test_the_sync_reads_the_tables_of_a_concept_side_by_side_with_the_concepts() -> None:
    """A sync streams concepts and their names, glosses, ids and priors in concept order (a
    merge join) instead of holding every table of a store of millions in dicts."""
    from taxonomy.graphdb.sync import _ByConcept

    rows = _ByConcept(iter([("a", 1), ("a", 2), ("b0", 3), ("c", 4), ("e", 5)]))
    assert rows.of("a") == [("a", 1), ("a", 2)]
    assert rows.of("b") == []  # "b0" is later
    assert rows.of("c") == [("c", 4)]  # the orphan "b0" is passed over
    assert rows.of("d") == [] and rows.of("e") == [("e", 5)] and rows.of("f") == []
