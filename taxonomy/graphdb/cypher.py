"""The graph model in Neo4j and every Cypher statement the project runs.

Every value reaches Neo4j as a parameter; no statement is built from data. Property names that
come from data (languages, external-id schemes) go in through map parameters (``SET c = $props``).

    (:Concept {id, name, gloss, lexname, source, visual, common, depth, max_depth, lemmas,
               gloss_<lang>, xref_<scheme>, prior_visual, prior_visual_method, prior_common,
               prior_common_method, sync_digest})
    (:Concept)-[:IS_A {kind, method, score, evidence, source_version, position, sync_digest}]->(:Concept)
    (:Concept)-[:NAMED]->(:Lemma {concept, lang, position, text, norm, sense_rank, count, source, length})
    (:Label {dataset, class_index, class_name, concept, method, score, sync_digest})
        -[:IN_DATASET]->(:Dataset {name, num_classes, source, license, description, sync_digest})
    (:Label)-[:MAPS_TO]->(:Concept)
    (:Annotator {name})-[:VOTED {question, answer, at, sync_digest}]->(:Concept)
    (:TaxonomyMeta {key: 'store', graph_version, tags_version, schema_version, source.*, sync_state, ...})

``depth`` and ``max_depth`` (shortest and longest path to a root) are written by the sync from the
compiled index, for ordering and for Cypher users; every hierarchy answer is a traversal of IS_A.
"""

from __future__ import annotations

PING = "RETURN 1 AS ok"

# ---------------------------------------------------------------------- schema
SCHEMA = (
    "CREATE CONSTRAINT concept_id IF NOT EXISTS FOR (c:Concept) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT lemma_key IF NOT EXISTS FOR (l:Lemma) REQUIRE (l.concept, l.lang, l.position) IS UNIQUE",
    "CREATE CONSTRAINT dataset_name IF NOT EXISTS FOR (d:Dataset) REQUIRE d.name IS UNIQUE",
    "CREATE CONSTRAINT label_key IF NOT EXISTS FOR (l:Label) REQUIRE (l.dataset, l.class_index) IS UNIQUE",
    "CREATE CONSTRAINT annotator_name IF NOT EXISTS FOR (a:Annotator) REQUIRE a.name IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:TaxonomyMeta) REQUIRE m.key IS UNIQUE",
    "CREATE CONSTRAINT subset_key IF NOT EXISTS FOR (s:Subset) REQUIRE (s.name, s.version) IS UNIQUE",
    "CREATE CONSTRAINT import_number IF NOT EXISTS FOR (i:Import) REQUIRE i.number IS UNIQUE",
    "CREATE INDEX lemma_norm IF NOT EXISTS FOR (l:Lemma) ON (l.norm)",
    "CREATE TEXT INDEX lemma_norm_text IF NOT EXISTS FOR (l:Lemma) ON (l.norm)",
    "CREATE INDEX concept_name IF NOT EXISTS FOR (c:Concept) ON (c.name)",
    "CREATE INDEX label_concept IF NOT EXISTS FOR (l:Label) ON (l.concept)",
)
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

# ---------------------------------------------------------------------- sync: what is there
EXISTING = {
    "concepts": "MATCH (c:Concept) RETURN c.id AS key, c.sync_digest AS digest",
    "edges": "MATCH (c:Concept)-[e:IS_A]->(p:Concept) RETURN [c.id, p.id] AS key, e.sync_digest AS digest",
    "datasets": "MATCH (d:Dataset) RETURN d.name AS key, d.sync_digest AS digest",
    "labels": "MATCH (l:Label) RETURN [l.dataset, l.class_index] AS key, l.sync_digest AS digest",
    "votes": "MATCH (a:Annotator)-[v:VOTED]->(c:Concept) "
             "RETURN [c.id, v.question, a.name] AS key, v.sync_digest AS digest",
    "subsets": "MATCH (s:Subset) RETURN [s.name, s.version] AS key, s.sync_digest AS digest",
    "imports": "MATCH (i:Import) RETURN i.number AS key, i.sync_digest AS digest",
}

