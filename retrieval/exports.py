"""A run's annotations in the formats other tools read: COCO JSON and Label Studio JSON.

COCO: the labeled pool (3 of 5 said yes) as image-level labels, one annotation per image and
concept, with the run's label set as the categories (``id`` is the class index; no boxes: these
are classification labels). Label Studio: every task with every annotator's answer as an
annotation of a Choices control named ``answer`` on an Image named ``image`` (the labeling
config is in ``LABEL_STUDIO_CONFIG``), so a project can take the work over or audit it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from retrieval.annotation import tally

LABEL_STUDIO_CONFIG = """<View>
  <Header value="$question"/>
  <Image name="image" value="$image"/>
  <Choices name="answer" toName="image" choice="single" showInline="true">
    <Choice value="yes"/><Choice value="no"/><Choice value="skip"/>
  </Choices>
</View>"""


def coco_labels(labeled: Sequence[Mapping[str, Any]], concepts: Sequence[str | None],
                names: Mapping[str, str]) -> dict[str, Any]:
    """COCO JSON of the labeled pool; ``concepts`` is the label set by class index."""
    images: dict[str, int] = {}
    image_rows: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for row in labeled:
        if row.get("class_index") is None:
            continue  # a label outside the label set has no category
        if row["image_id"] not in images:
            images[row["image_id"]] = len(images) + 1
            image_rows.append({"id": images[row["image_id"]], "file_name": str(row["url"]).rsplit("/", 1)[-1],
                               "coco_url": row["url"], "image_key": row["image_id"]})
        annotations.append({"id": len(annotations) + 1, "image_id": images[row["image_id"]],
                            "category_id": row["class_index"], "iscrowd": 0,
                            "attributes": {"yes": row["yes"], "no": row["no"], "task_id": row["task_id"]}})
    categories = [{"id": i, "name": names.get(c, c), "synset": c, "supercategory": ""}
                  for i, c in enumerate(concepts) if c is not None]
    return {"info": {"description": "image-level labels from a taxonomy pipeline run (3 of 5 annotators)"},
            "images": image_rows, "annotations": annotations, "categories": categories}


def label_studio_tasks(tasks: Mapping[str, Mapping[str, Any]],
                       answers: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Label Studio tasks: the image and question, every answer as an annotation, the 3-of-5
    decision in ``meta``."""
    answers = list(answers)
    tallies, _ = tally(answers)
    by_task: dict[str, list[tuple[str, str]]] = {}
    for task_id, annotator, answer in answers:
        by_task.setdefault(task_id, []).append((annotator, answer))
    exported = []
    for number, (task_id, task) in enumerate(tasks.items(), 1):
        decision = tallies[task_id].decision if task_id in tallies else "pending"
        exported.append({
            "id": number,
            "data": {"image": task["image_url"], "question": task["question"], "task_id": task_id,
                     "concept": task["concept"], "name": task["name"], "description": task["description"]},
            "annotations": [{"result": [{"from_name": "answer", "to_name": "image", "type": "choices",
                                         "value": {"choices": [answer]}}], "meta": {"annotator": annotator}}
                            for annotator, answer in by_task.get(task_id, [])],
            "meta": {"decision": decision},
        })
    return exported
