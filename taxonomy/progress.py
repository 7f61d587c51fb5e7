"""How long operations report progress: one shape for the whole library, which never prints.

A long operation takes ``progress: Progress | None`` and calls it as it goes with the stage it
is in, how much of the stage is done, and the stage's total when it knows it. The CLI turns the
calls into progress bars (taxonomy/cli/progress.py); a library user passes any callable.

>>> seen = []
>>> report = lambda stage, done, total=None: seen.append((stage, done, total))
>>> report("embedding concepts", 2048, 82115)
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int | None = None, /) -> None: ...


def quiet(stage: str, done: int, total: int | None = None, /) -> None:
    """A Progress that reports nothing (the default of every long operation)."""
