"""The `taxonomy` command line: every command, --json, --store, and errors without tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from taxonomy.cli import main

pytestmark = pytest.mark.slow


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> object:
    status, out, err = run(capsys, *argv, "--store", str(store), "--json")
    assert status == 0, err
    return json.loads(out)


def test_show_a_name_lists_its_senses(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path) -> None:
    status, out, _ = run(capsys, "show", "dog", "--store", str(wordnet_store_path))
    assert status == 0
    assert out.startswith("'dog' has 7 senses:")
    assert "1. n02084071  dog: a member of the genus Canis" in out
    data = run_json(capsys, wordnet_store_path, "show", "dog")
    assert [s["id"] for s in data["senses"]][:2] == ["n02084071", "n10114209"]  # type: ignore[index]


def test_show_an_id(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path) -> None:
    data = run_json(capsys, wordnet_store_path, "show", "n02084071")
    assert data["name"] == "dog" and data["lexname"] == "noun.animal"  # type: ignore[index]
    assert [p["id"] for p in data["parents"]] == ["n02083346", "n01317541"]  # type: ignore[index]
    assert {"dataset": "imagenet21k", "class_index": 2167, "class_name": "dog, domestic dog, Canis familiaris",
            "concept": "n02084071", "method": "wnid", "score": 1.0} in data["labels"]  # type: ignore[index]
    status, out, _ = run(capsys, "show", "golden retriever", "--store", str(wordnet_store_path))
    assert status == 0 and "imagenet1k[207]" in out


def test_graph_commands(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path) -> None:
    ancestors = run_json(capsys, wordnet_store_path, "ancestors", "n02084071")
    assert [a["id"] for a in ancestors][-1] == "n00001740"  # type: ignore[index,union-attr]
    assert len(ancestors) == 14  # type: ignore[arg-type]
    descendants = run_json(capsys, wordnet_store_path, "descendants", "n02084071", "--limit", "5")
    assert descendants["total"] == 189 and len(descendants["descendants"]) == 5  # type: ignore[index]
    paths = run_json(capsys, wordnet_store_path, "path", "n02084071")
    assert len(paths) == 2 and paths[0][0]["id"] == "n00001740"  # type: ignore[index,arg-type]
    lca = run_json(capsys, wordnet_store_path, "lca", "n02084071", "n02121808")
    assert sorted(x["id"] for x in lca) == ["n01317541", "n02075296"]  # type: ignore[union-attr,index]
    assert run_json(capsys, wordnet_store_path, "is-a", "n02099601", "dog") == {"is_a": True}
    related = run_json(capsys, wordnet_store_path, "related", "n02099601", "--limit", "3")
    assert related["total"] == 6  # retriever and its 5 kinds  # type: ignore[index]
    _status, out, _ = run(capsys, "path", "n02084071", "--store", str(wordnet_store_path))
    assert "entity (n00001740) > physical entity" in out and out.count("\n") == 2


def test_search_stats_labels_check(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path) -> None:
    hits = run_json(capsys, wordnet_store_path, "search", "golden retr")
    assert hits[0]["id"] == "n02099601"  # type: ignore[index]
    stats = run_json(capsys, wordnet_store_path, "stats")
    assert stats["concepts"] == 82115 and stats["edges"] == 84427  # type: ignore[index]
    assert stats["datasets"] == {"imagenet1k": 1000, "imagenet21k": 21843}  # type: ignore[index]
    label = run_json(capsys, wordnet_store_path, "labels", "imagenet21k", "2167")
    assert label[0]["concept"] == "n02084071"  # type: ignore[index]
    datasets = run_json(capsys, wordnet_store_path, "labels")
    assert [d["dataset"] for d in datasets] == ["imagenet1k", "imagenet21k"]  # type: ignore[union-attr,index]
    report = run_json(capsys, wordnet_store_path, "check", "--select", "E")
    assert report["errors"] == 0  # type: ignore[index]


def test_export_and_import(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "dogs.json"
    status, text, _ = run(capsys, "export", "--format", "bamboo-json", "-o", str(out), "--root", "n02084071",
                          "--store", str(wordnet_store_path))
    assert status == 0 and text.startswith("wrote 190 concepts")
    fresh = tmp_path / "dogs.sqlite"
    status, text, _ = run(capsys, "import", str(out), "--store", str(fresh))
    assert status == 0 and "190 new concepts, 189 new edges" in text
    assert run_json(capsys, fresh, "descendants", "n02084071")["total"] == 189  # type: ignore[index]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "n0208407"], "no such concept: 'n0208407'; close matches: n02084071"),
        (["show", "doggg"], "no such concept: 'doggg'; close matches: doggy, dog"),
        (["ancestors", ""], "no such concept (empty id or name)"),
        (["lca", "n02084071", "zzzzqqq"], "no such concept: 'zzzzqqq'"),
        (["labels", "imagenet99k"], "no such dataset: 'imagenet99k'"),
        (["labels", "zzz"], "no such dataset: 'zzz' (the store has "),  # no close match: not "close matches"
        (["labels", "imagenet1k", "5000"], "no such class index in imagenet1k (valid: 0..999): '5000'"),
        (["export", "--format", "bamboo-json", "-o", "/proc/nope/x.json"], "error:"),
        (["import", "/nonexistent.json"], "no such file: '/nonexistent.json'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path,
                                          argv: list[str], message: str) -> None:
    status, _out, err = run(capsys, *argv, "--store", str(wordnet_store_path))
    assert status == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_no_silent_surprises(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = ["--store", str(wordnet_store_path)]
    status, out, _ = run(capsys, "search", "dog", "--limit", "2", *store)
    assert status == 0 and len(out.splitlines()) == 3 and out.rstrip().endswith("(more; raise --limit)")
    status, out, _ = run(capsys, "labels", "imagenet1k", "--limit", "3", *store)
    assert out.rstrip().endswith("(997 more; raise --limit)")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "export", "--format", "jsonl", "-o", "-", "--root", "n02099601", *store)
    assert status == 0 and json.loads(out.splitlines()[0])["id"] == "n02099601"  # the data on stdout
    assert "wrote 1 concepts to -" in err and not (tmp_path / "-").exists()  # the summary on stderr
    status, _, err = run(capsys, "export", "--format", "jsonl", "-o", str(tmp_path / "no" / "such" / "x.jsonl"),
                         *store)
    assert status == 2 and "no such folder for the output" in err and not (tmp_path / "no").exists()
    old = os.umask(0o022)
    try:
        assert run(capsys, "export", "--format", "jsonl", "-o", "dogs.jsonl", "--root", "n02084071", *store)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "dogs.jsonl").stat().st_mode) == 0o644  # the umask's, not 0600


def test_missing_and_corrupt_stores(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "stats", "--store", str(tmp_path / "none.sqlite"))
    assert status == 2 and "build one with 'taxonomy build'" in err
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"\0" * 4096)
    status, _, err = run(capsys, "show", "dog", "--store", str(corrupt))
    assert status == 2 and "is not a taxonomy store" in err and "Traceback" not in err


def test_store_from_the_environment(capsys: pytest.CaptureFixture[str], wordnet_store_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAXONOMY_STORE", str(wordnet_store_path))
    status, out, _ = run(capsys, "is-a", "n02084071", "n00015388")
    assert (status, out.strip()) == (0, "yes")


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["descendants", "dog", "--limit", "0"])
    assert exit_info.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_the_console_script_is_installed(wordnet_store_path: Path) -> None:
    executable = shutil.which("taxonomy")
    assert executable, "pip install -e . installs the taxonomy console script"
    done = subprocess.run([executable, "show", "nosuchthing", "--store", str(wordnet_store_path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("taxonomy: error: no such concept: 'nosuchthing'")
    assert "Traceback" not in done.stderr


def test_a_link_that_waits_for_review_never_reads_as_the_threshold() -> None:
    """0.4951 waits below 0.5: shown "0.495", not "0.50 - below 0.5"; others keep two decimals."""
    from taxonomy.cli.link import _line

    row = {"input": {"name": "Ford pinto"}, "line": 1, "error": None, "decision": "child", "concept": "x1",
           "parents": ["n02958343"], "method": "headnoun", "score": 0.4951, "candidates": [],
           "waits_for_review": True, "review": None}
    assert _line(row, 0.5, dry_run=True) == ("Ford pinto: child x1 under n02958343 by headnoun (0.495) - below 0.5: "
                                             "would wait for review")
    assert "(0.72)" in _line({**row, "score": 0.7177, "waits_for_review": False}, 0.5)
    assert "(0.43)" in _line({**row, "score": 0.4321}, 0.5)
