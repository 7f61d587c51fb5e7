"""One round of the paper's Algorithm 1, resumable, in a run directory.

    pool -> fetch + decode + dHash dedup + CLIP embedding (shards) -> CLIP scores over the label
    set -> OOD rectification -> active sampling -> annotation tasks
    ... annotators answer ... -> import answers -> 3-of-5 labels -> labeled pool + meta file

The run directory::

    config.json                 what the run reads (pool, label set, model, sampler, budget ...)
    classes.npy, classes.json   the label set's CLIP text embeddings (prompt ensembles), cached
    eval_hashes.npy             dHashes of the evaluation sets, cached
    round-0001/pool.jsonl       the items of the round
    round-0001/shards/00000.*   per shard: one row per item (.jsonl) and the kept embeddings (.npy)
    round-0001/scored.jsonl     query score, top-5, margin, entropy, in-distribution flag
    round-0001/selected.jsonl, tasks.jsonl
    round-0001/state.json       stages done, counts per stage, seconds per stage
    answers.sqlite              every answer, one row per task and annotator (retrieval/answer_log.py)
    labeled.jsonl, meta.txt     the labeled pool and its ``[image_url] [class_index]`` lines

Every file is written whole and renamed into place, so an interrupted round resumes at the
first shard or stage that has no file yet; finished work is never redone.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from retrieval import annotation, sampling
from retrieval.answer_log import AnswerLog
from retrieval.dedup import DEFAULT_DISTANCE, NearDuplicateIndex, hash_folder
from retrieval.embed import FloatArray, ModelSpec
from retrieval.fetch import Fetcher, parse_networks
from retrieval.pools import PoolItem, folder_pool, url_list_pool, without, yfcc_pool
from retrieval.rectify import rectify
from retrieval.scoring import score
from retrieval.stages import ShardWork, embedder_for
from retrieval.writers import read_jsonl, save_npy, write_json, write_jsonl, write_meta_file
from taxonomy import crawl
from taxonomy.errors import InputError
from taxonomy.progress import Progress, quiet
from taxonomy.store import Store

STAGES = ("pool", "embed", "score", "sample", "tasks")


@dataclass(frozen=True)
class RoundConfig:
    """Everything a round reads besides the store; saved in the run directory by the first round."""

    pool: dict[str, Any]          # {"kind": "folder"|"urls"|"yfcc", "path": ..., "query"?, "concepts"?, ...}
    labels: str                   # a dataset of the store, or a file of concept ids (one per line)
    model: dict[str, Any]         # a ModelSpec
    sampler: str = "cluster-margin"
    budget: int = 100
    eval_sets: tuple[str, ...] = ()
    dedup_distance: int = DEFAULT_DISTANCE
    allowed_networks: tuple[str, ...] = ()
    shard_size: int = 256
    seed: int = 0
    clusters: int = 0             # ClusterMargin's clusters; 0: one per 10 pool images
    margin_multiplier: float = 10.0
    ray: bool = False
    ray_gpus_per_worker: float = 0.0
    ray_workers: int = 1

    def __post_init__(self) -> None:
        if self.sampler not in sampling.SAMPLERS:
            raise InputError(f"unknown sampler {self.sampler!r}; one of {', '.join(sampling.SAMPLERS)}")
        if self.pool.get("kind") not in ("folder", "urls", "yfcc"):
            raise InputError("the pool is a folder, a URL list or YFCC-style metadata")
        if self.budget < 1 or self.shard_size < 1:
            raise InputError("budget and shard size must be at least 1")
        parse_networks(self.allowed_networks)

    def check_files(self) -> None:
        """The pool and the checkpoint exist: checked when a run starts, so that a bad path fails
        before anything is fetched (a saved run still loads, for its answers, when they are gone)."""
        if not Path(self.pool.get("path", "")).exists():
            raise InputError(f"no such pool {self.pool['kind']}: {self.pool.get('path')!r}")
        ModelSpec(**self.model)

    @classmethod
    def load(cls, path: Path) -> RoundConfig:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["eval_sets"] = tuple(data.get("eval_sets", ()))
        data["allowed_networks"] = tuple(data.get("allowed_networks", ()))
        return cls(**data)

    def fetcher(self) -> Fetcher:
        local = self.pool["kind"] == "folder"  # only a folder pool reads files; a URL list may not name them
        return Fetcher(allowed_networks=parse_networks(self.allowed_networks), allow_files=local)


@dataclass
class RoundState:
    round: int
    done: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.done == list(STAGES)


# ---------------------------------------------------------------------- the run
class Run:
    """A run directory: its config, its rounds, its labeled pool."""

    def __init__(self, folder: Path, config: RoundConfig | None = None):
        self.folder = folder
        config_path = folder / "config.json"
        if config_path.exists():
            saved = RoundConfig.load(config_path)
            if config is not None and config != saved:
                raise InputError(f"{folder} was started with another configuration; use a new run directory, "
                                 "or run the next round without pool, label and model options")
            self.config = saved
        elif config is None:
            raise InputError(f"{folder} holds no run yet: give the pool, the label set and the model")
        else:
            config.check_files()
            folder.mkdir(parents=True, exist_ok=True)
            write_json(config_path, asdict(config))
            self.config = config

    def rounds(self) -> list[int]:
        return sorted(int(p.name.split("-")[1]) for p in self.folder.glob("round-*") if p.is_dir())

    def round_dir(self, number: int) -> Path:
        return self.folder / f"round-{number:04d}"

    def state(self, number: int) -> RoundState:
        path = self.round_dir(number) / "state.json"
        return RoundState(**json.loads(path.read_text())) if path.exists() else RoundState(number)

    def save_state(self, state: RoundState) -> None:
        write_json(self.round_dir(state.round) / "state.json", asdict(state))

    def tasks(self) -> dict[str, dict[str, Any]]:
        return {t["task_id"]: t for n in self.rounds() for t in read_jsonl(self.round_dir(n) / "tasks.jsonl")}

    # ------------------------------------------------------------------ the label set
    def label_concepts(self, store: Store) -> list[str | None]:
        labels = self.config.labels
        if Path(labels).is_file():
            ids = [line.split()[0] for line in Path(labels).read_text(encoding="utf-8").splitlines() if line.strip()]
            for concept_id in ids:
                store.concept(concept_id)  # unknown ids fail here, with close matches
            return list(ids)
        return store.label_concepts(labels)

    def class_embeddings(self, store: Store, concepts: list[str | None]) -> FloatArray:
        """The label set's text embeddings (cached in the run directory for its model and labels)."""
        key = {"model": self.config.model, "labels": concepts}
        cached, meta = self.folder / "classes.npy", self.folder / "classes.json"
        if cached.exists() and meta.exists() and json.loads(meta.read_text()) == key:
            loaded: FloatArray = np.load(cached)
            return loaded
        names = [list(store.concept(c).lemmas[:3] or (store.concept(c).name,)) if c else ["unknown"] for c in concepts]
        embeddings = embedder_for(ModelSpec(**self.config.model)).concepts(names)
        save_npy(cached, embeddings)
        write_json(meta, key)
        return embeddings

    def eval_index(self) -> NearDuplicateIndex:
        cached = self.folder / "eval_hashes.npy"
        if not self.config.eval_sets:
            return NearDuplicateIndex([])
        if not cached.exists():
            hashes = [hash_folder(Path(folder)) for folder in self.config.eval_sets]
            save_npy(cached, np.concatenate(hashes) if hashes else np.zeros(0, np.uint64))
        return NearDuplicateIndex(np.load(cached))


