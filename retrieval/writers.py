"""Writers of what a run produces: JSON lines, arrays, the labeled pool and its meta file.

Every file is written whole to a temporary name and renamed into place: a reader (or a resumed
run) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from taxonomy.files import atomic_text_file


def write_json(path: Path, value: Any) -> None:
    with atomic_text_file(path) as out:
        out.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with atomic_text_file(path) as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file the run wrote itself ([] when it is not there yet)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def save_npy(path: Path, array: npt.NDArray[Any]) -> None:
    temporary = path.with_name(f".{path.name}.partial")
    with temporary.open("wb") as out:
        np.save(out, array)
    temporary.replace(path)


def write_meta_file(path: Path, labeled: Iterable[dict[str, Any]]) -> int:
    """The ``[image_url] [class_index]`` lines of the labeled images that have a class index."""
    lines = [f"{row['url']} {row['class_index']}\n" for row in labeled if row["class_index"] is not None]
    with atomic_text_file(path) as out:
        out.writelines(lines)
    return len(lines)
