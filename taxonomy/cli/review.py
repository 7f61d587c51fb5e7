"""CLI commands of a person's decisions: ``taxonomy review``, ``unlink`` and ``labels set``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from taxonomy.cli.arguments import class_index, positive
from taxonomy.cli.commands import Output, more_line, store_path
from taxonomy.errors import InputError
from taxonomy.store import Store

ACTIONS = ["list", "show", "accept", "reject"]


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("review", parents=[common], help="links waiting for a person: list, show, accept, reject",
                       description="Links less sure than 'taxonomy link --review-below' wait here instead of "
                                   "entering the graph. Accept the proposal, or another candidate (--same ID, "
                                   "--under ID), or reject it.")
    p.set_defaults(handler=review)
    p.add_argument("action", nargs="?", choices=ACTIONS, default="list")
    p.add_argument("item", nargs="?", type=positive, metavar="ID", help="the review item (show, accept, reject)")
    p.add_argument("--same", metavar="ID|NAME", help="accept: it is this concept (not the proposal)")
    p.add_argument("--under", action="append", metavar="ID|NAME",
                   help="accept: it is a new concept under this parent (repeatable)")
    p.add_argument("--status", choices=["pending", "accepted", "rejected", "all"], default="pending",
                   help="list: which items (default: pending)")
    p.add_argument("--limit", type=positive, default=20)
    p.add_argument("--reviewer", default="", help="your name, kept with the decision")
    p.add_argument("--reason", default="", help="reject: why, kept with the decision")

    p = sub.add_parser("unlink", parents=[common], help="take back a linked concept, a name, or a label mapping",
                       description="Remove what linking added; what is removed is kept in the store's history "
                                   "(--history) with the reason.")
    p.set_defaults(handler=unlink)
    p.add_argument("concept", nargs="?", metavar="ID|NAME", help="the linked concept to remove (or --name's concept)")
    p.add_argument("--name", metavar="NAME", help="remove only this name from the concept")
    p.add_argument("--label", nargs=2, metavar=("DATASET", "INDEX"), help="map this dataset class to nothing")
    p.add_argument("--reason", default="", help="why, kept with what was removed")
    p.add_argument("--history", action="store_true", help="list what was unlinked, newest first")
    p.add_argument("--limit", type=positive, default=20)


def review(args: argparse.Namespace) -> Output:
    from taxonomy.linking import review as queue

    if args.action in ("show", "accept", "reject") and args.item is None:
        raise InputError(f"usage: taxonomy review {args.action} ID (the ids are in 'taxonomy review')")
    if (args.same or args.under) and args.action != "accept":
        raise InputError("--same and --under go with 'taxonomy review accept ID'")
    write = args.action in ("accept", "reject")
    with Store.open(store_path(args), write=write) as store:
        if args.action == "list":
            status = None if args.status == "all" else args.status
            found = queue.items(store, status, args.limit)
            total = sum(n for s, n in store.review_counts().items() if status in (None, s))
            rows = [i.as_dict() for i in found]
            text = "\n".join(_item_line(i) for i in rows) or f"no {args.status} review items"
            return Output(rows, text + more_line(len(rows), total))
        if args.action == "show":
            row = queue.item(store, args.item).as_dict()
            ids = [c["id"] for c in row["proposal"]["candidates"]]
            glosses = {c.id: c.gloss for c in store.concepts([i for i in ids if i in store.graph])}
            return Output(row, _item_text(row, glosses))
        if args.action == "accept":
            same = _one_concept(store, args.same) if args.same else None
            under = [_one_concept(store, p) for p in args.under or []]
            outcome = queue.accept(store, args.item, same=same, under=under, reviewer=args.reviewer)
            target = outcome["concept"] if outcome["decision"] == "same" else \
                f"{outcome['concept']} under {', '.join(outcome['parents'])}"
            return Output({"id": args.item, **outcome}, f"accepted #{args.item}: {outcome['decision']} {target}")
        outcome = queue.reject(store, args.item, reviewer=args.reviewer, reason=args.reason)
        return Output({"id": args.item, **outcome}, f"rejected #{args.item}")


def unlink(args: argparse.Namespace) -> Output:
    from taxonomy.linking import corrections

    if args.history:
        with Store.open(store_path(args)) as store:
            rows = [{"id": i, "at": at, "kind": kind, "target": target, "removed": json.loads(removed),
                     "reason": reason} for i, at, kind, target, removed, reason in store.unlink_history(args.limit)]
        text = "\n".join(f"{r['at']}  {r['kind']}  {r['target']}" + (f"  ({r['reason']})" if r["reason"] else "")
                         for r in rows)
        return Output(rows, text or "nothing was unlinked")
    if args.label and (args.concept or args.name):
        raise InputError("give a CONCEPT (with --name NAME to remove one name) or --label DATASET INDEX, not both")
    with Store.open(store_path(args), write=True) as store:
        if args.label:
            dataset, index = args.label[0], class_index(args.label[1])
            done = corrections.unlink_label(store, dataset, index, args.reason)
            return Output(done, f"{dataset} {index} ({done['class_name']}) maps to nothing now (was {done['was']})")
        if not args.concept:
            raise InputError("usage: taxonomy unlink CONCEPT [--name NAME] | --label DATASET INDEX | --history")
        concept = _one_concept(store, args.concept)
        if args.name:
            done = corrections.unlink_name(store, concept, args.name, args.reason)
            return Output(done, f"removed the name {done['name']!r} from {concept}")
        done = corrections.unlink_concept(store, concept, args.reason)
        return Output(done, f"removed {concept} ({done['name']}) with {done['edges']} edge(s) and "
                            f"{done['names']} name(s); {done['labels_unmapped']} label(s) map to nothing now")


def set_label(args: argparse.Namespace, words: list[str]) -> Output:
    """``taxonomy labels set DATASET INDEX CONCEPT``."""
    from taxonomy.linking import corrections

    if len(words) != 3:
        raise InputError("usage: taxonomy labels set DATASET INDEX CONCEPT")
    dataset, index = words[0], class_index(words[1])
    with Store.open(store_path(args), write=True) as store:
        store.label(dataset, index)  # the class first: no sense to choose for a class that is not there
        concept = _one_concept(store, words[2])
        done = corrections.set_label(store, dataset, index, concept, getattr(args, "reason", ""))
        name = store.names([concept]).get(concept, "")
    return Output(done, f"{dataset} {index} ({done['class_name']}) -> {concept} {name} (was {done['was'] or '-'})")


def _one_concept(store: Store, query: str) -> str:
    """An id, or a name with one sense: a write does not guess among senses."""
    found = store.resolve(query)
    if len(found) > 1:
        senses = "".join(f"\n  {c.id}  {c.name}: {_short(c.gloss, 70)}" for c in store.concepts(found[:8]))
        raise InputError(f"{query!r} has {len(found)} senses; give the id of one:{senses}")
    return found[0]


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _item_line(row: dict[str, Any]) -> str:
    p = row["proposal"]
    label = f" [{row['dataset']} {row['class_index']}]" if row["dataset"] else ""
    target = p["concept"] if p["decision"] == "same" else f"new child of {', '.join(p['parents'])}"
    line = f"#{row['id']}  {row['name']}{label}: {p['decision']} {target} by {p['method']} ({p['score']:.2f})"
    outcome = row["outcome"] or {}
    if row["status"] == "accepted":
        line += f"  -> accepted: {outcome['decision']} {outcome['concept']}"
    elif row["status"] == "rejected":
        line += "  -> rejected" + (f" ({outcome['reason']})" if outcome.get("reason") else "")
    return line


def _item_text(row: dict[str, Any], glosses: dict[str, str]) -> str:
    lines = [_item_line(row)]
    if row["description"]:
        lines.append(f"  description: {row['description']}")
    lines += [f"  candidate {c['id']}  {c['name']}  {c['score']:.2f} ({c['method']}): "
              f"{_short(glosses.get(c['id'], ''), 70)}" for c in row["proposal"]["candidates"]]
    if row["outcome"]:
        lines.append(f"  {row['status']} {row['decided_at']}" + (f" by {row['reviewer']}" if row["reviewer"] else "")
                     + f": {json.dumps(row['outcome'], ensure_ascii=False)}")
    elif row["status"] == "pending":
        lines.append(f"  taxonomy review accept {row['id']} [--same ID | --under ID]  |  "
                     f"taxonomy review reject {row['id']}")
    return "\n".join(lines)
