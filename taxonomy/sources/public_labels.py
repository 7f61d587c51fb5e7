"""The label sets of public vision datasets shipped in ``data/labels`` and ``data/places365``.

Each is a list of class names in class-index order; Open Images' 600 boxable classes also
come with their own hierarchy (class index -> parent class indices), which the linker reports
as evidence. Their class index is the order of the hierarchy file (depth first, first visit).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from taxonomy.linking.names import scene_path_name
from taxonomy.model import Dataset
from taxonomy.paths import data_dir


@dataclass(frozen=True, slots=True)
class LabelSet:
    dataset: Dataset
    names: list[str]
    parents: dict[int, list[int]] = field(default_factory=dict)
    indices: list[int] = field(default_factory=list)  # each name's class index; empty: 0, 1, 2 ...
    descriptions: list[str | None] = field(default_factory=list)  # empty: none
    synsets: list[str | None] = field(default_factory=list)  # each name's WordNet synset as its file gives it

    def class_index(self, position: int) -> int:
        return self.indices[position] if self.indices else position

    def description(self, position: int) -> str | None:
        return self.descriptions[position] if self.descriptions else None

    def synset(self, position: int) -> str | None:
        return self.synsets[position] if self.synsets else None


def _oi_names(base: Path) -> dict[str, str]:
    with open(base / "labels" / "openimages" / "oidv6-class-descriptions.csv", encoding="utf-8") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


def _oi_boxable(base: Path, names: dict[str, str]) -> LabelSet:
    tree = json.loads((base / "labels" / "openimages" / "bbox_labels_600_hierarchy.json").read_text(encoding="utf-8"))
    order: list[str] = []
    parents: dict[str, list[str]] = {}

    def walk(node: dict[str, Any], parent: str | None) -> None:
        mid = node["LabelName"]
        if parent is not None:
            if mid not in order:
                order.append(mid)
            if parent != tree["LabelName"]:
                parents.setdefault(mid, []).append(parent)
        for child in node.get("Subcategory", []):
            walk(child, mid)

    walk(tree, None)
    index = {mid: i for i, mid in enumerate(order)}
    return LabelSet(
        Dataset("openimages-boxable", len(order), "Open Images V6 bbox_labels_600_hierarchy.json", "CC BY 4.0",
                "Open Images boxable classes in hierarchy order, with their hierarchy"),
        [names.get(mid, mid) for mid in order],
        {index[m]: sorted({index[p] for p in ps}) for m, ps in parents.items()},
    )


@cache
def public_label_sets(folder: Path | None = None) -> dict[str, LabelSet]:
    """Every shipped public label set by dataset name."""
    base = folder or data_dir()
    with open(base / "labels" / "coco" / "coco_categories.tsv", encoding="utf-8") as handle:
        coco = [row["name"] for row in csv.DictReader(handle, delimiter="\t")]
    with open(base / "labels" / "objects365" / "Objects365_names_fix.csv", encoding="utf-8") as handle:
        objects365 = [row[1] for row in csv.reader(handle) if len(row) >= 2]
    with open(base / "places365" / "categories_places365.txt", encoding="utf-8") as handle:
        places = [scene_path_name(path) or path for path in (line.split()[0] for line in handle if line.strip())]
    oi_names = _oi_names(base)
    sets = [
        LabelSet(Dataset("coco", len(coco), "lvis-api coco_to_synset.json", "CC BY 4.0 (COCO)",
                         "COCO 2017 detection categories (index = order of the category ids)"), coco),
        LabelSet(Dataset("objects365", len(objects365), "Detic Objects365_names_fix.csv", "Apache-2.0 (Detic)",
                         "Objects365 categories"), objects365),
        _oi_boxable(base, oi_names),
        LabelSet(Dataset("openimages", len(oi_names), "Open Images V6 oidv6-class-descriptions.csv", "CC BY 4.0",
                         "Open Images image-level class names"), list(oi_names.values())),
        LabelSet(Dataset("places365", len(places), "CSAILVision/places365", "MIT", "Places365 scene categories"),
                 places),
    ]
    return {s.dataset.name: s for s in sets}