# ---------------------------------------------------------------------- sync: writes
UPSERT = {
    "concepts": """
        UNWIND $rows AS row
        MERGE (c:Concept {id: row.key})
        SET c = row.props
        WITH c, row
        CALL (c) { MATCH (c)-[:NAMED]->(old:Lemma) DETACH DELETE old }
        CALL (c, row) { UNWIND row.lemmas AS name CREATE (c)-[:NAMED]->(l:Lemma) SET l = name }
    """,
    "edges": """
        UNWIND $rows AS row
        MATCH (c:Concept {id: row.key[0]}), (p:Concept {id: row.key[1]})
        MERGE (c)-[e:IS_A]->(p)
        SET e = row.props
    """,
    "datasets": """
        UNWIND $rows AS row
        MERGE (d:Dataset {name: row.key})
        SET d = row.props
    """,
    "labels": """
        UNWIND $rows AS row
        MATCH (d:Dataset {name: row.key[0]})
        MERGE (l:Label {dataset: row.key[0], class_index: row.key[1]})
        SET l = row.props
        WITH l, d, row
        CALL (l) { MATCH (l)-[r:MAPS_TO|IN_DATASET]->() DELETE r }
        CREATE (l)-[:IN_DATASET]->(d)
        WITH l, row
        CALL (l, row) { MATCH (c:Concept {id: row.props.concept}) CREATE (l)-[:MAPS_TO]->(c) }
    """,
    "votes": """
        UNWIND $rows AS row
        MATCH (c:Concept {id: row.key[0]})
        MERGE (a:Annotator {name: row.key[2]})
        MERGE (a)-[v:VOTED {question: row.key[1]}]->(c)
        SET v = row.props
    """,
    "subsets": "UNWIND $rows AS row MERGE (s:Subset {name: row.key[0], version: row.key[1]}) SET s = row.props",
    "imports": "UNWIND $rows AS row MERGE (i:Import {number: row.key}) SET i = row.props",
}
DELETE = {
    "concepts": """
        UNWIND $keys AS key
        MATCH (c:Concept {id: key})
        CALL (c) { MATCH (c)-[:NAMED]->(l:Lemma) DETACH DELETE l }
        DETACH DELETE c
    """,
    "edges": """
        UNWIND $keys AS key
        MATCH (:Concept {id: key[0]})-[e:IS_A]->(:Concept {id: key[1]})
        DELETE e
    """,
    "datasets": "UNWIND $keys AS key MATCH (d:Dataset {name: key}) DETACH DELETE d",
    "labels": "UNWIND $keys AS key MATCH (l:Label {dataset: key[0], class_index: key[1]}) DETACH DELETE l",
    "votes": """
        UNWIND $keys AS key
        MATCH (:Annotator {name: key[2]})-[v:VOTED {question: key[1]}]->(:Concept {id: key[0]})
        DELETE v
    """,
    "subsets": "UNWIND $keys AS key MATCH (s:Subset {name: key[0], version: key[1]}) DELETE s",
    "imports": "UNWIND $keys AS key MATCH (i:Import {number: key}) DELETE i",
}
WRITE_META = "MERGE (m:TaxonomyMeta {key: 'store'}) SET m = $props"
MARK_SYNC = "MERGE (m:TaxonomyMeta {key: 'store'}) SET m.sync_state = $state, m.sync_started_at = $at"
READ_META = "MATCH (m:TaxonomyMeta {key: 'store'}) RETURN properties(m) AS meta"

