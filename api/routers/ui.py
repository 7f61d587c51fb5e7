"""The web UI at /ui: server-rendered pages (Jinja2) and one small script; no build step.

Browse (search, a concept with its hierarchy, tags, labels, translations), tag concepts
(visual? common?) and annotate images (is this a {concept}?), with Y / N / S on the keyboard.
Votes and answers go through the JSON API with the annotator's key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.auth import READER
from api.deps import ReadStoreDep, StoreDep
from api.params import IdPath
from api.routers.annotation import current_run, grid, next_task
from taxonomy.errors import NotFound
from taxonomy.model import QUESTIONS
from taxonomy.reading import LabelReader
from taxonomy.tags import decisions, tags
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
def next_concept_to_tag(request: Request, store: ReadStoreDep,
                        subset: Annotated[str | None, Query(max_length=100)] = None,
                        annotator: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """The undecided concept whose prior is least sure (nearest 0.5), of a subset (else of
    ImageNet-21K, else any), that this annotator has not voted on yet."""
    queue = tag_queue(store, subset)
    suffix = urlencode({k: v for k, v in {"subset": subset, "annotator": annotator}.items() if v})
    for concept_id in queue[:500]:
        if annotator is None or all(a != annotator for _, a, _, _ in store.priors_and_votes(concept_id)[1]):
            return RedirectResponse(f"/ui/tag/{concept_id}" + (f"?{suffix}" if suffix else ""), status_code=303)
    message = "No concept here waits for your vote." + (f" (subset {subset})" if subset else "")
    return templates.TemplateResponse(request, "search.html", {"q": "", "hits": [], "message": message})


def tag_queue(store: LabelReader, subset: str | None) -> list[str]:
    """Concepts with an undecided question, the least sure prior first (ties: by id)."""
    from taxonomy import subsets

    if subset:
        pool = subsets.members(store, subsets.get(store, subset))
    elif any(d.name == "imagenet21k" for d in store.datasets()):
        pool = [c for c in store.label_concepts("imagenet21k") if c]
    else:
        pool = list(store.graph.roots())
    uncertainty: dict[str, float] = {}
    for question in QUESTIONS:
        decided, priors = decisions(store, question), store.priors(question)
        for concept_id in pool:
            if concept_id not in decided:
                margin = abs(priors.get(concept_id, 0.5) - 0.5)
                uncertainty[concept_id] = min(margin, uncertainty.get(concept_id, 1.0))
    return sorted(uncertainty, key=lambda c: (uncertainty[c], c))


@router.get("/tag/{concept_id}", response_class=HTMLResponse)
def tag_page(request: Request, concept_id: IdPath, store: ReadStoreDep, question: str = "visual",
             subset: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """One question on one concept; in a queue (``subset``), the next concept follows the last question."""
    if question not in QUESTIONS:
        raise NotFound(question, QUESTIONS, what="question")
    concept = store.concept(concept_id)
    state = tags(store, concept_id)[question]
    later = [q for q in QUESTIONS if QUESTIONS.index(q) > QUESTIONS.index(question)]
    in_queue = f"&{urlencode({'subset': subset})}" if subset else ""
    next_url = (f"/ui/tag/{concept_id}?question={later[0]}{in_queue}" if later
                else f"/ui/tag?{in_queue[1:]}" if subset else f"/ui/concepts/{concept_id}")
    return templates.TemplateResponse(request, "vote.html", {
        "title": f"Tag {concept.name}", "question": PROMPTS[question].format(concept.name), "image_url": None,
        "name": concept.name, "description": concept.gloss, "references": [], "kind": "tag", "target": concept_id,
        "question_name": question, "next_url": next_url, "concept_id": concept_id,
        "status": f"So far: {state.yes} yes, {state.no} no — decision: {DECISIONS[state.decision]}."})


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, store: StoreDep) -> Response:
    """The pending links with their proposal and candidates, to accept, correct or reject."""
    from taxonomy.linking import review

    waiting = review.items(store, "pending", 50)
    ids = {c["id"] for i in waiting for c in i.proposal["candidates"]} | {
        p for i in waiting for p in [i.proposal["concept"], *i.proposal["parents"]] if p}
    known = [c for c in ids if c in store.graph]
    glosses = {c.id: c.gloss for c in store.concepts(known)}
    names = store.names(known)
    return templates.TemplateResponse(request, "review.html", {
        "pending": store.review_counts().get("pending", 0),
        "items": [{"id": i.id, "name": i.name, "description": i.description, "dataset": i.dataset,
                   "class_index": i.class_index, "choices": _choices(i.proposal, names, glosses)} for i in waiting]})


def _choices(proposal: dict[str, Any], names: dict[str, str], glosses: dict[str, str]) -> list[dict[str, str]]:
    """The proposal first, then its other candidates (concepts it may be, or parents it may go under)."""
    same = proposal["decision"] == "same"
    first = proposal["concept"] if same else proposal["parents"][0]
    choices = [{"value": "proposal", "gloss": glosses.get(first, ""),
                "text": f"{'the same as' if same else 'a new child of'} {names.get(first, first)} ({first}), "
                        f"proposed by {proposal['method']} at {proposal['score']:.2f}"}]
    for c in proposal["candidates"]:
        if c["id"] != first and c["id"] in names:
            kind = "same" if same else "under"
            choices.append({"value": f"{kind}:{c['id']}", "gloss": glosses.get(c["id"], ""),
                            "text": f"{'the same as' if same else 'a new child of'} {c['name']} ({c['id']})"})
    return choices


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


@router.get("/annotate/grid", response_class=HTMLResponse)
def annotate_grid(request: Request, annotator: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """Up to 24 images of one question: select the ones that show it, submit once."""
    tasks = grid(current_run(), annotator)
    if not tasks:
        return templates.TemplateResponse(request, "search.html", {"q": "", "hits": [],
                                                                   "message": "No task waits for an answer."})
    first = tasks[0]
    return templates.TemplateResponse(request, "grid.html", {
        "question": first["question"], "name": first["name"], "description": first["description"],
        "references": first["reference_images"], "tasks": tasks, "concept_id": first["concept"]})


@router.get("/annotate/progress", response_class=HTMLResponse)
def annotate_progress(request: Request) -> Response:
    from retrieval.annotation import progress
    from retrieval.answer_log import AnswerLog

    run = current_run()
    with AnswerLog(run.folder) as log:
        found = progress(run.tasks(), log.all())
    return templates.TemplateResponse(request, "progress.html", {"p": found})
