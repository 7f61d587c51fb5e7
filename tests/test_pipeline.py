"""The annotation pipeline on CPU: real photos served on loopback, a randomly initialised
open_clip model, the real WordNet store; samplers against brute-force references."""

from __future__ import annotations

import io
import ipaddress
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from retrieval import annotation, sampling
from retrieval.answer_log import AnswerLog
from retrieval.dedup import NearDuplicateIndex, dhash, hamming, hash_folder
from retrieval.fetch import Fetcher, is_public
from retrieval.pools import PoolItem, url_list_pool, yfcc_pool
from retrieval.runner import RoundConfig, Run, import_answers, run_round
from retrieval.stages import ShardWork
from retrieval.writers import read_jsonl
from taxonomy.cli import main
from taxonomy.errors import InputError
from taxonomy.store import Store
from tests.images import PHOTOS, ImageServer, image_server

LOOPBACK = [ipaddress.ip_network("127.0.0.0/8")]
MODEL = {"arch": "ViT-S-32", "checkpoint": None, "random_init": True}
# The photos and the concept each was "crawled" for (names resolved to ids in the store)
PHOTO_QUERIES = {"chelsea.png": "cat", "coffee.png": "coffee cup", "rocket.jpg": "rocket", "horse.png": "horse",
                 "flower.jpg": "flower", "astronaut.png": "astronaut", "camera.png": "cameraman",
                 "china.jpg": "temple", "hubble_deep_field.jpg": "galaxy"}
LABEL_NAMES = [*PHOTO_QUERIES.values(), "dog", "car", "tree"]


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


def fetcher(**options: Any) -> Fetcher:
    return Fetcher(**{"allowed_networks": LOOPBACK, "timeout": 1.0, "threads": 4, **options})


def fetch_one(f: Fetcher, url: str) -> Any:
    return f.fetch_many([PoolItem.of(url)])[0]


# ---------------------------------------------------------------------- fetching
def test_the_fetcher_decodes_real_photos_and_records_every_failure(server: ImageServer) -> None:
    f = fetcher(max_bytes=2_000_000, max_pixels=10_000_000, max_redirects=2)
    ok = fetch_one(f, server.url("img/chelsea.png"))
    assert (ok.status, ok.width, ok.height, ok.image.mode) == ("ok", 451, 300, "RGB")
    assert fetch_one(f, server.url("redirect/2/coffee.png")).status == "ok"
    cases = {
        "redirect/3/coffee.png": "more than 2 redirects",
        "to-private": "10.1.2.3, a private, loopback, link-local",
        "to-nat64": "64:ff9b::7f00:1, a private, loopback, link-local",
        "html": "not an image (content-type 'text/html')",
        "huge": "larger than 2,000,000 bytes",
        "bomb.png": "36,000,000 pixels is more than 10,000,000",
        "slow": "ReadTimeout",
        "missing": "HTTP 404",
    }
    results = f.fetch_many([PoolItem.of(server.url(path)) for path in cases])
    for (path, expected), result in zip(cases.items(), results, strict=True):
        assert result.status == "error" and expected.replace("36,000,000 pixels", "6000x6000 pixels") in result.error, (
            path, result.error)


def test_loopback_and_other_private_addresses_are_refused_unless_allowed(server: ImageServer) -> None:
    before = server.requests["/img/chelsea.png"]
    refused = fetch_one(Fetcher(), server.url("img/chelsea.png"))
    assert refused.status == "error" and "127.0.0.1, a private, loopback, link-local" in refused.error
    port = server.base.rsplit(":", 1)[1]
    inside = [f"http://[{a}]:{port}/img/chelsea.png" for a in (
        "64:ff9b::7f00:1", "64:ff9b::a01:203", "2002:7f00:1::1", "2002:a00:1::", "::127.0.0.1", "::ffff:127.0.0.1",
        "ff02::1", "::")]
    for url in ("http://169.254.169.254/latest/meta-data", "http://[::1]/x.png", "ftp://example.org/x.png",
                "http://224.0.0.251/x.png", "http://239.255.255.250:1900/x.png", "http://0.0.0.0/x.png", *inside):
        result = fetch_one(Fetcher(timeout=1.0), url)
        assert result.status == "error" and ("non-public address" in result.error or "http(s)" in result.error), (
            url, result.error)
    assert server.requests["/img/chelsea.png"] == before  # none of them reached the server
    for public in ("8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"):  # a public address inside
        assert is_public(ipaddress.ip_address(public)), public
    no_files = fetch_one(Fetcher(), (PHOTOS / "rocket.jpg").as_uri())
    assert no_files.error == "file URLs are not allowed here (only a pool that is a local folder reads files)"
    assert fetch_one(Fetcher(allow_files=True), (PHOTOS / "rocket.jpg").as_uri()).status == "ok"


