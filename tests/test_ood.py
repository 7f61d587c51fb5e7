"""OOD checks: the kernel against the graph, files in JSON lines and Parquet, detection."""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from taxonomy import GraphIndex, Store
from taxonomy.cli import main
from taxonomy.ood import RelatedSetChecker, check_detection
from taxonomy.ood_files import classify_file
from tests.test_graph import random_dag

GOLDEN, LABRADOR, CHIHUAHUA, RETRIEVER = "n02099601", "n02099712", "n02085620", "n02099029"


@pytest.mark.parametrize("seed", range(4))
def test_kernel_matches_the_related_set_on_random_dags(seed: int) -> None:
    graph_nx: nx.DiGraph = random_dag(seed, n=200)
    ids = sorted(graph_nx.nodes)
    graph = GraphIndex.compile(ids, list(graph_nx.edges))
    rng = np.random.default_rng(seed)
    labels = rng.choice(len(ids), 80, replace=False)  # a label set smaller than the graph
    checker = RelatedSetChecker(graph, np.append(labels, -1), threads=2)
    queries = rng.integers(0, len(ids), 3000)
    predictions = rng.integers(0, len(labels) + 2, (3000, 5))  # includes the -1 label and the sentinel
    predictions[predictions == len(labels) + 1] = checker.sentinel
    expected = [any(p < len(labels) and graph.is_related(ids[labels[p]], ids[q]) for p in row)
                for q, row in zip(queries.tolist(), predictions.tolist(), strict=True)]
    assert checker.classify(queries, predictions, chunk=64).tolist() == expected
    assert checker.hits(queries, predictions).any(axis=1).tolist() == expected
    assert checker.classify(queries, predictions[:, :2], k=2).tolist() == [
        any(p < len(labels) and graph.is_related(ids[labels[p]], ids[q]) for p in row[:2])
        for q, row in zip(queries.tolist(), predictions.tolist(), strict=True)]


def test_detection_rule() -> None:
    assert not check_detection(["dog"]).in_distribution
    assert "fewer than 2" in check_detection([]).reason
    assert check_detection(["dog", "cat"]).in_distribution
    crowd = check_detection(["sheep"] * 16 + ["dog"])
    assert not crowd.in_distribution and "16 proposals of sheep, more than 15" in crowd.reason
    assert check_detection(["sheep"] * 15).in_distribution
    assert check_detection(["sheep"] * 16, max_per_class=20).in_distribution
    assert check_detection(["dog"], min_proposals=1).in_distribution


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows))
    return path


@pytest.mark.slow
def test_classify_file_with_ids_indices_and_bad_rows(wordnet_store: Store, tmp_path: Path) -> None:
    golden_1k = 207
    rows: list[object] = [
        {"query": GOLDEN, "predictions": [CHIHUAHUA, LABRADOR]},  # Labrador is a retriever: in
        {"query": GOLDEN, "predictions": [CHIHUAHUA, "n01440764"]},  # no retriever: OOD
        {"query": GOLDEN, "labels": [151, golden_1k], "label_probs": [0.9, 0.1]},  # index 207 is golden
        {"query": GOLDEN, "labels": [151, golden_1k], "label_probs": [0.9, 0.1], "x": 1},
        "{broken json",
        {"query": "n99999999", "predictions": [LABRADOR]},
        {"query": GOLDEN, "predictions": ["nope", LABRADOR]},
        {"predictions": [LABRADOR]},
        [1, 2],
    ]
    source = write_jsonl(tmp_path / "rows.jsonl", rows)
    out = tmp_path / "decisions.jsonl"
    summary = classify_file(wordnet_store, source, out, labels="imagenet1k")
    decisions = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(d["line"], d["in_distribution"]) for d in decisions] == [
        (1, True), (2, False), (3, True), (4, True), (7, True)]
    assert decisions[0]["matched"] == LABRADOR and decisions[2]["matched"] == GOLDEN
    assert (summary.rows, summary.ood, summary.skipped, summary.unknown_ids) == (5, 1, 4, 2)
    assert any(p.startswith("line 5: not JSON") for p in summary.problems)
    assert "line 6: unknown query n99999999" in summary.problems
    assert "line 7: unknown prediction nope (ignored)" in summary.problems
    # --min-prob drops the low-probability golden retriever; rows without probabilities are skipped
    strict = classify_file(wordnet_store, source, out, labels="imagenet1k", min_prob=0.5)
    assert [(d["line"], d["in_distribution"]) for d in map(json.loads, out.read_text().splitlines())] == [
        (3, False), (4, False)]
    needs = "line 1: a minimum probability needs a list 'label_probs' of numbers as long as the predictions"
    assert needs in strict.problems


