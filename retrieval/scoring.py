"""CLIP scores of pool images: against their own query concept and against the whole label set.

The zero-shot classifier over the label set is the "current model" of a round: its top-5
feeds the OOD rectification, its class probabilities the active sampling (margin, entropy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

#: CLIP's learned logit scale converges to 100; zero-shot probabilities use it as the inverse temperature.
LOGIT_SCALE = 100.0


@dataclass(frozen=True)
class Scores:
    query_score: FloatArray   # (N,) cosine of each image with its query concept (nan without a query)
    top5: IntArray            # (N, 5) label indices, best first
    top5_probability: FloatArray
    margin: FloatArray        # (N,) top-1 minus top-2 probability
    entropy: FloatArray       # (N,) entropy of the class probabilities


def probabilities(images: FloatArray, classes: FloatArray, chunk: int = 8192) -> FloatArray:
    """Softmax over the label set of the scaled cosines, (N, C)."""
    out = np.empty((images.shape[0], classes.shape[0]), dtype=np.float32)
    for start in range(0, images.shape[0], chunk):
        logits = LOGIT_SCALE * images[start : start + chunk] @ classes.T
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        out[start : start + chunk] = logits / logits.sum(axis=1, keepdims=True)
    return out


def score(images: FloatArray, classes: FloatArray, query_rows: npt.NDArray[np.int64]) -> Scores:
    """``query_rows[i]`` is the label-set row of image i's query concept, or -1 when it has none."""
    probs = probabilities(images, classes)
    k = min(5, classes.shape[0])
    if k < probs.shape[1]:
        top = np.argpartition(-probs, k - 1, axis=1)[:, :k]
    else:
        top = np.tile(np.arange(k), (len(probs), 1))
    top_p = np.take_along_axis(probs, top, axis=1)
    order = np.argsort(-top_p, axis=1, kind="stable")  # the k best, best first
    top, top_p = np.take_along_axis(top, order, axis=1), np.take_along_axis(top_p, order, axis=1)
    second = top_p[:, 1] if k > 1 else np.zeros(len(top_p), dtype=np.float32)
    entropy = -(probs * np.log(np.clip(probs, 1e-12, None))).sum(axis=1)
    rows = np.asarray(query_rows, dtype=np.int64)
    query = np.full(len(images), np.nan, dtype=np.float32)
    has = rows >= 0
    query[has] = np.einsum("ij,ij->i", images[has], classes[rows[has]])
    return Scores(query, top.astype(np.int64), top_p.astype(np.float32), (top_p[:, 0] - second).astype(np.float32),
                  entropy.astype(np.float32))
