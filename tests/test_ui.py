"""The web UI in a real headless Chromium (Debian's), driven by Playwright, against a real
`taxonomy serve` on loopback: search, navigate, vote with the keyboard, see the consensus change.
Screenshots are kept in artifacts/ui/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from retrieval.writers import read_jsonl
from taxonomy.cli import main
from tests.conftest import annotation_run, cat_task, copy_store
from tests.images import ImageServer, image_server
from tests.sparql import free_port, wait_until_serving

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "ui"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
KEYS = {f"ann{i}": f"key-of-annotator-number-{i}" for i in range(1, 4)}
GOLDEN = "n02099601"


@pytest.fixture(scope="module")
def photos() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


@contextmanager
def serving(store: Path, run: Path) -> Iterator[str]:
    """`taxonomy serve` over ``store`` with the annotators' keys and the run, on a free port."""
    port = free_port()
    env = {**os.environ, "TAXONOMY_API_KEYS": ",".join(f"{n}:{k}" for n, k in KEYS.items()),
           "TAXONOMY_RUN_DIR": str(run)}
    process = subprocess.Popen([sys.executable, "-c", "from taxonomy.cli import run; run()", "serve", "--store",
                                str(store), "--port", str(port), "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/ui", process)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def site(wordnet_store_path: Path, photos: ImageServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("ui")
    store = copy_store(wordnet_store_path, folder)
    for words in (["drone"], ["bow", "--visual"]):  # two unsure links (an exact rule, no model) wait for review
        assert main(["link", *words, "--store", str(store)]) == 0
    photo = photos.url("img/chelsea.png")
    run = annotation_run(folder / "run", photo, [cat_task("r1-cat", "cat", photo, [photo])])
    with serving(store, run) as url:
        yield {"url": url, "run": run}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "the UI tests need Debian's chromium (scripts/test.sh installs it)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


def new_page(browser: object) -> object:
    page = browser.new_context().new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(15_000)
    return page


def use_key(page: object, key: str) -> None:
    page.fill("#api-key", key)  # type: ignore[attr-defined]
    page.dispatch_event("#api-key", "change")  # type: ignore[attr-defined]


def test_search_navigate_and_three_votes_decide_a_tag(site: dict, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site['url']}/ui")
    page.get_by_label("Concept name or id").fill("golden retriever")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="golden retriever", exact=True).first.click()
    page.wait_for_url(f"**/ui/concepts/{GOLDEN}")
    assert "an English breed having a long silky golden coat" in page.inner_text("main")
    assert "retriever" in page.inner_text("nav[aria-label='Paths to the root']")
    page.screenshot(path=str(ARTIFACTS / "concept.png"), full_page=True)
    page.get_by_role("link", name="retriever", exact=True).first.click()  # up the hierarchy
    page.wait_for_url("**/ui/concepts/n02099029")
    page.goto(f"{site['url']}/ui/concepts/{GOLDEN}")

    for number, key in enumerate(KEYS.values(), 1):
        voter = new_page(browser)
        voter.goto(f"{site['url']}/ui/tag/{GOLDEN}")
        assert voter.inner_text("h1") == "Is golden retriever a visual concept?"
        use_key(voter, key)
        voter.focus("button[data-answer='yes']")
        voter.keyboard.press("y")
        voter.wait_for_selector(f"text=Recorded “yes”: {number} yes, 0 no")
        if number == 3:
            assert "decision: yes" in voter.inner_text("#status")
            voter.screenshot(path=str(ARTIFACTS / "tag-decided.png"), full_page=True)
        voter.wait_for_url("**question=common")  # then the second question
        voter.keyboard.press("n")
        voter.wait_for_selector("text=Recorded “no”")
        voter.context.close()

    page.reload()
    row = page.inner_text("#tags tr[data-question='visual']")
    assert "yes (votes)" in row and "3 / 0" in row and "1.00" in row
    assert "no (votes)" in page.inner_text("#tags tr[data-question='common']")
    page.screenshot(path=str(ARTIFACTS / "concept-after-votes.png"), full_page=True)


def test_votes_without_a_key_are_not_recorded_and_say_why(site: dict, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site['url']}/ui/tag/n02084071")
    page.keyboard.press("y")
    assert "Enter your API key first" in page.inner_text("#status")
    use_key(page, "not-a-key-of-anyone-here")
    page.focus("button[data-answer='yes']")  # keys typed in a text field are the field's
    page.keyboard.press("y")
    page.wait_for_selector("text=Not recorded")
    page.screenshot(path=str(ARTIFACTS / "tag-refused.png"))


def test_image_annotation_three_of_five_make_a_label(site: dict, browser: object) -> None:
    for number, key in enumerate(KEYS.values(), 1):
        page = new_page(browser)
        page.goto(f"{site['url']}/ui/annotate")
        assert page.inner_text("h1") == "Is this a house cat?"
        assert page.locator("img.subject").evaluate("img => img.naturalWidth") == 451  # the real photo loaded
        use_key(page, key)
        page.focus("button[data-answer='yes']")
        if number == 1:
            page.screenshot(path=str(ARTIFACTS / "annotate.png"), full_page=True)
        page.keyboard.press("y")
        page.wait_for_selector(f"text=Recorded “yes”: {number} yes, 0 no")
        page.wait_for_url("**/ui/annotate?annotator=*")  # this annotator has nothing left to answer
        assert "No task waits" in page.inner_text("main")
        page.context.close()
    labeled = read_jsonl(site["run"] / "labeled.jsonl")
    assert [(row["image_id"], row["concept"], row["yes"]) for row in labeled] == [("cat", "n02121808", 3)]
    assert (site["run"] / "meta.txt").read_text().split() == [labeled[0]["url"], "0"]


def test_a_reviewer_corrects_one_link_and_rejects_another_from_the_keyboard(site: dict, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site['url']}/ui")
    page.get_by_role("link", name="Review links").click()
    page.wait_for_url("**/ui/review")
    assert "2 pending" in page.inner_text("main")
    use_key(page, KEYS["ann1"])
    drone = page.locator("form.review-item").nth(0)
    assert "the same as drone (n02207179), proposed by exact" in drone.inner_text()
    drone.get_by_label("an aircraft without a pilot", exact=False).check()  # the aircraft, not the bee
    page.keyboard.press("a")
    drone.locator("text=Accepted: same n03245889").wait_for()
    bow = page.locator("form.review-item").nth(1)  # the weapon, a knot, a ship's or a violin's
    assert bow.locator("input[type=radio]").first.evaluate("e => e === document.activeElement")  # focus moved on
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    page.keyboard.press("r")
    bow.locator("text=Rejected.").wait_for()
    with urllib.request.urlopen(f"{site['url']}/review?status=all") as answer:
        decided = json.loads(answer.read())
    assert [(i["status"], i["reviewer"], (i["outcome"] or {}).get("concept")) for i in decided] == [
        ("accepted", "ann1", "n03245889"), ("rejected", "ann1", None)]
    page.reload()
    assert "No link waits for review" in page.inner_text("main")
    page.context.close()


def test_the_api_docs_render_offline_in_the_browser(site: dict, browser: object) -> None:
    """The machine has no internet: the pages work only if their scripts come from the server."""
    page = new_page(browser)
    page.goto(f"{site['url']}/docs")  # type: ignore[attr-defined]
    page.wait_for_selector(".opblock")  # type: ignore[attr-defined]
    assert page.locator(".opblock").count() > 20  # type: ignore[attr-defined]
    page.goto(f"{site['url']}/redoc")  # type: ignore[attr-defined]
    page.wait_for_selector("h1")  # type: ignore[attr-defined]
    assert "taxonomy" in page.locator("h1").first.inner_text()  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "docs.png"))  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_the_pages_errors_are_pages_and_the_apis_stay_json(wordnet_store_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    client = TestClient(create_app(wordnet_store_path))
    page = client.get("/ui/concepts/n0208407")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "no such concept: &#x27;n0208407&#x27;" in page.text and 'href="/ui/concepts/n02084071"' in page.text
    assert client.get("/ui/tag/n02084071?question=<script>").text.count("<script>") == 0
    api = client.get("/concepts/n0208407")
    assert api.status_code == 404 and api.json()["error"]["close_matches"][0] == "n02084071"


def test_the_ui_lists_the_senses_of_a_name_most_frequent_first(wordnet_store_path: Path) -> None:
    """As `taxonomy show dog` does: the animal, frump, ... andiron last (not second)."""
    import re

    from fastapi.testclient import TestClient

    from api.app import create_app
    from taxonomy import Store

    page = TestClient(create_app(wordnet_store_path)).get("/ui", params={"q": "dog"}).text
    listed = list(dict.fromkeys(re.findall(r'href="/ui/concepts/(n\d{8})"', page)))
    with Store.open(wordnet_store_path) as store:
        senses = store.senses("dog")
    assert listed[: len(senses)] == senses and senses[1] == "n10114209" and senses[-1] == "n02710044"


# ---------------------------------------------------------------------- a grid of one question
PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "data" / "images"
GRID_TASKS = 48


def photo_tasks() -> list[dict[str, object]]:
    """48 "is this a house cat?" tasks over the real photos, as file:// URLs (a folder pool)."""
    photos = sorted(p for p in PHOTOS.iterdir() if p.suffix in (".png", ".jpg"))
    return [cat_task(f"r1-{n:02d}", f"img{n:02d}", photos[n % len(photos)].as_uri()) for n in range(GRID_TASKS)]


@pytest.fixture(scope="module")
def grid_site(wordnet_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A served run of 48 "is this a house cat?" tasks over a folder pool (file:// images)."""
    folder = tmp_path_factory.mktemp("grid")
    store = copy_store(wordnet_store_path, folder)
    tasks = photo_tasks()
    run = annotation_run(folder / "run", PHOTOS.as_uri(), tasks)
    cats = {t["task_id"] for t in tasks if str(t["image_url"]).endswith("chelsea.png")}
    with serving(store, run) as url:
        yield {"url": url, "run": run, "store": store, "cats": cats}


def test_three_annotators_label_48_images_in_a_few_actions_each(grid_site: dict, browser: object) -> None:
    actions_per_annotator = []
    for number, key in enumerate(KEYS.values(), 1):
        page = new_page(browser)
        page.goto(f"{grid_site['url']}/ui/annotate/grid")
        use_key(page, key)
        actions = 0
        for _ in range(GRID_TASKS // 24):
            page.wait_for_selector("button.tile")
            tiles = page.locator("button.tile")
            assert tiles.count() == 24 and page.inner_text("h1") == "Is this a house cat?"
            page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            for n in range(tiles.count()):  # a folder pool's images come through the server
                if tiles.nth(n).get_attribute("data-task") in grid_site["cats"]:
                    tiles.nth(n).click()
                    actions += 1
            if number == 1 and actions <= 3:
                page.screenshot(path=str(ARTIFACTS / "grid.png"), full_page=True)
            with page.expect_navigation(url="**/ui/annotate/grid?annotator=*"):  # the next grid
                page.keyboard.press("s")
                page.wait_for_selector("text=Recorded 24 answers")
            actions += 1
        assert "No task waits" in page.inner_text("main")
        actions_per_annotator.append(actions)
        page.context.close()
    # 48 single pages would take 48 key presses each; the grid took the cats' clicks and two submits
    assert actions_per_annotator == [len(grid_site["cats"]) + 2] * 3 and actions_per_annotator[0] < GRID_TASKS / 4
    labeled = read_jsonl(grid_site["run"] / "labeled.jsonl")
    assert {row["task_id"] for row in labeled} == grid_site["cats"]
    with urllib.request.urlopen(f"{grid_site['url']}/annotation/progress") as answer:
        progress = json.loads(answer.read())
    assert (progress["labels"], progress["rejected"], progress["pending"]) == (len(grid_site["cats"]),
                                                                              GRID_TASKS - len(grid_site["cats"]), 0)
    assert [(a["annotator"], a["answers"], a["agreement"]) for a in progress["annotators"]] == [
        (name, GRID_TASKS, 1.0) for name in KEYS]
    page = new_page(browser)
    page.goto(f"{grid_site['url']}/ui/annotate/progress")
    assert "ann1" in page.inner_text("table") and "100 % of 48" in page.inner_text("table")
    page.context.close()


def test_a_runs_labels_export_to_coco_and_label_studio(grid_site: dict, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from retrieval.answer_log import AnswerLog
    from retrieval.runner import Run, apply_answers
    from taxonomy import Store

    run_dir = annotation_run(tmp_path / "run", PHOTOS.as_uri(), photo_tasks())  # a run nobody answered yet
    with Store.open(grid_site["store"]) as store:  # two cats labeled by three annotators, one image rejected
        cats = sorted(grid_site["cats"])[:2]
        apply_answers(Run(run_dir), store, [(t, a, "yes") for t in cats for a in ("a", "b", "c")]
                      + [("r1-01", a, "no") for a in ("a", "b", "c")] + [("r1-03", "a", "skip")])
    store_args = ["--store", str(grid_site["store"])]
    assert main(["pipeline", "export", "--run-dir", str(run_dir), "--format", "coco", "-o",
                 str(tmp_path / "coco.json"), *store_args]) == 0
    coco = json.loads((tmp_path / "coco.json").read_text())
    assert [c["synset"] for c in coco["categories"]] == ["n02121808", "n02084071"]  # the run's label set
    assert [(a["category_id"], a["attributes"]["yes"]) for a in coco["annotations"]] == [(0, 3), (0, 3)]
    assert {i["file_name"] for i in coco["images"]} == {"chelsea.png"}
    capsys.readouterr()
    assert main(["pipeline", "export", "--run-dir", str(run_dir), "--format", "label-studio", "-o", "-",
                 *store_args]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert len(tasks) == GRID_TASKS and tasks[0]["data"]["image"].startswith("file://")
    by_id = {t["data"]["task_id"]: t for t in tasks}
    assert by_id["r1-01"]["meta"]["decision"] == "rejected"
    assert [a["result"][0]["value"]["choices"] for a in by_id["r1-01"]["annotations"]] == [["no"]] * 3
    assert by_id["r1-03"]["annotations"][0]["meta"] == {"annotator": "a"}
    with AnswerLog(run_dir) as log:
        assert len(log.all()) == 10


def test_the_tag_queue_asks_the_least_sure_concept_of_a_subset_first(wordnet_store_path: Path,
                                                                       tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from taxonomy import Store

    store_path = copy_store(wordnet_store_path, tmp_path)
    assert main(["subset", "create", "dogs", "--where", "visual_prior>=0", "--under", "n02084071",
                 "--store", str(store_path)]) == 0
    with Store.open(store_path) as store:  # nothing is decided yet: the prior nearest 0.5 of either question
        priors = [store.priors("visual"), store.priors("common")]
        members = store.subset_members("dogs", 1)
    least_sure = sorted(members, key=lambda c: (min(abs(p[c] - 0.5) for p in priors), c))
    client = TestClient(create_app(store_path), follow_redirects=False)
    first = client.get("/ui/tag", params={"subset": "dogs"}).headers["location"]
    assert first.startswith(f"/ui/tag/{least_sure[0]}?subset=dogs")
    assert main(["vote", least_sure[0], "--visual", "yes", "--annotator", "ann1", "--store", str(store_path)]) == 0
    again = client.get("/ui/tag", params={"subset": "dogs", "annotator": "ann1"}).headers["location"]
    assert again.startswith(f"/ui/tag/{least_sure[1]}?")  # not the one ann1 voted on
    page = client.get(f"/ui/tag/{least_sure[0]}", params={"question": "common", "subset": "dogs"}).text
    assert 'data-next="/ui/tag?subset=dogs"' in page  # after the last question, the next concept of the queue
