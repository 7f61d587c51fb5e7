"""The README's CLI examples are real: each is run against a freshly built store and compared."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from taxonomy.cli import main
from tests.conftest import copy_store

README = Path(__file__).parents[1] / "README.md"
pytestmark = pytest.mark.slow


def console_examples(prefix: str = "$ taxonomy ") -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) for every `$ taxonomy ...` in console blocks."""
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        current: tuple[str, list[str]] | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:].split("  #")[0].strip(), [])
                examples.append(current)
            elif current is not None and line:
                current[1].append(line)
            else:
                current = None
    return [(cmd, out) for cmd, out in examples if f"$ {cmd}".startswith(prefix)]


def test_the_readme_has_examples_of_every_command() -> None:
    used = {shlex.split(cmd)[1] for cmd, _ in console_examples()}
    assert used >= {"build", "show", "search", "ancestors", "descendants", "path", "lca", "stats", "export",
                    "import", "check", "labels", "is-a", "related", "tags", "vote", "subset", "queries", "ood"}


def normalized(lines: list[str]) -> list[str]:
    """Lines with what differs from run to run (times, the nltk version) replaced."""
    lines = [re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", line) for line in lines]
    return [re.sub(r"nltk [\d.]+", "nltk N", line) for line in lines]


def test_readme_examples_print_what_the_readme_says(wordnet_store_path: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = copy_store(wordnet_store_path, tmp_path)  # the examples vote: they get a store of their own
    checked = 0
    for command, expected in console_examples(prefix="$ "):
        if command.startswith("cat "):  # `$ cat FILE` shows a file the next examples read
            Path(command.split()[1]).write_text("".join(line + "\n" for line in expected), encoding="utf-8")
            continue
        if not command.startswith("taxonomy "):
            continue
        argv = shlex.split(command)[1:]
        if argv[0] == "build":
            continue  # takes the time of a build; the build itself is tested in test_store.py
        if "--store" not in argv:
            argv += ["--store", str(store)]
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
