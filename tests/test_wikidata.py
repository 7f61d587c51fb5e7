"""The Wikidata import against a real SPARQL server (Oxigraph on loopback) and a misbehaving one."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomy import InputError, Store
from taxonomy.cli import main
from taxonomy.wikidata import EndpointError, SparqlClient, import_wikidata
from taxonomy.wikidata.queries import details, validate_qid
from tests.conftest import FIXTURES, copy_store
from tests.sparql import Misbehaving, oxigraph_server

pytestmark = pytest.mark.slow
ANSWER = {"head": {"vars": ["item", "parent"]}, "results": {"bindings": [
    {"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q2"},
     "parent": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1"}}]}}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(FIXTURES / "wikidata_dogs.ttl", tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture()
def store(writable_store: Store) -> Store:
    return writable_store


@pytest.fixture()
def client(endpoint: str, tmp_path: Path) -> SparqlClient:
    return SparqlClient(endpoint, cache_dir=tmp_path / "cache", timeout=10, retries=1, backoff=0.01)


def test_import_maps_cleans_and_merges(store: Store, client: SparqlClient) -> None:
    report = import_wikidata(store, client, ["Q144"], depth=3)
    assert report.mapped == {"p8814": 3, "store": 1, "oewn": 0}  # Q144, Q38686, Q990000099; Q38774
    assert report.dropped == {"category": 1, "disambiguation": 1, "list": 1, "metaclass": 1}
    assert report.cycles_broken == 1
    assert report.shortcuts_removed == 2  # shortcut hound -> dog; working test dog -> animal
    assert (report.held_for_review, report.unanchored) == (0, 0)
    assert report.new_concepts == 33
    graph = store.graph
    assert graph.parents("Q990000001") == ["n02084071"]  # test hound under dog
    assert graph.parents("Q990000002") == ["Q990000001"]  # P279 edges kept among new items
    assert graph.parents("Q990000003") == ["n02087122"]  # under hunting dog, mapped by its QID
    assert graph.parents("Q990000031") == ["Q990000001"]
    assert graph.parents("Q990000041") == ["n02084071"]
    assert graph.is_a("Q990000002", "n00015388")
    for dropped in ("Q990000011", "Q990000012", "Q990000013", "Q990000014", "Q990000042"):
        assert dropped not in graph
    assert {tuple(graph.parents("Q990000021")), tuple(graph.parents("Q990000022"))} in (
        {("n02084071",), ("Q990000021",)}, {("n02084071", "Q990000022"), ()})


def test_an_item_with_a_wordnet_id_is_that_concept(store: Store, client: SparqlClient) -> None:
    import_wikidata(store, client, ["Q144"])
    assert "Q144" not in store.graph and "Q990000099" not in store.graph
    assert "Q990000099" in store.concept("n02084732").external_ids["wikidata"]  # pooch, through P8814
    assert ("zh", "金毛寻回犬", "wikidata") in store.translations("n02099601")


def test_new_concepts_carry_labels_translations_and_provenance(store: Store, client: SparqlClient) -> None:
    report = import_wikidata(store, client, ["Q144"])
    hound = store.concept("Q990000001")
    assert (hound.name, hound.gloss, hound.source) == ("test hound", "a synthetic dog type", "wikidata")
    assert hound.external_ids["wikidata"] == ("Q990000001",)
    assert ("zh", "测试猎犬", "wikidata") in store.translations("Q990000001")
    assert ("es", "sabueso de prueba", "wikidata") in store.translations("Q990000001")
    edge = store.edges("Q990000001")[0]
    assert (edge.kind, edge.method) == ("subclass_of", "wikidata")
    assert client.endpoint in (edge.evidence or "")
    assert edge.source_version == f"wikidata as of {report.as_of}"
    assert report.as_of[:4].isdigit()


def test_hostile_literals_are_stored_as_text(store: Store, client: SparqlClient) -> None:
    report = import_wikidata(store, client, ["Q144"])
    evil = store.concept("Q990000051")
    assert evil.name == 'evil " } ; DROP ALL ; <script>alert(1)</script> dog'  # the bell is gone
    assert evil.gloss == 'x" } INSERT DATA { wd:Q1 wdt:P279 wd:Q2 } #'
    assert report.cleaned_literals >= 1
    assert "Q1" not in store.graph and "Q2" not in store.graph


def test_importing_again_changes_nothing(store: Store, client: SparqlClient, endpoint: str, tmp_path: Path) -> None:
    first = import_wikidata(store, client, ["Q144"])
    assert first.new_concepts > 0
    digest = hashlib.sha256(store.path.read_bytes()).hexdigest()
    again = import_wikidata(store, client, ["Q144"])
    assert (again.new_concepts, again.new_edges, again.new_names) == (0, 0, 0)
    assert again.cached_answers == again.requests == client.requests and again.cached_answers > 0
    fresh = SparqlClient(endpoint, use_cache=False)  # fetched anew, with a later as-of date
    assert import_wikidata(store, fresh, ["Q144"]).new_edges == 0
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == digest


def test_a_big_subtree_is_held_for_review(store: Store, client: SparqlClient) -> None:
    report = import_wikidata(store, client, ["Q144"], max_descendants=10)
    assert report.held_for_review == 1
    assert report.unanchored == 25  # the big family, left out until someone reviews the edge
    held = store.held_edges()
    assert [(c, p, n) for c, p, _, n, _, _ in held] == [("Q990000060", "n02084071", 25)]
    assert "Q990000060" not in store.graph


def test_a_root_that_reaches_nothing_is_unanchored(store: Store, client: SparqlClient) -> None:
    report = import_wikidata(store, client, ["Q144", "Q990000090"])
    assert report.unanchored == 2
    assert "Q990000090" not in store.graph and "Q990000091" not in store.graph


def test_dry_run_writes_nothing(store: Store, client: SparqlClient) -> None:
    digest = hashlib.sha256(store.path.read_bytes()).hexdigest()
    report = import_wikidata(store, client, ["Q144"], dry_run=True)
    assert report.new_concepts == 33 and report.dry_run
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == digest


def test_batches_use_values_blocks(store: Store, endpoint: str, tmp_path: Path) -> None:
    small = SparqlClient(endpoint, use_cache=False)
    import_wikidata(store, small, ["Q144"], batch_size=5)
    big = SparqlClient(endpoint, use_cache=False)
    import_wikidata(Store.open(store.path), big, ["Q144"], batch_size=500, dry_run=True)
    assert small.requests > big.requests


def test_the_cli_imports_and_refuses_bad_qids(wordnet_store_path: Path, endpoint: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    copy = copy_store(wordnet_store_path, tmp_path)
    argv = ["wikidata", "import", "--root", "Q144", "--endpoint", endpoint, "--store", str(copy), "--no-cache"]
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["new_concepts"] == 33
    assert main(argv) == 0
    assert "added 0 concepts, 0 edges" in capsys.readouterr().out
    assert main(["wikidata", "import", "--root", "Q1 } DROP", "--store", str(copy)]) == 2
    assert "not a Wikidata item id: 'Q1 } DROP'" in capsys.readouterr().err
    assert main(["wikidata", "held", "--store", str(copy)]) == 0
    assert "no edges held" in capsys.readouterr().out


def test_qids_are_validated_before_they_reach_a_query() -> None:
    assert validate_qid("Q144") == "Q144"
    assert validate_qid("http://www.wikidata.org/entity/Q729") == "Q729"
    for bad in ("Q0", "q144", "Q144 }", "Q1>", "P279", "", "Q" + "1" * 20):
        with pytest.raises(InputError, match="not a Wikidata item id"):
            validate_qid(bad)
    with pytest.raises(InputError):
        details(["Q1", 'Q2" } DROP ALL'])


# ---------------------------------------------------------------------- a misbehaving endpoint
@pytest.fixture()
def bad_endpoint() -> Iterator[Misbehaving]:
    server = Misbehaving()
    yield server
    server.close()


def quick_client(server: Misbehaving, tmp_path: Path, **options: object) -> tuple[SparqlClient, list[float]]:
    slept: list[float] = []
    settings: dict[str, object] = {"timeout": 2, "retries": 2, "backoff": 0.01, "cache_dir": tmp_path / "c"}
    settings.update(options)
    client = SparqlClient(server.url, sleep=slept.append, **settings)  # type: ignore[arg-type]
    return client, slept


def test_429_and_503_honour_retry_after(bad_endpoint: Misbehaving, tmp_path: Path) -> None:
    bad_endpoint.script = [(429, {"Retry-After": "7"}, b"slow down", 0), (503, {"Retry-After": "3"}, b"", 0),
                           (200, {}, json.dumps(ANSWER).encode(), 0)]
    client, slept = quick_client(bad_endpoint, tmp_path)
    answer = client.select("SELECT * WHERE { ?item ?p ?parent }")
    assert answer.rows == [{"item": "http://www.wikidata.org/entity/Q2", "parent": "http://www.wikidata.org/entity/Q1"}]
    assert slept == [7.0, 3.0]
    agent = bad_endpoint.requests[0]["user-agent"]
    assert agent.startswith("taxonomy-labels/") and "SPARQLWrapper/" in agent and "(" in agent


def test_errors_are_clear_and_retries_bounded(bad_endpoint: Misbehaving, tmp_path: Path) -> None:
    bad_endpoint.script = [(503, {}, b"", 0)] * 3
    client, slept = quick_client(bad_endpoint, tmp_path)
    with pytest.raises(EndpointError, match="HTTP 503 .* after 3 tries"):
        client.select("SELECT 1")
    assert slept == [0.01, 0.02]
    bad_endpoint.script = [(400, {}, b"syntax error", 0)]
    with pytest.raises(EndpointError, match="refused the query"):
        client.select("SELECT 2")
    bad_endpoint.script = [(200, {}, b"{not json", 0)]
    with pytest.raises(EndpointError, match="malformed JSON"):
        client.select("SELECT 3")
    bad_endpoint.script = [(200, {}, b'{"head": {}, "results": 5}', 0)]
    with pytest.raises(EndpointError, match="not SPARQL results"):
        client.select("SELECT 4")


def test_a_timeout_is_reported(bad_endpoint: Misbehaving, tmp_path: Path) -> None:
    bad_endpoint.script = [(200, {}, json.dumps(ANSWER).encode(), 3)] * 2
    client, _ = quick_client(bad_endpoint, tmp_path, timeout=1, retries=1)
    with pytest.raises(EndpointError, match="did not answer .* after 2 tries"):
        client.select("SELECT 5")


def test_a_dripping_or_huge_answer_is_cut_off(bad_endpoint: Misbehaving, tmp_path: Path) -> None:
    body = json.dumps(ANSWER).encode()
    bad_endpoint.script, bad_endpoint.drip = [(200, {}, body, 0)], 0.05  # 0.05 s a byte: ~10 s in all
    client, _ = quick_client(bad_endpoint, tmp_path, timeout=1, retries=0)
    started = time.monotonic()
    with pytest.raises(EndpointError, match="did not answer .the answer took longer than 1 s"):
        client.select("SELECT 6")
    assert time.monotonic() - started < 2.5
    bad_endpoint.drip = 0.0
    row = {"x": {"type": "literal", "value": "y" * 5000}}
    big = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [row]}})
    bad_endpoint.script = [(200, {}, big.encode(), 0)]
    client, _ = quick_client(bad_endpoint, tmp_path, max_bytes=1000)
    with pytest.raises(EndpointError, match="answered more than 1,000 bytes"):
        client.select("SELECT 7")


def test_answers_are_cached_with_their_date(bad_endpoint: Misbehaving, tmp_path: Path) -> None:
    bad_endpoint.script = [(200, {}, json.dumps(ANSWER).encode(), 0)]
    client, _ = quick_client(bad_endpoint, tmp_path)
    first = client.select("SELECT 6")
    second = client.select("SELECT 6")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.fetched_at == first.fetched_at and second.rows == first.rows
    assert len(bad_endpoint.requests) == 1


def test_a_failing_endpoint_leaves_the_store_untouched(store: Store, bad_endpoint: Misbehaving,
                                                       tmp_path: Path) -> None:
    digest = hashlib.sha256(store.path.read_bytes()).hexdigest()
    bad_endpoint.script = [(200, {}, json.dumps(ANSWER).encode(), 0), (500, {}, b"", 0), (500, {}, b"", 0),
                           (500, {}, b"", 0)]
    client, _ = quick_client(bad_endpoint, tmp_path, use_cache=False)
    with pytest.raises(EndpointError):
        import_wikidata(store, client, ["Q1"])
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == digest


def test_malformed_rows_are_counted_not_fatal(store: Store, bad_endpoint: Misbehaving, tmp_path: Path) -> None:
    junk = {"head": {}, "results": {"bindings": [
        {"item": {"type": "literal", "value": "not a uri"}, "parent": {"type": "uri", "value": "x"}},
        {"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q990000001"},
         "parent": {"type": "uri", "value": "http://www.wikidata.org/entity/Q144"}}]}}
    bad_endpoint.script = [(200, {}, json.dumps(junk).encode(), 0)] * 20
    client, _ = quick_client(bad_endpoint, tmp_path, use_cache=False)
    report = import_wikidata(store, client, ["Q144"], depth=1, dry_run=True)
    assert report.malformed_rows > 0
