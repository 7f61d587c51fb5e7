"""Text as the store looks it up: one normalisation shared by every store and reader."""

from __future__ import annotations


def normalize(name: str) -> str:
    """The lookup key of a name: case-folded, underscores as spaces, single spaces.

    >>> normalize("Golden_Retriever  puppy")
    'golden retriever puppy'
    """
    return " ".join(name.replace("_", " ").casefold().split())