def _read_pool(config: RoundConfig, store: Store) -> list[PoolItem]:
    spec = config.pool
    path = Path(spec["path"])
    if spec["kind"] == "folder":
        return folder_pool(path, spec.get("query"), by_subfolder=bool(spec.get("by_subfolder")))
    if spec["kind"] == "urls":
        return url_list_pool(path)
    concepts = [store.resolve_one(c) for c in spec.get("concepts", [])]
    if not concepts:
        raise InputError("a YFCC-style pool is searched with crawl queries: name the concepts (--concept)")
    queries = [q for c in concepts for q in crawl.classification_queries(store, c, 50)]
    return yfcc_pool(path, [dict(q) for q in queries], uploaded_from=spec.get("uploaded_from"),
                     uploaded_until=spec.get("uploaded_until"))


def run_round(run: Run, store: Store, *, stop_after: str | None = None, progress: Progress | None = None
              ) -> RoundState:
    """Run (or resume) the current round up to its tasks; a complete round starts the next one."""
    if stop_after is not None and stop_after not in STAGES:
        raise InputError(f"no such stage: {stop_after!r}; one of {', '.join(STAGES)}")
    numbers = run.rounds()
    number = numbers[-1] if numbers and not run.state(numbers[-1]).complete else (numbers[-1] + 1 if numbers else 1)
    folder = run.round_dir(number)
    (folder / "shards").mkdir(parents=True, exist_ok=True)
    state = run.state(number)
    for stage in STAGES:
        if stage in state.done:
            continue
        (progress or quiet)(f"round {number}: {stage}", STAGES.index(stage), len(STAGES))
        started = time.perf_counter()
        STAGE_FUNCTIONS[stage](run, store, folder, state)
        state.seconds[stage] = round(state.seconds.get(stage, 0.0) + time.perf_counter() - started, 3)
        state.done.append(stage)
        run.save_state(state)
        if stage == stop_after:
            break
    return state