@pytest.mark.slow
def test_classify_coyo_parquet_against_imagenet21k(wordnet_store: Store, tmp_path: Path) -> None:
    import pyarrow as pa  # the parquet extra
    import pyarrow.parquet as pq

    labels = wordnet_store.label_concepts("imagenet21k")
    index = {c: i for i, c in enumerate(labels)}
    rng = random.Random(0)
    queries, label_lists, probs = [], [], []
    for _ in range(500):
        query = labels[rng.randrange(len(labels))]
        picks = [rng.randrange(len(labels)) for _ in range(10)]
        if rng.random() < 0.5:
            picks[rng.randrange(10)] = index[query]  # the query itself is in its related set
        queries.append(query)
        label_lists.append(picks)
        probs.append(sorted((rng.random() for _ in range(10)), reverse=True))
    table = pa.table({"query": queries, "labels": pa.array(label_lists, pa.list_(pa.int32())),
                      "label_probs": pa.array(probs, pa.list_(pa.float32())), "url": ["u"] * 500})
    pq.write_table(table, tmp_path / "coyo.parquet")
    out = tmp_path / "out.jsonl"
    summary = classify_file(wordnet_store, tmp_path / "coyo.parquet", out, labels="imagenet21k")
    got = [json.loads(line)["in_distribution"] for line in out.read_text().splitlines()]
    graph = wordnet_store.graph
    expected = [any(graph.is_related(labels[p], q) for p in picks[:5])
                for q, picks in zip(queries, label_lists, strict=True)]
    assert got == expected and summary.rows == 500
    assert 0 < summary.ood < 500
    assert json.loads(out.read_text().splitlines()[0])["url"] == "u"  # the row's own key columns come along
    parquet_out = tmp_path / "out"  # Parquet in: Parquet out (unless the output says .jsonl)
    classify_file(wordnet_store, tmp_path / "coyo.parquet", parquet_out, labels="imagenet21k")
    decisions = pq.read_table(parquet_out).to_pylist()
    assert [d["in_distribution"] for d in decisions] == expected and decisions[0]["url"] == "u"
    assert list(decisions[0]) == ["line", "url", "query", "in_distribution", "matched"]


@pytest.mark.slow
def test_names_are_queries_as_in_every_command(wordnet_store: Store, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "rows.jsonl", [{"id": 7, "query": "golden retriever", "predictions": [LABRADOR]},
                                                   {"id": 8, "query": "nosuchthing", "predictions": [LABRADOR]}])
    out = tmp_path / "out.jsonl"
    summary = classify_file(wordnet_store, source, out)
    decisions = [json.loads(line) for line in out.read_text().splitlines()]
    assert decisions == [{"line": 1, "id": 7, "query": "golden retriever", "in_distribution": True,
                          "matched": LABRADOR}]
    assert "line 2: unknown query nosuchthing" in summary.problems


@pytest.mark.slow
def test_cli_classify_and_detect(wordnet_store_path: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"query": GOLDEN, "predictions": [LABRADOR]}, "oops"])
    out = tmp_path / "out.jsonl"
    store = ["--store", str(wordnet_store_path)]
    assert main(["ood", "classify", str(source), "-o", str(out), *store]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1 rows: 1 in distribution, 0 OOD (0.0%); 1 skipped") and "line 2: not JSON" in text
    boxes = write_jsonl(tmp_path / "boxes.jsonl", [
        {"proposals": [LABRADOR, GOLDEN]},
        {"proposals": [LABRADOR]},
        {"proposals": [{"label": 207, "score": 0.9}] * 16},
        {"proposals": [{"label": 207, "score": 0.1}] * 16 + [{"label": 151, "score": 0.9}] * 2},
    ])
    assert main(["ood", "detect", str(boxes), "-o", str(out), "--labels", "imagenet1k", "--min-score", "0.5",
                 *store, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["rows"], summary["ood"]) == (4, 2)
    reasons = [json.loads(line)["reason"] for line in out.read_text().splitlines()]
    assert reasons[0] == "" and "fewer than 2" in reasons[1] and "16 proposals of n02099601" in reasons[2]
    assert reasons[3] == ""
    empty = write_jsonl(tmp_path / "empty.jsonl", ["junk"])
    assert main(["ood", "classify", str(empty), "-o", str(out), *store]) == 2  # nothing could be checked
    assert main(["ood", "classify", str(tmp_path / "absent.jsonl"), "-o", str(out), *store]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_class_indices_without_a_label_set_and_rows_without_predictions_cannot_mislead(
        wordnet_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(wordnet_store_path)]
    out = tmp_path / "out.jsonl"
    indices = write_jsonl(tmp_path / "indices.jsonl", [{"query": GOLDEN, "labels": [207, 151]}] * 8)
    assert main(["ood", "classify", str(indices), "-o", str(out), *store]) == 2  # was "8 OOD (100.0 %)", exit 0
    assert "207 is a class index, and no label set says what it indexes: pass --labels" in capsys.readouterr().err
    assert not out.exists()
    empty = write_jsonl(tmp_path / "empty.jsonl", [{"query": GOLDEN, "predictions": [LABRADOR]},
                                                   {"query": GOLDEN, "predictions": []},
                                                   {"query": GOLDEN, "predictions": ["n99999999"]}])
    assert main(["ood", "classify", str(empty), "-o", str(out), *store, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["rows"], summary["ood"], summary["skipped"]) == (1, 0, 2)  # skipped with a reason, not OOD
    assert any("no predictions" in p for p in summary["problems"])
    with pytest.raises(SystemExit):
        main(["ood", "classify", "--help"])
    assert "no default" in capsys.readouterr().out
