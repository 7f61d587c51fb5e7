"""The open label system for mega-scale vision datasets: a WordNet-rooted concept taxonomy."""

__version__ = "0.1.0"

from taxonomy.build import build_store
from taxonomy.errors import GraphError, InputError, StoreError, TaxonomyError, UnknownConcept
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
    "Store",
    "StoreError",
    "TaxonomyError",
    "UnknownConcept",
    "__version__",
    "build_store",
]
