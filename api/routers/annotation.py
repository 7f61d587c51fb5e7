"""Image annotation over a pipeline run directory ($TAXONOMY_RUN_DIR): tasks out (one at a time,
or a grid of one question), answers in, progress, and the images of a folder pool."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlparse

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.auth import READER, WriterDep
from api.deps import StoreDep
from taxonomy.errors import InputError, NotFound, UnknownTask

router = APIRouter(prefix="/annotation", tags=["annotation"])
RUN_DIR_ENV = "TAXONOMY_RUN_DIR"
GRID_SIZE = 24
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".webp": "image/webp", ".bmp": "image/bmp"}
TaskId = Annotated[str, Field(min_length=1, max_length=100)]


class AnswerCreate(BaseModel):
    task_id: TaskId
    answer: Literal["yes", "no", "skip"]


class AnswerBatch(BaseModel):
    answers: list[AnswerCreate] = Field(min_length=1, max_length=200)


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
    from retrieval.annotation import grid_tasks

    found = grid_tasks(run.tasks(), tallies(run), annotator, 1)
    return shown(found[0]) if found else None


def grid(run: Any, annotator: str | None, size: int = GRID_SIZE) -> list[dict[str, Any]]:
    """Up to ``size`` open tasks of one question for this annotator (see retrieval.annotation.grid_tasks)."""
    from retrieval.annotation import grid_tasks

    return [shown(t) for t in grid_tasks(run.tasks(), tallies(run), annotator, size)]


def shown(task: dict[str, Any]) -> dict[str, Any]:
    """The task with image addresses a browser can load: a folder pool's file:// images through
    this server (GET /annotation/images/{task_id})."""
    task_id = task["task_id"]
    references = [f"/annotation/images/{task_id}?reference={n}" if str(url).startswith("file:") else url
                  for n, url in enumerate(task.get("reference_images", []))]
    image = task["image_url"]
    return {**task, "image_url": f"/annotation/images/{task_id}" if str(image).startswith("file:") else image,
            "reference_images": references}


def _tally_answer(run: Any, task_id: str, annotator: str) -> dict[str, Any]:
    tally = tallies(run)[task_id]
    return {"task_id": task_id, "annotator": annotator, "yes": tally.yes, "no": tally.no,
            "yes_fraction": tally.yes_fraction, "decision_text": tally.decision, "votes": tally.votes}


@router.post("/answers")
def post_answer(body: AnswerCreate, store: StoreDep, annotator: WriterDep) -> dict[str, Any]:
    """Answer a task as the API key's annotator; returns the task's tally (3 of 5 decide)."""
    from retrieval.runner import apply_answers

    run = current_run()
    if body.task_id not in run.tasks():
        raise UnknownTask(body.task_id)
    apply_answers(run, store, [(body.task_id, annotator, body.answer)])  # committed when it returns
    return _tally_answer(run, body.task_id, annotator)


@router.post("/answers/batch")
def post_answers(body: AnswerBatch, store: StoreDep, annotator: WriterDep) -> dict[str, Any]:
    """Answer many tasks at once (a grid page), all in one transaction or none."""
    from retrieval.runner import apply_answers

    run = current_run()
    known = run.tasks()
    unknown = [a.task_id for a in body.answers if a.task_id not in known]
    if unknown:
        raise UnknownTask(unknown[0])
    counts = apply_answers(run, store, [(a.task_id, annotator, a.answer) for a in body.answers])
    return {"annotator": annotator, "answers": len(body.answers), "labels": counts["labels"],
            "rejected": counts["rejected"], "pending": counts["pending"]}


@router.get("/grid", dependencies=[READER])
def get_grid(annotator: Annotated[str | None, Query(max_length=100)] = None,
             size: Annotated[int, Query(ge=1, le=200)] = GRID_SIZE) -> dict[str, Any]:
    """Open tasks of one question for an annotator (the concept with the most of them)."""
    tasks = grid(current_run(), annotator, size)
    return {"annotator": annotator, "tasks": tasks}


@router.get("/progress", dependencies=[READER])
def get_progress() -> dict[str, Any]:
    """Decided and pending tasks, and each annotator's answers and agreement with the decisions."""
    from retrieval.annotation import progress
    from retrieval.answer_log import AnswerLog

    run = current_run()
    with AnswerLog(run.folder) as log:
        return progress(run.tasks(), log.all())


@router.get("/images/{task_id}", dependencies=[READER], response_class=FileResponse)
def task_image(task_id: TaskId, reference: Annotated[int | None, Query(ge=0, le=100)] = None) -> FileResponse:
    """A task's image (or one of its reference images) from a folder pool: only files a task names."""
    task = current_run().tasks().get(task_id)
    if task is None:
        raise UnknownTask(task_id)
    urls = [task["image_url"]] if reference is None else list(task.get("reference_images", []))[reference:reference + 1]
    url = str(urls[0]) if urls else ""
    path = Path(unquote(urlparse(url).path)) if url.startswith("file:") else None
    if path is None or path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        raise NotFound(task_id, what="local image of task")
    return FileResponse(path, media_type=IMAGE_TYPES[path.suffix.lower()])
