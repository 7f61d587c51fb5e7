"""Dataset label sets shipped in ``data/``: (dataset, class index, class name) -> concept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from taxonomy.model import Dataset, LabelRecord
from taxonomy.paths import data_dir

_TIMM = "timm 1.0.31 (timm/data/_info)"
_APACHE = "Apache-2.0 (timm), see data/imagenet/LICENSE-timm"


@dataclass(frozen=True, slots=True)
class WnidLabelSet:
    """A label set given as one WordNet id per line, the line number being the class index."""

    dataset: Dataset
    synsets_file: str


IMAGENET_LABEL_SETS = (
    WnidLabelSet(
        Dataset("imagenet1k", 1000, _TIMM, _APACHE, "ImageNet-1k (ILSVRC-2012) classes in the standard order"),
        "imagenet/imagenet_synsets.txt",
    ),
    WnidLabelSet(
        Dataset("imagenet21k", 21843, _TIMM, _APACHE,
                "ImageNet-21K, Google's fall11 list, in the order COYO-Labeled-300M label indices use"),
        "imagenet/imagenet21k_goog_synsets.txt",
    ),
)


def _class_names(folder: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    with open(folder / "imagenet" / "imagenet_synset_to_lemma.txt", encoding="utf-8") as lines:
        for line in lines:
            wnid, _, lemmas = line.rstrip("\n").partition("\t")
            names[wnid] = lemmas
    return names


def imagenet_labels(label_set: WnidLabelSet, known: set[str], folder: Path | None = None) -> Iterator[LabelRecord]:
    """The labels of an ImageNet label set; a wnid the store lacks maps to no concept."""
    folder = folder or data_dir()
    names = _class_names(folder)
    with open(folder / label_set.synsets_file, encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            wnid = line.strip()
            yield {
                "dataset": label_set.dataset.name,
                "class_index": index,
                "class_name": names.get(wnid, wnid),
                "concept": wnid if wnid in known else None,
                "method": "wnid",
                "score": 1.0 if wnid in known else 0.0,
            }
