-- Fragment search over golden_search: a Chinese name or address fragment of 3 or more characters is found through
-- pg_trgm GIN indexes (LIKE '%…%' uses them), not by scanning every row. They sit on the table itself, so every write
-- to golden_search keeps them in step. pg_trgm is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX golden_search_name_fragment ON golden_search USING gin (name gin_trgm_ops);
CREATE INDEX golden_search_address_fragment ON golden_search USING gin (address gin_trgm_ops);

-- LIKE 'prefix%' uses a btree index only under the C collation or with text_pattern_ops; databases here default to
-- C.UTF-8 or a language collation. These replace the plain indexes (text_pattern_ops serves = as well).
DROP INDEX golden_search_name;
CREATE INDEX golden_search_name ON golden_search (name text_pattern_ops);
DROP INDEX golden_search_pinyin;
CREATE INDEX golden_search_pinyin ON golden_search (name_pinyin text_pattern_ops);

-- The scope condition is a substr() of grid_code, which no btree answers: the index only slowed the rebuild.
DROP INDEX golden_search_grid;
