-- The embedded store as schema version 4 made it; each later version's tables are in
-- migrations/<version>.sql, applied after this file to a new store as to an old one.
-- Never edit a released statement: add a migration (see taxonomy/storage/db.py).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE concepts (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    gloss   TEXT NOT NULL DEFAULT '',
    lexname TEXT,
    source  TEXT NOT NULL,
    -- decisions given with the concept (a Bamboo import); votes that reach 3 of 5 override them
    visual  INTEGER NOT NULL DEFAULT 2 CHECK (visual IN (0, 1, 2)),
    common  INTEGER NOT NULL DEFAULT 2 CHECK (common IN (0, 1, 2))
) WITHOUT ROWID;

-- Names of a concept per language; `position` orders them inside the concept (0 = preferred),
-- `sense_rank` orders the senses of one name (1 = most frequent), `norm` is the lookup key,
-- `source` says where the name came from (wordnet, omw-cmn, wikidata, bamboo ...).
CREATE TABLE lemmas (
    concept    TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    lemma      TEXT NOT NULL,
    norm       TEXT NOT NULL,
    sense_rank INTEGER,
    count      INTEGER,
    source     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (concept, lang, position)
) WITHOUT ROWID;
CREATE INDEX lemmas_by_norm ON lemmas (norm, lang);

-- Glosses in languages other than English (English lives in concepts.gloss).
CREATE TABLE glosses (
    concept TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    lang    TEXT NOT NULL,
    gloss   TEXT NOT NULL,
    PRIMARY KEY (concept, lang)
) WITHOUT ROWID;

CREATE TABLE external_ids (
    concept TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    scheme  TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (concept, scheme, value)
) WITHOUT ROWID;
CREATE INDEX external_ids_by_value ON external_ids (scheme, value);

CREATE TABLE edges (
    child          TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    parent         TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    method         TEXT NOT NULL,
    score          REAL NOT NULL DEFAULT 1.0,
    evidence       TEXT,
    source_version TEXT,
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (child, parent),
    CHECK (child <> parent)
) WITHOUT ROWID;
CREATE INDEX edges_by_parent ON edges (parent);

CREATE TABLE datasets (
    name        TEXT PRIMARY KEY,
    num_classes INTEGER NOT NULL,
    source      TEXT NOT NULL,
    license     TEXT NOT NULL,
    description TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE dataset_labels (
    dataset     TEXT NOT NULL REFERENCES datasets (name) ON DELETE CASCADE,
    class_index INTEGER NOT NULL,
    class_name  TEXT NOT NULL,
    concept     TEXT REFERENCES concepts (id),
    method      TEXT NOT NULL,
    score       REAL NOT NULL DEFAULT 1.0,
    PRIMARY KEY (dataset, class_index)
) WITHOUT ROWID;
CREATE INDEX dataset_labels_by_concept ON dataset_labels (concept);

-- Automatic priors of the two tag questions ('visual', 'common'): a score in 0..1 and how.
CREATE TABLE tag_priors (
    concept  TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    question TEXT NOT NULL CHECK (question IN ('visual', 'common')),
    score    REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
    method   TEXT NOT NULL,
    PRIMARY KEY (concept, question)
) WITHOUT ROWID;

-- Human votes: one per annotator and question; a new vote replaces the old one.
CREATE TABLE votes (
    concept   TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    question  TEXT NOT NULL CHECK (question IN ('visual', 'common')),
    annotator TEXT NOT NULL CHECK (length(annotator) > 0),
    answer    INTEGER NOT NULL CHECK (answer IN (0, 1)),
    at        TEXT NOT NULL,
    PRIMARY KEY (concept, question, annotator)
) WITHOUT ROWID;

-- Named subsets; each `subset create` of a name adds a version with its definition and the
-- versions of the store it was computed from.
CREATE TABLE subsets (
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    definition    TEXT NOT NULL,
    graph_version INTEGER NOT NULL,
    tags_version  INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    PRIMARY KEY (name, version)
) WITHOUT ROWID;

CREATE TABLE subset_members (
    name    TEXT NOT NULL,
    version INTEGER NOT NULL,
    concept TEXT NOT NULL,
    PRIMARY KEY (name, version, concept),
    FOREIGN KEY (name, version) REFERENCES subsets (name, version) ON DELETE CASCADE
) WITHOUT ROWID;

-- Edges an import held back for a person to review (for example one that would put more
-- descendants under a node than the import allows), with why.
CREATE TABLE held_edges (
    child          TEXT NOT NULL,
    parent         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    descendants    INTEGER,
    method         TEXT NOT NULL,
    source_version TEXT,
    PRIMARY KEY (child, parent)
) WITHOUT ROWID;

-- One row per import into the store, with its report (JSON).
CREATE TABLE imports (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    source TEXT NOT NULL,
    report TEXT NOT NULL
);

-- WordNet's morphological exceptions for nouns (noun.exc: "mice" -> "mouse").
CREATE TABLE morph_exceptions (
    form TEXT NOT NULL,
    base TEXT NOT NULL,
    PRIMARY KEY (form, base)
) WITHOUT ROWID;

-- Sentence embeddings of "name: gloss" per concept (float16), kept with the text they embed
-- so that a concept whose text changed is embedded again.
CREATE TABLE embeddings (
    concept TEXT PRIMARY KEY REFERENCES concepts (id) ON DELETE CASCADE,
    model   TEXT NOT NULL,
    text    TEXT NOT NULL,
    vector  BLOB NOT NULL
) WITHOUT ROWID;

-- The compiled graph index (taxonomy/graph.py), rebuilt in the same transaction as any
-- change to concepts or edges, so that opening a store costs a read, not a computation.
CREATE TABLE graph_index (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;