def _stage_pool(run: Run, store: Store, folder: Path, state: RoundState) -> None:
    asked = {t["image_id"] for t in run.tasks().values()}  # already sent to annotators in earlier rounds
    items = without(_read_pool(run.config, store), asked)
    write_jsonl(folder / "pool.jsonl", [i.as_dict() for i in items])
    state.counts["pool"] = len(items)


def _shards(items: list[PoolItem], size: int) -> Iterator[tuple[int, list[PoolItem]]]:
    for number, start in enumerate(range(0, len(items), size)):
        yield number, items[start : start + size]


def _stage_embed(run: Run, store: Store, folder: Path, state: RoundState) -> None:
    config = run.config
    items = [PoolItem(**row) for row in read_jsonl(folder / "pool.jsonl")]
    pending = [(n, shard) for n, shard in _shards(items, config.shard_size)
               if not (folder / "shards" / f"{n:05d}.jsonl").exists()]
    work = ShardWork(config.fetcher(), ModelSpec(**config.model), run.eval_index(), config.dedup_distance)
    if config.ray and pending:
        from retrieval.distributed import run_shards_on_ray

        results = run_shards_on_ray(work, pending, gpus_per_worker=config.ray_gpus_per_worker,
                                    workers=config.ray_workers)
    else:
        results = ((n, *work(shard)) for n, shard in pending)
    for n, rows, embeddings in results:
        save_npy(folder / "shards" / f"{n:05d}.npy", embeddings)
        write_jsonl(folder / "shards" / f"{n:05d}.jsonl", rows)  # written last: marks the shard done
    rows = [r for n, _ in _shards(items, config.shard_size) for r in read_jsonl(folder / "shards" / f"{n:05d}.jsonl")]
    statuses = Counter(r["status"] for r in rows)
    state.counts.update({"fetched": statuses["ok"] + statuses["near-duplicate"], "fetch_errors": statuses["error"],
                         "near_duplicates": statuses["near-duplicate"], "embedded": statuses["ok"]})
    state.errors = dict(Counter((r["error"] or "").split(" (")[0] for r in rows if r["status"] == "error")
                        .most_common(20))


def _embedded(run: Run, folder: Path) -> tuple[list[PoolItem], FloatArray]:
    """The kept items of the round and their embeddings, in pool order."""
    items = {row["id"]: PoolItem(**row) for row in read_jsonl(folder / "pool.jsonl")}
    kept, parts = [], []
    for path in sorted((folder / "shards").glob("*.jsonl")):
        kept += [items[r["id"]] for r in read_jsonl(path) if r["status"] == "ok"]
        parts.append(np.load(path.with_suffix(".npy")))
    parts = [p for p in parts if p.size]
    return kept, (np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, 1), np.float32))


def _stage_score(run: Run, store: Store, folder: Path, state: RoundState) -> None:
    items, embeddings = _embedded(run, folder)
    concepts = run.label_concepts(store)
    classes = run.class_embeddings(store, concepts)
    row_of = {c: i for i, c in reversed(list(enumerate(concepts))) if c is not None}
    queries = [i.query for i in items]
    scores = score(embeddings, classes, np.asarray([row_of.get(q, -1) if q else -1 for q in queries]))
    flags = rectify(store.graph, concepts, queries, scores.top5)
    rows = [{"id": item.id, "query": item.query,
             "query_score": None if np.isnan(scores.query_score[i]) else round(float(scores.query_score[i]), 5),
             "top5": [concepts[k] for k in scores.top5[i].tolist()],
             "top5_probability": [round(float(p), 5) for p in scores.top5_probability[i]],
             "margin": round(float(scores.margin[i]), 6), "entropy": round(float(scores.entropy[i]), 6),
             "in_distribution": flags[i]} for i, item in enumerate(items)]
    write_jsonl(folder / "scored.jsonl", rows)
    state.counts.update({"in_distribution": flags.count(True), "ood": flags.count(False),
                         "unchecked": flags.count(None)})


