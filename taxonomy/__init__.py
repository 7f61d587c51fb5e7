"""The open label system for mega-scale vision datasets: a WordNet-rooted concept taxonomy."""

__version__ = "0.1.0"

from taxonomy.build import build_store
from taxonomy.errors import (
    GraphError,
    InputError,
    MissingExtra,
    NotFound,
    StoreError,
    TaxonomyError,
    UnknownConcept,
    UnknownDataset,
    UnknownSubset,
)
from taxonomy.graph import GraphIndex
from taxonomy.model import Concept, Dataset, DatasetLabel, Edge
from taxonomy.store import Store

__all__ = [
    "Concept",
    "Dataset",
    "DatasetLabel",
    "Edge",
    "GraphError",
    "GraphIndex",
    "InputError",
    "MissingExtra",
    "NotFound",
    "Store",
    "StoreError",
    "TaxonomyError",
    "UnknownConcept",
    "UnknownDataset",
    "UnknownSubset",
    "__version__",
    "build_store",
]
