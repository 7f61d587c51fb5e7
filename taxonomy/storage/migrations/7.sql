-- Version 6 -> 7: WordNet's member holonymy (a new table; a rebuild fills it).

-- "member is a member of whole": the genus Phacochoerus has the warthog as a member, the order
-- Opiliones the family Phalangiidae. A dataset label that names a taxon means its organisms.
CREATE TABLE members (
    whole  TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    member TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    PRIMARY KEY (whole, member)
) WITHOUT ROWID;
