"""Linking the public label sets into the store as dataset label mappings, with a report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from taxonomy.linking.corrections import PERSON_METHODS, QUEUED
from taxonomy.linking.linker import Linker, LinkInput, LinkResult
from taxonomy.linking.review import commit_or_queue, needs_review
from taxonomy.model import LabelRecord
from taxonomy.progress import Progress
from taxonomy.reading import LabelReader
from taxonomy.sources.public_labels import LabelSet, public_label_sets
from taxonomy.store import Store


def link_label_set(linker: Linker, label_set: LabelSet, *, dry_run: bool = False,
                   review_below: float = 0.0) -> dict[str, object]:
    """Link every class of a label set; store the mappings (and new concepts); return a report.

    A mapping a person made (``taxonomy labels set``, ``unlink --label``, a review) is kept as it
    is. With ``review_below``, a link less sure than that is not committed: its label waits in the
    review queue, unmapped, until a reviewer decides.
    """
    store = linker.store
    dataset = label_set.dataset.name
    kept = {lb.class_index: lb for lb in store.labels(dataset) if lb.method in PERSON_METHODS} \
        if any(d.name == dataset for d in store.datasets()) else {}
    results = linker.link([LinkInput(name, label_set.description(i), line=label_set.class_index(i))
                           for i, name in enumerate(label_set.names)], visual=True)
    report = _report(store, label_set, results)
    if kept:
        report["kept_by_person"] = len(kept)
    waiting = [r for r in results if r.line not in kept and needs_review(r, review_below)]
    if waiting:
        report["queued_for_review"] = len(waiting)
    if dry_run:
        return report
    queued = {r.line for r in waiting}
    commit_or_queue(linker, [r for r in results if r.line not in kept], review_below, dataset)
    records: list[LabelRecord] = []
    for i, (name, r) in enumerate(zip(label_set.names, results, strict=True)):
        index = label_set.class_index(i)
        if index in kept:
            person = kept[index]
            records.append({"dataset": dataset, "class_index": index, "class_name": name, "concept": person.concept,
                            "method": person.method, "score": person.score})
        else:
            mapped = r.linked and index not in queued
            records.append({"dataset": dataset, "class_index": index, "class_name": name,
                            "concept": r.concept if mapped else None,
                            "method": QUEUED if index in queued else r.method or "none", "score": round(r.score, 4)})
    with store.transaction(structure=False) as writes:
        writes.replace_dataset(label_set.dataset, records)
        writes.log_import(f"datasets:{dataset}", json.dumps(report))
    return report


def _report(store: Store, label_set: LabelSet, results: Sequence[LinkResult]) -> dict[str, object]:
    by_decision = Counter(r.decision if not r.error else "error" for r in results)
    by_method = Counter(f"{r.decision} by {r.method}" for r in results if r.decision != "none" and not r.error)
    report: dict[str, object] = {"dataset": label_set.dataset.name, "classes": len(results),
                                 "decisions": dict(by_decision), "methods": dict(by_method)}
    if label_set.parents:  # does the linking agree with the dataset's own hierarchy?
        concept = {i: (r.concept if r.decision != "none" else None) for i, r in enumerate(results)}
        pairs = [(concept[c], concept[p]) for c, ps in label_set.parents.items() for p in ps]
        known = [(c, p) for c, p in pairs if c and p and c in store.graph and p in store.graph]
        agree = sum(store.graph.is_a(c, p) for c, p in known)
        report["hierarchy_agreement"] = {"edges": len(pairs), "both_linked": len(known), "is_a_holds": agree}
    return report


def link_public_datasets(store: Store, names: Sequence[str] | None = None, *, dry_run: bool = False,
                         linker: Linker | None = None, progress: Progress | None = None,
                         review_below: float = 0.0) -> list[dict[str, object]]:
    """Link the shipped public label sets (all, or those named) into the store."""
    sets = public_label_sets()
    chosen = list(names or sets)
    unknown = [n for n in chosen if n not in sets]
    if unknown:
        from taxonomy.errors import InputError

        raise InputError(f"no such public label set: {unknown[0]!r}; choose from {', '.join(sets)}")
    linker = linker or Linker(store)
    reports = []
    for done, name in enumerate(chosen):
        if progress:
            progress("linking label sets", done, len(chosen))
        reports.append(link_label_set(linker, sets[name], dry_run=dry_run, review_below=review_below))
    if progress:
        progress("linking label sets", len(chosen), len(chosen))
    return reports


def dataset_reports(store: LabelReader) -> dict[str, dict[str, object]]:
    """The latest link report of every dataset that has one."""
    rows = store.import_reports("datasets:")
    return {source.removeprefix("datasets:"): json.loads(report) for source, report in rows}
