-- Single records no longer write the fragment index inside their own transaction. Each commit made FTS5 flush a new
-- segment and, every few commits, merge segments within that same commit: the slowest single records of the hub
-- (docs/BENCHMARKS.md, "the single-record tail"). A refresh now lists here what the fragment index has to learn and
-- forget, and the backlog is indexed a batch at a time (SearchIndex.IndexBacklogAsync); until then search reads the
-- waiting rows directly. PostgreSQL's trigram indexes keep a pending list of their own (GIN fastupdate): nothing to do there.
CREATE TABLE golden_search_fragment_backlog (
    search_id INTEGER NOT NULL,
    -- 'add': the golden_search row search_id is not in the fragment index yet.
    -- 'forget': the fragment index still holds a deleted row under search_id, with the name and address below (an
    -- external-content FTS5 table forgets a row only when told the values it indexed).
    action TEXT NOT NULL CHECK (action IN ('add', 'forget')),
    name TEXT,
    address TEXT,
    -- Both at once when a deleted row's search_id went to a new row: the old one is forgotten before the new one is added.
    PRIMARY KEY (search_id, action)
) WITHOUT ROWID;
