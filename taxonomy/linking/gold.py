"""``taxonomy eval link --file GOLD``: the linker measured on a gold file from any source.

A gold file is TSV (with a header) or JSON lines, one row per input:

- ``name`` (required) and ``description`` (optional): what the linker is given;
- ``concept``: for a "same" row, the concept the name is (several acceptable ids: ``a|b``);
- ``parents``: for a placement row, the concept's gold parents (``a|b``, or a JSON list);
  ``hide``: the concept itself, hidden from the linker (its names, embedding and place), when it
  is in the store, so that it is placed as if it were new;
- ``source`` (optional): where the row's text comes from; figures are reported per source.

A row with both ``concept`` and ``parents`` accepts either answer: "same" as one of the concepts,
or a new child of one of the parents (COCO's "potted plant" is a pot plant, or a kind of one).

Same rows are scored on "same"-accuracy (decision "same" and an acceptable concept); placement
rows on Hit@1 / Hit@5 / MRR of the predicted parents and Wu & Palmer similarity of the first.
Both report abstentions ("none") and calibration bins (confidence -> observed accuracy).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from taxonomy.errors import InputError
from taxonomy.files import named, read_text, table_rows
from taxonomy.linking.confidence import REVIEW_BELOW
from taxonomy.linking.evaluation import bins, ranking, wu_palmer
from taxonomy.linking.linker import Linker
from taxonomy.linking.results import LinkInput, LinkResult

MAX_GOLD_ROWS = 200_000


@dataclass(slots=True)
class GoldRow:
    name: str
    description: str | None = None
    concepts: list[str] = field(default_factory=list)  # acceptable answers of a "same" row
    parents: list[str] = field(default_factory=list)  # gold parents of a placement row
    hide: str | None = None
    source: str = ""
    line: int = 0

    @property
    def is_same(self) -> bool:
        return bool(self.concepts)


def _ids(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split("|") if v.strip()]


def _row(cells: dict[str, object], line: int, default_source: str) -> GoldRow:
    name = cells.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"gold line {line}: no name")
    row = GoldRow(name=name, description=str(cells.get("description") or "") or None,
                  concepts=_ids(cells.get("concept")), parents=_ids(cells.get("parents")),
                  hide=str(cells.get("hide") or "") or None, source=str(cells.get("source") or default_source),
                  line=line)
    if not row.concepts and not row.parents:
        raise InputError(f"gold line {line}: give a 'concept' (a same row) or 'parents' (a placement row)")
    return row


def read_gold(path: Path) -> list[GoldRow]:
    """The rows of a gold file; raises InputError naming the first bad line."""
    if not path.is_file():
        raise InputError(f"no such gold file: {named(path)}")
    lines = [line for line in read_text(path).splitlines() if line.strip() and not line.startswith("#")]
    rows: list[GoldRow] = []
    if lines and lines[0].lstrip().startswith("{"):
        for number, line in enumerate(lines, 1):
            try:
                cells = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"gold line {number}: not JSON ({error.msg})") from None
            except RecursionError:
                raise InputError(f"gold line {number}: JSON nested too deeply") from None
            if not isinstance(cells, dict):
                raise InputError(f"gold line {number}: not a JSON object")
            rows.append(_row(cells, number, path.stem))
    else:
        header = [h.strip().lower() for h in lines[0].split("\t")] if lines else []
        if "name" not in header:
            raise InputError(f"{named(path)}: the gold TSV header must name a 'name' column, and 'concept' or "
                             "'parents'")
        for number, cells in table_rows(lines[1:], "\t", 2, named(path)):
            rows.append(_row(dict(zip(header, cells, strict=False)), number, path.stem))
    if len(rows) > MAX_GOLD_ROWS:
        raise InputError(f"{named(path)} has {len(rows):,} rows; at most {MAX_GOLD_ROWS:,}")
    return rows


@dataclass(slots=True)
class SourceScore:
    """The figures of one source's rows."""

    source: str
    same_rows: int = 0
    same_correct: int = 0
    same_hit_at_5: int = 0
    placement_rows: int = 0
    hit_at_1: float = 0.0
    hit_at_5: float = 0.0
    mrr: float = 0.0
    wu_palmer: float = 0.0
    abstained: int = 0
    reliability: list[dict[str, float]] = field(default_factory=list)
    errors: list[dict[str, object]] = field(default_factory=list)  # the first wrong answers, to read
    #: what the review threshold does to the links: committed / right among them, queued / right among them
    review: dict[str, float] = field(default_factory=dict)

    @property
    def same_accuracy(self) -> float:
        return self.same_correct / self.same_rows if self.same_rows else 0.0

    @property
    def accuracy(self) -> float:
        """Right answers over all rows: a same row's concept, a placement row's first parent."""
        rows = self.same_rows + self.placement_rows
        return (self.same_correct + self.hit_at_1 * self.placement_rows) / rows if rows else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "accuracy": round(self.accuracy, 4), "same_rows": self.same_rows,
                "same_accuracy": round(self.same_accuracy, 4),
                "same_hit_at_5": round(self.same_hit_at_5 / max(self.same_rows, 1), 4),
                "placement_rows": self.placement_rows, "hit_at_1": round(self.hit_at_1, 4),
                "hit_at_5": round(self.hit_at_5, 4), "mrr": round(self.mrr, 4), "wu_palmer": round(self.wu_palmer, 4),
                "abstained": self.abstained, "abstention_rate":
                    round(self.abstained / max(self.same_rows + self.placement_rows, 1), 4),
                "reliability": self.reliability, "review": self.review, "errors": self.errors}


