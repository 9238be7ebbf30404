-- The search index over golden records: one row per golden person, legal entity and house, with the name's
-- pinyin and initials and the record's key, rebuilt from the golden tables after every import
-- (SearchIndex.RebuildAsync). It holds nothing that is not in the golden tables.
CREATE TABLE golden_search (
    golden_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    record_key TEXT,
    name TEXT,
    name_pinyin TEXT,
    name_initials TEXT,
    address TEXT,
    grid_code TEXT
);
CREATE INDEX golden_search_key ON golden_search (record_key);
CREATE INDEX golden_search_name ON golden_search (name);
CREATE INDEX golden_search_pinyin ON golden_search (name_pinyin);
CREATE INDEX golden_search_initials ON golden_search (name_initials);
CREATE INDEX golden_search_grid ON golden_search (grid_code);
