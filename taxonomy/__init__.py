"""The open label system for mega-scale vision datasets: a WordNet-rooted concept taxonomy."""

__version__ = "0.1.0"

from taxonomy.build import build_store  # noqa: E402
from taxonomy.errors import GraphError, InputError, StoreError, TaxonomyError, UnknownConcept  # noqa: E402
from taxonomy.graph import GraphIndex  # noqa: E402
from taxonomy.model import Concept, Dataset, DatasetLabel, Edge  # noqa: E402
from taxonomy.store import Store  # noqa: E402

__all__ = [
    "Concept", "Dataset", "DatasetLabel", "Edge", "GraphError", "GraphIndex", "InputError",
    "Store", "StoreError", "TaxonomyError", "UnknownConcept", "build_store", "__version__",
]
