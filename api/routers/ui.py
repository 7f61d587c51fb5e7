"""The web UI at /ui: server-rendered pages (Jinja2) and one small script; no build step.

Browse (search, a concept with its hierarchy, tags, labels, translations), tag concepts
(visual? common?) and annotate images (is this a {concept}?), with Y / N / S on the keyboard.
Votes and answers go through the JSON API with the annotator's key.
"""

from __future__ import annotations

import random
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.auth import READER
from api.deps import ReadStoreDep
from api.params import IdPath
from api.routers.annotation import current_run, next_task
from taxonomy.errors import NotFound
from taxonomy.model import QUESTIONS
from taxonomy.tags import tags
from taxonomy.views import concept_view, refs

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[READER])
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
DECISIONS = {0: "no", 1: "yes", 2: "undecided"}
PROMPTS = {"visual": "Is {} a visual concept?", "common": "Is {} a common concept?"}


@router.get("", response_class=HTMLResponse)
def search_page(request: Request, store: ReadStoreDep, q: str = "") -> Response:
    hits = [{"id": c.id, "name": c.name, "matched": m, "gloss": c.gloss} for c, m, _ in store.search(q[:200], 50)]
    if q and not hits and q.strip() in store.graph:
        return RedirectResponse(f"/ui/concepts/{q.strip()}", status_code=303)
    return templates.TemplateResponse(request, "search.html", {"q": q, "hits": hits})


@router.get("/concepts/{concept_id}", response_class=HTMLResponse)
def concept_page(request: Request, concept_id: IdPath, store: ReadStoreDep) -> Response:
    view = concept_view(store, concept_id)
    children = store.graph.children(concept_id)
    paths = [refs(store, p) for p in store.graph.paths_to_root(concept_id, limit=5)]
    states = {q: t.as_dict() for q, t in tags(store, concept_id).items()}
    return templates.TemplateResponse(request, "concept.html", {
        "c": view, "children": refs(store, children[:200]), "children_total": len(children), "paths": paths,
        "tags": states, "decisions": DECISIONS})


@router.get("/tag", response_class=HTMLResponse)
def next_concept_to_tag(store: ReadStoreDep) -> Response:
    """A concept of ImageNet-21K (else any) whose tags are undecided."""
    has_21k = any(d.name == "imagenet21k" for d in store.datasets())
    pool = [c for c in store.label_concepts("imagenet21k") if c] if has_21k else store.graph.roots()
    rng = random.Random()
    for _attempt in range(50):
        candidate = rng.choice(pool)
        if any(t.decision == 2 for t in tags(store, candidate).values()):
            return RedirectResponse(f"/ui/tag/{candidate}", status_code=303)
    return RedirectResponse(f"/ui/tag/{rng.choice(pool)}", status_code=303)


@router.get("/tag/{concept_id}", response_class=HTMLResponse)
def tag_page(request: Request, concept_id: IdPath, store: ReadStoreDep,
             question: str = "visual") -> Response:
    if question not in QUESTIONS:
        raise NotFound(question, QUESTIONS, what="question")
    concept = store.concept(concept_id)
    state = tags(store, concept_id)[question]
    later = [q for q in QUESTIONS if QUESTIONS.index(q) > QUESTIONS.index(question)]
    next_url = f"/ui/tag/{concept_id}?question={later[0]}" if later else f"/ui/concepts/{concept_id}"
    return templates.TemplateResponse(request, "vote.html", {
        "title": f"Tag {concept.name}", "question": PROMPTS[question].format(concept.name), "image_url": None,
        "name": concept.name, "description": concept.gloss, "references": [], "kind": "tag", "target": concept_id,
        "question_name": question, "next_url": next_url, "concept_id": concept_id,
        "status": f"So far: {state.yes} yes, {state.no} no — decision: {DECISIONS[state.decision]}."})


@router.get("/annotate", response_class=HTMLResponse)
def annotate_page(request: Request, annotator: str | None = None) -> Response:
    task = next_task(current_run(), annotator)
    if task is None:
        return templates.TemplateResponse(request, "search.html", {"q": "", "hits": [],
                                                                   "message": "No task waits for an answer."})
    return templates.TemplateResponse(request, "vote.html", {
        "title": "Annotate", "question": task["question"], "image_url": task["image_url"], "name": task["name"],
        "description": task["description"], "references": task["reference_images"], "kind": "answer",
        "target": task["task_id"], "question_name": "", "next_url": "/ui/annotate", "concept_id": task["concept"],
        "status": ""})
