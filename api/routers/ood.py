"""Batch OOD checks of crawled images (paper 4.1.3): a read, open like every read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import READER
from api.deps import StoreDep
from api.schemas import OodRequest, OodResponse
from taxonomy.ood import RelatedSetChecker
from taxonomy.ood_rows import Inputs, Resolver, RowError, classification_inputs, decide

router = APIRouter(dependencies=[READER])


@router.post("/ood/classify", response_model=OodResponse, tags=["ood"])
def classify_images(body: OodRequest, store: StoreDep) -> dict[str, Any]:
    """In distribution iff one of the top-k predictions lies in the related set of the query
    (the same checks as ``taxonomy ood classify``: taxonomy/ood_rows.py)."""
    resolver = Resolver(store, body.labels)
    checked: list[tuple[int, Inputs]] = []
    errors: dict[int, str] = {}
    for index, item in enumerate(body.items):
        row = {"query": item.query, "predictions": item.predictions, "label_probs": item.probs}
        try:
            checked.append((index, classification_inputs(row, resolver, body.k, body.min_prob)))
        except RowError as error:
            errors[index] = str(error)
    decisions = dict(zip((i for i, _ in checked),
                         decide(RelatedSetChecker(store.graph, threads=1), [r for _, r in checked], body.k),
                         strict=True))
    results = [{"index": i, "in_distribution": decisions[i][0] if i in decisions else None,
                "matched": decisions[i][1] if i in decisions else None, "error": errors.get(i)}
               for i in range(len(body.items))]
    inside = sum(1 for d in decisions.values() if d[0])
    return {"results": results, "in_distribution": inside, "ood": len(decisions) - inside, "errors": len(errors)}
