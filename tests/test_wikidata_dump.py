"""The Wikidata import from dumps: the truthy N-Triples dump (gzip) and the JSON dump (bzip2),
made from the same hand-written items as the SPARQL fixture, merged into the real WordNet store."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from taxonomy import Store
from taxonomy.cli import main
from taxonomy.wikidata import import_dump
from taxonomy.wikidata.dump import DumpFilter
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow
DUMPS = [FIXTURES / "wikidata_dogs.nt.gz", FIXTURES / "wikidata_dogs.json.bz2"]
DOG = "n02084071"


@pytest.mark.parametrize("dump", DUMPS, ids=["ntriples", "json"])
def test_a_dump_merges_as_the_endpoint_does(writable_store: Store, dump: Path) -> None:
    report = import_dump(writable_store, dump, DumpFilter(["Q144"]))
    # the same figures as the SPARQL import of the same items (test_wikidata.py)
    assert report.mapped == {"p8814": 3, "store": 1, "oewn": 0}
    assert report.dropped == {"category": 1, "disambiguation": 1, "list": 1, "metaclass": 1}
    assert (report.cycles_broken, report.shortcuts_removed) == (1, 2)
    assert (report.held_for_review, report.unanchored, report.new_concepts) == (0, 0, 33)
    graph = writable_store.graph
    assert graph.parents("Q990000001") == [DOG] and graph.parents("Q990000002") == ["Q990000001"]
    assert graph.parents("Q990000003") == ["n02087122"]  # under hunting dog, mapped by its QID
    assert "Q990000099" in writable_store.concept("n02084732").external_ids["wikidata"]  # pooch, by P8814
    hound = writable_store.concept("Q990000001")
    assert (hound.name, hound.gloss) == ("test hound", "a synthetic dog type")
    assert hound.lemmas == ("test hound", "trial hound")  # the English alias; not the Spanish one
    assert ("zh", "测试猎犬", "wikidata") in writable_store.translations("Q990000001")
    evil = writable_store.concept("Q990000051")
    assert evil.name == 'evil " } ; DROP ALL ; <script>alert(1)</script> dog'  # the bell is gone
    assert report.endpoint == f"dump {dump.name}" and report.as_of[:4].isdigit()
    assert "P279" not in graph and "L7" not in graph  # a property and a lexeme are no classes


@pytest.mark.parametrize("dump", DUMPS, ids=["ntriples", "json"])
def test_the_dump_filters(writable_store: Store, dump: Path) -> None:
    report = import_dump(writable_store, dump, DumpFilter(["Q144"], min_sitelinks=1), dry_run=True)
    assert report.new_concepts == 1 and report.items == 2  # dog (the root) and the one hound with an article
    described = import_dump(writable_store, dump, DumpFilter(["Q144"], require_description=True), dry_run=True)
    assert described.new_concepts == 2  # test hound and the hostile item have descriptions
    without_family = import_dump(writable_store, dump, DumpFilter(["Q144"], exclude={"Q990000060"}), dry_run=True)
    assert without_family.new_concepts == 33 - 25
    everything = import_dump(writable_store, dump, DumpFilter(), dry_run=True)  # no root: every class
    # every class: also the working animal, now in the tree (under animal); the floating pair reaches nothing
    assert everything.new_concepts == 34 and everything.unanchored == 2
    assert sorted(everything.roots) == ["Q144", "Q729", "Q990000090"]  # the classes without a parent
    assert len(writable_store.graph) == len(Store.open(writable_store.path).graph)  # dry runs wrote nothing


def test_the_cli_reads_a_dump_and_refuses_bad_ones(writable_store: Store, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(writable_store.path)]
    assert main(["wikidata", "import", "--dump", str(DUMPS[0]), "--root", "Q144", "--max-descendants", "10",
                 *store]) == 0
    out = capsys.readouterr().out
    assert "dump wikidata_dogs.nt.gz as of" in out and "held for review: 1" in out
    assert "Q990000001" in Store.open(writable_store.path).graph
    broken = tmp_path / "broken.nt.gz"
    with gzip.open(broken, "wt") as handle:
        handle.write("<http://www.wikidata.org/entity/Q1> <http://www.wikidata.org/prop/direct/P279> oops .\n")
    assert main(["wikidata", "import", "--dump", str(broken), *store]) == 2
    assert "not valid N-Triples" in capsys.readouterr().err
    truncated = tmp_path / "cut.json.bz2"
    truncated.write_bytes(DUMPS[1].read_bytes()[:300])
    assert main(["wikidata", "import", "--dump", str(truncated), *store]) == 2
    assert "cannot be read to its end" in capsys.readouterr().err
    assert main(["wikidata", "import", "--dump", str(tmp_path / "x.csv"), *store]) == 2
    assert "no such dump" in capsys.readouterr().err
    (tmp_path / "x.csv").write_text("a")
    assert main(["wikidata", "import", "--dump", str(tmp_path / "x.csv"), *store]) == 2
    assert "truthy N-Triples dump" in capsys.readouterr().err
    assert main(["wikidata", "import", "--dump", str(DUMPS[0]), "--root", "Q5", *store]) == 2
    assert "the dump has no item Q5" in capsys.readouterr().err
    assert main(["wikidata", "import", "--dump", str(DUMPS[0]), "--depth", "2", *store]) == 2
    assert main(["wikidata", "import", "--min-sitelinks", "3", "--root", "Q144", *store]) == 2
    assert "go with --dump" in capsys.readouterr().err


def test_a_malformed_json_line_is_counted_not_fatal(writable_store: Store, tmp_path: Path) -> None:
    lines = bz2.decompress(DUMPS[1].read_bytes()).decode().splitlines()
    dump = tmp_path / "bad.json"
    dump.write_text("\n".join([lines[0], "{not json,", *lines[1:]]) + "\n")
    report = import_dump(writable_store, dump, DumpFilter(["Q144"]), dry_run=True)
    assert report.malformed_rows == 1 and report.new_concepts == 33


def test_a_second_parent_that_reaches_nothing_is_left_out(writable_store: Store, tmp_path: Path) -> None:
    """An item under dog and under a class that reaches nothing: it joins under dog alone (this
    was a foreign-key failure that rolled the whole import back)."""
    entity, p279, label = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/P279", \
        "http://www.w3.org/2000/01/rdf-schema#label"
    dump = tmp_path / "two.nt"
    dump.write_text("".join([
        f'<{entity}Q144> <http://www.wikidata.org/prop/direct/P8814> "02086723-n" .\n',
        f'<{entity}Q990000901> <{label}> "floating" .\n',
        f"<{entity}Q990000902> <{p279}> <{entity}Q144> .\n",
        f"<{entity}Q990000902> <{p279}> <{entity}Q990000901> .\n",
        f'<{entity}Q990000902> <{label}> "two parents"@en .\n']))
    report = import_dump(writable_store, dump, DumpFilter(["Q144", "Q990000901"]))
    assert (report.new_concepts, report.unanchored) == (1, 1)
    assert writable_store.graph.parents("Q990000902") == [DOG] and "Q990000901" not in writable_store.graph


def test_a_class_the_filters_leave_out_is_climbed_through(writable_store: Store, tmp_path: Path) -> None:
    """A class with an article under one without: the one without is left out, the other joins
    under the nearest concept above it (dog), not dropped with it."""
    entity, p279 = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/P279"
    dump = tmp_path / "filtered.nt.bz2"
    dump.write_bytes(bz2.compress("".join([
        f'<{entity}Q144> <http://www.wikidata.org/prop/direct/P8814> "02086723-n" .\n',
        f"<{entity}Q990000911> <{p279}> <{entity}Q144> .\n",
        f"<{entity}Q990000912> <{p279}> <{entity}Q990000911> .\n",
        f'<{entity}Q990000912> <http://www.w3.org/2000/01/rdf-schema#label> "with an article"@en .\n',
        f"<https://en.wikipedia.org/wiki/X> <http://schema.org/about> <{entity}Q990000912> .\n"]).encode()))
    report = import_dump(writable_store, dump, DumpFilter(["Q144"], min_sitelinks=1))
    assert report.new_concepts == 1 and "Q990000911" not in writable_store.graph
    assert writable_store.graph.parents("Q990000912") == [DOG]
    assert "Q990000911" in (writable_store.edges("Q990000912")[0].evidence or "")  # the path it climbed
