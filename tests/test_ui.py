"""The web UI in a real headless Chromium (Debian's), driven by Playwright, against a real
`taxonomy serve` on loopback: search, navigate, vote with the keyboard, see the consensus change.
Screenshots are kept in artifacts/ui/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.writers import read_jsonl
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


@pytest.fixture(scope="module")
def site(wordnet_store_path: Path, photos: ImageServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("ui")
    store = copy_store(wordnet_store_path, folder)
    photo = photos.url("img/chelsea.png")
    run = annotation_run(folder / "run", photo, [cat_task("r1-cat", "cat", photo, [photo])])
    port = free_port()
    env = {**os.environ, "TAXONOMY_API_KEYS": ",".join(f"{n}:{k}" for n, k in KEYS.items()),
           "TAXONOMY_RUN_DIR": str(run)}
    process = subprocess.Popen([sys.executable, "-c", "from taxonomy.cli import run; run()", "serve", "--store",
                                str(store), "--port", str(port), "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/ui", process)
    yield {"url": url, "run": run}
    process.terminate()
    process.wait(timeout=20)


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