def _stage_sample(run: Run, store: Store, folder: Path, state: RoundState) -> None:
    config = run.config
    items, embeddings = _embedded(run, folder)
    scored = read_jsonl(folder / "scored.jsonl")
    candidates = np.asarray([i for i, row in enumerate(scored) if row["in_distribution"] is not False], np.int64)
    margin = np.asarray([row["margin"] for row in scored], dtype=np.float32)
    entropy = np.asarray([row["entropy"] for row in scored], dtype=np.float32)
    chosen = sampling.SAMPLERS[config.sampler](sampling.Round(
        candidates, margin, entropy, embeddings, config.budget, np.random.default_rng(config.seed + state.round),
        config.clusters or max(2, len(items) // 10), config.margin_multiplier))
    write_jsonl(folder / "selected.jsonl", [{**scored[i], "url": items[i].url} for i in chosen.tolist()])
    state.counts.update({"candidates": int(candidates.size), "selected": int(chosen.size)})


def _stage_tasks(run: Run, store: Store, folder: Path, state: RoundState) -> None:
    references: dict[str, list[str]] = {}
    for row in read_jsonl(run.folder / "labeled.jsonl"):
        references.setdefault(row["concept"], []).append(row["url"])
    tasks = []
    for row in read_jsonl(folder / "selected.jsonl"):
        concept_id = row["query"] if row["query"] in store.graph else row["top5"][0]
        if concept_id is None:
            continue
        concept = store.concept(concept_id)
        tasks.append(annotation.make_task(f"r{state.round}-{row['id']}", row["id"], row["url"], concept_id,
                                          concept.name, concept.gloss, references.get(concept_id, [])))
    write_jsonl(folder / "tasks.jsonl", tasks)
    state.counts["tasks"] = len(tasks)


STAGE_FUNCTIONS = {"pool": _stage_pool, "embed": _stage_embed, "score": _stage_score, "sample": _stage_sample,
                   "tasks": _stage_tasks}


# ---------------------------------------------------------------------- answers -> labeled pool
def import_answers(run: Run, store: Store, path: Path) -> dict[str, int]:
    """Take in a file of answers (all of it or, on any bad line, none of it); rewrite the labeled
    pool and the meta file from every answer so far."""
    return apply_answers(run, store, annotation.read_answers(path, run.tasks()))


def apply_answers(run: Run, store: Store, new: list[tuple[str, str, str]]) -> dict[str, int]:
    """Add (task_id, annotator, answer) rows to the run's answers; rewrite the labeled pool and meta
    file from every answer, inside the answers' write transaction (other writers wait)."""
    tasks = run.tasks()
    with AnswerLog(run.folder) as log, log.adding(new) as everything:
        tallies, ignored, outside = _write_labels(run, store, tasks, everything)
    decisions = Counter(t.decision for t in tallies.values())
    return {"answers": len(new), "labels": decisions["label"], "rejected": decisions["rejected"],
            "pending": decisions["pending"] + len(tasks) - len(tallies), "ignored_past_five": ignored,
            "labels_outside_label_set": outside}


def run_tallies(run: Run) -> dict[str, annotation.Tally]:
    """The tally of every answered task of a run."""
    with AnswerLog(run.folder) as log:
        return annotation.tally(log.all())[0]


def _write_labels(run: Run, store: Store, tasks: dict[str, dict[str, Any]],
                  everything: list[tuple[str, str, str]]) -> tuple[dict[str, annotation.Tally], int, int]:
    tallies, ignored = annotation.tally(everything)
    concepts = run.label_concepts(store)
    index_of = {c: i for i, c in reversed(list(enumerate(concepts))) if c is not None}
    labeled, outside = [], 0
    for task_id, votes in tallies.items():
        if votes.decision != "label":
            continue
        task = tasks[task_id]
        index = index_of.get(task["concept"])
        outside += index is None
        labeled.append({"image_id": task["image_id"], "url": task["image_url"], "concept": task["concept"],
                        "class_index": index, "yes": votes.yes, "no": votes.no, "yes_fraction": votes.yes_fraction,
                        "task_id": task_id})
    write_jsonl(run.folder / "labeled.jsonl", labeled)
    write_meta_file(run.folder / "meta.txt", labeled)
    return tallies, ignored, outside
