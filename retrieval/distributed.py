"""The embedding stage on Ray Data: shards become rows of a dataset, ``map_batches`` runs the
same per-shard work in actors (one model each, ``num_gpus`` per actor), results come back by
shard number. ``ray.init`` joins the cluster named by $RAY_ADDRESS, or starts a local one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.embed import FloatArray
from retrieval.pools import PoolItem
from retrieval.stages import ShardWork
from taxonomy.extras import require


def _ray() -> Any:
    require("ray.data", "ray", "running on Ray")
    return require("ray", "ray", "running on Ray")


class _ShardMapper:
    """A Ray actor: builds its model once, then processes one shard per batch row."""

    def __init__(self, work: ShardWork):
        self.work = work

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, list[Any]] = {"shard": [], "rows": [], "embeddings": []}
        for shard, items in zip(batch["shard"].tolist(), batch["items"].tolist(), strict=True):
            rows, embeddings = self.work([PoolItem(**item) for item in items])
            out["shard"].append(shard)
            out["rows"].append(rows)
            out["embeddings"].append(embeddings)
        return {"shard": np.asarray(out["shard"]), "rows": _objects(out["rows"]),
                "embeddings": _objects(out["embeddings"])}


def _objects(values: list[Any]) -> npt.NDArray[Any]:
    """A 1-d object array of ``values`` (np.asarray would try to stack lists and arrays)."""
    array = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        array[i] = value
    return array


def run_shards_on_ray(work: ShardWork, shards: Sequence[tuple[int, list[PoolItem]]], *, gpus_per_worker: float = 0.0,
                      workers: int = 1) -> Iterator[tuple[int, list[dict[str, Any]], FloatArray]]:
    ray = _ray()
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    dataset = ray.data.from_items([{"shard": n, "items": [i.as_dict() for i in items]} for n, items in shards])
    mapped = dataset.map_batches(_ShardMapper, fn_constructor_kwargs={"work": work}, batch_size=1,
                                 num_gpus=gpus_per_worker, concurrency=workers, batch_format="numpy")
    for row in mapped.iter_rows():
        yield int(row["shard"]), list(row["rows"]), np.asarray(row["embeddings"], dtype=np.float32)
