-- Fragment search over golden_search: a Chinese name or address fragment of 3 or more characters is found through an
-- FTS5 table with the trigram tokenizer (SQLite 3.34+), not by scanning every row with LIKE '%…%'.
-- The FTS5 table keeps no copy of the text (external content: it reads golden_search), so it needs a row id that
-- VACUUM cannot renumber; golden_search is recreated with an INTEGER PRIMARY KEY, its rows carried over.
-- SearchIndex writes the fragment table itself (rebuild: one 'rebuild' pass; refresh: 'delete' and insert per row).
CREATE TABLE golden_search_new (
    search_id INTEGER PRIMARY KEY,
    golden_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_key TEXT,
    name TEXT,
    name_pinyin TEXT,
    name_initials TEXT,
    address TEXT,
    grid_code TEXT
);
INSERT INTO golden_search_new (golden_id, kind, record_key, name, name_pinyin, name_initials, address, grid_code)
SELECT golden_id, kind, record_key, name, name_pinyin, name_initials, address, grid_code FROM golden_search ORDER BY golden_id;
DROP TABLE golden_search;
ALTER TABLE golden_search_new RENAME TO golden_search;
-- An index, not a UNIQUE constraint: a rebuild drops every index and builds it again after the load.
CREATE UNIQUE INDEX golden_search_id ON golden_search (golden_id);
CREATE INDEX golden_search_key ON golden_search (record_key);
-- Houses have no name: the name indexes leave their rows out (any comparison on the column implies IS NOT NULL, so
-- SQLite still uses them). No index on grid_code: the scope condition is a substr() no index can answer.
CREATE INDEX golden_search_name ON golden_search (name) WHERE name IS NOT NULL;
CREATE INDEX golden_search_pinyin ON golden_search (name_pinyin) WHERE name_pinyin IS NOT NULL;
CREATE INDEX golden_search_initials ON golden_search (name_initials) WHERE name_initials IS NOT NULL;

-- detail=none: the index holds which rows contain a trigram, not where; FTS5 checks a phrase's order by tokenizing the
-- candidate rows, and the search checks LIKE again anyway. columnsize=0: no per-row token counts, which only bm25()
-- ranking reads. Both make the index a fraction of the size and its build about twice as fast.
CREATE VIRTUAL TABLE golden_search_fragment USING fts5(
    name, address, content = 'golden_search', content_rowid = 'search_id', tokenize = 'trigram', detail = none, columnsize = 0);
INSERT INTO golden_search_fragment (golden_search_fragment) VALUES ('rebuild');
