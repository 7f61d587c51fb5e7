"""The exceptions the library raises: one base class, a few kinds, messages that say what to do."""

from __future__ import annotations

from collections.abc import Sequence


class TaxonomyError(Exception):
    """Base class of every error this library raises on purpose."""


class NotFound(TaxonomyError, KeyError):
    """An id or a name that the store does not hold; each kind of thing has its subclass."""

    what = "item"

    def __init__(self, query: str, close_matches: Sequence[str] = (), *, what: str | None = None, hint: str = ""):
        self.query = query
        self.close_matches = tuple(close_matches)
        message = f"no such {what or self.what}: {query!r}"
        if self.close_matches:
            message += "; close matches: " + ", ".join(self.close_matches)
        elif what is None and self.what == "concept" and query[:1] == "n":
            message += "; WordNet ids look like n02084071"
        super().__init__(message + (f" ({hint})" if hint else ""))

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


class UnknownConcept(NotFound):
    """A concept id or name that the store does not hold."""

    what = "concept"


class UnknownDataset(NotFound):
    """A dataset, or a class index of one, that the store does not hold."""

    what = "dataset"


class UnknownSubset(NotFound):
    """A subset, or a version of one, that the store does not hold."""

    what = "subset"


class UnknownTask(NotFound):
    """An annotation task that the run does not hold."""

    what = "annotation task"


class StoreError(TaxonomyError):
    """The store file is missing, unreadable, or of a schema this version does not know."""


class GraphError(TaxonomyError):
    """The graph would break an invariant (a cycle, an edge to a missing concept)."""


class InputError(TaxonomyError):
    """A file or value given by the user is malformed."""


class AlreadyDecided(InputError):
    """Someone decided this (a review item) already; nothing was changed."""


class MissingExtra(TaxonomyError):
    """An optional package is not installed; the message names the extra that installs it."""


class ReadOnlyStore(TaxonomyError):
    """A write, or a feature of the embedded store, asked of a store that is read-only (Neo4j)."""
