"""Request and response models: one class per direction, constraints that give 422s for free."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

T = TypeVar("T")
ConceptId = Field(min_length=1, max_length=200)


class Page(BaseModel, Generic[T]):
    total: int
    offset: int
    limit: int
    items: list[T]


class ConceptRef(BaseModel):
    id: str
    name: str


class EdgePublic(BaseModel):
    id: str
    name: str
    kind: str
    method: str
    score: float
    source_version: str | None = None


class LabelPublic(BaseModel):
    dataset: str
    class_index: int
    class_name: str
    concept: str | None
    method: str
    score: float


class TranslationPublic(BaseModel):
    lang: str
    name: str
    source: str


class ConceptPublic(BaseModel):
    id: str
    name: str
    lemmas: list[str]
    gloss: str
    lexname: str | None
    source: str
    depth: int
    max_depth: int
    parents: list[EdgePublic]
    children: int
    descendants: int
    labels: list[LabelPublic]
    translations: list[TranslationPublic]
    external_ids: dict[str, list[str]]
    usage: list[str] = Field(description="WordNet's usage domains of the sense: slang, obscenity, disparagement, ...")


class SearchHit(BaseModel):
    id: str
    name: str
    matched: str
    gloss: str
    rank: int


class Paths(BaseModel):
    paths: list[list[ConceptRef]]


class Lca(BaseModel):
    a: str
    b: str
    lowest: list[ConceptRef]


class IsA(BaseModel):
    concept: str
    ancestor: str
    is_a: bool


class DatasetPublic(BaseModel):
    name: str
    num_classes: int
    source: str
    license: str
    description: str


class TagState(BaseModel):
    decision: Literal[0, 1, 2]
    decided_by: str
    prior_score: float | None
    prior_method: str | None
    yes: int
    no: int
    yes_fraction: float | None
    votes: dict[str, int]


class TagsPublic(BaseModel):
    id: str
    name: str
    visual: TagState
    common: TagState
    annotator: str | None = Field(default=None, description="who voted (in the answer to a vote)")


class VoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    visual: Literal["yes", "no"] | None = None
    common: Literal["yes", "no"] | None = None


class SubsetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    where: str = Field(min_length=1, max_length=1000)
    under: str | None = Field(default=None, max_length=200)


class SubsetPublic(BaseModel):
    name: str
    version: int
    definition: dict[str, str | None]
    graph_version: int
    tags_version: int
    created_at: str
    size: int


class CrawlQuery(BaseModel):
    concept: str
    query: str
    lang: str
    kind: str
    partners: list[str]


class LinkItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=10_000)
    description: str | None = Field(default=None, max_length=10_000)
    wikidata: str | None = Field(default=None, max_length=100)


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[LinkItem] = Field(min_length=1, max_length=1000)
    dry_run: bool = False
    review_below: float = Field(default=0.5, ge=0, le=1, description="links less sure than this wait in the review "
                                                                      "queue (GET /review) instead of committing")
    visual: bool = Field(default=False, description="the names are labels of an image dataset: a name without a "
                                                    "description means its most visual sense")


class ReviewItemPublic(BaseModel):
    id: int
    queued_at: str
    name: str
    description: str
    wikidata: str | None
    dataset: str | None
    class_index: int | None
    proposal: dict[str, Any] = Field(description="the linker's answer, as POST /link gives it")
    status: Literal["pending", "accepted", "rejected"]
    decided_at: str | None
    reviewer: str | None
    outcome: dict[str, Any] | None


class ReviewAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    same: str | None = Field(default=None, max_length=200, description="it is this concept (id), not the proposal")
    under: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=10, description="it is a new concept under these parents (ids)")


class ReviewReject(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=2000)


class LabelSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    concept: str | None = Field(max_length=200, description="the concept id; null maps the class to nothing")
    reason: str = Field(default="", max_length=2000)


class LinkCandidate(BaseModel):
    id: str
    name: str
    score: float
    method: str


class LinkAnswer(BaseModel):
    line: int
    input: dict[str, object]
    decision: Literal["same", "child", "none"]
    concept: str | None
    parents: list[str]
    method: str | None
    score: float
    candidates: list[LinkCandidate]
    evidence: dict[str, object]
    error: str | None
    review: int | None = Field(description="the review item it waits in, when it was not sure enough to commit")


class LinkResponse(BaseModel):
    results: list[LinkAnswer]
    committed: bool
    new_concepts: int
    new_edges: int
    queued_for_review: int


class OodItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: StrictStr | StrictInt  # strict: true is no class index
    predictions: list[StrictStr | StrictInt] = Field(max_length=100)
    probs: list[float] | None = Field(default=None, max_length=100)


class OodRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[OodItem] = Field(min_length=1, max_length=10_000)
    k: int = Field(default=5, ge=1, le=100)
    labels: str | None = Field(default=None, max_length=100)
    min_prob: float | None = Field(default=None, ge=0.0, le=1.0)


class OodDecision(BaseModel):
    index: int
    in_distribution: bool | None
    matched: str | None
    error: str | None


class OodResponse(BaseModel):
    results: list[OodDecision]
    in_distribution: int
    ood: int
    errors: int


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    close_matches: list[str]


class ErrorBody(BaseModel):
    error: ErrorDetail
