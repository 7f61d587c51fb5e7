"""The CLI's commands: each takes parsed arguments and returns an Output (data + its text form)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxonomy import locations
from taxonomy.build import build_store
from taxonomy.cli.arguments import class_index
from taxonomy.cli.progress import progress_for
from taxonomy.errors import InputError
from taxonomy.linking.corrections import PERSON_METHODS
from taxonomy.model import Concept
from taxonomy.reading import LabelReader
from taxonomy.store import Store
from taxonomy.views import concept_view


@dataclass(frozen=True, slots=True)
class Output:
    data: Any
    text: str | None  # None: the command wrote its output already (a streamed batch)
    status: int = 0
    raw: bool = False  # the text is already the machine-readable form (JSON lines)


def check_output_folder(output: str | None) -> None:
    """An output file's folder must exist (a typo in it is not a reason to create folders)."""
    if output and output != "-" and not Path(output).expanduser().resolve().parent.is_dir():
        raise InputError(f"no such folder for the output: {str(Path(output).parent)!r}; create it first")


def more_line(shown: int, total: int | None, option: str = "--limit") -> str:
    """The line that says a list was cut: how many more there are, and how to see them."""
    if total is None:
        return f"\n(more; raise {option})"
    return f"\n({total - shown:,} more; raise {option})" if total > shown else ""


def store_path(args: argparse.Namespace) -> Path:
    """The embedded store's file; a Neo4j URI is refused (this command writes or needs SQLite)."""
    return locations.embedded_path(args.store, f"taxonomy {args.command}")


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(store_path(args))


def open_reader(args: argparse.Namespace) -> LabelReader:
    """The store for a read command: the SQLite file or a Neo4j database (``--store neo4j://...``)."""
    return locations.open_reader(args.store)


def pick(store: LabelReader, query: str) -> str:
    """Resolve an id or name to one concept, telling the user when a name had several senses."""
    found = store.resolve(query)
    if len(found) > 1:
        name = store.names([found[0]])[found[0]]
        print(f"note: {query!r} has {len(found)} senses; using {found[0]} ({name}); "
              f"'taxonomy show {query}' lists them", file=sys.stderr)
    return found[0]


def _brief(store: LabelReader, ids: Sequence[str]) -> list[dict[str, str]]:
    names = store.names(ids)
    return [{"id": i, "name": names.get(i, "")} for i in ids]


def _lines(rows: list[dict[str, str]]) -> str:
    return "\n".join(f"{row['id']}  {row['name']}" for row in rows)