def evaluate_gold(linker: Linker, rows: Sequence[GoldRow], *, visual: bool = False,
                  keep_errors: int = 50, review_below: float = REVIEW_BELOW,
                  one_at_a_time: bool = False, within: Sequence[str] = ()) -> list[SourceScore]:
    """Link every row and score it against its gold answer, per source (sorted by name); and what
    ``review_below`` would commit and queue of the links, and how many of each are right.

    The placement rows' concepts are hidden together, so that one batch links them all; with
    ``one_at_a_time`` each is linked alone with only its own concept hidden, as a user adds one
    concept to a store that holds its siblings (slower: one call per row). ``within``: the names
    of the label set a gold sample was drawn from, linked together with it, as ``taxonomy datasets
    link`` links the whole set: a sample linked alone loses what the set says of its labels
    (Open Images' "Opel senator" is a car among the other Opels, a senator alone)."""
    store = linker.store
    unknown = sorted({c for r in rows for c in [*r.concepts, *r.parents] if c not in store.graph})
    if unknown:
        raise InputError(f"the gold names {len(unknown)} concept(s) the store does not hold, e.g. {unknown[0]!r}")
    if within:
        return _scores(linker, rows, _linked_within(linker, rows, within, visual), keep_errors, review_below)
    same = [r for r in rows if r.is_same]
    placement = [r for r in rows if not r.is_same]
    answers: dict[int, LinkResult] = {}
    if same:
        for row, result in zip(same, linker.link([LinkInput(r.name, r.description) for r in same], visual=visual),
                               strict=True):
            answers[id(row)] = result
    if placement:
        hidden_before = linker.hidden
        batches = [[r] for r in placement] if one_at_a_time else [placement]
        results = []
        try:
            for batch in batches:
                linker.hidden = set(hidden_before) | {r.hide for r in batch if r.hide}
                results += linker.link([LinkInput(r.name, r.description) for r in batch], visual=visual)
        finally:
            linker.hidden = hidden_before
        for row, result in zip(placement, results, strict=True):
            answers[id(row)] = result
    return _scores(linker, rows, answers, keep_errors, review_below)


def _linked_within(linker: Linker, rows: Sequence[GoldRow], within: Sequence[str],
                   visual: bool) -> dict[int, LinkResult]:
    """The rows' answers, each name linked in one batch with the label set's ``within``."""
    if any(r.hide or r.description for r in rows):
        raise InputError("a gold linked within its label set holds its labels' names alone: no row may hide a "
                         "concept or give a description")
    names = list(dict.fromkeys([*within, *(r.name for r in rows)]))
    linked = dict(zip(names, linker.link([LinkInput(n) for n in names], visual=visual), strict=True))
    return {id(r): linked[r.name] for r in rows}


