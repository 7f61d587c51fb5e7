"""CLI commands of the linker: ``taxonomy link``, ``datasets``, ``eval link`` and ``embed``."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxonomy.cli.arguments import fraction, non_negative, positive
from taxonomy.cli.commands import Output, open_reader, store_path
from taxonomy.cli.progress import progress_for
from taxonomy.errors import InputError
from taxonomy.linking.confidence import REVIEW_BELOW
from taxonomy.store import Store

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker

LINK_CHUNK = 2000  # names linked (and reported) at a time from a file ...
#: ... but a label set (--visual) whole, up to this many labels, for what the set says of each
#: (the labels around it, what it mostly shows, its makers): Open Images in chunks of 2,000 lost
#: 670 links that its makers' groups, split across chunks, gave
LABEL_SET_CHUNK = 100_000
DECISIONS = ("same", "child", "none", "error")  # in the order a batch's summary counts them
ERRORS_SHOWN = 5  # classes that could not be linked, named under a dataset's report line


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("link", parents=[common], help="link new names into the label system",
                       description="Decide for each name whether it is an existing concept (same), a new child "
                                   "of one (child) or neither (none), and commit the links unless --dry-run.")
    p.set_defaults(handler=link)
    p.add_argument("name", nargs="?")
    p.add_argument("--description", metavar="TEXT")
    p.add_argument("--wikidata", metavar="QID")
    p.add_argument("--file", metavar="FILE", help="one name a line (a label set's class list), TSV or CSV with a "
                   "header (name, description, wikidata) or JSON lines; - reads standard input")
    p.add_argument("--dry-run", action="store_true", help="decide, but write nothing")
    p.add_argument("--visual", action="store_true",
                   help="the names are labels of an image dataset: a name without a description means its most "
                        "visual sense (kite the toy, not the bank check)")
    p.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint to follow subclass-of chains of unknown QIDs")
    review_below(p, REVIEW_BELOW)
    p = sub.add_parser("datasets", parents=[common], help="the dataset label sets and how they were linked")
    p.set_defaults(handler=datasets)
    p.add_argument("action", nargs="?", choices=["link", "add"],
                   help="link: link the shipped public label sets; add NAME FILE: register your own label set")
    p.add_argument("dataset_name", nargs="?", metavar="NAME", help="add: the new dataset's name")
    p.add_argument("label_file", nargs="?", metavar="FILE",
                   help="add: class names one per line (or ImageNet's 'wnid names' lines, or each with its index: "
                        "'/a/airfield 0', '1: person'); TSV/CSV with a header naming the name column ('name', "
                        "'label', 'class', 'category') and optionally 'index'/'id', 'description'/'def' and "
                        "'synset'/'wnid'; COCO/LVIS JSON ('categories'; Mapillary's 'labels') or JSON lines. A "
                        "class that gives its WordNet synset (n02084071, 02084071-n, dog.n.01) is mapped to it")
    p.add_argument("--dataset", action="append", metavar="NAME", help="link: only these (repeatable)")
    p.add_argument("--license", default="", help="add: the label set's license, recorded with it")
    p.add_argument("--replace", action="store_true",
                   help="add: replace the classes of a dataset the store has by that name (mappings a person "
                        "made are kept)")
    p.add_argument("--dry-run", action="store_true")
    review_below(p, 0.0)
    evaluation = sub.add_parser("eval", help="measure the label system's tools")
    eval_sub = evaluation.add_subparsers(dest="eval_command", required=True, metavar="COMMAND")
    p = eval_sub.add_parser("link", parents=[common], help="the linker on held-out WordNet leaves")
    p.set_defaults(handler=eval_link)
    p.add_argument("--leaves", type=positive, default=500)
    p.add_argument("--seed", type=non_negative, default=0)
    p.add_argument("--same", type=non_negative, default=300, help="existing names to test 'same' on")
    p.add_argument("--calibrate", action="store_true", help="fit the confidence curves (on seed + 1)")
    p.add_argument("--file", action="append", metavar="GOLD", type=Path,
                   help="evaluate on a gold file instead (repeatable): TSV or JSON lines with name, description, "
                        "and concept (a 'same' row) or parents and hide (a placement row), and source")
    p.add_argument("--visual", action="store_true", help="with --file: the names are labels of an image dataset")
    p.add_argument("--errors", type=non_negative, default=0, help="with --file: show this many wrong answers")
    p.add_argument("--one-at-a-time", action="store_true",
                   help="with --file: link each placement row alone, only its own concept hidden (as a user adds "
                        "one concept beside its siblings), not all of them hidden together")
    p.add_argument("--within", type=Path, metavar="LABELS",
                   help="with --file --visual: the label set the gold's names were drawn from (one name a line), "
                        "linked together with them as 'taxonomy datasets link' links a whole set")
    p.add_argument("--ignore-dataset", action="append", default=[], metavar="DATASET",
                   help="with --file: a label set whose classes the linker does not read as a prior for which "
                        "sense a dataset label means (repeatable); for a gold made from that set, e.g. "
                        "imagenet1k and imagenet21k for ImageNet classes")
    p = sub.add_parser("embed", parents=[common], help="embed and store every concept's vector (once; the linker "
                                                       "computes missing ones in memory)")
    p.set_defaults(handler=embed)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                   help="cpu: sentence-transformers on torch (a few texts, or without torch: the numpy encoder); "
                        "cuda: on a GPU (the same vectors)")


def review_below(parser: argparse.ArgumentParser, default: float) -> None:
    parser.add_argument("--review-below", type=fraction, default=default, metavar="CONFIDENCE",
                        help=f"links less sure than this wait in the review queue ('taxonomy review') instead of "
                             f"entering the graph (default {default}; 0 commits every link)")


def read_link_file(path: Path) -> Iterator[Any]:
    """LinkInputs from JSON lines (``name``, ``description``, ``wikidata``), a TSV or CSV table
    whose header names a name column (and optionally a description and a ``wikidata`` column),
    or a list of names, one a line, as label sets ship their classes (an index or a wnid on the
    line is no part of the name). UTF-8 with or without a byte-order mark, or UTF-16 with one. A
    malformed line becomes an input that fails; the rest go on."""
    from taxonomy.files import STDIN, json_row, named, read_text, table_rows
    from taxonomy.linking.results import LinkInput
    from taxonomy.sources.label_files import DESCRIPTION_COLUMNS, NAME_COLUMNS, listed_names

    if path != STDIN and not path.is_file():
        raise InputError(f"no such file: {str(path)!r}")
    where = named(path)
    lines = read_text(path).splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise InputError(f"{where} has no names")
    if first.lstrip().startswith("{"):  # JSON lines; a line that is not an object fails alone
        for number, line in enumerate(lines, 1):
            row = json_row(line) if line.strip() else None
            if isinstance(row, str):
                yield LinkInput(None, line=number, error=row)
            elif row is not None:
                yield LinkInput(row.get("name"), row.get("description"), row.get("wikidata"), line=number)
        return
    delimiter = "\t" if "\t" in first else "," if "," in first else None
    # one column: a header only if the whole line is one ("Category 5 hurricane" is a class)
    header = [h.strip().lower() for h in first.split(delimiter)] if delimiter else [first.strip().lower()]
    name_column = next((h for h in header if h in NAME_COLUMNS), None)
    if name_column is None:
        listed = listed_names(lines)  # commas in a line are a list of synonyms; "0<TAB>person" numbered
        if any("\t" in name for _, name in listed):
            raise InputError(f"{where}: the TSV header must name a 'name' column (and optionally "
                             "'description' and 'wikidata'); or give one name a line, or JSON lines")
        for number, name in listed:
            yield LinkInput(name, line=number)
        return
    description_column = next((h for h in header if h in DESCRIPTION_COLUMNS), None)
    start = lines.index(first) + 1
    for number, cells_in_line in table_rows(lines[start:], delimiter or "\t", start + 1, where):
        if not cells_in_line:
            continue
        if len(cells_in_line) > len(header):
            yield LinkInput(None, line=number, error=f"{len(cells_in_line)} columns, the header has {len(header)}")
            continue
        cells = dict(zip(header, cells_in_line, strict=False))
        yield LinkInput(cells.get(name_column, ""), (cells.get(description_column or "") or None),
                        cells.get("wikidata") or None, line=number)


def link(args: argparse.Namespace) -> Output:
    from taxonomy.linking.linker import Linker, ensure_link_extra
    from taxonomy.linking.results import LinkInput
    from taxonomy.linking.review import commit_or_queue, needs_review

    if (args.name is None) == (args.file is None):
        raise InputError("give a NAME or --file FILE, not both")
    inputs = list(read_link_file(Path(args.file))) if args.file else [
        LinkInput(args.name, args.description, args.wikidata, line=1)]
    if not inputs:
        from taxonomy.files import named

        raise InputError(f"{named(Path(args.file))} has no names, only a header")
    ensure_link_extra()
    client = None
    if args.endpoint:
        from taxonomy.wikidata import SparqlClient

        client = SparqlClient(args.endpoint)

    if args.file:
        return _link_file(args, inputs, client)
    with Store.open(store_path(args), write=not args.dry_run) as store:
        linker = Linker(store, client=client, progress=progress_for(args))
        result = linker.link(inputs, visual=args.visual)[0]
        linked = result.linked
        if linked and not args.dry_run:
            commit_or_queue(linker, [result], args.review_below)
    row = result.as_dict()
    row["waits_for_review"] = needs_review(result, args.review_below)
    status = 0 if linked else 2
    if args.json:
        return Output(None, json.dumps(row, ensure_ascii=False), status=status, raw=True)
    return Output(row, _line(row, args.review_below, args.dry_run), status=status)


def _link_file(args: argparse.Namespace, inputs: list[Any], client: Any) -> Output:
    """A batch: each chunk's lines are written as soon as it is linked, and only what a commit
    needs is kept (a few hundred bytes a name; a new concept's vector 768 more), so memory does
    not grow with the file; everything commits at the end, in one transaction, or nothing does."""
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.review import commit_or_queue, needs_review

    progress = progress_for(args)
    linked = []
    decisions: Counter[str] = Counter()
    with Store.open(store_path(args), write=not args.dry_run) as store:
        linker = Linker(store, client=client, progress=progress)  # embeddings loaded when a name needs them
        size = LABEL_SET_CHUNK if args.visual else LINK_CHUNK
        for start in range(0, len(inputs), size):  # a long file shows how far it got
            chunk = linker.link(inputs[start : start + size], visual=args.visual)
            if start == 0 and (linker.label_senses.mostly or linker.label_senses.places_decide()):
                print(_set_said(linker), file=sys.stderr)  # what made its senses more likely
            for result in chunk:
                result.slim()
                row = result.as_dict()
                row["waits_for_review"] = needs_review(result, args.review_below)
                print(json.dumps(row, ensure_ascii=False) if args.json else _line(row, args.review_below, args.dry_run))
                decisions["error" if result.error else result.decision] += 1
                if result.linked:
                    linked.append(result)
            sys.stdout.flush()
            if len(inputs) > size:
                progress("linking", min(start + size, len(inputs)), len(inputs))
        # what a long file came to, after its lines (on stderr: stdout stays one line a name)
        summary = f"{len(inputs):,} names: " + ", ".join(f"{k} {decisions[k]:,}" for k in DECISIONS if decisions[k])
        waiting = sum(needs_review(r, args.review_below) for r in linked)
        if args.dry_run:
            print(summary + (f"; {waiting:,} would wait for review" if waiting else "") + " (dry run: nothing written)",
                  file=sys.stderr)
        else:
            _, _, queued = commit_or_queue(linker, linked, args.review_below)
            print(summary + (f"; {queued:,} below {args.review_below} wait for review: taxonomy review"
                             if queued else ""), file=sys.stderr)
    return Output(None, None, status=0 if linked else 2, raw=True)  # the lines are out already


def _set_said(linker: Linker) -> str:
    """What a label set says of its labels' senses: the files it mostly shows, whether it shows places."""
    said = linker.label_senses
    parts = ["mostly shows " + _mostly(said.mostly)] if said.mostly else []
    if said.places is not None and said.places_decide():
        parts.append(_places(said.places))
    return "the label set " + "; ".join(parts)


def _places(share: float) -> str:
    """Whether a label set shows places (LabelSenses.places): "places 68%", or "names no place"."""
    return f"places {share:.0%}" if share else "names no place"


def _mostly(shares: dict[str, float]) -> str:
    """The lexicographer files a label set mostly shows, largest share first: "act (95%)"."""
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    return ", ".join(f"{kind.removeprefix('noun.')} ({share:.0%})" for kind, share in ordered)


def _confidence(score: float, review_below: float) -> str:
    """Two decimals, or three where two would round a link that waits for review up to the
    threshold ("0.495", not "0.50 - below 0.5")."""
    shown = f"{score:.2f}"
    return f"{score:.3f}" if score < review_below <= float(shown) else shown


def _line(row: dict[str, Any], review_below: float = 0.0, dry_run: bool = False) -> str:
    name = row["input"].get("name") or f"line {row['line']}"
    if row["error"]:
        return f"{name}: error: {row['error']}"
    if row["decision"] == "none":
        best = row["candidates"][0] if row["candidates"] else None
        return f"{name}: none" + (f" (best guess {best['id']} {best['name']}, {best['score']:.2f})" if best else "")
    target = row["concept"] if row["decision"] == "same" else f"{row['concept']} under {', '.join(row['parents'])}"
    line = f"{name}: {row['decision']} {target} by {row['method']} ({_confidence(row['score'], review_below)})"
    if row.get("waits_for_review"):
        line += f" - below {review_below}: " + ("would wait for review" if dry_run else "waits for review" + (
            f" as #{row['review']}" if row["review"] else ""))
    return line


def datasets(args: argparse.Namespace) -> Output:
    from taxonomy.linking.datasets import dataset_reports, link_public_datasets

    if args.action == "add":
        return _add_dataset(args)
    if args.dataset_name or args.label_file:
        raise InputError("NAME and FILE go with 'taxonomy datasets add NAME FILE'")
    if args.action == "link":
        from taxonomy.linking.embedding import ConceptEmbeddings
        from taxonomy.linking.linker import Linker, ensure_link_extra

        ensure_link_extra()
        with Store.open(store_path(args), write=not args.dry_run) as store:
            linker = Linker(store, embeddings=ConceptEmbeddings.load(store, progress_for(args)))
            linked = link_public_datasets(store, args.dataset, dry_run=args.dry_run, linker=linker,
                                          progress=progress_for(args), review_below=args.review_below)
        return Output(linked, "\n".join(_report_line(r) for r in linked))
    with open_reader(args) as store:
        found = store.datasets()
        reports = dataset_reports(store)
    rows = [{"dataset": d.name, "classes": d.num_classes, "source": d.source, "license": d.license,
             "report": reports.get(d.name)} for d in found]
    lines = [f"{d.name}  {d.num_classes:,} classes ({d.source})" for d in found]
    lines += [_report_line(reports[d.name]) for d in found if d.name in reports]
    return Output(rows, "\n".join(lines))


def _add_dataset(args: argparse.Namespace) -> Output:
    from taxonomy.linking.datasets import link_label_set
    from taxonomy.linking.linker import Linker, ensure_link_extra
    from taxonomy.sources.label_files import read_label_file

    if not args.dataset_name or not args.label_file:
        raise InputError("usage: taxonomy datasets add NAME FILE (a name for the label set, and its class names)")
    label_set = read_label_file(Path(args.label_file), args.dataset_name, license=args.license)
    ensure_link_extra()
    with Store.open(store_path(args), write=not args.dry_run) as store:
        held = next((d for d in store.datasets() if d.name == args.dataset_name), None)
        if held is not None and not (args.replace or args.dry_run):  # a typo's name would lose a label set
            raise InputError(f"the store has a dataset {held.name!r} ({held.num_classes:,} classes, from "
                             f"{held.source}); give --replace to replace its classes with those of "
                             f"{args.label_file!r} (mappings a person made are kept), or another name")
        linker = Linker(store, progress=progress_for(args))  # loads the embeddings if a class needs linking
        report = link_label_set(linker, label_set, dry_run=args.dry_run, review_below=args.review_below)
    return Output(report, _report_line(report, dry_run=args.dry_run))


def _report_line(report: dict[str, Any], dry_run: bool = False) -> str:
    decisions = ", ".join(f"{k} {v}" for k, v in sorted(report["decisions"].items()))
    methods = ", ".join(f"{k} {v}" for k, v in sorted(report["methods"].items()))
    line = f"{report['dataset']}: {report['classes']:,} classes: {decisions} ({methods})"
    if report.get("mostly_shows"):
        line += "; mostly " + _mostly(report["mostly_shows"])
    if "places" in report:
        line += "; " + _places(report["places"])
    if "hierarchy_agreement" in report:
        h = report["hierarchy_agreement"]
        line += f"; its own hierarchy: {h['is_a_holds']} of {h['both_linked']} linked parent edges hold"
    if report.get("queued_for_review"):
        line += f"; {report['queued_for_review']} wait for review"
    if report.get("kept_by_person"):
        line += f"; {report['kept_by_person']} mapped by a person kept"
    if dry_run:
        line += " (dry run: nothing written)"
    errors = report.get("errors", [])
    for error in errors[:ERRORS_SHOWN]:
        line += f"\n  class {error['class_index']} ({error['name']!r}): {error['error']}"
    if report["decisions"].get("error", 0) > ERRORS_SHOWN:
        line += f"\n  and {report['decisions']['error'] - ERRORS_SHOWN:,} more (--json lists {len(errors)})"
    return line


def eval_link(args: argparse.Namespace) -> Output:
    from taxonomy.linking.embedding import ConceptEmbeddings
    from taxonomy.linking.evaluation import calibrate, evaluate
    from taxonomy.linking.linker import ensure_link_extra

    ensure_link_extra()
    if args.within and not args.file:
        raise InputError("--within goes with --file GOLD: the label set a gold sample was drawn from")
    if args.file:
        return _eval_gold(args)
    with Store.open(store_path(args)) as store:
        vectors = ConceptEmbeddings.load(store, progress_for(args))
        if args.calibrate:
            fitted = calibrate(store, args.leaves, args.seed + 1, vectors)
            return Output({m: asdict(f) for m, f in fitted.items()}, "\n".join(f.line(m) for m, f in fitted.items()))
        result = evaluate(store, args.leaves, args.seed, vectors, args.same)
    d = result.as_dict()
    text = (f"{result.leaves} held-out leaves (seed {result.seed}): Hit@1 {result.hit_at_1:.1%}, "
            f"Hit@5 {result.hit_at_5:.1%}, MRR {result.mrr:.3f}, Wu&Palmer {result.wu_palmer:.1%}; "
            f"'same' on {result.same_tested} existing names: {result.same_accuracy:.1%}\n"
            f"methods: {result.by_method}\nreliability (confidence -> Hit@1): " +
            ", ".join(f"{b['from']}-{b['to']}: {b['hit_at_1']:.0%} of {b['count']:.0f}" for b in result.reliability))
    return Output(d, text)


def _eval_gold(args: argparse.Namespace) -> Output:
    from taxonomy.linking.embedding import ConceptEmbeddings
    from taxonomy.linking.gold import evaluate_gold, read_gold, score_line
    from taxonomy.linking.linker import Linker

    gold = [(path, read_gold(path)) for path in args.file]  # every file read (and checked) before the models load
    if args.within and not args.visual:
        raise InputError("--within needs --visual: a label set is read together only for an image dataset's labels")
    within = [str(i.name) for i in read_link_file(args.within) if i.error is None] if args.within else []
    scores = []
    with Store.open(store_path(args)) as store:
        unknown = sorted(set(args.ignore_dataset) - set(store.dataset_members()))
        if unknown:
            raise InputError(f"--ignore-dataset {unknown[0]!r}: the store has no labels of that set; it has "
                             f"{', '.join(sorted(store.dataset_members())) or 'none'} (see 'taxonomy datasets')")
        linker = Linker(store, embeddings=ConceptEmbeddings.load(store, progress_for(args)),
                        ignore_datasets=args.ignore_dataset)
        progress = progress_for(args)
        for done, (_, rows) in enumerate(gold):
            progress("evaluating gold files", done, len(gold))
            scores += evaluate_gold(linker, rows, visual=args.visual, keep_errors=max(args.errors, 50),
                                    one_at_a_time=args.one_at_a_time, within=within)
    lines = []
    for score in scores:
        lines.append(score_line(score))
        lines += [f"  wrong: {json.dumps(e, ensure_ascii=False)}" for e in score.errors[: args.errors]]
    return Output([s.as_dict() for s in scores], "\n".join(lines))


def embed(args: argparse.Namespace) -> Output:
    from taxonomy.linking.embedding import update_embeddings

    with Store.open(store_path(args), write=True) as store:
        count, seconds = update_embeddings(store, progress_for(args), device=args.device)
    return Output({"embedded": count, "seconds": round(seconds, 1)},
                  f"embedded {count:,} concepts in {seconds:.1f} s")