def plain(value: object) -> str:
    """A dict or list as 'a=1, b=2' / 'a, b' rather than its Python repr."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


# ---------------------------------------------------------------------- commands
def build(args: argparse.Namespace) -> Output:
    started = time.perf_counter()
    path = build_store(store_path(args), wordnet_dir=Path(args.wordnet_dir) if args.wordnet_dir else None,
                       progress=progress_for(args))
    seconds = time.perf_counter() - started
    with Store.open(path) as store:
        stats = store.stats()
    data = {"store": str(path), "seconds": round(seconds, 1), "concepts": stats["concepts"], "edges": stats["edges"]}
    return Output(data, f"built {path}: {stats['concepts']:,} concepts, {stats['edges']:,} edges in {seconds:.1f} s")


def concept_details(store: LabelReader, concept: Concept) -> dict[str, Any]:
    return {**concept_view(store, concept.id), "visual": concept.visual, "common": concept.common}


def _details_text(d: dict[str, Any]) -> str:
    parents = [f"{p['id']} {p['name']} ({p['kind']}, {p['method']})" for p in d["parents"]] or ["(root)"]
    rows = [
        f"{d['id']}  {d['name']}",
        f"  lemmas:    {', '.join(d['lemmas'])}",
        f"  gloss:     {d['gloss']}",
        f"  lexname:   {d['lexname'] or '-'}    source: {d['source']}",
        *([f"  usage:     {', '.join(d['usage'])}"] if d["usage"] else []),
        f"  depth:     {d['depth']} (longest path {d['max_depth']})",
        f"  parents:   {parents[0]}",
        *(f"             {p}" for p in parents[1:]),
        f"  children:  {d['children']} (descendants: {d['descendants']})",
        f"  tags:      visual={d['visual']} common={d['common']}  (0 no, 1 yes, 2 unknown)",
    ]
    rows += [f"  label:     {lb['dataset']}[{lb['class_index']}] {lb['class_name']}" for lb in d["labels"]]
    by_source: dict[tuple[str, str], list[str]] = {}
    for t in d["translations"]:
        by_source.setdefault((t["lang"], t["source"]), []).append(t["name"])
    rows += [f"  {lang} ({source}):{' ' * max(1, 8 - len(source) - len(lang))}{', '.join(names)}"
             for (lang, source), names in by_source.items()]
    rows += [f"  {scheme}:{' ' * max(1, 10 - len(scheme))}{', '.join(v)}" for scheme, v in d["external_ids"].items()]
    return "\n".join(rows)


def show(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        found = store.resolve(args.concept)
        if len(found) == 1:
            details = concept_details(store, store.concept(found[0]))
            return Output(details, _details_text(details))
        senses = [{"id": c.id, "name": c.name, "gloss": c.gloss} for c in store.concepts(found)]
        text = f"{args.concept!r} has {len(senses)} senses:\n" + "\n".join(
            f"{i}. {s['id']}  {s['name']}: {s['gloss']}" for i, s in enumerate(senses, 1))
        return Output({"query": args.concept, "senses": senses}, text)


def search(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        hits = store.search(args.text, args.limit + 1)
        more = more_line(args.limit, None) if len(hits) > args.limit else ""
        rows = [{"id": c.id, "name": c.name, "matched": matched, "gloss": c.gloss}
                for c, matched, _ in hits[: args.limit]]
        if not rows:
            close = store.close_names(args.text)
            hint = f"; close names: {', '.join(close)}" if close else ""
            return Output(rows, f"no concept name contains {args.text!r}{hint}")
        return Output(rows, "\n".join(f"{r['id']}  {r['matched']}: {r['gloss']}" for r in rows) + more)


def ancestors(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        rows = _brief(store, store.graph.ancestors(pick(store, args.concept)))
        return Output(rows, _lines(rows))


def descendants(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        concept_id = pick(store, args.concept)
        rows = _brief(store, store.graph.descendants(concept_id, limit=args.limit))
        total = store.graph.descendant_count(concept_id)
        more = more_line(len(rows), total)
        return Output({"total": total, "descendants": rows}, _lines(rows) + more)


def path(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        paths = store.graph.paths_to_root(pick(store, args.concept))
        names = store.names(sorted({c for p in paths for c in p}))
        data = [[{"id": c, "name": names[c]} for c in p] for p in paths]
        text = "\n".join(" > ".join(f"{names[c]} ({c})" for c in p) for p in paths)
        return Output(data, text)


def lca(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        rows = _brief(store, store.graph.lowest_common_ancestors(pick(store, args.a), pick(store, args.b)))
        return Output(rows, _lines(rows))


def is_a(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        answer = store.graph.is_a(pick(store, args.concept), pick(store, args.ancestor))
        return Output({"is_a": answer}, "yes" if answer else "no")


def related(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        ids = store.graph.related(pick(store, args.concept))
        rows = _brief(store, ids[: args.limit] if args.limit else ids)
        more = more_line(len(rows), len(ids))
        return Output({"total": len(ids), "related": rows}, _lines(rows) + more)


def stats(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        data = store.stats()
        lines = []
        for key, value in data.items():
            if isinstance(value, dict):  # one entry per line
                lines += [f"{key}:", *(f"  {k}: {v}" for k, v in value.items())]
            else:
                lines.append(f"{key}: {plain(value)}")
        text = "\n".join(lines)
        return Output(data, text)


def labels(args: argparse.Namespace) -> Output:
    if args.dataset == "set":
        from taxonomy.cli.review import set_label

        return set_label(args, args.index)
    if len(args.index) > 1:
        raise InputError("usage: taxonomy labels [DATASET [INDEX]] | taxonomy labels set DATASET INDEX CONCEPT")
    index = class_index(args.index[0]) if args.index else None
    with open_reader(args) as store:
        if args.dataset is None:
            rows = [{"dataset": d.name, "classes": d.num_classes, "source": d.source, "description": d.description}
                    for d in store.datasets()]
            return Output(rows, "\n".join(f"{r['dataset']}  {r['classes']} classes: {r['description']}" for r in rows))
        more = ""
        if index is None:
            found = store.labels(args.dataset, 0, args.limit)
            more = more_line(len(found), store.dataset(args.dataset).num_classes)
        else:
            found = [store.label(args.dataset, index)]
        rows = [{"dataset": lb.dataset, "class_index": lb.class_index, "class_name": lb.class_name,
                 "concept": lb.concept, "method": lb.method, "score": lb.score} for lb in found]
        text = "\n".join(f"{r['class_index']}  {r['concept'] or '-'}  {r['class_name']}{_how_mapped(r)}" for r in rows)
        return Output(rows, text + more)


def _how_mapped(row: dict[str, Any]) -> str:
    """How a label was mapped, where a reviewer needs it: by a person, or by the linker and how
    sure ("(headnoun, 0.41)"); nothing for a label set's own ids (ImageNet's wnids)."""
    if row["method"] in PERSON_METHODS:
        return f"  ({PERSON_METHODS[row['method']]})"
    if row["method"] in (None, "wnid"):
        return ""
    return f"  ({row['method']}, {row['score']:.2f})" if row["score"] is not None else f"  ({row['method']})"


def export(args: argparse.Namespace) -> Output:
    from taxonomy.formats import export as write_export

    with open_store(args) as store:
        root = pick(store, args.root) if args.root else None
        count = write_export(store, args.format, Path(args.output), root)
    return Output({"output": args.output, "format": args.format, "concepts": count},
                  f"wrote {count:,} concepts to {args.output} ({args.format})")


def import_(args: argparse.Namespace) -> Output:
    from taxonomy.formats import import_file

    new_concepts, new_edges = import_file(store_path(args), args.format, Path(args.file))
    return Output({"new_concepts": new_concepts, "new_edges": new_edges},
                  f"imported {args.file}: {new_concepts:,} new concepts, {new_edges:,} new edges")


def compile_index(args: argparse.Namespace) -> Output:
    started = time.perf_counter()
    with Store.open(store_path(args), write=True) as store:
        done = store.compile_index()
    return Output({**done, "seconds": round(time.perf_counter() - started, 1)},
                  f"compiled the graph index: {done['concepts']:,} concepts, {done['edges']:,} edges "
                  f"({done['logged']:,} added since the last compile taken in) in "
                  f"{time.perf_counter() - started:.1f} s")


def check(args: argparse.Namespace) -> Output:
    from taxonomy.build import fill_wordnet_tables
    from taxonomy.checks import CHECKS, run_checks

    repaired, filled = False, {}
    if args.repair:
        with Store.open(store_path(args), write=True, repair=True) as store:
            repaired = store.repaired
            filled = fill_wordnet_tables(store)
    with open_store(args) as store:
        report = run_checks(store, args.select.split(",") if args.select else None)
    findings = [{"code": f.code, "subject": f.subject, "detail": f.detail} for f in report.findings]
    counts = report.counts()
    summary = [f"{code} {CHECKS[code].message}: {n}" for code, n in counts.items()]
    shown = [f"{f['code']} {f['subject']} {f['detail']}".rstrip() for f in findings[: args.limit]]
    if len(findings) > args.limit:
        shown.append(f"({len(findings) - args.limit} more; raise --limit or use --json)")
    data = {"counts": counts, "errors": len(report.errors), "findings": findings, "repaired": repaired,
            "filled": filled}
    notes = ["repaired: the graph index was damaged and has been compiled again from the edges"] if repaired else []
    notes += [f"filled {table} from WordNet: {rows:,} rows" for table, rows in filled.items()]
    return Output(data, "\n".join(notes + summary + shown), status=1 if report.errors else 0)
