"""Wikidata through SPARQL: the client, the P279 harvest, its cleaning, and the import."""

from taxonomy.wikidata.client import WIKIDATA_ENDPOINT, EndpointError, SparqlClient
from taxonomy.wikidata.importer import ImportReport, import_dump, import_wikidata

__all__ = ["WIKIDATA_ENDPOINT", "EndpointError", "ImportReport", "SparqlClient", "import_dump", "import_wikidata"]
