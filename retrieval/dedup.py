"""Near-duplicates of downstream evaluation images, by difference hash (dHash).

dHash: the image in grey, shrunk to 9x8, one bit per pixel saying whether it is brighter than
its right neighbour: 64 bits that survive resizing and recompression. A pool image within
``max_distance`` bits (Hamming) of an evaluation image is dropped, so that a dataset built from
the pool does not leak its test sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from retrieval.fetch import pillow
from retrieval.pools import IMAGE_SUFFIXES

if TYPE_CHECKING:
    from PIL import Image

HashArray = npt.NDArray[np.uint64]
DEFAULT_DISTANCE = 4


def dhash(image: Image.Image, size: int = 8) -> int:
    """The 64-bit difference hash of an image."""
    grey = image.convert("L").resize((size + 1, size), pillow().Resampling.BILINEAR)
    pixels = np.asarray(grey, dtype=np.int16)
    bits = (pixels[:, 1:] > pixels[:, :-1]).ravel()
    return int(np.packbits(bits).view(">u8")[0])


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def hash_folder(folder: Path) -> HashArray:
    """The dHash of every image under a folder (an evaluation set)."""
    image_module = pillow()
    hashes = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES):
        with image_module.open(path) as image:
            hashes.append(dhash(image))
    return np.asarray(hashes, dtype=np.uint64)


class NearDuplicateIndex:
    """The hashes of evaluation images; answers "is this hash within d bits of any of them"."""

    def __init__(self, hashes: Iterable[int] | HashArray):
        self.hashes = np.unique(np.asarray(list(hashes) if not isinstance(hashes, np.ndarray) else hashes,
                                          dtype=np.uint64))

    def __len__(self) -> int:
        return int(self.hashes.size)

    def nearest_distance(self, hashes: Sequence[int] | HashArray, chunk: int = 4096) -> npt.NDArray[np.int64]:
        """For each hash, the Hamming distance to the closest evaluation hash (65 when there is none)."""
        query = np.asarray(hashes, dtype=np.uint64)
        out = np.full(query.size, 65, dtype=np.int64)
        if not self.hashes.size:
            return out
        for start in range(0, query.size, chunk):
            block = query[start : start + chunk, None] ^ self.hashes[None, :]
            out[start : start + chunk] = np.bitwise_count(block).min(axis=1)
        return out

    def near(self, hashes: Sequence[int] | HashArray, max_distance: int = DEFAULT_DISTANCE) -> npt.NDArray[np.bool_]:
        return self.nearest_distance(hashes) <= max_distance
