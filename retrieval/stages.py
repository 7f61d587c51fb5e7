"""The per-shard work of a round: fetch, decode, hash, drop near-duplicates, embed.

Only cheap arguments (the fetcher settings, the model spec, the evaluation hashes) reach a
worker; the model is built inside it, once. Used by the local runner and by the Ray mapper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrieval.dedup import NearDuplicateIndex, dhash
from retrieval.embed import ClipEmbedder, FloatArray, ModelSpec
from retrieval.fetch import Fetcher
from retrieval.pools import PoolItem

if TYPE_CHECKING:
    from PIL import Image

_EMBEDDERS: dict[tuple[ModelSpec, str | None], ClipEmbedder] = {}


def embedder_for(spec: ModelSpec, device: str | None = None) -> ClipEmbedder:
    """One model per process and spec (built on first use)."""
    key = (spec, device)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = ClipEmbedder(spec, device=device)
    return _EMBEDDERS[key]


@dataclass
class ShardWork:
    fetcher: Fetcher
    spec: ModelSpec
    near: NearDuplicateIndex
    max_distance: int
    device: str | None = None

    def __call__(self, items: Sequence[PoolItem]) -> tuple[list[dict[str, Any]], FloatArray]:
        """One row per item (status, error, size, dHash, nearest evaluation image) and the
        embeddings of the items that are kept, in order."""
        fetched = self.fetcher.fetch_many(items)
        hashes = [dhash(f.image) if f.image is not None else None for f in fetched]
        distances = self.near.nearest_distance([h for h in hashes if h is not None]).tolist()
        rows: list[dict[str, Any]] = []
        keep: list[Image.Image] = []
        for f, h in zip(fetched, hashes, strict=True):
            row: dict[str, Any] = {"id": f.item.id, "status": f.status, "error": f.error, "width": f.width,
                                   "height": f.height, "bytes": f.size, "dhash": None, "eval_distance": None}
            if h is not None:
                row["dhash"], row["eval_distance"] = f"{h:016x}", distances.pop(0)
                if row["eval_distance"] <= self.max_distance:
                    row["status"] = "near-duplicate"
                elif f.image is not None:
                    keep.append(f.image)
            rows.append(row)
        embeddings = embedder_for(self.spec, self.device).images(keep)
        for f in fetched:
            f.image = None  # free the pixels now
        return rows, embeddings
