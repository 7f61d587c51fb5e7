-- Version 7 -> 8: the acts WordNet's verbs name (a new table; a build fills it, and so does
-- `taxonomy check --repair` in a store upgraded to it).

-- "bike" names cycling, "canoe" boating (through the verb "boat" it is a kind of): an activity
-- label made from a verb the store has no noun for ("Mountain biking", "Canoeing") is a kind of
-- one of its acts; rank orders a verb's acts by its senses' order.
CREATE TABLE verb_acts (
    verb    TEXT NOT NULL,
    concept TEXT NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    rank    INTEGER NOT NULL,
    PRIMARY KEY (verb, concept)
) WITHOUT ROWID;
