"""Linking by Wikidata id (paper 3.2, subclass-of): the first step of the linker's cascade."""

from __future__ import annotations

from typing import TYPE_CHECKING

from taxonomy.errors import InputError
from taxonomy.linking.confidence import calibrated
from taxonomy.sources import crosswalk

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.results import LinkResult


def by_wikidata(linker: Linker, result: LinkResult) -> bool:
    """A QID the store knows is that concept; one it does not, with an endpoint, is placed under the
    nearest item of its subclass-of chain that the store knows (up to 8 levels)."""
    qid = result.qid
    assert qid is not None
    known = [c for c in linker.store.concepts_with_external_id("wikidata", qid) if c not in linker.hidden]
    known += [c for c in [crosswalk.oewn_qid_to_concept().get(qid), qid]
              if c and c in linker.store.graph and c not in known and c not in linker.hidden]
    if known:
        result.decision, result.concept, result.method = "same", known[0], "wikidata"
        result.parents, result.score = linker.store.graph.parents(known[0]), calibrated("wikidata", 1.0)
        result.evidence["wikidata"] = f"{qid} is {known[0]} in the store"
        return True
    if linker.client is None:
        result.evidence["wikidata"] = f"{qid} is not in the store; pass --endpoint to follow its subclass-of chain"
        return False
    return _by_subclass_chain(linker, result, qid)

def _by_subclass_chain(linker: Linker, result: LinkResult, qid: str) -> bool:
    from taxonomy.wikidata import queries  # the Wikidata package only when an endpoint is asked

    frontier, seen, path = [qid], {qid}, {qid: [qid]}
    for _ in range(8):
        answer = linker.client.select(queries.details(frontier))
        if qid in frontier and not answer.rows:
            raise InputError(f"unknown QID {qid}: the endpoint knows nothing about it")
        for row in answer.rows:
            item = queries.qid_of(row.get("item", ""))
            if row.get("field") == "wordnet" and item:
                concept = crosswalk.concept_id_from_p8814(row.get("value", ""))
                if concept and concept in linker.store.graph and concept not in linker.hidden:
                    via = path[item]
                    if item == qid:
                        result.decision, result.concept, result.method = "same", concept, "wikidata"
                        result.parents = linker.store.graph.parents(concept)
                    else:
                        result.decision, result.concept, result.method = "child", qid, "wikidata"
                        result.parents = [concept]
                    result.score = calibrated("wikidata", 1.0) * (0.97 ** (len(via) - 1))
                    result.evidence["wikidata"] = " -> ".join([*via, concept])
                    return True
        ups = linker.client.select(queries.superclasses(frontier))
        step = []
        for row in ups.rows:
            child, parent = queries.qid_of(row.get("item", "")), queries.qid_of(row.get("parent", ""))
            if child in path and parent and parent not in seen:
                seen.add(parent)
                path[parent] = [*path[child], parent]
                mapped = linker.store.concepts_with_external_id("wikidata", parent)
                if mapped and mapped[0] not in linker.hidden:
                    result.decision, result.concept, result.method = "child", qid, "wikidata"
                    result.parents = [mapped[0]]
                    result.score = calibrated("wikidata", 1.0) * 0.97 ** len(path[parent])
                    result.evidence["wikidata"] = " -> ".join([*path[parent], mapped[0]])
                    return True
                step.append(parent)
        if not step:
            break
        frontier = sorted(step)
    result.evidence["wikidata"] = f"no item above {qid} is in the store"
    return False
