"""Named, versioned subsets: a definition (conditions on tags and facts), its members, and the
store versions it was computed from, so that "the 809 common concepts" can be had again.

A definition is conditions joined by commas, all of which must hold::

    visual=1,common=1                   decisions (0 no, 1 yes, 2 unknown)
    visual_prior>=0.9,lexname=noun.animal
    dataset=imagenet1k,depth<=10,source=wordnet
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from taxonomy.errors import InputError, UnknownSubset
from taxonomy.model import QUESTIONS
from taxonomy.reading import LabelReader
from taxonomy.store import Store
from taxonomy.tags import decisions

_CONDITION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|!=|=|>|<)\s*(.+?)\s*$")
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
}
#: key -> kind of value it compares
KEYS = {"visual": int, "common": int, "visual_prior": float, "common_prior": float, "depth": int,
        "lexname": str, "source": str, "dataset": str}
_DECISION_WORDS = {"yes": 1, "no": 0, "unknown": 2, "true": 1, "false": 0}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    op: str
    value: int | float | str

    def __str__(self) -> str:
        return f"{self.key}{self.op}{self.value}"


@dataclass(frozen=True, slots=True)
class Subset:
    name: str
    version: int
    definition: dict[str, object]
    graph_version: int
    tags_version: int
    created_at: str
    size: int


def parse_where(text: str) -> list[Condition]:
    """Parse ``visual=1,common=1`` into conditions; raises InputError saying what is wrong."""
    conditions = []
    for part in text.split(","):
        match = _CONDITION.match(part)
        if not match:
            raise InputError(f"bad condition {part.strip()!r}; write KEY=VALUE (or >=, <=, !=, >, <), "
                             "for example visual=1,common=1")
        key, op, raw = match.groups()
        if key not in KEYS:
            raise InputError(f"unknown key {key!r} in {part.strip()!r}; keys: {', '.join(KEYS)}")
        kind = KEYS[key]
        if key in QUESTIONS:
            raw = str(_DECISION_WORDS.get(raw.strip().lower(), raw))
        if kind is str and op not in ("=", "!="):
            raise InputError(f"{key} compares with = or != only, got {part.strip()!r}")
        try:
            value: int | float | str = kind(raw)
        except ValueError:
            if key in QUESTIONS:
                raise InputError(f"{key} is a decision: yes, no or unknown (or 1, 0, 2), got {raw!r}") from None
            wanted = {int: "a whole number", float: "a number"}.get(kind, "text")
            raise InputError(f"{key} needs {wanted}, got {raw!r}") from None
        if key in QUESTIONS and value not in (0, 1, 2):
            raise InputError(f"{key} is a decision: yes, no or unknown (or 1, 0, 2), got {raw!r}")
        conditions.append(Condition(key, op, value))
    return conditions


def evaluate(store: Store, conditions: Sequence[Condition], under: str | None = None) -> list[str]:
    """The concepts (ids, sorted) that satisfy every condition, within ``under`` if given."""
    for cond in conditions:  # a mistyped dataset would give an empty subset without a word
        if cond.key == "dataset":
            store.dataset(str(cond.value))  # raises UnknownDataset with close names
    graph = store.graph
    pool = graph.descendants(under, inclusive=True) if under else list(graph.ids)
    columns = {key: _column(store, key) for key in {c.key for c in conditions}}
    matching = []
    for concept in pool:
        if all(_holds(columns[cond.key](concept), cond) for cond in conditions):
            matching.append(concept)
    return sorted(matching)


def _column(store: Store, key: str) -> Callable[[str], object]:
    """A function from concept id to the value that conditions on ``key`` compare."""
    if key in QUESTIONS:
        decided = decisions(store, key)
        return lambda c: decided.get(c, 2)
    if key.endswith("_prior"):
        priors = store.priors(key.removesuffix("_prior"))
        return lambda c: priors.get(c, 0.0)
    if key == "depth":
        return store.graph.depth
    if key == "dataset":
        found = store.dataset_members()
        return lambda c: {d for d, s in found.items() if c in s}
    values = {cid: (lexname if key == "lexname" else source) or "" for cid, lexname, source in store.concept_columns()}
    return lambda c: values.get(c, "")


def _holds(actual: object, cond: Condition) -> bool:
    if cond.key == "dataset":  # membership: a concept may be in several label sets
        inside = cond.value in actual  # type: ignore[operator]
        return inside if cond.op == "=" else not inside
    return bool(_OPERATORS[cond.op](actual, cond.value))


def create(store: Store, name: str, where: str, under: str | None = None) -> Subset:
    """Compute a subset and store it as the next version of ``name``."""
    if not _NAME.match(name):
        raise InputError(f"bad subset name {name!r}: use letters, digits, '.', '_' or '-' (up to 100)")
    conditions = parse_where(where)
    root = store.resolve_one(under) if under else None
    members = evaluate(store, conditions, root)
    definition = {"where": ",".join(map(str, conditions)), "under": root}
    with store.transaction(structure=False, tags=False) as writes:  # a subset changes no tag
        version = writes.save_subset(name, json.dumps(definition), store.graph_version, store.tags_version, members)
    return get(store, name, version)


def all_subsets(store: LabelReader) -> list[Subset]:
    return [_subset(row) for row in store.subsets()]


def get(store: LabelReader, name: str, version: int | None = None) -> Subset:
    """A subset by name (the newest version unless one is given)."""
    rows = store.subsets(name)
    if not rows:
        known = sorted({row[0] for row in store.subsets()})
        raise UnknownSubset(name, known[:5])
    if version is None:
        return _subset(rows[-1])
    for row in rows:
        if row[1] == version:
            return _subset(row)
    raise UnknownSubset(str(version), what=f"version of subset {name} (versions: 1..{rows[-1][1]})")


def members(store: LabelReader, subset: Subset) -> list[str]:
    return store.subset_members(subset.name, subset.version)


def leaves(store: LabelReader, concepts: Sequence[str]) -> list[str]:
    """The concepts none of whose descendants is among ``concepts`` (drops dog and hunting dog
    when their breeds are in): a class list without a class that contains another."""
    chosen = set(concepts)
    return [c for c in concepts
            if not any(d in chosen for d in store.graph.descendants(c) if d != c)]


def class_order(store: LabelReader, concepts: Sequence[str], dataset: str | None) -> list[str]:
    """``concepts`` in a dataset's class order (those it lacks after them, by id), or by id."""
    if dataset is None:
        return sorted(concepts)
    rank: dict[str, int] = {}
    for index, concept in enumerate(store.label_concepts(dataset)):
        if concept is not None:
            rank.setdefault(concept, index)
    return sorted(concepts, key=lambda c: (rank.get(c, 1 << 62), c))


