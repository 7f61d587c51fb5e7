"""The Bamboo label-system JSON: export a store (or subtree) and read one back as records.

Keys: ``father2child`` and ``child2father`` (id -> list of ids), ``id2name`` (id -> list of
English names, preferred first), ``id2desc`` (id -> gloss), ``id2state`` (id -> {"visual": code,
"common": code}, codes 0 = no, 1 = yes, 2 = unknown), and ``id2name_zh`` / ``id2desc_zh`` where
the store knows Chinese. The reader also accepts a single name string per id and a
``[visual, common]`` pair per state, as other producers of this format write them.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from taxonomy.errors import InputError
from taxonomy.model import ConceptRecord, EdgeRecord
from taxonomy.store import Store
from taxonomy.tags import TagTable

SOURCE = "bamboo"
_KNOWN_KEYS = {"father2child", "child2father", "id2name", "id2desc", "id2state", "id2name_zh", "id2desc_zh"}


def write(store: Store, ids: Sequence[str], out: TextIO) -> None:
    included = set(ids)
    father2child: dict[str, list[str]] = {}
    child2father: dict[str, list[str]] = {}
    for edge in store.iter_edges():
        if edge.child in included and edge.parent in included:
            father2child.setdefault(edge.parent, []).append(edge.child)
            child2father.setdefault(edge.child, []).append(edge.parent)
    id2name: dict[str, list[str]] = {}
    id2desc: dict[str, str] = {}
    id2state: dict[str, dict[str, int]] = {}
    id2name_zh: dict[str, list[str]] = {}
    id2desc_zh: dict[str, str] = {}
    tags = TagTable(store)
    for start in range(0, len(ids), 2000):
        for concept in store.concepts(ids[start : start + 2000]):
            id2name[concept.id] = list(concept.lemmas) or [concept.name]
            id2desc[concept.id] = concept.gloss
            id2state[concept.id] = {"visual": tags.decision(concept.id, "visual"),
                                    "common": tags.decision(concept.id, "common")}
            if "zh" in concept.names:
                id2name_zh[concept.id] = list(concept.names["zh"])
            if "zh" in concept.glosses:
                id2desc_zh[concept.id] = concept.glosses["zh"]
    document = {"father2child": father2child, "child2father": child2father, "id2name": id2name,
                "id2desc": id2desc, "id2state": id2state, "id2name_zh": id2name_zh, "id2desc_zh": id2desc_zh}
    json.dump(document, out, ensure_ascii=False)


def read(path: Path) -> tuple[list[ConceptRecord], list[EdgeRecord]]:
    """Validate a Bamboo JSON file and turn it into concept and edge records (nothing is stored)."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        raise InputError(f"no such file: {str(path)!r}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{str(path)!r} is not valid JSON ({error}); expected a Bamboo label-system file") from None
    except RecursionError:
        raise InputError(f"{str(path)!r} nests its JSON too deeply to be a Bamboo label-system file") from None
    if not isinstance(document, dict) or not (_KNOWN_KEYS & document.keys()):
        raise InputError(f"{str(path)!r} is not a Bamboo label system: expected an object with keys "
                         "father2child, child2father, id2name, id2desc, id2state")
    section = {key: _mapping(document, key, path) for key in _KNOWN_KEYS}
    edges: dict[tuple[str, str], None] = {}
    for child, parents in section["child2father"].items():
        for parent in _id_list(parents, f"child2father[{child!r}]", path):
            edges[(_id(child, path), parent)] = None
    for parent, children in section["father2child"].items():
        for child in _id_list(children, f"father2child[{parent!r}]", path):
            edges[(child, _id(parent, path))] = None
    loops = sorted(c for c, p in edges if c == p)
    if loops:
        raise InputError(f"{str(path)!r}: {loops[0]!r} is its own parent; a concept cannot be its own parent")
    ids: dict[str, None] = {}  # the concepts the file defines; an id only named in an edge must be in the store
    for key in ("id2name", "id2desc", "id2state"):
        ids.update(dict.fromkeys(_id(k, path) for k in section[key]))
    concepts = [_concept(concept_id, section, path) for concept_id in ids]
    edge_records: list[EdgeRecord] = [
        {"child": c, "parent": p, "kind": _edge_kind(c, p), "method": SOURCE, "score": 1.0,
         "source_version": f"bamboo-json:{path.name}"}
        for c, p in edges
    ]
    return concepts, edge_records


def _concept(concept_id: str, section: dict[str, dict[str, Any]], path: Path) -> ConceptRecord:
    names = _names(section["id2name"].get(concept_id, []), f"id2name[{concept_id!r}]", path)
    record: ConceptRecord = {
        "id": concept_id,
        "name": names[0] if names else concept_id,
        "lemmas": names,
        "gloss": _text(section["id2desc"].get(concept_id, ""), f"id2desc[{concept_id!r}]", path),
        "lexname": None,
        "source": SOURCE,
    }
    if concept_id in section["id2state"]:
        record["visual"], record["common"] = _state(section["id2state"][concept_id], concept_id, path)
    zh_names = _names(section["id2name_zh"].get(concept_id, []), f"id2name_zh[{concept_id!r}]", path)
    if zh_names:
        record["names"] = {"zh": zh_names}
    zh_desc = _text(section["id2desc_zh"].get(concept_id, ""), f"id2desc_zh[{concept_id!r}]", path)
    if zh_desc:
        record["glosses"] = {"zh": zh_desc}
    return record


def _edge_kind(child: str, parent: str) -> str:
    if child.startswith("n") and parent.startswith("n"):
        return "hypernym"
    if child.startswith("Q") and parent.startswith("Q"):
        return "subclass_of"
    return "linked"


def _bad(path: Path, where: str, expected: str, value: object) -> InputError:
    shown = json.dumps(value, ensure_ascii=False)[:60]
    return InputError(f"{str(path)!r}: {where} should be {expected}, got {shown}")


def _mapping(document: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise _bad(path, key, "an object keyed by concept id", value)
    return value


def _id(value: object, path: Path) -> str:
    if not isinstance(value, str) or not value.strip() or any(ch.isspace() for ch in value):
        raise _bad(path, "a concept id", "a non-empty string without spaces", value)
    return value


def _id_list(value: object, where: str, path: Path) -> list[str]:
    if not isinstance(value, list):
        raise _bad(path, where, "a list of concept ids", value)
    return [_id(v, path) for v in value]


def _names(value: object, where: str, path: Path) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _bad(path, where, "a name or a list of non-empty names", value)
    return [_text(v, where, path).strip() for v in value]


def _text(value: object, where: str, path: Path) -> str:
    if not isinstance(value, str):
        raise _bad(path, where, "a string", value)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n" for ch in value):  # ESC, BEL ... reach terminals
        raise _bad(path, where, "text without control characters", value)
    return value


def _state(value: object, concept_id: str, path: Path) -> tuple[int, int]:
    where = f"id2state[{concept_id!r}]"
    if isinstance(value, dict):
        pair = (value.get("visual", 2), value.get("common", 2))
    elif isinstance(value, list) and len(value) == 2:
        pair = (value[0], value[1])
    else:
        raise _bad(path, where, 'an object {"visual": 0|1|2, "common": 0|1|2}', value)
    if not all(type(code) is int and code in (0, 1, 2) for code in pair):
        raise _bad(path, where, "codes 0 (no), 1 (yes) or 2 (unknown)", value)
    return pair[0], pair[1]