# ---------------------------------------------------------------------- reads: concepts
CONCEPTS = """
    UNWIND $ids AS id
    MATCH (c:Concept {id: id})
    RETURN properties(c) AS props,
           COLLECT { MATCH (c)-[:NAMED]->(l:Lemma) RETURN [l.lang, l.position, l.text] } AS names
"""
NAMES = "UNWIND $ids AS id MATCH (c:Concept {id: id}) RETURN c.id AS id, c.name AS name"
EXISTS = "RETURN EXISTS { MATCH (:Concept {id: $id}) } AS found"
IDS_WITH_PREFIX = "MATCH (c:Concept) WHERE c.id STARTS WITH $prefix RETURN c.id AS id"
SENSES = """
    MATCH (l:Lemma {norm: $norm}) WHERE $lang IS NULL OR l.lang = $lang
    RETURN l.concept AS id, min(coalesce(l.sense_rank, 1000000)) AS best
    ORDER BY best, id
"""
NAMES_WITH_PREFIX = """
    MATCH (l:Lemma) WHERE l.norm STARTS WITH $prefix
    RETURN DISTINCT l.norm AS norm ORDER BY norm LIMIT $limit
"""
# The same ranks and order as the embedded store's search (taxonomy/storage/db.py: search).
SEARCH = """
    MATCH (l:Lemma) WHERE l.norm CONTAINS $q
    WITH l, coalesce(l.count, 0) AS frequency, coalesce(l.sense_rank, 1000000) AS sense,
         CASE WHEN l.norm = $q THEN 0
              WHEN l.norm STARTS WITH $q + ' ' THEN 1
              WHEN l.norm STARTS WITH $q THEN 2
              WHEN l.norm CONTAINS ' ' + $q THEN 3
              ELSE 4 END AS rank
    ORDER BY rank, frequency DESC, sense, l.length, l.lang, l.position
    WITH l.concept AS id, head(collect([rank, frequency, sense, l.length, l.text])) AS best
    RETURN id, best[4] AS text, best[0] AS rank
    ORDER BY best[0], best[1] DESC, best[2], best[3], id
    LIMIT $limit
"""
TRANSLATIONS = """
    MATCH (c:Concept {id: $id})-[:NAMED]->(l:Lemma) WHERE l.lang <> 'en'
    RETURN l.lang AS lang, l.text AS text, l.source AS source ORDER BY lang, l.position
"""
EDGES = """
    MATCH (c:Concept {id: $id})-[e:IS_A]->(p:Concept)
    RETURN p.id AS parent, e.kind AS kind, e.method AS method, e.score AS score, e.evidence AS evidence,
           e.source_version AS source_version
    ORDER BY e.position, parent
"""
PRIORS_AND_VOTES = """
    MATCH (c:Concept {id: $id})
    RETURN properties(c) AS props,
           COLLECT { MATCH (a:Annotator)-[v:VOTED]->(c) RETURN [v.question, a.name, v.answer, v.at] } AS votes
"""

# ---------------------------------------------------------------------- reads: datasets
DATASETS = """
    MATCH (d:Dataset)
    RETURN d.name AS name, d.num_classes AS num_classes, d.source AS source, d.license AS license,
           d.description AS description
    ORDER BY name
"""
_LABEL_FIELDS = ("l.dataset AS dataset, l.class_index AS class_index, l.class_name AS class_name, "
                 "l.concept AS concept, l.method AS method, l.score AS score")
LABELS = f"""
    MATCH (l:Label {{dataset: $dataset}}) WHERE l.class_index >= $start
    RETURN {_LABEL_FIELDS} ORDER BY class_index LIMIT $limit
"""
LABELS_OF = f"MATCH (l:Label {{concept: $id}}) RETURN {_LABEL_FIELDS} ORDER BY dataset, class_index"
LABEL_CONCEPTS = "MATCH (l:Label {dataset: $dataset}) RETURN l.concept AS concept ORDER BY l.class_index"

# ---------------------------------------------------------------------- reads: the hierarchy
PARENTS = "MATCH (:Concept {id: $id})-[e:IS_A]->(p:Concept) RETURN p.id AS id ORDER BY e.position, id"
CHILDREN = "MATCH (:Concept {id: $id})<-[:IS_A]-(k:Concept) RETURN k.id AS id ORDER BY id"
ANCESTORS = """
    MATCH (:Concept {id: $id})-[:IS_A*1..]->(a:Concept)
    WITH DISTINCT a
    RETURN a.id AS id ORDER BY a.max_depth DESC, id
"""
DESCENDANTS = """
    MATCH (c:Concept {id: $id})<-[:IS_A*0..]-(d:Concept)
    WITH DISTINCT d WHERE $inclusive OR d.id <> $id
    RETURN d.id AS id ORDER BY d.depth, id LIMIT $limit
"""
DESCENDANT_COUNT = """
    MATCH (:Concept {id: $id})<-[:IS_A*1..]-(d:Concept)
    RETURN count(DISTINCT d) AS n
"""
DEPTHS = "MATCH (c:Concept {id: $id}) RETURN c.depth AS depth, c.max_depth AS max_depth"
# Paths come back with their sort key: the (position, parent id) of every step up, which orders
# them like a depth-first walk that takes each concept's parents in source order.
PATHS = """
    MATCH p = (:Concept {id: $id})-[:IS_A*0..]->(r:Concept) WHERE NOT (r)-[:IS_A]->()
    RETURN [n IN nodes(p) | n.id] AS ids, [e IN relationships(p) | [e.position, endNode(e).id]] AS key
"""
# The two ancestor sets are walked up separately: a pattern that joins them in the middle makes
# the planner walk down from every common ancestor (the root's 82K descendants) instead.
LOWEST_COMMON = """
    MATCH (a:Concept {id: $a}), (b:Concept {id: $b})
    WITH COLLECT { MATCH (a)-[:IS_A*0..]->(x:Concept) RETURN DISTINCT x } AS above_a,
         COLLECT { MATCH (b)-[:IS_A*0..]->(y:Concept) RETURN DISTINCT y } AS above_b
    WITH [x IN above_a WHERE x IN above_b] AS common
    UNWIND common AS x
    WITH x, common
    WHERE NONE(o IN common WHERE o <> x AND EXISTS { MATCH (o)-[:IS_A*1..]->(x) })
    RETURN x.id AS id ORDER BY x.max_depth DESC, id
"""
RELATED = """
    MATCH (c:Concept {id: $id})
    WITH c, COLLECT { MATCH (c)-[:IS_A]->(h:Concept) RETURN h } AS parents
    UNWIND CASE WHEN size(parents) = 0 THEN [c] ELSE parents END AS head
    MATCH (head)<-[:IS_A*0..]-(d:Concept)
    RETURN DISTINCT d.id AS id ORDER BY id
"""
IS_A = """
    MATCH (c:Concept {id: $id}), (a:Concept {id: $ancestor})
    RETURN c = a OR EXISTS { MATCH (c)-[:IS_A*1..]->(a) } AS answer
"""
ROOTS = "MATCH (c:Concept) WHERE NOT (c)-[:IS_A]->() RETURN c.id AS id ORDER BY id"

