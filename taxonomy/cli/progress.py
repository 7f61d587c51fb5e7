"""Progress bars on stderr (tqdm) for the CLI's long commands: stage, count, rate and ETA.

Silent when stderr is not a terminal (logs and pipes stay clean) or with ``--quiet``.
"""

from __future__ import annotations

import sys
from typing import Any

from taxonomy.progress import Progress, quiet


class Bars:
    """A Progress that shows one bar per stage, closing a stage's bar when the next begins."""

    def __init__(self, mininterval: float = 0.2) -> None:
        self._stage: str | None = None
        self._bar: Any = None
        self._mininterval = mininterval  # seconds between redraws

    def __call__(self, stage: str, done: int, total: int | None = None, /) -> None:
        if stage != self._stage:
            self.close()
            from tqdm import tqdm

            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, file=sys.stderr, leave=False, dynamic_ncols=True,
                             mininterval=self._mininterval)
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = self._stage = None


def progress_for(args: Any) -> Progress:
    """Bars on a terminal, nothing otherwise or with ``--quiet``."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return quiet
    return Bars()
