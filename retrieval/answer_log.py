"""The answers of a run, kept transactionally in one SQLite file of the run directory.

Several server workers (processes) and ``taxonomy pipeline answers`` may write at once. Each
answer is one row, unique per (task, annotator): a new answer replaces that annotator's old one
and keeps its place. Answers are added in a write transaction that also holds while the caller
rewrites the files derived from all answers (the labeled pool, the meta file), so an answer is
acknowledged only once it is committed, and no derived file is older than a committed answer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from retrieval.writers import read_jsonl

FILE_NAME = "answers.sqlite"
LEGACY_FILE = "answers.jsonl"  # runs before this module kept their answers here; taken in once

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    seq       INTEGER PRIMARY KEY,   -- the order of each annotator's first answer to a task
    task_id   TEXT NOT NULL,
    annotator TEXT NOT NULL,
    answer    TEXT NOT NULL,
    at        TEXT NOT NULL,
    UNIQUE (task_id, annotator)
)
"""
_UPSERT = ("INSERT INTO answers (task_id, annotator, answer, at) "
           "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
           "ON CONFLICT (task_id, annotator) DO UPDATE SET answer = excluded.answer, at = excluded.at")

Answer = tuple[str, str, str]  # (task_id, annotator, answer)


class AnswerLog:
    """The answers of one run directory. Use it as a context manager."""

    def __init__(self, folder: Path):
        self.path = folder / FILE_NAME
        # autocommit mode: transactions are begun explicitly; a writer waits up to a minute for another
        self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
        self._conn.execute("PRAGMA synchronous = FULL")  # a committed answer survives a power cut
        with self._write():
            self._conn.execute(_SCHEMA)
            self._take_in_legacy(folder / LEGACY_FILE)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._conn.close()

    def all(self) -> list[Answer]:
        """Every answer, in the order annotators first answered."""
        return list(self._conn.execute("SELECT task_id, annotator, answer FROM answers ORDER BY seq"))

    @contextmanager
    def adding(self, answers: Iterable[Answer]) -> Iterator[list[Answer]]:
        """Add answers in one write transaction and yield every answer with them; the block runs
        inside the transaction (other writers wait) and the answers commit only if it succeeds."""
        with self._write():
            self._conn.executemany(_UPSERT, answers)
            yield self.all()

    @contextmanager
    def _write(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _take_in_legacy(self, path: Path) -> None:
        if path.is_file() and self._conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0:
            rows = read_jsonl(path)
            self._conn.executemany(_UPSERT, ((r["task_id"], r["annotator"], r["answer"]) for r in rows))
