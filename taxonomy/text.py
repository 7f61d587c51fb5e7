"""Text as the store looks it up: one normalisation shared by every store and reader."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1 << 16)  # a batch looks the same lemmas up again and again (kinds below a head)
def normalize(name: str) -> str:
    """The lookup key of a name: case-folded, underscores as spaces, single spaces.

    >>> normalize("Golden_Retriever  puppy")
    'golden retriever puppy'
    """
    return " ".join(name.replace("_", " ").casefold().split())
