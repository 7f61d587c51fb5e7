"""CLI commands for tags, votes, subsets and crawl queries."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from taxonomy import crawl, subsets
from taxonomy.cli.arguments import fraction, positive
from taxonomy.cli.commands import Output, more_line, open_reader, pick, store_path
from taxonomy.errors import InputError
from taxonomy.files import atomic_text_file
from taxonomy.model import QUESTIONS
from taxonomy.reading import LabelReader
from taxonomy.store import Store
from taxonomy.tags import TagState, parse_answer, tags, vote


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("vote", parents=[common], help="vote on whether a concept is visual / common")
    p.set_defaults(handler=vote_command)
    p.add_argument("concept", metavar="ID|NAME")
    p.add_argument("--visual", metavar="yes|no")
    p.add_argument("--common", metavar="yes|no")
    p.add_argument("--annotator", required=True, metavar="NAME")
    p = sub.add_parser("tags", parents=[common], help="a concept's tags: decision, prior and votes")
    p.set_defaults(handler=tags_command)
    p.add_argument("concept", metavar="ID|NAME")

    subset = sub.add_parser("subset", help="named, versioned subsets of concepts")
    subset_sub = subset.add_subparsers(dest="subset_command", required=True, metavar="COMMAND")
    p = subset_sub.add_parser("create", parents=[common], help="compute a subset and store it as a new version")
    p.set_defaults(handler=subset_create)
    p.add_argument("name")
    p.add_argument("--where", required=True, metavar="CONDITIONS", help="e.g. visual=1,common=1 or visual_prior>=0.9")
    p.add_argument("--under", metavar="ID|NAME", help="only this concept and its descendants")
    p = subset_sub.add_parser("list", parents=[common], help="every subset and version")
    p.set_defaults(handler=subset_list)
    p = subset_sub.add_parser("show", parents=[common], help="a subset's definition, versions and members")
    p.set_defaults(handler=subset_show)
    p.add_argument("name")
    p.add_argument("--version", type=positive)
    p.add_argument("--limit", type=positive, default=20)
    p = subset_sub.add_parser(
        "export", parents=[common], help="write a subset's members: a class list for training, or the concepts",
        description="classes: 'index<TAB>id<TAB>name' lines, a class file a training script reads; synsets: one "
                    "id per line in the same order (ImageNet's synsets.txt; WordNet ids are ImageNet's wnids); "
                    "ids: the member ids; jsonl, bamboo-json, graphml: the concepts with their edges.")
    p.set_defaults(handler=subset_export)
    p.add_argument("name")
    p.add_argument("--version", type=positive)
    p.add_argument("--format", default="jsonl", choices=["classes", "synsets", "ids", "jsonl", "bamboo-json",
                                                          "graphml"])
    p.add_argument("--leaves", action="store_true",
                   help="drop a concept when one of its descendants is in the subset (dog, when its breeds are)")
    p.add_argument("--order", metavar="DATASET", help="classes and synsets in this dataset's class order "
                   "(members it lacks after them, by id); default: by id, stable across versions")
    p.add_argument("-o", "--output", required=True, metavar="FILE")

    p = sub.add_parser("queries", parents=[common], help="crawl queries for a concept or a subset")
    p.set_defaults(handler=queries_command)
    p.add_argument("concept", nargs="?", metavar="ID|NAME")
    p.add_argument("--subset", metavar="NAME")
    p.add_argument("--detection", action="store_true", help="pair common concepts with scenes and each other")
    p.add_argument("--cap", type=positive, help="queries per concept (default 20, detection 50)")
    p.add_argument("--common-prior", type=fraction, metavar="P",
                   help="for --detection: count as common a concept whose common prior is at least P")
    p.add_argument("--lang", metavar="LANGS", help="only these languages, comma-separated (en,zh,es,nl,it)")
    p.add_argument("-o", "--output", required=True, metavar="FILE")


def _state_text(state: TagState) -> str:
    codes = {0: "no", 1: "yes", 2: "unknown"}
    prior = f"prior {state.prior_score:.2f} ({state.prior_method})" if state.prior_score is not None else "no prior"
    votes = f"votes {state.yes} yes / {state.no} no"
    if state.votes:
        votes += f" ({state.yes_fraction:.0%} yes: " + ", ".join(
            f"{a}={'yes' if v else 'no'}" for a, v in sorted(state.votes.items())) + ")"
    by = f" by {state.decided_by}" if state.decided_by else ""
    return f"  {state.question}: {codes[state.decision]}{by}; {votes}; {prior}"


def _tags_output(store: LabelReader, concept_id: str, states: dict[str, TagState]) -> Output:
    name = store.names([concept_id])[concept_id]
    data = {"id": concept_id, "name": name, **{q: states[q].as_dict() for q in QUESTIONS}}
    return Output(data, "\n".join([f"{concept_id}  {name}", *(_state_text(states[q]) for q in QUESTIONS)]))


def vote_command(args: argparse.Namespace) -> Output:
    answers = {q: parse_answer(getattr(args, q)) for q in QUESTIONS if getattr(args, q) is not None}
    with Store.open(store_path(args), write=True) as store:
        found = store.resolve(args.concept)
        if len(found) > 1:  # a vote on the wrong sense would be silently wrong
            raise InputError(f"{args.concept!r} has {len(found)} senses ({', '.join(found[:5])}); vote by id")
        concept_id = found[0]
        return _tags_output(store, concept_id, vote(store, concept_id, args.annotator, answers))


def tags_command(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        concept_id = pick(store, args.concept)
        return _tags_output(store, concept_id, tags(store, concept_id))


def _subset_data(subset: subsets.Subset) -> dict[str, object]:
    return {"name": subset.name, "version": subset.version, "definition": subset.definition,
            "graph_version": subset.graph_version, "tags_version": subset.tags_version,
            "created_at": subset.created_at, "size": subset.size}


def _subset_line(s: subsets.Subset) -> str:
    under = f" under {s.definition['under']}" if s.definition.get("under") else ""
    return (f"{s.name} v{s.version}: {s.size:,} concepts where {s.definition['where']}{under} "
            f"(graph version {s.graph_version}, tags version {s.tags_version}, {s.created_at})")


def subset_create(args: argparse.Namespace) -> Output:
    with Store.open(store_path(args), write=True) as store:
        subset = subsets.create(store, args.name, args.where, args.under)
    note = subsets.decision_note(subsets.parse_where(args.where), subset.size)
    if note:
        print(note, file=sys.stderr)
    return Output(_subset_data(subset), _subset_line(subset))


def subset_list(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        found = subsets.all_subsets(store)
    return Output([_subset_data(s) for s in found], "\n".join(map(_subset_line, found)) or "no subsets yet")


def subset_show(args: argparse.Namespace) -> Output:
    with open_reader(args) as store:
        subset = subsets.get(store, args.name, args.version)
        members = subsets.members(store, subset)
        current = subsets.is_current(store, subset)
        names = store.names(members[: args.limit])
    data = {**_subset_data(subset), "current": current, "members": members}
    more = more_line(min(len(members), args.limit), len(members))
    status = {True: "the store still gives these members",
              False: "the store has changed since: creating it again would give other members",
              None: "the store has changed since: create it again on the embedded store to compare"}[current]
    text = "\n".join([_subset_line(subset), status, *(f"{c}  {names[c]}" for c in members[: args.limit])]) + more
    return Output(data, text)


def subset_export(args: argparse.Namespace) -> Output:
    from taxonomy.formats import EXPORTERS

    lists = ("classes", "synsets", "ids")  # what any store answers; the rest needs the embedded one
    if args.order and args.format not in ("classes", "synsets"):
        raise InputError("--order goes with --format classes or synsets")
    with open_reader(args) as store:
        subset = subsets.get(store, args.name, args.version)
        members = subsets.members(store, subset)
        if args.leaves:
            members = subsets.leaves(store, members)
        if args.format in ("classes", "synsets"):
            members = subsets.class_order(store, members, args.order)
        if args.format not in lists and not isinstance(store, Store):
            raise InputError(f"--format {args.format} needs the embedded store; on Neo4j use --format "
                             f"{', '.join(lists)}, or run it with --store PATH on the SQLite file")
        names = store.names(members) if args.format == "classes" else {}
        with atomic_text_file(Path(args.output)) as out:
            if args.format in ("ids", "synsets"):
                out.write("".join(f"{c}\n" for c in members))
            elif args.format == "classes":
                out.write("".join(f"{i}\t{c}\t{names[c]}\n" for i, c in enumerate(members)))
            elif isinstance(store, Store):
                EXPORTERS[args.format](store, members, out)
    return Output({"output": args.output, "subset": subset.name, "version": subset.version, "concepts": len(members)},
                  f"wrote {len(members):,} concepts of {subset.name} v{subset.version} to {args.output}")


def queries_command(args: argparse.Namespace) -> Output:
    if (args.concept is None) == (args.subset is None):
        raise InputError("give a concept (ID or name) or --subset NAME, not both")
    with open_reader(args) as store:
        if args.subset:
            concepts = subsets.members(store, subsets.get(store, args.subset))
        else:
            concepts = [pick(store, args.concept)]
        if args.detection:
            common = _common_concepts(store, args.common_prior)
            visual = _visual_concepts(store)
            common &= visual  # a partner is something a picture shows (no "dog and the shits")
            common -= {c.id for c in store.concepts(sorted(common)) if crawl.offensive(c)}  # nor a slur
            chosen = [c for c in concepts if c in common]
            if not chosen:
                raise InputError("none of these concepts is common: vote with 'taxonomy vote ID --common yes' "
                                 "or pass --common-prior P to use the prior")
            partners = sorted(set(chosen) | (set(common) if args.concept else set()))
            queries = [q for c in chosen for q in crawl.detection_queries(store, c, partners, args.cap or 50)]
        else:
            langs = args.lang.split(",") if args.lang else None
            queries = [q for c in concepts for q in crawl.classification_queries(store, c, args.cap or 20, langs)]
        with atomic_text_file(Path(args.output)) as out:
            out.writelines(json.dumps(q, ensure_ascii=False) + "\n" for q in queries)
    done = len({q["concept"] for q in queries})
    return Output({"output": args.output, "queries": len(queries), "concepts": done},
                  f"wrote {len(queries):,} queries for {done:,} concepts to {args.output}")


def _visual_concepts(store: LabelReader) -> set[str]:
    """Concepts decided visual, or undecided with a visual prior of at least 0.5."""
    from taxonomy.tags import decisions

    decided = decisions(store, "visual")
    return {c for c, p in store.priors("visual").items() if decided.get(c, 1 if p >= 0.5 else 0) == 1}


def _common_concepts(store: LabelReader, prior_at_least: float | None) -> set[str]:
    from taxonomy.tags import decisions

    common = {c for c, d in decisions(store, "common").items() if d == 1}
    if prior_at_least is not None:
        common |= {c for c, p in store.priors("common").items() if p >= prior_at_least}
    return common