def _scores(linker: Linker, rows: Sequence[GoldRow], answers: dict[int, LinkResult], keep_errors: int,
            review_below: float) -> list[SourceScore]:
    store = linker.store
    scores: dict[str, SourceScore] = {}
    confidence: dict[str, list[tuple[float, bool]]] = {}
    for row in rows:
        result = answers[id(row)]
        score = scores.setdefault(row.source, SourceScore(row.source))
        score.abstained += result.decision == "none" or result.error is not None
        if row.is_same:
            correct = (result.decision == "same" and result.concept in row.concepts) or (
                result.decision == "child" and bool(result.parents) and result.parents[0] in row.parents)
            score.same_rows += 1
            score.same_correct += correct
            score.same_hit_at_5 += any(c.id in row.concepts for c in result.candidates[:5]) or correct
        else:
            ranked = ranking(store, result)
            truth = set(row.parents)
            correct = bool(ranked) and ranked[0] in truth
            rank = next((i for i, c in enumerate(ranked[:10], 1) if c in truth), None)
            score.placement_rows += 1
            score.hit_at_1 += correct
            score.hit_at_5 += any(c in truth for c in ranked[:5])
            score.mrr += 1.0 / rank if rank else 0.0
            score.wu_palmer += max((wu_palmer(store, ranked[0], t) for t in truth), default=0.0) if ranked else 0.0
        confidence.setdefault(row.source, []).append((result.score, correct))
        if result.linked:
            kind = "queued" if result.score < review_below else "committed"
            score.review[kind] = score.review.get(kind, 0) + 1
            score.review[f"{kind}_right"] = score.review.get(f"{kind}_right", 0) + correct
        if not correct and len(score.errors) < keep_errors:
            score.errors.append({"line": row.line, "name": row.name, "gold": row.concepts or row.parents,
                                 "decision": result.decision, "concept": result.concept, "parents": result.parents,
                                 "method": result.method, "score": round(result.score, 3), "error": result.error})
    for source, score in scores.items():
        if score.placement_rows:
            n = score.placement_rows
            score.hit_at_1, score.hit_at_5, score.mrr, score.wu_palmer = (
                score.hit_at_1 / n, score.hit_at_5 / n, score.mrr / n, score.wu_palmer / n)
        score.reliability = bins(confidence[source])
        score.review = {"below": review_below, **score.review}
    return [scores[s] for s in sorted(scores)]


def score_line(score: SourceScore) -> str:
    """One line of figures for a source, as ``taxonomy eval link --file`` prints it."""
    parts = []
    if score.same_rows:
        parts.append(f"same {score.same_correct}/{score.same_rows} = {score.same_accuracy:.1%}")
    if score.same_rows and score.placement_rows:
        parts.append(f"all rows {score.accuracy:.1%}")
    if score.placement_rows:
        parts.append(f"placement of {score.placement_rows}: Hit@1 {score.hit_at_1:.1%}, Hit@5 {score.hit_at_5:.1%}, "
                     f"MRR {score.mrr:.3f}, Wu&Palmer {score.wu_palmer:.3f}")
    total = score.same_rows + score.placement_rows
    parts.append(f"abstained {score.abstained}/{total}")
    bins_text = ", ".join(f"{b['from']}-{b['to']}: {b['hit_at_1']:.0%} of {b['count']:.0f}" for b in score.reliability)
    line = f"{score.source}: " + "; ".join(parts) + (f"\n  calibration (confidence -> correct): {bins_text}"
                                                      if bins_text else "")
    r = score.review
    if r.get("committed") or r.get("queued"):
        line += f"\n  review below {r['below']}: " + ", ".join(
            f"{kind} {r.get(kind, 0):.0f} ({r.get(kind + '_right', 0) / r[kind]:.1%} right)" if r.get(kind) else
            f"{kind} 0" for kind in ("committed", "queued"))
    return line
