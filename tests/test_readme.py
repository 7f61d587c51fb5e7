"""The README's CLI examples are real: each is run against a freshly built store and compared."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from taxonomy.cli import main
from tests.conftest import copy_store

README = Path(__file__).parents[1] / "README.md"
LINKING_SECTION = "## Linking new concepts"
pytestmark = pytest.mark.slow


def console_examples(prefix: str = "$ taxonomy ") -> list[tuple[str, str, list[str]]]:
    """(section, command line, expected output lines) for every `$ taxonomy ...` in console blocks."""
    examples: list[tuple[str, str, list[str]]] = []
    for section in re.split(r"\n(?=## )", README.read_text(encoding="utf-8")):
        heading = section.splitlines()[0]
        for block in re.findall(r"```console\n(.*?)```", section, re.S):
            current: tuple[str, str, list[str]] | None = None
            for line in block.splitlines():
                if line.startswith("$ "):
                    current = (heading, line[2:].split("  #")[0].strip(), [])
                    examples.append(current)
                elif current is not None and line:
                    current[2].append(line)
                else:
                    current = None
    return [(h, cmd, out) for h, cmd, out in examples if f"$ {cmd}".startswith(prefix)]


def test_the_readme_has_examples_of_every_command() -> None:
    used = {shlex.split(cmd)[1] for _, cmd, _ in console_examples()}
    assert used >= {"build", "show", "search", "ancestors", "descendants", "path", "lca", "stats", "export",
                    "import", "check", "labels", "is-a", "related", "tags", "vote", "subset", "queries", "ood", "link",
                    "review", "unlink"}


def normalized(lines: list[str]) -> list[str]:
    """Lines with what differs from run to run (times, the nltk version) replaced."""
    lines = [re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", line) for line in lines]
    return [re.sub(r"nltk [\d.]+", "nltk N", line) for line in lines]


def test_readme_examples_print_what_the_readme_says(embedded_store_path: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(README.parent / "examples", tmp_path / "examples")  # the inputs the examples name
    store = copy_store(embedded_store_path, tmp_path)  # the examples vote and link: a store of their own
    (tmp_path / "linking").mkdir()  # the linking section's changes would show in the versions of later examples
    linking = copy_store(embedded_store_path, tmp_path / "linking")
    checked = 0
    for section, command, expected in console_examples(prefix="$ "):
        if command.startswith("cat "):  # `$ cat FILE` shows a file the next examples read
            Path(command.split()[1]).write_text("".join(line + "\n" for line in expected), encoding="utf-8")
            continue
        if not command.startswith("taxonomy "):
            continue
        argv = shlex.split(command)[1:]
        if argv[0] == "build":
            continue  # takes the time of a build; the build itself is tested in test_store.py
        if "--store" not in argv:
            argv += ["--store", str(linking if section == LINKING_SECTION else store)]
        status = main(argv)
        out, err = capsys.readouterr()
        actual = [line for line in (out + err).splitlines() if line]
        expected_lines = [line for line in expected if not line.startswith("$")]
        if argv[0] == "stats":  # the path differs from machine to machine
            actual, expected_lines = actual[1:], expected_lines[1:]
        assert normalized(actual) == normalized(expected_lines), command
        assert status in (0, 2)
        checked += 1
    assert checked >= 22


def test_importing_the_library_stays_light() -> None:
    """`import taxonomy` must not pull in build-time or optional dependencies, nor api/retrieval."""
    code = ("import sys, taxonomy; heavy = {'nltk', 'networkx', 'api', 'retrieval', 'torch', 'fastapi'}; "
            "print(sorted(heavy & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(README.parent)})
    assert done.stdout.strip() == "[]"


def test_readme_api_examples_answer_what_the_readme_says(wordnet_store_path: Path, tmp_path: Path) -> None:
    """Each `$ curl` of the README, sent to the app over a fresh store, answers the JSON shown."""
    import json

    from tests.test_api import KEY, client_for

    client = client_for(copy_store(wordnet_store_path, tmp_path))
    checked = 0
    for _, command, expected in console_examples(prefix="$ curl "):
        words = shlex.split(command.replace("$KEY", KEY))[1:]
        method, headers, body, url = "GET", {}, None, ""
        while words:
            word = words.pop(0)
            if word == "-X":
                method = words.pop(0)
            elif word == "-H":
                name, value = words.pop(0).split(": ", 1)
                headers[name] = value
            elif word == "-d":
                body = words.pop(0)
            elif not word.startswith("-"):
                url = word
        path = url.removeprefix("http://127.0.0.1:8000")
        answer = client.request(method, path, headers=headers, content=body)
        assert answer.json() == json.loads(expected[0]), command
        checked += 1
    assert checked >= 6
