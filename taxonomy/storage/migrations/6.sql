-- Version 5 -> 6: WordNet's usage domains of a concept (a new table; a rebuild fills it).

-- The registers WordNet marks a sense with (its usage-domain pointers: "slang", "obscenity",
-- "disparagement", "ethnic slur", "colloquialism", ...): crawl queries keep offensive senses out.
CREATE TABLE usage_domains (
    concept TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    domain  TEXT NOT NULL,
    PRIMARY KEY (concept, domain)
) WITHOUT ROWID;
