"""A user's label set read from the files datasets ship: a list of names, a table, COCO-style JSON.

Accepted (see :func:`read_label_file`):

- one class per line, the line its class index (or the index each line gives before or after
  the name, as Places365's ``/a/airfield 0``); a line may begin with an ImageNet wnid, as
  ImageNet's ``LOC_synset_mapping.txt`` does (``n01440764 tench, Tinca tinca``: the class is
  that synset, named by its first name), or be only one (``imagenet21k_synsets.txt``);
- TSV or CSV with a header naming the class-name column (``name``, ``label``, ``class``,
  ``category``...) and optionally its index, description and WordNet synset columns;
- JSON: a list of classes, or an annotation file's ``categories`` (COCO, LVIS, Objects365:
  ``{"id": 3, "name": "car", "synset": "car.n.01", "def": "..."}``; Mapillary Vistas'
  ``config.json`` lists its ``labels``); JSON lines, one class a line.

A class that gives its WordNet synset (a wnid ``n02084071``, an offset ``02084071-n`` or a synset
name ``dog.n.01``, as LVIS's ``synset`` field) is mapped to it as given; the rest are linked.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from taxonomy.errors import InputError
from taxonomy.files import read_text, table_rows
from taxonomy.model import Dataset
from taxonomy.sources.public_labels import LabelSet

MAX_CLASSES = 1_000_000
LIST_KEYS = ("categories", "labels", "classes")  # where a JSON object lists its classes (COCO; Mapillary Vistas)
NAME_COLUMNS = ("name", "label", "class", "class_name", "classname", "category", "category_name")
INDEX_COLUMNS = ("index", "id", "class_index", "class_id", "category_id", "idx")
#: ... the last a common name, as iNaturalist's categories give one ("Common Earthworm"): what a
#: species WordNet lacks is placed by
DESCRIPTION_COLUMNS = ("description", "definition", "def", "gloss", "common_name")
SYNSET_COLUMNS = ("synset", "wnid", "wordnet", "wordnet_id", "synset_id")
WNID = re.compile(r"n\d{8}")
INDEX_AFTER = re.compile(r"(?P<name>\S.*?)\s+(?P<index>\d{1,7})")  # "/a/airfield 0"
INDEX_BEFORE = re.compile(r"(?P<index>\d{1,7}):?\s+(?P<name>\S.*)")  # "0 tench", COCO-Stuff's "1: person"
WNID_FIRST = re.compile(r"(?P<wnid>n\d{8})(?:$|[\s\-_]+(?P<names>.*))")
OFFSET = re.compile(r"(\d{8})-n")
SYNSET_NAME = re.compile(r"(\S+)\.([nvasr])\.(\d{1,3})")
DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


@dataclass(frozen=True, slots=True)
class LabelRow:
    name: str  # empty when only a synset is given: the synset's name is used
    index: int | None = None
    description: str | None = None
    synset: str | None = None  # "n02084071" or a synset name "dog.n.01", checked against the store when linked


def read_label_file(path: Path, name: str, *, license: str = "") -> LabelSet:
    """A user's label set (see the module's docstring for the formats).

    Raises InputError naming the line (or class) of a missing name, a bad or repeated index, a
    synset that is no WordNet noun, a header that names no class column, text that is not UTF-8.
    """
    if not DATASET_NAME.fullmatch(name):
        raise InputError(f"bad dataset name {name!r}: letters, digits, '_', '.', '-', at most 64 characters")
    if not path.is_file():
        raise InputError(f"no such file: {str(path)!r}")
    where = repr(str(path))
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        rows = _json_rows(text, where)
    elif suffix in (".jsonl", ".ndjson"):
        rows = [_item(json_line, f"{where} line {number}") for number, json_line in _json_lines(text, where)]
    else:
        rows = _text_rows(text.splitlines(), where)
    if not rows:
        raise InputError(f"{where} has no class names")
    if len(rows) > MAX_CLASSES:
        raise InputError(f"{where} has {len(rows):,} classes; at most {MAX_CLASSES:,}")
    with_index = [r.index is not None for r in rows]
    if any(with_index) and not all(with_index):
        raise InputError(f"{where} class {with_index.index(False) + 1} ({rows[with_index.index(False)].name!r}) "
                         "has no index, where others have one: give every class its index, or none")
    repeated = [i for i, n in Counter(r.index for r in rows if r.index is not None).items() if n > 1]
    if repeated:
        raise InputError(f"{where}: the class index {repeated[0]} is given more than once")
    dataset = Dataset(name, len(rows), str(path.name), license, f"label set added from {path.name}")
    descriptions = [r.description for r in rows]
    synsets = [r.synset for r in rows]
    return LabelSet(dataset, [r.name for r in rows], indices=[r.index for r in rows if r.index is not None],
                    descriptions=descriptions if any(descriptions) else [],
                    synsets=synsets if any(synsets) else [])


def _text_rows(lines: list[str], where: str) -> list[LabelRow]:
    first = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if "\t" in first else ("," if "," in first else None)
    header = [h.strip().lower() for h in first.split(delimiter)] if delimiter else []
    if not delimiter and first.strip().lower() in NAME_COLUMNS + SYNSET_COLUMNS:  # a table of one column
        header = [first.strip().lower()]
    if any(h in NAME_COLUMNS or h in SYNSET_COLUMNS for h in header):
        start = lines.index(first) + 1
        return _table_rows(lines[start:], start + 1, header, delimiter or ",", where)
    starts_with_wnid = WNID_FIRST.match(first.strip()) is not None
    if header and not starts_with_wnid and (delimiter == "\t" or any(
            h in INDEX_COLUMNS or h in DESCRIPTION_COLUMNS for h in header)):
        raise InputError(f"{where}: its header ({', '.join(header)}) names no class-name column; name one of "
                         f"{', '.join(NAME_COLUMNS)} (or a synset column: {', '.join(SYNSET_COLUMNS)})")
    return _numbered_rows(lines) or [_line_row(line) for line in lines if line.strip()]


def listed_names(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, name) of a list of classes, one a line: the index a line gives before or
    after its name (``/a/airfield 0``, ``1: person``) and a wnid before it (``n01440764 tench,
    Tinca tinca``) are no part of the name."""
    numbers = [number for number, line in enumerate(lines, 1) if line.strip()]
    rows = _numbered_rows(lines) or [_line_row(line) for line in lines if line.strip()]
    return [(number, row.name) for number, row in zip(numbers, rows, strict=True)]