# ---------------------------------------------------------------------- reads: statistics
STATS = """
    CALL () { MATCH (c:Concept) RETURN count(c) AS concepts, max(c.max_depth) AS max_depth }
    CALL () { MATCH ()-[e:IS_A]->() RETURN count(e) AS edges }
    CALL () { MATCH (l:Lemma) RETURN count(l) AS lemmas }
    CALL () { MATCH (l:Label) RETURN count(l) AS dataset_labels }
    CALL () { MATCH (c:Concept) WHERE size([k IN keys(c) WHERE k STARTS WITH 'xref_']) > 0
              UNWIND [k IN keys(c) WHERE k STARTS WITH 'xref_'] AS k
              RETURN coalesce(sum(size(c[k])), 0) AS external_ids }
    CALL () { MATCH (c:Concept) WHERE COUNT { (c)-[:IS_A]->() } > 1 RETURN count(c) AS several }
    RETURN concepts, edges, lemmas, dataset_labels, external_ids, several, coalesce(max_depth, 0) AS max_depth
"""
CONCEPTS_BY_SOURCE = "MATCH (c:Concept) RETURN c.source AS key, count(*) AS n ORDER BY n DESC, key"
EDGES_BY_KIND = "MATCH ()-[e:IS_A]->() RETURN e.kind AS key, count(*) AS n ORDER BY n DESC, key"

# ---------------------------------------------------------------------- tags, subsets, history
PRIORS = """
    MATCH (c:Concept) WHERE c['prior_' + $question] IS NOT NULL
    RETURN c.id AS id, c['prior_' + $question] AS score, c['prior_' + $question + '_method'] AS method
"""
VOTE_TALLIES = """
    MATCH (:Annotator)-[v:VOTED {question: $question}]->(c:Concept)
    RETURN c.id AS id, sum(v.answer) AS yes, sum(1 - v.answer) AS no
"""
GIVEN_DECISIONS = "MATCH (c:Concept) WHERE c[$question] <> 2 RETURN c.id AS id, c[$question] AS decision"
_SUBSET_FIELDS = ("s.name AS name, s.version AS version, s.definition AS definition, "
                  "s.graph_version AS graph_version, s.tags_version AS tags_version, s.created_at AS created_at, "
                  "s.size AS size")
SUBSETS = f"""
    MATCH (s:Subset) WHERE $name IS NULL OR s.name = $name
    RETURN {_SUBSET_FIELDS} ORDER BY name, version
"""
SUBSET_MEMBERS = "MATCH (s:Subset {name: $name, version: $version}) RETURN s.members AS members"
IMPORT_REPORTS = """
    MATCH (i:Import) WHERE i.source STARTS WITH $prefix
    RETURN i.source AS source, i.report AS report ORDER BY i.number
"""
