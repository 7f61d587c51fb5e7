"""Where things live: the default store, the shipped data folder, and the user's caches."""

from __future__ import annotations

import os
from pathlib import Path

STORE_ENV = "TAXONOMY_STORE"
_PACKAGE_ROOT = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder of data the product ships (``data/`` in a checkout, ``taxonomy/_data`` installed)."""
    for candidate in (_PACKAGE_ROOT.parent / "data", _PACKAGE_ROOT / "_data"):
        if (candidate / "wordnet" / "lexnames").is_file():
            return candidate
    raise FileNotFoundError("the taxonomy data folder is missing; reinstall the package")


def user_data_dir() -> Path:
    """The per-user data folder (XDG_DATA_HOME or ~/.local/share) for stores."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "taxonomy"


def user_cache_dir() -> Path:
    """The per-user cache folder (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "taxonomy"


def default_store_path() -> Path:
    """The store used when none is named: $TAXONOMY_STORE, else the user data folder."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser()
    return user_data_dir() / "taxonomy.sqlite"
