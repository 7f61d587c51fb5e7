"""CLIP embeddings with open_clip: images, and concepts through prompt ensembles.

A model is an open_clip architecture plus a local checkpoint (nothing is fetched from a hub);
``random_init`` builds the architecture with random weights, for tests and benchmarks. CUDA with
mixed precision when there is a GPU, CPU otherwise. Embeddings come back L2-normalised, as
float32 numpy arrays, so a dot product is a cosine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from taxonomy.errors import InputError
from taxonomy.extras import require

if TYPE_CHECKING:
    from PIL import Image

FloatArray = npt.NDArray[np.float32]

#: The prompt ensemble (a subset of CLIP's ImageNet templates, as the CLEAR recipe uses them).
PROMPTS = (
    "a photo of a {}.", "a photo of the {}.", "a close-up photo of a {}.", "a bright photo of a {}.",
    "a photo of a small {}.", "a photo of a large {}.", "a cropped photo of a {}.", "itap of a {}.",
)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Which CLIP: an open_clip architecture and a local checkpoint, or random weights."""

    arch: str
    checkpoint: str | None = None
    random_init: bool = False

    def __post_init__(self) -> None:
        if self.checkpoint is not None and self.random_init:
            raise InputError("give a checkpoint or random_init, not both")
        if self.checkpoint is None and not self.random_init:
            raise InputError(f"name a local checkpoint for {self.arch!r} (--checkpoint PATH: nothing is downloaded), "
                             "or --random-init for a model with random weights (tests)")
        if self.checkpoint is not None and not Path(self.checkpoint).is_file():
            raise InputError(f"no such checkpoint file: {self.checkpoint!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _modules() -> tuple[Any, Any]:
    return require("torch", "gpu", "CLIP scoring"), require("open_clip", "gpu", "CLIP scoring")


class ClipEmbedder:
    """One CLIP model on one device; built inside each worker (only the spec crosses processes)."""

    def __init__(self, spec: ModelSpec, device: str | None = None, batch_size: int = 64, seed: int = 0):
        torch, open_clip = _modules()
        if spec.arch not in open_clip.list_models():
            raise InputError(f"unknown open_clip architecture {spec.arch!r}; e.g. ViT-B-32, ViT-L-14, RN50")
        self.spec = spec
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.batch_size = batch_size
        torch.manual_seed(seed)  # random weights are the same in every worker
        self._torch = torch
        self.model, _, self.preprocess = open_clip.create_model_and_transforms(
            spec.arch, pretrained=spec.checkpoint, device=self.device, load_weights=not spec.random_init)
        self.model.eval()
        self.tokenizer = open_clip.get_tokenizer(spec.arch)

    def _autocast(self) -> Any:
        torch = self._torch
        if self.device.startswith("cuda"):
            return torch.autocast("cuda", dtype=torch.float16)
        return torch.autocast("cpu", enabled=False)

    def _normalised(self, features: Any) -> FloatArray:
        features = features.float()
        features = features / features.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        out: FloatArray = features.cpu().numpy().astype(np.float32)
        return out

    def images(self, images: Sequence[Image.Image]) -> FloatArray:
        torch = self._torch
        parts = []
        with torch.inference_mode(), self._autocast():
            for start in range(0, len(images), self.batch_size):
                batch = torch.stack([self.preprocess(im) for im in images[start : start + self.batch_size]])
                parts.append(self._normalised(self.model.encode_image(batch.to(self.device))))
        return np.concatenate(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)

    def texts(self, texts: Sequence[str]) -> FloatArray:
        torch = self._torch
        parts = []
        with torch.inference_mode(), self._autocast():
            for start in range(0, len(texts), self.batch_size * 4):
                tokens = self.tokenizer(list(texts[start : start + self.batch_size * 4])).to(self.device)
                parts.append(self._normalised(self.model.encode_text(tokens)))
        return np.concatenate(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)

    def concepts(self, names: Sequence[Sequence[str]], prompts: Sequence[str] = PROMPTS) -> FloatArray:
        """One embedding per concept: the mean of its names in every prompt, normalised again."""
        texts = [prompt.format(name) for concept in names for name in concept for prompt in prompts]
        flat = self.texts(texts)
        out = np.zeros((len(names), flat.shape[1]), dtype=np.float32)
        start = 0
        for i, concept in enumerate(names):
            count = len(concept) * len(prompts)
            mean = flat[start : start + count].mean(axis=0)
            out[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
            start += count
        return out

    @property
    def dimension(self) -> int:
        return int(self.model.text_projection.shape[1]) if hasattr(self.model, "text_projection") else 0
