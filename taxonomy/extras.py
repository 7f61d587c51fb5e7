"""Optional packages, imported when a feature first needs them (never at import time)."""

from __future__ import annotations

import importlib
from types import ModuleType

from taxonomy.errors import MissingExtra


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or raise MissingExtra saying which extra installs it.

    >>> require("SPARQLWrapper", "wikidata", "the Wikidata client")  # doctest: +SKIP
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{feature} needs the {extra} extra: pip install 'taxonomy-labels[{extra}]'") from None
