"""Files: written so that a reader never sees half of one; read as users give them (text in any
UTF a spreadsheet saves, TSV and CSV tables, JSON lines, Parquet), a bad row named by its line."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from taxonomy.errors import InputError
from taxonomy.extras import require

BATCH = 65536  # rows read (and checked) at a time
STDOUT = Path("-")  # as an output path: standard output (the command-line convention)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Open a temporary file beside ``path``; it replaces ``path`` only if the block succeeds.

    ``-`` is standard output (written as it comes: there is nothing to replace).
    """
    if path == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes files 0600; an output gets the user's umask
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it (else set and restored)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_parquet(path: Path) -> bool:
    """Whether a file starts with Parquet's magic bytes."""
    with open(path, "rb") as probe:
        return probe.read(4) == b"PAR1"


STDIN = Path("-")  # as an input path: standard input


def named(path: Path) -> str:
    """How a message names a file a user gave: quoted, or "standard input"."""
    return "standard input" if path == STDIN else repr(str(path))


def read_text(path: Path) -> str:
    """A text file a user gives (``-``: standard input): UTF-8 (with or without a byte-order mark,
    as spreadsheets save it), or UTF-16 with one ("Unicode text"); anything else is an error
    naming the line."""
    data = sys.stdin.buffer.read() if path == STDIN else path.read_bytes()
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        data = data.removeprefix(b"\xef\xbb\xbf")  # the error's place is then the file's, less the mark
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"{named(path)} line {line}: not UTF-8 text (byte {data[error.start]:#04x}); "
                         "save the file as UTF-8") from None


def table_rows(lines: Sequence[str], delimiter: str, first: int, where: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of the rows of a TSV or CSV table whose ``lines`` begin at line
    ``first``. A TSV's quotes are characters; a CSV's quote a cell (which may hold a comma or a
    line break). A quote left open, or a cell longer than the csv module reads, is an error
    naming the line where its row begins: the rest of the file is not taken into one cell."""
    tsv = delimiter == "\t"
    reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL,
                        strict=not tsv)
    while True:
        number = first + reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            advice = f"keep a cell under {csv.field_size_limit():,} characters"
            raise InputError(f"{where} line {number}: not a {'TSV' if tsv else 'CSV'} row ({error}); "
                             + (advice if tsv else "close each quoted cell and " + advice)) from None
        yield number, cells


def json_row(line: str) -> dict[str, Any] | str:
    """A line of JSON lines as an object, or the error text that says why it is none."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        return f"not JSON ({error.msg})"
    except RecursionError:  # a bad row is a bad row, however deep
        return "JSON nested too deeply"
    return row if isinstance(row, dict) else "not a JSON object"


def read_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, row) for JSON lines or Parquet; a row that cannot be read is its error text."""
    if not path.is_file():
        raise InputError(f"no such file: {str(path)!r}")
    if is_parquet(path):
        yield from _parquet_rows(path, columns)
        return
    with open(path, encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield number, json_row(line)


def _parquet_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    pq: Any = require("pyarrow.parquet", "parquet", "reading Parquet")
    try:
        source = pq.ParquetFile(path)
        present = [c for c in columns if c in source.schema_arrow.names]
        number = 0
        for batch in source.iter_batches(batch_size=BATCH, columns=present):
            for row in batch.to_pylist():
                number += 1
                yield number, row
    except (OSError, ValueError) as error:
        raise InputError(f"{str(path)!r} is not a readable Parquet file ({error})") from None