def _numbered_rows(lines: list[str]) -> list[LabelRow]:
    """Lines that each give a class index before or after the name, as Places365's
    ``categories_places365.txt`` does (``/a/airfield 0``), or none: only where every line has
    one and they number the classes 0 (or 1) to n - 1 (or n) without a gap, so that names that
    end with a number of their own stay whole (Stanford Cars' ``Acura RL Sedan 2012``)."""
    texts = [line.strip() for line in lines if line.strip()]
    for numbered in (INDEX_AFTER, INDEX_BEFORE):
        found = [numbered.fullmatch(text) for text in texts]
        if len(texts) < 2 or not all(found):
            continue
        rows = [LabelRow(match["name"], int(match["index"])) for match in found if match]
        indices = sorted(row.index for row in rows if row.index is not None)
        if indices[0] in (0, 1) and indices == list(range(indices[0], indices[0] + len(rows))):
            return rows
    return []


def _line_row(line: str) -> LabelRow:
    """One class a line: its name, or a wnid and, after it, its names ("n01440764 tench, Tinca
    tinca"; Stanford Dogs' folders, "n02085620-Chihuahua")."""
    found = WNID_FIRST.match(line.strip())
    if found:
        return LabelRow((found["names"] or "").split(",")[0].strip(), synset=found["wnid"])
    return LabelRow(line.strip())


def _table_rows(lines: Sequence[str], first: int, header: list[str], delimiter: str, where: str) -> list[LabelRow]:
    """The classes of a table's rows, ``lines`` beginning at line ``first``."""
    found = []
    for number, cells in table_rows(lines, delimiter, first, where):
        if any(c.strip() for c in cells):
            found.append(_item(dict(zip(header, (c.strip() for c in cells), strict=False)), f"{where} line {number}"))
    return found


def _json_rows(text: str, where: str) -> list[LabelRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{where} line {error.lineno}: not JSON ({error.msg})") from None
    except RecursionError:  # no label file nests its classes a thousand deep
        raise InputError(f"{where}: its JSON is nested too deeply to be a label file") from None
    items = next((data[key] for key in LIST_KEYS if isinstance(data.get(key), list)), None) \
        if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(f"{where}: a JSON label file is a list of classes, or an object whose 'categories' "
                         "list them (COCO, LVIS and Objects365 annotations; 'labels' in Mapillary Vistas' "
                         "config.json, or 'classes')")
    return [_item(item, f"{where} class {number}") for number, item in enumerate(items, 1)]


def _json_lines(text: str, where: str) -> list[tuple[int, object]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                found.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                raise InputError(f"{where} line {number}: not JSON ({error.msg})") from None
            except RecursionError:
                raise InputError(f"{where} line {number}: JSON nested too deeply") from None
    return found


def _item(item: object, where: str) -> LabelRow:
    """A class from a table row or a JSON value: a name alone, or fields named as NAME_COLUMNS,
    INDEX_COLUMNS, DESCRIPTION_COLUMNS and SYNSET_COLUMNS say."""
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, Mapping):
        raise InputError(f"{where}: a class is a name or an object with a 'name', not {json.dumps(item)[:60]}")
    fields = {str(k).strip().lower(): v for k, v in item.items()}
    name, index, description, synset = (_field(fields, columns) for columns in (
        NAME_COLUMNS, INDEX_COLUMNS, DESCRIPTION_COLUMNS, SYNSET_COLUMNS))
    if not name and not synset:
        raise InputError(f"{where}: no class name")
    return LabelRow(name, _index(index, where), description or None, _synset(synset, where) if synset else None)


def _field(fields: Mapping[str, object], columns: tuple[str, ...]) -> str:
    value = next((fields[c] for c in columns if fields.get(c) not in (None, "")), "")
    return str(value).strip()


def _index(value: str, where: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{where}: the index {value!r} is not a whole number") from None


def _synset(value: str, where: str) -> str:
    """A WordNet noun synset as the store names it ("n02084071"), or a synset name to look up."""
    if WNID.fullmatch(value):
        return value
    offset = OFFSET.fullmatch(value)
    if offset:
        return "n" + offset.group(1)
    named = SYNSET_NAME.fullmatch(value)
    if named and named.group(2) == "n":
        return value
    raise InputError(f"{where}: {value!r} is no WordNet noun synset; write it as a wnid (n02084071), an offset "
                     "(02084071-n) or a synset name (dog.n.01)")
