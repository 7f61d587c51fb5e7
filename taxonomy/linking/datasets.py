"""Linking the public label sets into the store as dataset label mappings, with a report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from taxonomy.errors import InputError
from taxonomy.linking.corrections import PERSON_METHODS, QUEUED
from taxonomy.linking.linker import Linker
from taxonomy.linking.results import LinkInput, LinkResult
from taxonomy.linking.review import commit_or_queue, needs_review
from taxonomy.model import LabelRecord
from taxonomy.progress import Progress
from taxonomy.reading import LabelReader
from taxonomy.sources.label_files import WNID
from taxonomy.sources.public_labels import LabelSet, public_label_sets
from taxonomy.store import Store

GIVEN = "given"  # the method of a class mapped to the synset its label file gives
ERRORS_REPORTED = 20  # classes that could not be linked named in a report, with why


def link_label_set(linker: Linker, label_set: LabelSet, *, dry_run: bool = False,
                   review_below: float = 0.0) -> dict[str, object]:
    """Link every class of a label set; store the mappings (and new concepts); return a report.

    A mapping a person made (``taxonomy labels set``, ``unlink --label``, a review) is kept as it
    is. With ``review_below``, a link less sure than that is not committed: its label waits in the
    review queue, unmapped, until a reviewer decides.
    """
    store = linker.store
    dataset = label_set.dataset.name
    given = given_concepts(store, label_set)
    if any(given):  # a class given by its synset alone is named by the synset
        found = store.names([c for c in given if c])
        label_set = replace(label_set, names=[name or found.get(c or "", "") for name, c in
                                              zip(label_set.names, given, strict=True)])
    kept = {lb.class_index: lb for lb in store.labels(dataset) if lb.method in PERSON_METHODS} \
        if any(d.name == dataset for d in store.datasets()) else {}
    linked = iter(linker.link([LinkInput(name, label_set.description(i), line=label_set.class_index(i))
                               for i, name in enumerate(label_set.names) if not given[i]], visual=True))
    results = [_given_result(store, name, concept, label_set.class_index(i)) if concept else next(linked)
               for i, (name, concept) in enumerate(zip(label_set.names, given, strict=True))]
    report = _report(store, label_set, results)
    if linker.label_senses.mostly:  # what the set mostly shows, which made its senses more likely
        report["mostly_shows"] = {file.removeprefix("noun."): round(share, 2)
                                  for file, share in linker.label_senses.mostly.items()}
    if linker.label_senses.places_decide():  # a set of scenes, or of things: places more or less likely
        report["places"] = round(linker.label_senses.places or 0.0, 2)
    if kept:
        report["kept_by_person"] = len(kept)
    waiting = [r for r in results if r.line not in kept and needs_review(r, review_below)]
    if waiting:
        report["queued_for_review"] = len(waiting)
    if dry_run:
        return report
    queued = {r.line for r in waiting}
    commit_or_queue(linker, [r for r in results if r.line not in kept and r.method != GIVEN], review_below, dataset)
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


def given_concepts(store: Store, label_set: LabelSet) -> list[str | None]:
    """Each class's concept as its file gives it (a WordNet synset; None where none is given).
    Raises InputError naming the first class whose synset the store does not hold."""
    found: list[str | None] = []
    for i, synset in enumerate(label_set.synsets or [None] * len(label_set.names)):
        concept = _synset_concept(store, synset) if synset else None
        if synset and concept is None:
            raise InputError(f"{label_set.dataset.source!r}: the class {label_set.names[i] or synset!r} (index "
                             f"{label_set.class_index(i)}) gives {synset!r}, and the store has no such WordNet "
                             "noun synset")
        found.append(concept)
    return found


def _synset_concept(store: Store, synset: str) -> str | None:
    """The concept of a wnid ("n02084071") or a synset name ("dog.n.01": the first noun sense of
    "dog" in WordNet's order, as NLTK numbers them)."""
    if WNID.fullmatch(synset):
        return synset if synset in store.graph else None
    lemma, _, number = synset.rsplit(".", 2)
    senses = [c for c in store.senses(lemma.replace("_", " "), "en") if WNID.fullmatch(c)]
    return senses[int(number) - 1] if 0 < int(number) <= len(senses) else None


def _given_result(store: Store, name: str, concept: str, index: int) -> LinkResult:
    """A class mapped to the synset its file gives: sure, and nothing to commit to the graph."""
    return LinkResult(input={"name": name, "synset": concept}, decision="same", concept=concept,
                      parents=store.graph.parents(concept), method=GIVEN, score=1.0, line=index, name=name,
                      lookup=name, raw=1.0)


def _report(store: Store, label_set: LabelSet, results: Sequence[LinkResult]) -> dict[str, object]:
    by_decision = Counter(r.decision if not r.error else "error" for r in results)
    by_method = Counter(f"{r.decision} by {r.method}" for r in results if r.decision != "none" and not r.error)
    report: dict[str, object] = {"dataset": label_set.dataset.name, "classes": len(results),
                                 "decisions": dict(by_decision), "methods": dict(by_method)}
    failed = [r for r in results if r.error]
    if failed:  # which classes could not be linked, and why: the first ERRORS_REPORTED of them
        names = {label_set.class_index(i): name for i, name in enumerate(label_set.names)}
        report["errors"] = [{"class_index": r.line, "name": names.get(r.line, r.name), "error": r.error}
                            for r in failed[:ERRORS_REPORTED]]
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
