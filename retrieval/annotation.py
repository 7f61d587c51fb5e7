"""Annotation: tasks for 5 annotators, their answers, 3-of-5 consensus, and the labeled pool.

A task asks "is this a {concept}?" of one image, with the concept's description and reference
images. Tasks and answers are JSON lines:

    task:   {"task_id", "image_id", "image_url", "concept", "name", "description", "reference_images", "annotators"}
    answer: {"task_id", "annotator", "answer": "yes" | "no" | "skip"}

3 yes of at most 5 annotators make a label; 3 no reject the image; a skip counts as neither.
A later answer of the same annotator on the same task replaces the earlier one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taxonomy.errors import InputError
from taxonomy.files import read_rows

ANNOTATORS = 5
AGREEING = 3
ANSWERS = ("yes", "no", "skip")


@dataclass(slots=True)
class Tally:
    """The answers to one task so far."""

    votes: dict[str, str] = field(default_factory=dict)  # annotator -> yes / no / skip

    @property
    def yes(self) -> int:
        return sum(1 for a in self.votes.values() if a == "yes")

    @property
    def no(self) -> int:
        return sum(1 for a in self.votes.values() if a == "no")

    @property
    def decision(self) -> str:
        """"label" (3 yes), "rejected" (3 no), or "pending"."""
        if self.yes >= AGREEING:
            return "label"
        if self.no >= AGREEING:
            return "rejected"
        return "pending"

    @property
    def yes_fraction(self) -> float | None:
        counted = self.yes + self.no
        return round(self.yes / counted, 4) if counted else None


def make_task(task_id: str, image_id: str, image_url: str, concept: str, name: str, description: str,
              references: Sequence[str] = ()) -> dict[str, Any]:
    return {"task_id": task_id, "image_id": image_id, "image_url": image_url, "concept": concept, "name": name,
            "question": f"Is this a {name}?", "description": description,
            "reference_images": list(references)[:3], "annotators": ANNOTATORS}


def read_answers(path: Path, tasks: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(task_id, annotator, answer) of every line; every bad line is reported and nothing is taken."""
    answers, problems = [], []
    for number, row in read_rows(path, ["task_id", "annotator", "answer"]):
        if isinstance(row, str):
            problems.append(f"line {number}: {row} (expected task_id, annotator, answer)")
            continue
        task, annotator, answer = row.get("task_id"), row.get("annotator"), row.get("answer")
        if task not in tasks:
            problems.append(f"line {number}: unknown task_id {task!r}")
        elif not isinstance(annotator, str) or not annotator.strip():
            problems.append(f"line {number}: annotator must be a non-empty string")
        elif answer not in ANSWERS:
            problems.append(f"line {number}: answer must be yes, no or skip, got {answer!r}")
        else:
            answers.append((str(task), annotator.strip(), str(answer)))
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise InputError(f"{path}: {len(problems)} bad answers, nothing imported: {shown}")
    return answers


def tally(answers: Iterable[tuple[str, str, str]]) -> tuple[dict[str, Tally], int]:
    """Tallies per task; answers past the fifth annotator of a task are ignored and counted."""
    tallies: dict[str, Tally] = {}
    ignored = 0
    for task, annotator, answer in answers:
        votes = tallies.setdefault(task, Tally()).votes
        if annotator not in votes and len(votes) >= ANNOTATORS:
            ignored += 1
            continue
        votes[annotator] = answer
    return tallies, ignored


def grid_tasks(tasks: Mapping[str, Mapping[str, Any]], tallies: Mapping[str, Tally], annotator: str | None,
               size: int) -> list[dict[str, Any]]:
    """A page of one question: up to ``size`` open tasks of one concept that ``annotator`` has not
    answered, from the concept with the most of them (ties: the first in the run)."""
    open_by_concept: dict[str, list[dict[str, Any]]] = {}
    for task_id, task in tasks.items():
        tally = tallies.get(task_id)
        if tally is None or (tally.decision == "pending" and annotator not in tally.votes
                             and len(tally.votes) < ANNOTATORS):
            open_by_concept.setdefault(str(task["concept"]), []).append(dict(task))
    if not open_by_concept:
        return []
    return max(open_by_concept.values(), key=len)[:size]


def progress(tasks: Mapping[str, Mapping[str, Any]], answers: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """How far a run's annotation is, and each annotator's share and agreement: of their yes / no
    answers to decided tasks, how many agree with the decision (3 of 5)."""
    answers = list(answers)
    tallies, _ = tally(answers)
    decided = {t: v.decision for t, v in tallies.items() if v.decision != "pending"}
    people: dict[str, dict[str, int]] = {}
    for task_id, annotator, answer in answers:
        row = people.setdefault(annotator, {"answers": 0, "yes": 0, "no": 0, "skip": 0, "on_decided": 0,
                                            "agree": 0})
        row["answers"] += 1
        row[answer] += 1
        if task_id in decided and answer != "skip":
            row["on_decided"] += 1
            row["agree"] += (answer == "yes") == (decided[task_id] == "label")
    return {
        "tasks": len(tasks), "answered": len(tallies),
        "labels": sum(d == "label" for d in decided.values()),
        "rejected": sum(d == "rejected" for d in decided.values()),
        "pending": len(tasks) - len(decided),
        "annotators": [{"annotator": name, **row,
                        "agreement": round(row["agree"] / row["on_decided"], 4) if row["on_decided"] else None}
                       for name, row in sorted(people.items())],
    }
