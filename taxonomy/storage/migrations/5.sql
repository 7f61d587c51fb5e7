-- Version 4 -> 5: the review queue and the record of what was unlinked (both new tables).

-- Links the linker was not sure enough of (below the confidence the user set), waiting for a
-- person: accept the proposal, accept another candidate, or reject. Nothing here is in the graph.
CREATE TABLE review_queue (
    id          INTEGER PRIMARY KEY,
    queued_at   TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    wikidata    TEXT,
    dataset     TEXT,     -- a label of this dataset (class_index) waits for the decision too
    class_index INTEGER,
    proposal    TEXT NOT NULL,  -- the linker's answer (JSON: decision, concept, parents, method, score, candidates)
    vector      BLOB,           -- the embedding of a proposed new concept (float16)
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_at  TEXT,
    reviewer    TEXT,
    outcome     TEXT            -- what was committed (JSON), or why it was rejected
);
CREATE INDEX review_queue_by_status ON review_queue (status, id);

-- What 'taxonomy unlink' and 'taxonomy labels set' removed or replaced, with the rows as they were.
CREATE TABLE unlinks (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('concept', 'name', 'label')),
    target  TEXT NOT NULL,          -- a concept id, or DATASET/INDEX
    removed TEXT NOT NULL,          -- JSON of the rows as they were
    reason  TEXT NOT NULL DEFAULT ''
);