def decision_note(conditions: Sequence[Condition], size: int) -> str | None:
    """Why a subset on tag decisions may be smaller than expected, or None."""
    asked = [c for c in conditions if c.key in QUESTIONS and c.value in (0, 1) and c.op == "="]
    if not asked:
        return None
    q = asked[0].key
    return (f"note: {q}={asked[0].value} means decided by 3 agreeing votes or given by an import (here "
            f"{size:,} concepts); for the automatic prior use {q}_prior>=0.5 (every concept has one)")


def is_current(store: LabelReader, subset: Subset) -> bool | None:
    """Whether computing the definition now gives the same members (the store may have changed).

    Unchanged versions answer at once; otherwise the embedded store computes the definition
    again, and a read-only store (Neo4j) answers None: it cannot tell without computing.
    """
    if (subset.graph_version, subset.tags_version) == (store.graph_version, store.tags_version):
        return True
    if not isinstance(store, Store):
        return None
    conditions = parse_where(str(subset.definition["where"]))
    under = subset.definition.get("under")
    return evaluate(store, conditions, str(under) if under else None) == members(store, subset)


def _subset(row: tuple[str, int, str, int, int, str, int]) -> Subset:
    name, version, definition, graph_version, tags_version, created_at, size = row
    return Subset(name, version, json.loads(definition), graph_version, tags_version, created_at, size)
