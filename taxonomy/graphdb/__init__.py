"""Neo4j as the shared graph store: a sync from the embedded store, and a read backend.

The embedded SQLite store stays the one that is written; ``taxonomy neo4j sync`` copies it into
a Neo4j database (only what changed), where teams read it with the CLI and the API
(``--store neo4j://...``), explore it with Cypher and Bloom, and join it to their other graphs.
The graph model and every Cypher statement live in :mod:`taxonomy.graphdb.cypher`.
"""
