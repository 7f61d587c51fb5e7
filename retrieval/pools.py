"""Pool readers: where unlabeled images come from.

A pool is a list of :class:`PoolItem`: an image address and the concept it was crawled for
(when known). Three readers: a local folder, a list of URLs, and YFCC100M-style metadata rows
(title, tags, description, upload time) searched with the crawl queries of the label system.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from taxonomy.errors import InputError
from taxonomy.files import read_rows

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff")


@dataclass(frozen=True, slots=True)
class PoolItem:
    """One unlabeled image: a stable id, where it is, and the concept it was crawled for."""

    id: str
    url: str
    query: str | None = None
    text: str = ""

    @classmethod
    def of(cls, url: str, query: str | None = None, text: str = "") -> PoolItem:
        return cls(hashlib.sha1(url.encode()).hexdigest()[:16], url, query, text)  # noqa: S324 (an id, not a secret)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def folder_pool(folder: Path, query: str | None = None, *, by_subfolder: bool = False) -> list[PoolItem]:
    """Every image under ``folder`` (sorted); the query is ``query``, or each image's folder name."""
    if not folder.is_dir():
        raise InputError(f"no such folder: {str(folder)!r}")
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    return [PoolItem.of(p.resolve().as_uri(), p.parent.name if by_subfolder else query) for p in paths]


def url_list_pool(path: Path) -> list[PoolItem]:
    """Lines of ``URL [CONCEPT]``; blank lines and ``#`` comments are skipped."""
    items = []
    for number, line in enumerate(_lines(path), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) > 2 or not re.match(r"^(https?|file)://", fields[0]):
            raise InputError(f"{path}:{number}: expected 'URL [CONCEPT]' with an http(s) URL, got {line.strip()!r}")
        items.append(PoolItem.of(fields[0], fields[1] if len(fields) == 2 else None))
    return items


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"no such file: {str(path)!r}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None


# ---------------------------------------------------------------------- YFCC100M-style metadata
YFCC_FIELDS = ("photo_id", "url", "title", "tags", "description", "date_uploaded")


def _words(text: str) -> str:
    """Lowercased words separated by single spaces, with a space at each end (for phrase search)."""
    return " " + " ".join(re.findall(r"\w+", text.replace("+", " ").casefold())) + " "


def yfcc_pool(path: Path, queries: Sequence[dict[str, Any]], *, uploaded_from: int | None = None,
              uploaded_until: int | None = None) -> list[PoolItem]:
    """Rows of YFCC100M-style metadata (JSON lines or Parquet with ``YFCC_FIELDS``) whose title, tags or
    description contain a crawl query as whole words; upload times (Unix seconds) may be bounded,
    as CLEAR buckets its stream by upload time. Each photo is taken once, for its first query.

    ``queries`` are the crawl queries of :mod:`taxonomy.crawl` (``{"query", "concept", ...}``).
    """
    phrases = [(_words(q["query"]), q["concept"]) for q in queries if _words(q["query"]).strip()]
    items = []
    for number, found in read_rows(path, list(YFCC_FIELDS)):
        row = _yfcc_row(path, number, found)
        uploaded = row.get("date_uploaded")
        if uploaded_from is not None and (uploaded is None or int(uploaded) < uploaded_from):
            continue
        if uploaded_until is not None and (uploaded is None or int(uploaded) >= uploaded_until):
            continue
        text = " ".join(str(row.get(k) or "") for k in ("title", "tags", "description"))
        words = _words(text)
        for phrase, concept in phrases:
            if phrase in words:
                items.append(PoolItem.of(str(row["url"]), concept, text.strip()[:500]))
                break
    return items


def _yfcc_row(path: Path, number: int, row: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(row, str):
        raise InputError(f"{path}:{number}: {row}")
    if not isinstance(row.get("url"), str):
        raise InputError(f"{path}:{number}: a row needs a 'url' (fields: {', '.join(YFCC_FIELDS)})")
    uploaded = row.get("date_uploaded")
    if uploaded is not None and not str(uploaded).isdigit():
        raise InputError(f"{path}:{number}: date_uploaded must be Unix seconds, got {uploaded!r}")
    return row


def without(items: Iterable[PoolItem], seen: set[str]) -> list[PoolItem]:
    """The items whose ids are not in ``seen`` (taken in earlier rounds), first occurrence of each id."""
    kept, taken = [], set(seen)
    for item in items:
        if item.id not in taken:
            taken.add(item.id)
            kept.append(item)
    return kept
