"""Image annotation over a pipeline run directory ($TAXONOMY_RUN_DIR): the next task, answers in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import WriterDep
from api.deps import StoreDep
from taxonomy.errors import InputError, UnknownTask

router = APIRouter(prefix="/annotation", tags=["annotation"])
RUN_DIR_ENV = "TAXONOMY_RUN_DIR"


class AnswerCreate(BaseModel):
    task_id: Annotated[str, Field(min_length=1, max_length=100)]
    answer: Literal["yes", "no", "skip"]


def current_run() -> Any:
    from retrieval.runner import Run

    folder = os.environ.get(RUN_DIR_ENV)
    if not folder:
        raise InputError(f"this server has no pipeline run: start it with {RUN_DIR_ENV}=RUN_DIR")
    return Run(Path(folder))


def tallies(run: Any) -> dict[str, Any]:
    from retrieval.runner import run_tallies

    return run_tallies(run)


def next_task(run: Any, annotator: str | None) -> dict[str, Any] | None:
    """The first undecided task this annotator has not answered, that has fewer than 5 answers."""
    found = tallies(run)
    for task_id, task in run.tasks().items():
        tally = found.get(task_id)
        if tally is None or (tally.decision == "pending" and annotator not in tally.votes and len(tally.votes) < 5):
            return dict(task)
    return None


@router.post("/answers")
def post_answer(body: AnswerCreate, store: StoreDep, annotator: WriterDep) -> dict[str, Any]:
    """Answer a task as the API key's annotator; returns the task's tally (3 of 5 decide)."""
    from retrieval.runner import apply_answers

    run = current_run()
    if body.task_id not in run.tasks():
        raise UnknownTask(body.task_id)
    apply_answers(run, store, [(body.task_id, annotator, body.answer)])  # committed when it returns
    tally = tallies(run)[body.task_id]
    return {"task_id": body.task_id, "annotator": annotator, "yes": tally.yes, "no": tally.no,
            "yes_fraction": tally.yes_fraction, "decision_text": tally.decision, "votes": tally.votes}
