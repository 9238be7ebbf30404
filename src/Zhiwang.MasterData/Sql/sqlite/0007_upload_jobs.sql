-- Files uploaded by data stewards (/masterdata/uploads) and what became of each import, so the uploads page
-- outlives a restart. A running job's server writes saved_at every few seconds; a job still waiting, reading or
-- linking whose saved_at has gone stale was cut off by a stop or crash and shows as interrupted. Its records
-- already stored stay stored (records are idempotent by department and record id).
-- Times are UTC text (yyyy-MM-ddTHH:mm:ss.fffffffZ), so they sort as text on both providers.
CREATE TABLE upload_job (
    job_id TEXT PRIMARY KEY,
    department TEXT NOT NULL,
    file TEXT NOT NULL,
    uploaded_by TEXT,
    bytes INTEGER NOT NULL,
    stage TEXT NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    row_errors INTEGER NOT NULL DEFAULT 0,
    bytes_read INTEGER NOT NULL DEFAULT 0,
    batch_id INTEGER,
    accepted INTEGER,
    unchanged INTEGER,
    rejected INTEGER,
    linked_key INTEGER,
    linked_repaired_key INTEGER,
    linked_engine INTEGER,
    linked_new INTEGER,
    unlinked INTEGER,
    field_issues INTEGER,
    failure TEXT,
    uploaded_at TEXT NOT NULL,
    started_at TEXT,
    saved_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX upload_job_uploaded_at ON upload_job (uploaded_at);
CREATE INDEX upload_job_stage ON upload_job (stage);
