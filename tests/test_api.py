"""The HTTP API: in-process for the routes, a real uvicorn server for end to end, concurrency and
Schemathesis."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import current_settings
from api.settings import Settings
from taxonomy import Store
from taxonomy.keys import hash_key
from tests.conftest import annotation_run, cat_task, copy_store
from tests.sparql import free_port, wait_until_serving

pytestmark = pytest.mark.slow
KEY = "key-of-ann-0123456789"
DOG, CAT, GOLDEN, LABRADOR = "n02084071", "n02121808", "n02099601", "n02099712"
TASKS = 40  # image tasks in the served run directory


def client_for(path: Path, per_minute: int = 120, reads_need_key: bool = False) -> TestClient:
    app = create_app(path)
    settings = Settings(store_path=path, key_hashes={hash_key(KEY): "ann"}, writes_per_minute=per_minute,
                        reads_need_key=reads_need_key)
    app.dependency_overrides[current_settings] = lambda: settings
    return TestClient(app)


@pytest.fixture(scope="module")
def reader(wordnet_store_path: Path) -> TestClient:
    return client_for(wordnet_store_path)


@pytest.fixture()
def writer(wordnet_store_path: Path, tmp_path: Path) -> TestClient:
    return client_for(copy_store(wordnet_store_path, tmp_path))


def test_reads(reader: TestClient) -> None:
    dog = reader.get(f"/concepts/{DOG}").json()
    assert dog["name"] == "dog" and [p["id"] for p in dog["parents"]] == ["n02083346", "n01317541"]
    assert ("zh", "狗") in [(t["lang"], t["name"]) for t in dog["translations"]]
    assert reader.get(f"/concepts/{DOG}/ancestors").json()[-1] == {"id": "n00001740", "name": "entity"}
    page = reader.get(f"/concepts/{DOG}/descendants", params={"offset": 2, "limit": 3}).json()
    assert page["total"] == 189 and len(page["items"]) == 3 and page["offset"] == 2
    assert reader.get(f"/concepts/{DOG}/children", params={"limit": 1}).json()["total"] == 18
    assert len(reader.get(f"/concepts/{DOG}/paths").json()["paths"]) == 2
    assert {c["id"] for c in reader.get(f"/concepts/{DOG}/lca/{CAT}").json()["lowest"]} == {"n02075296", "n01317541"}
    assert reader.get(f"/concepts/{LABRADOR}/is-a/{DOG}").json()["is_a"] is True
    assert reader.get(f"/concepts/{GOLDEN}/related").json()["total"] == 6
    assert reader.get("/search", params={"q": "golden retr"}).json()[0]["id"] == GOLDEN
    assert reader.get("/search", params={"q": "goldn retriever"}).json()[0]["id"] == GOLDEN  # fuzzy
    assert reader.get("/datasets/imagenet21k/labels/2167").json()["concept"] == DOG
    assert reader.get("/datasets/imagenet1k/labels", params={"limit": 2}).json()["total"] == 1000
    assert {d["name"] for d in reader.get("/datasets").json()} >= {"imagenet1k", "imagenet21k"}
    assert reader.get(f"/concepts/{DOG}/tags").json()["visual"]["prior_method"] == "dataset label"
    assert reader.get(f"/concepts/{DOG}/queries", params={"cap": 3}).json()[0]["query"] == "dog"
    subtree = reader.get(f"/concepts/{GOLDEN}/bamboo").json()
    assert subtree["id2name"] == {GOLDEN: ["golden retriever"]}
    assert reader.get("/concepts/n00001740/bamboo").status_code == 413
    spec = reader.get("/openapi.json").json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"get_concept", "get_ancestors", "post_vote", "link_names", "classify_images"} <= operations
    assert reader.get("/docs").status_code == 200


def test_names_where_the_cli_takes_them_and_limits_on_every_list(reader: TestClient) -> None:
    assert reader.get("/concepts/dog").json()["id"] == DOG  # the most frequent sense, as in the CLI
    assert reader.get("/concepts/golden retriever/tags").json()["id"] == GOLDEN
    assert reader.get("/concepts/Labrador retriever/is-a/dog").json() == {"concept": LABRADOR, "ancestor": DOG,
                                                                        "is_a": True}
    missing = reader.get("/concepts/dogg")
    assert missing.status_code == 404 and "dog" in missing.json()["error"]["message"]  # with close names
    ancestors = reader.get(f"/concepts/{DOG}/ancestors", params={"limit": 2}).json()
    assert [a["id"] for a in ancestors] == ["n02083346", "n02075296"]
    assert len(reader.get(f"/concepts/{DOG}/ancestors").json()) == 14
    assert reader.get(f"/concepts/{DOG}/ancestors", params={"limit": 0}).status_code == 422


def test_the_docs_pages_need_no_internet(reader: TestClient) -> None:
    for page, asset in (("/docs", "/docs-static/swagger-ui-bundle.js"), ("/redoc", "/docs-static/redoc.standalone.js")):
        html = reader.get(page).text
        assert asset in html and "cdn.jsdelivr" not in html and "fonts.googleapis" not in html, page
        served = reader.get(asset)
        assert served.status_code == 200 and len(served.content) > 500_000  # the script itself, from this server


def test_errors_have_one_shape(reader: TestClient) -> None:
    missing = reader.get("/concepts/n0208407")
    assert missing.status_code == 404
    assert missing.json()["error"]["close_matches"][0] == DOG
    assert set(missing.json()["error"]) == {"status", "code", "message", "close_matches"}
    invalid = reader.get(f"/concepts/{DOG}/descendants", params={"limit": 0})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid"
    assert reader.get("/nowhere").json()["error"]["status"] == 404
    assert reader.get("/datasets/imagenet1k/labels/5000").status_code == 404
    assert reader.post("/ood/classify", json={"items": []}).status_code == 422
    assert reader.post(f"/concepts/{DOG}/votes", json={"visual": "yes"}).status_code == 401


def test_votes_subsets_and_the_rate_limit(wordnet_store_path: Path, tmp_path: Path) -> None:
    client = client_for(copy_store(wordnet_store_path, tmp_path), per_minute=6)
    headers = {"Authorization": f"Bearer {KEY}"}
    voted = client.post(f"/concepts/{DOG}/votes", json={"visual": "yes"}, headers=headers)
    assert voted.status_code == 200 and voted.json()["visual"]["votes"] == {"ann": 1}
    assert client.post(f"/concepts/{DOG}/votes", json={"visual": "maybe"}, headers=headers).status_code == 422
    assert client.post(f"/concepts/{DOG}/votes", json={}, headers=headers).status_code == 422
    subset = client.post("/subsets", json={"name": "dogs", "where": "dataset=imagenet1k", "under": DOG},
                         headers=headers)
    assert subset.status_code == 201 and subset.json()["size"] == 118
    statuses = [client.post(f"/concepts/{DOG}/votes", json={"common": "no"}, headers=headers) for _ in range(6)]
    limited = statuses[-1]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    assert f"retry in {limited.headers['Retry-After']} s" in limited.json()["error"]["message"]  # one figure
    assert client.post(f"/concepts/{DOG}/votes", json={"visual": "no"},
                       headers={"X-API-Key": "not-a-key-at-all-000"}).status_code == 401
    assert client.get("/subsets/dogs/members", params={"limit": 2}).json()["total"] == 118
    assert client.get("/subsets/dogs").json()["version"] == 1


def test_wrong_keys_are_throttled_per_address(tiny_store_path: Path) -> None:
    client = client_for(tiny_store_path)
    wrong = [client.get("/concepts/dog", headers={"X-API-Key": f"guess-number-{i:08d}"}) for i in range(20)]
    assert [r.status_code for r in wrong] == [401] * 20
    throttled = client.get("/concepts/dog", headers={"X-API-Key": "guess-number-00000021"})
    assert throttled.status_code == 429 and "too many unknown API keys" in throttled.json()["error"]["message"]
    assert f"retry in {throttled.headers['Retry-After']} s" in throttled.json()["error"]["message"]
    # while it lasts no key is checked from this address, the right one neither (a guess cannot be confirmed)
    assert client.post("/concepts/dog/votes", json={"visual": "yes"}, headers={"X-API-Key": KEY}).status_code == 429
    assert client.get("/concepts/dog").status_code == 200  # reads without a key go on


def test_the_write_limit_is_shared_by_worker_processes(tiny_store_path: Path) -> None:
    client = client_for(tiny_store_path, per_minute=6)
    other_worker = ("import sys; from api.ratelimit import RateLimiter, limits_path; "
                    "limiter = RateLimiter(limits_path(sys.argv[1])); "
                    "print(sum(limiter.take('writes of ann', 6) == 0 for _ in range(5)))")
    spent = subprocess.run([sys.executable, "-c", other_worker, str(tiny_store_path)], capture_output=True,
                           text=True, check=True)
    assert spent.stdout.strip() == "5"  # another process spent 5 of the 6
    headers = {"X-API-Key": KEY}
    statuses = [client.post("/concepts/dog/votes", json={"visual": "yes"}, headers=headers).status_code
                for _ in range(3)]
    assert statuses == [200, 429, 429]


def test_reads_can_require_a_key(wordnet_store_path: Path) -> None:
    closed = client_for(wordnet_store_path, reads_need_key=True)
    assert closed.get(f"/concepts/{DOG}").status_code == 401
    assert closed.get(f"/concepts/{DOG}", headers={"X-API-Key": KEY}).status_code == 200


def test_ood_batch(reader: TestClient) -> None:
    answer = reader.post("/ood/classify", json={"labels": "imagenet1k", "items": [
        {"query": GOLDEN, "predictions": ["n02085620", LABRADOR]},
        {"query": GOLDEN, "predictions": [151, 207], "probs": [0.9, 0.05]},
        {"query": GOLDEN, "predictions": [151, 207], "probs": [0.9, 0.05]},
        {"query": "n99999999", "predictions": [LABRADOR]},
    ], "min_prob": None}).json()
    assert [r["in_distribution"] for r in answer["results"]] == [True, True, True, None]
    assert answer["results"][0]["matched"] == LABRADOR and "unknown query n99999999" in answer["results"][3]["error"]
    strict = reader.post("/ood/classify", json={"labels": "imagenet1k", "min_prob": 0.5, "items": [
        {"query": GOLDEN, "predictions": [151, 207], "probs": [0.9, 0.05]}]}).json()
    assert strict["results"][0]["in_distribution"] is False and strict["ood"] == 1
    truthy = reader.post("/ood/classify", json={"labels": "imagenet1k",
                                                "items": [{"query": GOLDEN, "predictions": [True]}]})
    assert truthy.status_code == 422  # true is no class index


def test_ood_the_api_and_the_cli_take_and_refuse_the_same(reader: TestClient, wordnet_store_path: Path,
                                                           tmp_path: Path) -> None:
    from taxonomy.cli import main

    items = [{"query": GOLDEN, "predictions": [151, 207], "probs": [0.9, 0.05]},
             {"query": GOLDEN, "predictions": [207, 151]},  # no probabilities: min_prob cannot apply
             {"query": GOLDEN, "predictions": [207, 151], "probs": [0.9]},  # probabilities that do not match
             {"query": "n99999999", "predictions": [LABRADOR]},
             {"query": GOLDEN, "predictions": ["n99999999", LABRADOR], "probs": [0.6, 0.3]}]  # none readable
    api = reader.post("/ood/classify", json={"labels": "imagenet1k", "min_prob": 0.5, "items": items}).json()
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"query": i["query"], "labels": i["predictions"],
                                        **({"label_probs": i["probs"]} if "probs" in i else {})}) + "\n"
                            for i in items), encoding="utf-8")
    out = tmp_path / "decisions.jsonl"
    assert main(["ood", "classify", str(rows), "--labels", "imagenet1k", "--min-prob", "0.5", "-o", str(out),
                 "--store", str(wordnet_store_path)]) == 0
    cli = {row["line"]: row["in_distribution"] for row in map(json.loads, out.read_text().splitlines())}
    assert [r["in_distribution"] for r in api["results"]] == [cli.get(n) for n in range(1, len(items) + 1)]
    assert [r["error"] is not None for r in api["results"]] == [False, True, True, True, True]


def test_link_through_the_api(embedded_store_path: Path, tmp_path: Path) -> None:
    client = client_for(copy_store(embedded_store_path, tmp_path))
    body = {"items": [{"name": "Sumatran orangutan", "description": "an orangutan of Sumatra"}, {"name": ""}],
            "review_below": 0}  # commit every link (the review queue: test_review.py)
    dry = client.post("/link", json={**body, "dry_run": True}, headers={"X-API-Key": KEY}).json()
    assert dry["committed"] is False and dry["results"][0]["decision"] == "child"
    assert dry["results"][1]["error"] == "the name is empty"
    done = client.post("/link", json=body, headers={"X-API-Key": KEY}).json()
    assert done["committed"] and done["new_concepts"] == 1
    new = done["results"][0]["concept"]
    assert client.get(f"/concepts/{new}").json()["parents"][0]["id"] == "n02480495"
    again = client.post("/link", json=body, headers={"X-API-Key": KEY}).json()
    assert again["new_concepts"] == 0 and again["results"][0]["decision"] == "same"
    kite = {"items": [{"name": "kite"}], "dry_run": True}
    assert client.post("/link", json=kite, headers={"X-API-Key": KEY}).json()["results"][0]["concept"] == "n13382471"
    visual = client.post("/link", json={**kite, "visual": True}, headers={"X-API-Key": KEY}).json()
    assert visual["results"][0]["concept"] == "n03621473"  # a dataset label: the toy, not the bank check


# ---------------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def server(embedded_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``taxonomy serve`` with 2 workers on loopback, over its own copy of the embedded store."""
    folder = tmp_path_factory.mktemp("served")
    path = copy_store(embedded_store_path, folder)
    port = free_port()
    keys = ",".join(f"w{i}:{KEY}-{i:03d}" for i in range(60))
    env = {**os.environ, "TAXONOMY_API_KEYS": keys, "TAXONOMY_RATE_LIMIT": "1000",
           "TAXONOMY_RUN_DIR": str(annotation_run(folder / "run", "http://127.0.0.1:9/never-fetched.jpg", [
               cat_task(f"r1-{i}", f"img{i}", f"http://127.0.0.1:9/{i}.jpg") for i in range(TASKS)]))}
    executable = shutil.which("taxonomy") or sys.executable
    command = [executable, "serve", "--store", str(path), "--port", str(port), "--workers", "2", "--no-access-log"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/concepts/{DOG}", process)
    yield url, path
    process.terminate()
    process.wait(timeout=20)


def call(url: str, method: str = "GET", body: object = None, key: str | None = None) -> tuple[int, dict[str, object]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    if key:
        request.add_header("X-API-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_end_to_end_on_a_real_server(server: tuple[str, Path]) -> None:
    url, _ = server
    status, dog = call(f"{url}/concepts/{DOG}")
    assert status == 200 and dog["name"] == "dog"
    status, error = call(f"{url}/concepts/nope")
    assert status == 404 and "error" in error


def test_each_worker_gets_its_share_of_the_cores(server: tuple[str, Path]) -> None:
    """The 2 workers' BLAS and OpenMP pools get half the cores each (whole pools in both thrash)."""
    _, path = server
    workers = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            variables = dict(v.split("=", 1) for v in environ.read_bytes().decode().split("\0") if "=" in v)
        except (OSError, UnicodeDecodeError):
            continue  # a process gone meanwhile, or not ours to read
        if variables.get("TAXONOMY_STORE") == str(path):
            workers.append(variables)
    share = str(max(1, (os.cpu_count() or 1) // 2))
    assert len(workers) >= 2  # the processes uvicorn spawned: its workers (and a helper of theirs)
    assert all(w["OPENBLAS_NUM_THREADS"] == w["OMP_NUM_THREADS"] == share for w in workers)


def test_fifty_concurrent_writers_lose_nothing(server: tuple[str, Path]) -> None:
    url, path = server
    with Store.open(path) as store:
        targets = [c for c in store.graph.descendants(DOG)][:40]

    def vote(i: int) -> int:
        return call(f"{url}/concepts/{targets[i]}/votes", "POST", {"visual": "yes"}, key=f"{KEY}-{i:03d}")[0]

    names = ["Sumatran orangutan", "Bornean orangutan", "Tapanuli orangutan", "Siberian husky puppy",
             "Arabian horse foal", "Bengal tiger cub", "Sockeye salmon fillet", "Alpine goat kid",
             "Persian cat kitten", "Shetland pony foal"]

    def link(i: int) -> tuple[int, dict[str, object]]:
        body = {"items": [{"name": names[i]}], "review_below": 0}  # every link commits: none waits for review
        return call(f"{url}/link", "POST", body, key=f"{KEY}-{40 + i:03d}")

    with ThreadPoolExecutor(50) as pool:
        votes = [pool.submit(vote, i) for i in range(40)]
        links = [pool.submit(link, i) for i in range(10)]
        vote_statuses = [f.result() for f in votes]
        answers = [f.result() for f in links]
    assert vote_statuses == [200] * 40 and [status for status, _ in answers] == [200] * 10
    created = [a["results"][0]["concept"] for _, a in answers if a["results"][0]["decision"] == "child"]  # type: ignore[index]
    assert len(created) >= 8
    with Store.open(path) as store:
        recorded = len(list(store.table_rows("votes")))
        assert all(c in store.graph and store.graph.parents(c) for c in created)  # every link is there
    assert recorded == 40


def test_concurrent_annotation_answers_through_two_workers_are_all_kept(server: tuple[str, Path]) -> None:
    url, path = server
    run = path.parent / "run"

    def answer(job: tuple[int, int]) -> int:
        task, annotator = job
        body = {"task_id": f"r1-{task}", "answer": "yes" if annotator < 3 else "no"}
        return call(f"{url}/annotation/answers", "POST", body, key=f"{KEY}-{annotator:03d}")[0]

    jobs = [(task, annotator) for task in range(TASKS) for annotator in range(5)]
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(answer, jobs))
    assert statuses == [200] * len(jobs)
    with sqlite3.connect(run / "answers.sqlite") as conn:
        kept = sorted(conn.execute("SELECT task_id, annotator, answer FROM answers"))
    assert len(kept) == len(jobs) == 5 * TASKS  # every acknowledged answer, once
    labeled = [json.loads(line) for line in (run / "labeled.jsonl").read_text().splitlines()]
    assert sorted(row["task_id"] for row in labeled) == sorted(f"r1-{t}" for t in range(TASKS))
    assert all((row["yes"], row["no"], row["class_index"]) == (3, 2, 0) for row in labeled)
    assert len((run / "meta.txt").read_text().splitlines()) == TASKS


def test_serve_says_where_it_listens_and_logs_each_request(tiny_store_path: Path, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-c", "from taxonomy.cli import run; run()", "serve", "--store",
                                    str(tiny_store_path), "--port", str(port)], stdout=err, stderr=err)
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/concepts/dog", process)
            assert call(f"http://127.0.0.1:{port}/concepts/cat")[0] == 200
        finally:
            process.terminate()
            process.wait(timeout=20)
    text = log.read_text()
    url = f"http://127.0.0.1:{port}"
    assert f"serving {tiny_store_path} at {url} (1 worker); API docs at {url}/docs" in text
    assert '"GET /concepts/cat HTTP/1.1" 200' in text, text  # the access log


def test_schemathesis_finds_no_server_error(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    st = shutil.which("st") or shutil.which("schemathesis")
    assert st, "schemathesis comes with the dev extra"
    done = subprocess.run(
        [st, "run", f"{url}/openapi.json", "--checks", "not_a_server_error", "--max-examples", "25",
         "--exclude-operation-id", "link_names", "-H", f"X-API-Key: {KEY}-059", "--seed", "1",
         "--request-timeout", "30", "--phases", "examples,coverage,fuzzing"],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)  # its cache stays out of the tree
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.split("Test cases:")[-1]
    assert " passed" in summary and "failed" not in summary, summary


def test_a_small_store_in_process(tiny_store_path: Path) -> None:
    client = client_for(tiny_store_path)
    for junk in ("/concepts/%00%ff..%2f", "/concepts/..%2f", "/concepts/dog/"):  # no redirect to a junk location
        answer = client.get(junk, follow_redirects=False)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    dog = client.get("/concepts/dog").json()
    assert [p["id"] for p in dog["parents"]] == ["canine", "pet"]
    assert client.get("/concepts/corgi/is-a/pet").json()["is_a"] is True
    assert client.get("/search", params={"q": "corg"}).json()[0]["id"] == "corgi"
    assert client.get("/search", params={"q": "o", "offset": 1, "limit": 1}).status_code == 200
    assert client.get("/concepts/dogg").json()["error"]["close_matches"] == ["dog"]


def test_bodies_are_bounded_before_they_are_read(tiny_store_path: Path) -> None:
    client = client_for(tiny_store_path)
    big = b'{"items": [' + b'{"query": "dog", "predictions": ["corgi"]},' * 250_000 + b'{"query": "dog"}]}'
    answer = client.post("/ood/classify", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and "at most 8,388,608" in answer.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted as it arrives
        yield b'{"items": ['
        for _ in range(100_000):
            yield b'{"name": "dog"},'
        yield b'{"name": "cat"}]}'

    streamed = client.post("/link", content=chunks(), headers={"Content-Type": "application/json", "X-API-Key": KEY})
    assert streamed.status_code == 413
    keyless = client.post("/link", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"})
    assert keyless.status_code == 401  # no key: refused before the body is read
    many = {"items": [{"query": "dog", "predictions": ["corgi"] * 101}]}
    assert client.post("/ood/classify", json=many).status_code == 422  # at most 100 predictions an item


def test_security_headers(tiny_store_path: Path) -> None:
    client = client_for(tiny_store_path)
    page, api = client.get("/ui/concepts/dog"), client.get("/concepts/dog")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    for answer in (page, api):
        assert answer.headers["x-content-type-options"] == "nosniff" and answer.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" not in api.headers  # JSON needs no page policy


def test_each_app_keeps_its_own_answers(tiny_store_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    shutil.copy(tiny_store_path, other)
    with sqlite3.connect(other) as conn:  # the same graph version, another gloss
        conn.execute("UPDATE concepts SET gloss = 'a gloss only the other store has' WHERE id = 'dog'")
    first, second = client_for(tiny_store_path), client_for(other)
    assert first.get("/concepts/dog").json()["gloss"] != "a gloss only the other store has"
    assert second.get("/concepts/dog").json()["gloss"] == "a gloss only the other store has"
