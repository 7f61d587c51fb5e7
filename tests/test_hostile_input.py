"""Hostile input gets a clear error and a bad row stays a bad row: deeply nested JSON everywhere
JSON comes in (an import, rows of a file, a SPARQL answer, a gold file)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from taxonomy.cli import main
from taxonomy.errors import InputError
from taxonomy.files import read_rows
from taxonomy.linking.gold import read_gold
from tests.sparql import free_port

DEEP = "[" * 100_000 + "]" * 100_000


def test_a_deep_import_is_refused_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, store = tmp_path / "deep.json", tmp_path / "new.sqlite"
    source.write_text('{"id2name": ' + DEEP + "}", encoding="utf-8")
    assert main(["import", str(source), "--store", str(store)]) == 2
    assert "nests its JSON too deeply" in capsys.readouterr().err
    assert not store.exists()


def test_a_deep_row_is_one_bad_row(tiny_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"query": "dog", "predictions": ["corgi"]}) + "\n" + DEEP + "\n"
                    + json.dumps({"query": "dog", "predictions": ["pet"]}) + "\n", encoding="utf-8")
    assert [r if isinstance(r, str) else "row" for _, r in read_rows(rows, [])] == [
        "row", "JSON nested too deeply", "row"]
    out = tmp_path / "decisions.jsonl"
    assert main(["ood", "classify", str(rows), "-o", str(out), "--store", str(tiny_store_path)]) == 0
    assert [json.loads(line)["line"] for line in out.read_text().splitlines()] == [1, 3]
    assert "line 2: JSON nested too deeply" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "content", "error"), [
    ("deep.json", DEEP, "its JSON is nested too deeply to be a label file"),
    ("deep.jsonl", '{"name": "dog"}\n' + DEEP + "\n", "line 2: JSON nested too deeply"),
])
def test_a_deep_label_file_is_refused(tiny_store_path: Path, tmp_path: Path, name: str, content: str, error: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`datasets add` of deeply nested JSON was an internal error."""
    labels = tmp_path / name
    labels.write_text(content, encoding="utf-8")
    assert main(["datasets", "add", "mine", str(labels), "--dry-run", "--store", str(tiny_store_path)]) == 2
    assert error in capsys.readouterr().err


def test_a_deep_gold_line_is_named(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"name": "dog", "concept": "n02084071"}) + "\n" + DEEP + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="gold line 2: JSON nested too deeply"):
        read_gold(gold)


def test_a_spreadsheets_files_read_as_text(tmp_path: Path) -> None:
    """A gold TSV and JSON lines saved with a byte-order mark were read with it: the gold's header
    named no 'name' column, the first JSON line was "not JSON"; a byte that is not UTF-8 is named
    with its line, where it was replaced silently."""
    gold = tmp_path / "gold.tsv"
    gold.write_bytes(b"\xef\xbb\xbfname\tconcept\r\ndog\tn02084071\r\n")
    assert [(row.name, row.concepts) for row in read_gold(gold)] == [("dog", ["n02084071"])]
    gold.write_bytes(b"name\tconcept\ncaf\xe9\tn02084071\n")
    with pytest.raises(InputError, match="line 2: not UTF-8 text"):
        read_gold(gold)
    rows = tmp_path / "rows.jsonl"
    rows.write_bytes(b'\xef\xbb\xbf{"query": "dog", "predictions": ["corgi"]}\n')
    assert [row for _, row in read_rows(rows, [])] == [{"query": "dog", "predictions": ["corgi"]}]


