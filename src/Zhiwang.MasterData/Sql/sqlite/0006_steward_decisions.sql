-- A data steward's decision on a disagreement, so that rebuilding the golden record keeps it: an accepted value
-- stands (provenance data_steward) until a source value from a batch after batch_id differs from it; a resolved
-- disagreement is not raised again for the values seen while the golden value is still value. One row per conflict
-- settled; the latest (highest conflict_id) per golden record and field counts.
CREATE TABLE steward_decision (
    conflict_id INTEGER PRIMARY KEY,
    golden_id TEXT NOT NULL,
    field TEXT NOT NULL,
    decision TEXT NOT NULL,
    value TEXT,
    seen_values TEXT NOT NULL,
    batch_id INTEGER NOT NULL,
    steward TEXT,
    reason TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX steward_decision_golden ON steward_decision (golden_id);