def test_a_name_that_resolves_again_elsewhere_cannot_steer_the_fetcher(
        server: ImageServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the first answer is public, every later one is loopback. The connection goes
    to the address that was checked, so the local server never sees the request."""
    port = int(server.base.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, *args, **kwargs)
        asked.append(host)
        address = "1.1.1.1" if len(asked) == 1 else "127.0.0.1"  # public (unreachable here), then loopback
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    before = server.requests["/img/chelsea.png"]
    result = fetch_one(Fetcher(timeout=1.0, deadline=3.0), f"http://rebind.example:{port}/img/chelsea.png")
    assert result.status == "error" and asked == ["rebind.example"]  # resolved once, for check and connection
    assert server.requests["/img/chelsea.png"] == before


def test_a_dripping_server_cannot_hold_a_fetch_past_its_deadline(server: ImageServer) -> None:
    started = time.monotonic()
    result = fetch_one(fetcher(timeout=2.0, deadline=1.5), server.url("drip"))
    assert result.status == "error" and "1.5 s deadline" in result.error, result.error
    assert time.monotonic() - started < 3.0  # one read past the deadline at most (each read waits <= 0.3 s here)


def test_only_a_folder_pool_reads_local_files(tmp_path: Path) -> None:
    listed = RoundConfig(pool={"kind": "urls", "path": str(tmp_path)}, labels="x", model=MODEL)
    folder = RoundConfig(pool={"kind": "folder", "path": str(tmp_path)}, labels="x", model=MODEL)
    item = PoolItem.of((PHOTOS / "rocket.jpg").as_uri())
    assert listed.fetcher().fetch_many([item])[0].status == "error"
    assert folder.fetcher().fetch_many([item])[0].status == "ok"


# ---------------------------------------------------------------------- dedup
def test_dhash_finds_resized_and_recompressed_copies_and_tells_other_photos_apart() -> None:
    from PIL import Image

    with Image.open(PHOTOS / "chelsea.png") as original:
        buffer = io.BytesIO()
        original.convert("RGB").resize((200, 133)).save(buffer, "JPEG", quality=60)
        copy = Image.open(buffer)
        assert hamming(dhash(original), dhash(copy)) <= 4
        others = [dhash(Image.open(p)) for p in sorted(PHOTOS.glob("*.*g")) if p.name != "chelsea.png"]
        assert min(hamming(dhash(original), h) for h in others) > 10
    index = NearDuplicateIndex(hash_folder(PHOTOS))
    rng = np.random.default_rng(1)
    queries = rng.integers(0, 2**63, size=300, dtype=np.uint64)
    brute = [min(hamming(int(q), int(h)) for h in index.hashes) for q in queries]
    assert index.nearest_distance(queries).tolist() == brute
    assert index.near([dhash(copy)]).tolist() == [True]


# ---------------------------------------------------------------------- sampling vs brute force
def test_margin_entropy_and_random_sampling() -> None:
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(6), size=40).astype(np.float32)
    top2 = np.sort(probs, axis=1)[:, -2:]
    margin, entropy = top2[:, 1] - top2[:, 0], -(probs * np.log(probs)).sum(1)
    candidates = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31]
    assert sampling.margin_sample(candidates, margin, 4).tolist() == sorted(candidates, key=lambda i: margin[i])[:4]
    assert sampling.entropy_sample(candidates, entropy, 4).tolist() == sorted(candidates, key=lambda i: -entropy[i])[:4]
    picked = sampling.random_sample(candidates, 5, np.random.default_rng(3))
    assert len(set(picked.tolist())) == 5 and set(picked.tolist()) <= set(candidates)


def test_coreset_is_k_center_greedy() -> None:
    rng = np.random.default_rng(1)
    points = rng.normal(size=(60, 4)).astype(np.float32)
    candidates, labeled = list(range(10, 60)), [0, 1, 2]

    def reference(k: int) -> list[int]:
        centers, picked = list(labeled), []
        for _ in range(k):
            best = max((c for c in candidates if c not in picked),
                       key=lambda c: min(float(np.linalg.norm(points[c] - points[x])) for x in centers))
            picked.append(best)
            centers.append(best)
        return picked

    assert sampling.coreset_sample(candidates, points, 8, labeled).tolist() == reference(8)


def test_agglomerative_clusters_match_a_naive_average_linkage() -> None:
    rng = np.random.default_rng(2)
    centers = rng.normal(size=(4, 8))
    points = np.concatenate([c + 0.05 * rng.normal(size=(6, 8)) for c in centers]).astype(np.float32)
    found = sampling.agglomerative_clusters(points, 4)

    unit = points / np.linalg.norm(points, axis=1, keepdims=True)
    distance = 1 - unit @ unit.T
    clusters = [[i] for i in range(len(points))]
    while len(clusters) > 4:  # merge the two clusters with the smallest average distance
        pairs = [(np.mean([distance[a, b] for a in x for b in y]), i, j)
                 for i, x in enumerate(clusters) for j, y in enumerate(clusters) if i < j]
        _, i, j = min(pairs)
        clusters[i] += clusters.pop(j)
    assert sorted(sorted(c) for c in clusters) == sorted(
        sorted(np.flatnonzero(found == k).tolist()) for k in set(found.tolist()))


def test_cluster_margin_reads_clusters_by_pool_index() -> None:
    # 12 pool images, 3 clusters by pool index; the candidates are the odd ones. Read by position
    # in the shortlist, the cluster ids would belong to other images (the public implementation's bug).
    clusters = np.asarray([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    margin = np.linspace(0.0, 1.0, 12).astype(np.float32)
    candidates = [1, 3, 5, 7, 9, 11]
    picked = sampling.cluster_margin_sample(candidates, margin, clusters, 3, np.random.default_rng(0), multiplier=2)
    assert sorted(clusters[picked].tolist()) == [0, 1, 2]  # one of each cluster

    def reference(budget: int, multiplier: float, seed: int) -> list[int]:
        rng = np.random.default_rng(seed)
        shortlist = sorted(candidates, key=lambda i: (margin[i], i))[: int(np.ceil(multiplier * budget))]
        groups: dict[int, list[int]] = {}
        for i in shortlist:
            groups.setdefault(int(clusters[i]), []).append(i)
        queues = [rng.permutation(np.asarray(g)).tolist() for _, g in sorted(groups.items(), key=lambda kv: (len(kv[1]),
                                                                                                               kv[0]))]
        out: list[int] = []
        while len(out) < min(budget, len(shortlist)):
            for q in queues:
                if q and len(out) < budget:
                    out.append(q.pop())
        return out

    for budget, multiplier, seed in [(3, 2, 0), (5, 1.5, 4), (6, 10, 9), (2, 1, 1)]:
        got = sampling.cluster_margin_sample(candidates, margin, clusters, budget, np.random.default_rng(seed),
                                             multiplier=multiplier)
        assert got.tolist() == reference(budget, multiplier, seed)


# ---------------------------------------------------------------------- annotation
def test_three_of_five_decide_and_bad_answer_files_change_nothing(tmp_path: Path) -> None:
    answers = [("t1", a, "yes") for a in "abc"] + [("t2", "a", "yes"), ("t2", "b", "no"), ("t2", "c", "skip"),
                                                   ("t2", "d", "no"), ("t2", "b", "yes")]
    answers += [("t3", a, "no") for a in "abcde"] + [("t3", "f", "yes")]
    tallies, ignored = annotation.tally(answers)
    assert (tallies["t1"].decision, tallies["t1"].yes_fraction) == ("label", 1.0)
    assert (tallies["t2"].decision, tallies["t2"].yes, tallies["t2"].no) == ("pending", 2, 1)  # b changed to yes
    assert (tallies["t3"].decision, ignored) == ("rejected", 1)  # a sixth annotator is not counted
    bad = tmp_path / "answers.jsonl"
    bad.write_text('{"task_id": "t1", "annotator": "a", "answer": "yes"}\n{"task_id": "t9", "annotator": "a", '
                   '"answer": "yes"}\n{"task_id": "t1", "annotator": "", "answer": "maybe"}\nnot json\n')
    with pytest.raises(InputError, match="3 bad answers, nothing imported: line 2: unknown task_id 't9'"):
        annotation.read_answers(bad, {"t1": {}})


def test_the_answer_log_keeps_one_answer_per_annotator_and_commits_with_its_files(tmp_path: Path) -> None:
    (tmp_path / "answers.jsonl").write_text(  # a run from before the log: taken in once
        '{"task_id": "t1", "annotator": "a", "answer": "no"}\n{"task_id": "t1", "annotator": "b", "answer": "yes"}\n'
        '{"task_id": "t1", "annotator": "a", "answer": "yes"}\n')
    with AnswerLog(tmp_path) as log:
        assert log.all() == [("t1", "a", "yes"), ("t1", "b", "yes")]  # a changed their answer, kept their place
        with pytest.raises(OSError), log.adding([("t2", "c", "no")]) as everything:
            assert ("t2", "c", "no") in everything  # visible inside the transaction ...
            raise OSError("the derived files could not be written")
        assert log.all() == [("t1", "a", "yes"), ("t1", "b", "yes")]  # ... and gone with it
        with log.adding([("t2", "c", "no")]):
            pass
    (tmp_path / "answers.jsonl").write_text('{"task_id": "t9", "annotator": "z", "answer": "no"}\n')
    with AnswerLog(tmp_path) as log:  # the legacy file is not taken in twice
        assert log.all() == [("t1", "a", "yes"), ("t1", "b", "yes"), ("t2", "c", "no")]


def test_pools_url_lists_and_yfcc_metadata(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# crawled\nhttp://a.example/1.jpg n02084071\n\nhttps://b.example/2.png\n")
    items = url_list_pool(urls)
    assert [(i.url, i.query) for i in items] == [("http://a.example/1.jpg", "n02084071"),
                                                 ("https://b.example/2.png", None)]
    urls.write_text("http://a.example/1.jpg\njavascript:alert(1)\n")
    with pytest.raises(InputError, match=r"urls.txt:2: expected 'URL \[CONCEPT\]'"):
        url_list_pool(urls)
    rows = [{"photo_id": 1, "url": "http://x/1.jpg", "title": "My Golden Retriever", "tags": "dog,park",
             "date_uploaded": 1200000000},
            {"photo_id": 2, "url": "http://x/2.jpg", "title": "retrievers", "tags": "", "date_uploaded": 1300000000},
            {"photo_id": 3, "url": "http://x/3.jpg", "title": "sunset", "tags": "golden+retriever",
             "date_uploaded": 1400000000}]
    meta = tmp_path / "yfcc.jsonl"
    meta.write_text("\n".join(json.dumps(r) for r in rows))
    queries = [{"query": "golden retriever", "concept": "n02099601"}]
    assert [i.url for i in yfcc_pool(meta, queries)] == ["http://x/1.jpg", "http://x/3.jpg"]
    assert [i.url for i in yfcc_pool(meta, queries, uploaded_from=1300000000)] == ["http://x/3.jpg"]


# ---------------------------------------------------------------------- rounds, end to end
@pytest.fixture()
def pool_files(server: ImageServer, wordnet_store: Store, tmp_path: Path) -> dict[str, Path]:
    ids = {name: wordnet_store.resolve_one(name) for name in LABEL_NAMES}
    labels = tmp_path / "labels.txt"
    labels.write_text("".join(f"{ids[n]}\n" for n in LABEL_NAMES))
    lines = [f"{server.url('img/' + photo)} {ids[name]}" for photo, name in PHOTO_QUERIES.items()]
    lines += [f"{server.url('missing/x.png')} {ids['dog']}", f"{server.url('html')} {ids['dog']}",
              f"{server.url('redirect/1/chelsea.png')} {ids['cat']}"]
    urls = tmp_path / "pool.txt"
    urls.write_text("\n".join(lines) + "\n")
    evaluation = tmp_path / "eval"
    evaluation.mkdir()
    from PIL import Image

    with Image.open(PHOTOS / "horse.png") as horse:  # the evaluation set holds a smaller copy of one photo
        horse.convert("RGB").resize((200, 160)).save(evaluation / "horse-small.jpg", quality=70)
    return {"labels": labels, "urls": urls, "eval": evaluation}


def config(files: dict[str, Path], **options: Any) -> RoundConfig:
    return RoundConfig(pool={"kind": "urls", "path": str(files["urls"])}, labels=str(files["labels"]), model=MODEL,
                       budget=4, eval_sets=(str(files["eval"]),), allowed_networks=("127.0.0.0/8",), shard_size=4,
                       **options)


def test_a_round_runs_end_to_end_and_answers_make_the_labeled_pool(
        pool_files: dict[str, Path], wordnet_store: Store, tmp_path: Path) -> None:
    run = Run(tmp_path / "run", config(pool_files))
    state = run_round(run, wordnet_store)
    assert state.complete and state.round == 1
    counts = state.counts
    assert counts["pool"] == 12 and counts["fetch_errors"] == 2 and counts["near_duplicates"] == 1
    assert counts["embedded"] == 9  # 12 - 2 failures - 1 copy of an evaluation image
    assert counts["in_distribution"] + counts["ood"] + counts["unchecked"] == 9
    assert counts["selected"] == 4 and counts["tasks"] == 4
    assert state.errors == {"HTTP 404": 1, "not an image": 1}
    scored = read_jsonl(run.round_dir(1) / "scored.jsonl")
    assert all(len(row["top5"]) == 5 and -1 <= row["query_score"] <= 1 for row in scored)

    tasks = read_jsonl(run.round_dir(1) / "tasks.jsonl")
    assert {t["annotators"] for t in tasks} == {5}
    first, second = tasks[0], tasks[1]
    assert first["description"] == wordnet_store.concept(first["concept"]).gloss
    assert first["question"] == f"Is this a {wordnet_store.concept(first['concept']).name}?"
    answers = tmp_path / "answers.jsonl"
    votes = zip("abcde", ["yes", "yes", "yes", "no", "no"], strict=True)
    rows = [{"task_id": first["task_id"], "annotator": a, "answer": v} for a, v in votes]
    rows += [{"task_id": second["task_id"], "annotator": a, "answer": "no"} for a in "abc"]
    answers.write_text("\n".join(json.dumps(r) for r in rows))
    result = import_answers(run, wordnet_store, answers)
    assert (result["labels"], result["rejected"], result["pending"]) == (1, 1, 2)
    labeled = read_jsonl(run.folder / "labeled.jsonl")
    assert labeled[0]["concept"] == first["concept"] and labeled[0]["yes_fraction"] == 0.6
    index = [line.strip() for line in pool_files["labels"].read_text().splitlines()].index(first["concept"])
    assert (run.folder / "meta.txt").read_text() == f"{first['image_url']} {index}\n"

    again = run_round(run, wordnet_store)  # round 2: the images already asked about are not in its pool
    assert again.round == 2 and again.counts["pool"] == 12 - 4


def test_an_interrupted_round_resumes_without_fetching_again(
        pool_files: dict[str, Path], wordnet_store: Store, server: ImageServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run = Run(tmp_path / "run", config(pool_files, sampler="margin"))
    real = ShardWork.__call__
    calls = {"n": 0}

    def interrupted(self: ShardWork, items: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the operator stops the run in the middle of the third shard
        return real(self, items)

    monkeypatch.setattr(ShardWork, "__call__", interrupted)
    server.requests.clear()
    with pytest.raises(KeyboardInterrupt):
        run_round(run, wordnet_store)
    assert run.state(1).done == ["pool"]
    assert sorted(p.name for p in (run.round_dir(1) / "shards").glob("*.jsonl")) == ["00000.jsonl", "00001.jsonl"]
    before = sum(server.requests.values())
    monkeypatch.setattr(ShardWork, "__call__", real)
    state = run_round(run, wordnet_store)
    assert state.complete and state.counts["embedded"] == 9
    # only the last shard's 4 images were fetched (5 requests: one of them is behind a redirect)
    assert sum(server.requests.values()) - before == 5
    assert server.requests["/img/coffee.png"] == 1 and server.requests["/redirect/1/chelsea.png"] == 1


def test_the_cli_runs_a_round_exports_tasks_and_imports_answers(
        pool_files: dict[str, Path], tmp_path: Path, wordnet_store_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    run_dir, store = tmp_path / "run", str(wordnet_store_path)
    status = main(["pipeline", "round", "--store", store, "--run-dir", str(run_dir), "--pool-urls",
                   str(pool_files["urls"]), "--labels", str(pool_files["labels"]), "--arch", "ViT-S-32",
                   "--random-init", "--budget", "3", "--allow-network", "127.0.0.0/8", "--sampler", "coreset",
                   "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["counts"]["tasks"] == 3 and out["done"][-1] == "tasks"
    assert main(["pipeline", "tasks", "--run-dir", str(run_dir), "-o", str(tmp_path / "tasks.jsonl")]) == 0
    tasks = read_jsonl(tmp_path / "tasks.jsonl")
    answers = tmp_path / "answers.jsonl"
    answers.write_text("".join(json.dumps({"task_id": t["task_id"], "annotator": a, "answer": "yes"}) + "\n"
                               for t in tasks for a in "xyz"))
    assert main(["pipeline", "answers", "--store", store, "--run-dir", str(run_dir), str(answers)]) == 0
    assert "3 labels, 0 rejected, 0 pending" in capsys.readouterr().out
    assert len((run_dir / "meta.txt").read_text().splitlines()) == 3
    # without a checkpoint or --random-init: a clear error, before anything is fetched
    status = main(["pipeline", "round", "--store", store, "--run-dir", str(tmp_path / "other"), "--pool-urls",
                   str(pool_files["urls"]), "--labels", "imagenet1k", "--arch", "ViT-S-32"])
    assert status == 2 and "nothing is downloaded" in capsys.readouterr().err
    status = main(["pipeline", "round", "--store", store, "--run-dir", str(tmp_path / "other"), "--pool-urls",
                   str(tmp_path / "missing.txt"), "--labels", "imagenet1k", "--arch", "ViT-S-32", "--random-init"])
    assert status == 2 and "no such pool urls:" in capsys.readouterr().err
    status = main(["pipeline", "round", "--store", str(tmp_path / "no.sqlite"), "--run-dir", str(tmp_path / "other"),
                   "--pool-urls", str(pool_files["urls"]), "--labels", "imagenet1k", "--arch", "ViT-S-32",
                   "--random-init"])
    assert status == 2 and "no store at" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()


def test_the_embedding_stage_runs_on_a_local_ray(pool_files: dict[str, Path], wordnet_store: Store,
                                                  tmp_path: Path) -> None:
    import ray  # the ray extra: scripts/test.sh installs it
    local = Run(tmp_path / "local", config(pool_files))
    on_ray = Run(tmp_path / "ray", config(pool_files, ray=True))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        run_round(local, wordnet_store, stop_after="embed")
        run_round(on_ray, wordnet_store, stop_after="embed")
    finally:
        ray.shutdown()
    for shard in sorted((local.round_dir(1) / "shards").glob("*.jsonl")):
        twin = on_ray.round_dir(1) / "shards" / shard.name
        assert read_jsonl(shard) == read_jsonl(twin)
        np.testing.assert_allclose(np.load(shard.with_suffix(".npy")), np.load(twin.with_suffix(".npy")), atol=1e-5)


def test_a_model_loads_from_a_local_checkpoint_and_scores_in_batches(tmp_path: Path) -> None:
    import torch
    from PIL import Image

    from retrieval.embed import ClipEmbedder, ModelSpec

    random = ClipEmbedder(ModelSpec("ViT-S-32", random_init=True), batch_size=2)
    checkpoint = tmp_path / "vit-s-32.pt"
    torch.save(random.model.state_dict(), checkpoint)
    loaded = ClipEmbedder(ModelSpec("ViT-S-32", checkpoint=str(checkpoint)), batch_size=4, seed=99)
    photos = [Image.open(PHOTOS / name).convert("RGB") for name in ("chelsea.png", "coffee.png", "rocket.jpg")]
    a, b = random.images(photos), loaded.images(photos)  # batches of 2 and of 4: the same answer
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert a.shape == (3, 384) and np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    concepts = random.concepts([["cat", "house cat"], ["rocket"]])
    assert concepts.shape == (2, 384) and np.allclose(np.linalg.norm(concepts, axis=1), 1.0, atol=1e-5)
    with pytest.raises(InputError, match="unknown open_clip architecture 'ViT-Q-1'"):
        ClipEmbedder(ModelSpec("ViT-Q-1", random_init=True))
    with pytest.raises(InputError, match="no such checkpoint file"):
        ModelSpec("ViT-S-32", checkpoint=str(tmp_path / "missing.pt"))


def test_a_yfcc_pool_is_searched_with_the_crawl_queries_of_its_concepts(
        server: ImageServer, wordnet_store: Store, tmp_path: Path) -> None:
    rows = [{"photo_id": 1, "url": server.url("img/chelsea.png"), "title": "our tabby", "tags": "house+cat,sofa",
             "date_uploaded": 1300000000},
            {"photo_id": 2, "url": server.url("img/rocket.jpg"), "title": "launch day", "tags": "rocket",
             "date_uploaded": 1300000001},
            {"photo_id": 3, "url": server.url("img/horse.png"), "title": "Pferd", "tags": "",
             "date_uploaded": 1300000002}]
    meta = tmp_path / "yfcc.jsonl"
    meta.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    cat, rocket = wordnet_store.resolve_one("house cat"), wordnet_store.resolve_one("rocket")
    labels = tmp_path / "labels.txt"
    labels.write_text(f"{cat}\n{rocket}\n")
    run = Run(tmp_path / "run", RoundConfig(
        pool={"kind": "yfcc", "path": str(meta), "concepts": ["house cat", "rocket"]}, labels=str(labels),
        model=MODEL, budget=2, allowed_networks=("127.0.0.0/8",)))
    run_round(run, wordnet_store, stop_after="pool")
    pool = read_jsonl(run.round_dir(1) / "pool.jsonl")
    assert [(row["url"].rsplit("/", 1)[1], row["query"]) for row in pool] == [("chelsea.png", cat),
                                                                               ("rocket.jpg", rocket)]


def test_scores_match_a_direct_computation() -> None:
    from retrieval.scoring import LOGIT_SCALE, score

    rng = np.random.default_rng(5)
    classes = rng.normal(size=(30, 16)).astype(np.float32)
    classes /= np.linalg.norm(classes, axis=1, keepdims=True)
    images = rng.normal(size=(50, 16)).astype(np.float32)
    images /= np.linalg.norm(images, axis=1, keepdims=True)
    rows = rng.integers(-1, 30, size=50)
    found = score(images, classes, rows)
    logits = LOGIT_SCALE * images.astype(np.float64) @ classes.T.astype(np.float64)
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    for i in range(50):
        ranked = sorted(range(30), key=lambda c, i=i: -probs[i, c])
        assert found.top5[i].tolist() == ranked[:5]
        assert found.margin[i] == pytest.approx(probs[i, ranked[0]] - probs[i, ranked[1]], abs=1e-5)
        assert found.entropy[i] == pytest.approx(-(probs[i] * np.log(probs[i])).sum(), abs=1e-4)
        expected = float(images[i] @ classes[rows[i]]) if rows[i] >= 0 else None
        assert (np.isnan(found.query_score[i]) if expected is None else found.query_score[i] == pytest.approx(expected,
                                                                                                              abs=1e-5))