@pytest.mark.parametrize(("name", "content", "error"), [
    ("big.csv", 'name,description\ndog,"' + "a" * 200_000 + '"\n', "line 2: not a CSV row (field larger than"),
    ("big.tsv", "name\tdescription\ndog\t" + "a" * 200_000 + "\n", "line 2: not a TSV row (field larger than"),
    ("open.csv", 'name,description\ndog,"a quote left open\ncat,ok\n', "line 2: not a CSV row (unexpected end"),
])
def test_a_table_that_csv_cannot_read_names_its_line(tiny_store_path: Path, tmp_path: Path, name: str, content: str,
                                                     error: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A cell over the csv module's limit was an internal error (a stack trace with
    TAXONOMY_DEBUG); a quote left open took the rest of the file into one cell, and its classes
    were lost without a word."""
    table = tmp_path / name
    table.write_text(content, encoding="utf-8")
    assert main(["link", "--file", str(table), "--dry-run", "--store", str(tiny_store_path)]) == 2
    assert error in capsys.readouterr().err
    assert main(["datasets", "add", "mine", str(table), "--dry-run", "--store", str(tiny_store_path)]) == 2
    assert error in capsys.readouterr().err
    if name.endswith(".tsv"):
        gold = tmp_path / "gold.tsv"
        gold.write_text("name\tconcept\tdescription\ndog\tn02084071\t" + "a" * 200_000 + "\n", encoding="utf-8")
        with pytest.raises(InputError, match="line 2: not a TSV row"):
            read_gold(gold)


@pytest.fixture()
def deep_endpoint() -> Iterator[str]:
    """A SPARQL endpoint on loopback that answers every query with deeply nested JSON."""

    class Deep(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = DEEP.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Deep)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()


def test_a_deep_sparql_answer_is_an_endpoint_error(deep_endpoint: str) -> None:
    from taxonomy.wikidata import SparqlClient
    from taxonomy.wikidata.client import EndpointError

    with pytest.raises(EndpointError, match="nested too deeply"):
        SparqlClient(deep_endpoint, use_cache=False, retries=0).select("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(("document", "message"), [
    ({"id2name": {"a": "A"}, "child2father": {"a": ["a"]}}, "'a' is its own parent"),
    ({"id2name": {"a": "A"}, "child2father": {"a": ["nowhere"]}}, "does not define and the store does not hold"),
    ({"id2name": {"a": "A\x1b[31m", "b": "B"}, "child2father": {"a": ["b"]}}, "without control characters"),
    ({"id2name": {"a": "A", "b": "B"}, "id2desc": {"a": "ring\x07"}, "child2father": {"a": ["b"]}},
     "without control characters"),
    ({"id2name": {"a": "A", "b": "B"}, "child2father": {"a": ["b"], "b": ["a"]}}, "cycle"),
])
def test_an_import_that_cannot_be_taken_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      document: dict[str, object], message: str) -> None:
    source, store = tmp_path / "bad.json", tmp_path / "new.sqlite"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", str(source), "--store", str(store)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]  # no store, no half of one


def test_an_import_may_link_to_concepts_the_store_holds(tiny_store_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "more.json"
    source.write_text(json.dumps({"id2name": {"dachshund": "dachshund"}, "child2father": {"dachshund": ["dog"]}}),
                      encoding="utf-8")
    assert main(["import", str(source), "--store", str(tiny_store_path)]) == 0


def test_a_damaged_graph_index_is_noticed_and_repaired(tiny_store_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from taxonomy import Store, StoreError

    with sqlite3.connect(tiny_store_path) as conn:  # random bytes in one blob, then a truncated one
        size = len(conn.execute("SELECT data FROM graph_index WHERE name != 'ids' LIMIT 1").fetchone()[0])
        conn.execute("UPDATE graph_index SET data = randomblob(?) WHERE name = "
                     "(SELECT name FROM graph_index WHERE name != 'ids' LIMIT 1)", (size,))
    with pytest.raises(StoreError, match="graph index is damaged .*taxonomy check --repair"):
        Store.open(tiny_store_path)
    assert main(["ancestors", "corgi", "--store", str(tiny_store_path)]) == 2  # refused, not a wrong answer
    assert "damaged" in capsys.readouterr().err
    assert main(["check", "--repair", "--store", str(tiny_store_path)]) == 0
    assert "repaired: the graph index was damaged" in capsys.readouterr().out
    with Store.open(tiny_store_path) as store:
        assert "dog" in store.graph.ancestors("corgi")
    with sqlite3.connect(tiny_store_path) as conn:
        conn.execute("UPDATE graph_index SET data = substr(data, 1, 3) WHERE name != 'ids'")
        conn.execute("DELETE FROM meta WHERE key = 'graph_index_digest'")  # an old store: no checksum to compare
    with pytest.raises(StoreError, match="damaged"):
        Store.open(tiny_store_path)  # a truncated blob is a clear error, not an IndexError
