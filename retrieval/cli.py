"""``taxonomy pipeline``: rounds of the annotation pipeline, tasks out, answers in.

Registered into the ``taxonomy`` command through the ``taxonomy.commands`` entry point, so that
the taxonomy package never imports this one.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from retrieval.sampling import SAMPLERS
from taxonomy.cli.arguments import non_negative, positive
from taxonomy.cli.commands import Output, store_path
from taxonomy.cli.progress import progress_for
from taxonomy.errors import InputError
from taxonomy.store import Store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    pipeline = sub.add_parser("pipeline", help="the active annotation pipeline (paper Algorithm 1)")
    pipe = pipeline.add_subparsers(dest="pipeline_command", required=True, metavar="COMMAND")
    p = pipe.add_parser("round", parents=[common], help="run (or resume) one round: pool -> tasks",
                        description="Run one round of Algorithm 1 in a run directory: fetch, dedup, embed, score, "
                                    "rectify, sample, write annotation tasks. The first round needs the pool, the "
                                    "label set and the model; later rounds reuse them. An interrupted round "
                                    "resumes where it stopped.")
    p.set_defaults(handler=round_command)
    p.add_argument("--run-dir", required=True, type=Path)
    pool = p.add_mutually_exclusive_group()
    pool.add_argument("--pool-folder", type=Path, metavar="DIR", help="images in a local folder")
    pool.add_argument("--pool-urls", type=Path, metavar="FILE", help="lines of 'URL [CONCEPT]'")
    pool.add_argument("--pool-yfcc", type=Path, metavar="FILE", help="YFCC100M-style metadata rows (JSON lines)")
    p.add_argument("--query", metavar="ID", help="the concept a folder's images were crawled for")
    p.add_argument("--by-subfolder", action="store_true", help="a folder's subfolders are named by concept id")
    p.add_argument("--concept", action="append", default=[], metavar="ID|NAME",
                   help="search YFCC metadata with this concept's crawl queries (repeatable)")
    p.add_argument("--uploaded-from", type=non_negative, metavar="UNIX_SECONDS")
    p.add_argument("--uploaded-until", type=non_negative, metavar="UNIX_SECONDS")
    p.add_argument("--labels", metavar="DATASET|FILE", help="the label set: a dataset of the store or a file of ids")
    p.add_argument("--arch", metavar="NAME", help="an open_clip architecture, e.g. ViT-B-32")
    p.add_argument("--checkpoint", metavar="PATH", help="its weights, a local file (nothing is downloaded)")
    p.add_argument("--random-init", action="store_true", help="random weights (tests and benchmarks)")
    p.add_argument("--sampler", default="cluster-margin",
                   choices=list(SAMPLERS))
    p.add_argument("--budget", type=positive, default=100, help="images sent to annotators per round")
    p.add_argument("--eval-set", action="append", default=[], metavar="DIR",
                   help="drop pool images near-identical to this evaluation set's (repeatable)")
    p.add_argument("--dedup-distance", type=non_negative, default=4, metavar="BITS")
    p.add_argument("--allow-network", action="append", default=[], metavar="CIDR",
                   help="fetch from this private network too (e.g. 127.0.0.0/8); refused by default")
    p.add_argument("--shard-size", type=positive, default=256)
    p.add_argument("--seed", type=non_negative, default=0)
    p.add_argument("--clusters", type=non_negative, default=0, help="ClusterMargin clusters (default: pool / 10)")
    p.add_argument("--ray", action="store_true", help="embed on Ray Data ($RAY_ADDRESS, else a local Ray)")
    p.add_argument("--ray-gpus-per-worker", type=float, default=0.0)
    p.add_argument("--ray-workers", type=positive, default=1)
    p.add_argument("--stop-after", help=argparse.SUPPRESS)  # a stage name (runner.STAGES), checked by run_round

    p = pipe.add_parser("tasks", parents=[common], help="export a round's annotation tasks (JSON lines)")
    p.set_defaults(handler=tasks_command)
    p.add_argument("--run-dir", required=True, type=Path)
    p.add_argument("--round", type=positive, help="default: the last round")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = pipe.add_parser("answers", parents=[common], help="import annotators' answers; update the labeled pool")
    p.set_defaults(handler=answers_command)
    p.add_argument("--run-dir", required=True, type=Path)
    p.add_argument("file", type=Path)
    p = pipe.add_parser("status", parents=[common], help="the rounds of a run: counts per stage, timings")
    p.set_defaults(handler=status_command)
    p.add_argument("--run-dir", required=True, type=Path)
    p = pipe.add_parser("progress", parents=[common], help="annotation so far: decided tasks, and each annotator's "
                                                           "answers and agreement with the 3-of-5 decisions")
    p.set_defaults(handler=progress_command)
    p.add_argument("--run-dir", required=True, type=Path)
    p = pipe.add_parser("export", parents=[common], help="a run's annotations as COCO JSON (the labeled pool) or "
                                                         "Label Studio JSON (every task and answer)")
    p.set_defaults(handler=export_command)
    p.add_argument("--run-dir", required=True, type=Path)
    p.add_argument("--format", required=True, choices=["coco", "label-studio"])
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="'-' for standard output")


def _config(args: argparse.Namespace) -> Any:
    from retrieval.runner import RoundConfig

    given = [args.pool_folder, args.pool_urls, args.pool_yfcc, args.labels, args.arch]
    if not any(given):
        return None
    if not (args.pool_folder or args.pool_urls or args.pool_yfcc) or not args.labels or not args.arch:
        raise InputError("a first round needs a pool (--pool-folder, --pool-urls or --pool-yfcc), --labels and --arch")
    if args.pool_folder:
        pool: dict[str, Any] = {"kind": "folder", "path": str(args.pool_folder.resolve()), "query": args.query,
                                "by_subfolder": args.by_subfolder}
    elif args.pool_urls:
        pool = {"kind": "urls", "path": str(args.pool_urls.resolve())}
    else:
        pool = {"kind": "yfcc", "path": str(args.pool_yfcc.resolve()), "concepts": args.concept,
                "uploaded_from": args.uploaded_from, "uploaded_until": args.uploaded_until}
    labels = str(Path(args.labels).resolve()) if Path(args.labels).is_file() else args.labels
    return RoundConfig(
        pool=pool, labels=labels, model={"arch": args.arch, "checkpoint": args.checkpoint,
                                         "random_init": args.random_init},
        sampler=args.sampler, budget=args.budget, eval_sets=tuple(str(Path(e).resolve()) for e in args.eval_set),
        dedup_distance=args.dedup_distance, allowed_networks=tuple(args.allow_network), shard_size=args.shard_size,
        seed=args.seed, clusters=args.clusters, ray=args.ray, ray_gpus_per_worker=args.ray_gpus_per_worker,
        ray_workers=args.ray_workers)


def round_command(args: argparse.Namespace) -> Output:
    from retrieval.runner import Run, run_round

    with Store.open(store_path(args)) as store:  # a missing store fails before the run directory is made
        run = Run(args.run_dir, _config(args))
        state = run_round(run, store, stop_after=args.stop_after, progress=progress_for(args))
    counts = ", ".join(f"{k} {v:,}" for k, v in state.counts.items())
    seconds = sum(state.seconds.values())
    text = (f"round {state.round}: {counts} ({seconds:.1f} s)\n"
            f"tasks: {run.round_dir(state.round) / 'tasks.jsonl'}")
    return Output({"round": state.round, "done": state.done, "counts": state.counts, "seconds": state.seconds,
                   "errors": state.errors}, text)


def tasks_command(args: argparse.Namespace) -> Output:
    from retrieval.runner import Run

    run = Run(args.run_dir)
    rounds = run.rounds()
    number = args.round or (rounds[-1] if rounds else 0)
    source = run.round_dir(number) / "tasks.jsonl"
    if not source.exists():
        raise InputError(f"round {number} of {args.run_dir} has no tasks yet; run 'taxonomy pipeline round' first")
    shutil.copyfile(source, args.output)
    count = sum(1 for line in source.read_text(encoding="utf-8").splitlines() if line.strip())
    return Output({"round": number, "tasks": count, "output": args.output},
                  f"wrote {count:,} tasks of round {number} to {args.output}")


def answers_command(args: argparse.Namespace) -> Output:
    from retrieval.runner import Run, import_answers

    run = Run(args.run_dir)
    with Store.open(store_path(args)) as store:
        counts = import_answers(run, store, args.file)
    text = (f"imported {counts['answers']:,} answers: {counts['labels']:,} labels, {counts['rejected']:,} rejected, "
            f"{counts['pending']:,} pending; labeled pool: {run.folder / 'labeled.jsonl'}, meta file: "
            f"{run.folder / 'meta.txt'}")
    return Output(counts, text)


def status_command(args: argparse.Namespace) -> Output:
    from retrieval.runner import Run

    run = Run(args.run_dir)
    states = [run.state(n) for n in run.rounds()]
    data = [{"round": s.round, "done": s.done, "counts": s.counts, "seconds": s.seconds} for s in states]
    lines = [f"round {s.round}: {'complete' if s.complete else 'stopped after ' + (s.done or ['nothing'])[-1]}; "
             + ", ".join(f"{k} {v:,}" for k, v in s.counts.items()) for s in states]
    return Output(data, "\n".join(lines) or "no rounds yet")


def progress_command(args: argparse.Namespace) -> Output:
    from retrieval.annotation import progress
    from retrieval.answer_log import AnswerLog
    from retrieval.runner import Run

    run = Run(args.run_dir)
    with AnswerLog(run.folder) as log:
        found = progress(run.tasks(), log.all())
    lines = [f"{found['tasks']:,} tasks: {found['labels']:,} labels, {found['rejected']:,} rejected, "
             f"{found['pending']:,} pending"]
    lines += [f"  {a['annotator']}: {a['answers']:,} answers ({a['yes']} yes, {a['no']} no, {a['skip']} skip); "
              + (f"agrees with {a['agreement']:.0%} of {a['on_decided']} decided" if a["agreement"] is not None
                 else "nothing decided yet") for a in found["annotators"]]
    return Output(found, "\n".join(lines))


def export_command(args: argparse.Namespace) -> Output:
    import json

    from retrieval.answer_log import AnswerLog
    from retrieval.exports import coco_labels, label_studio_tasks
    from retrieval.runner import Run
    from retrieval.writers import read_jsonl
    from taxonomy.files import atomic_text_file

    run = Run(args.run_dir)
    if args.format == "coco":
        with Store.open(store_path(args)) as store:
            concepts = run.label_concepts(store)
            names = store.names([c for c in concepts if c])
        document: Any = coco_labels(read_jsonl(run.folder / "labeled.jsonl"), concepts, names)
        count, what = len(document["annotations"]), "labels"
    else:
        with AnswerLog(run.folder) as log:
            document = label_studio_tasks(run.tasks(), log.all())
        count, what = len(document), "tasks"
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if args.output == "-":
        print(text)
    else:
        with atomic_text_file(Path(args.output)) as out:
            out.write(text)
    return Output({"output": args.output, "format": args.format, what: count},
                  f"wrote {count:,} {what} of {args.run_dir} to {args.output} ({args.format})")
