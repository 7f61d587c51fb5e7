"""Progress bars: on a terminal they show the stage, the count and the rate; otherwise nothing."""

from __future__ import annotations

import argparse
import io

import pytest

from taxonomy.cli.progress import Bars, progress_for
from taxonomy.progress import quiet


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_on_a_terminal_and_silence_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert isinstance(progress_for(argparse.Namespace()), Bars)
    progress = Bars(mininterval=0)  # every update drawn
    for done in (2048, 4096, 82115):
        progress("embedding concepts", done, 82115)
    progress("linking label sets", 1, 5)  # a new stage closes the last one's bar
    progress.close()
    shown = terminal.getvalue()
    assert "embedding concepts" in shown and "4096/82115" in shown and "linking label sets: " in shown
    assert "it/s" in shown and "<" in shown  # a rate and the time left
    assert progress_for(argparse.Namespace(quiet=True)) is quiet
    monkeypatch.setattr("sys.stderr", io.StringIO())  # a pipe or a log file: no bars
    assert progress_for(argparse.Namespace()) is quiet
