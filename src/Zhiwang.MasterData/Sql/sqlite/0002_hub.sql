-- The master data hub: every department record as received, its mentions and their links, golden
-- persons and legal entities with surrogate ids (a person may have no valid ID number yet), the source
-- and reason of every golden attribute, conflicts for the data stewards and on-site verification tasks.
-- Golden persons and legal entities used to be keyed by ID number and credit code and seeded from the
-- generator's truth; nothing is deployed yet, so they are recreated here.
DROP TABLE golden_person;
DROP TABLE golden_legal_entity;

CREATE TABLE golden_person (
    golden_id TEXT PRIMARY KEY,
    id_number TEXT UNIQUE,
    name TEXT,
    sex TEXT,
    birth_date TEXT,
    ethnicity TEXT,
    hukou TEXT,
    phone TEXT,
    address TEXT,
    house_code TEXT,
    grid_code TEXT,
    district_code TEXT,
    -- 一数一源: for every attribute the value chosen, the department and record it came from, and why
    -- ({"name": {"value": …, "department": …, "record_id": …, "reason": …}, …}); one column rather than a row
    -- per attribute, because an import writes it for every golden record it touches.
    provenance TEXT NOT NULL
);
CREATE INDEX golden_person_grid ON golden_person (grid_code);
CREATE INDEX golden_person_house ON golden_person (house_code);

CREATE TABLE golden_legal_entity (
    golden_id TEXT PRIMARY KEY,
    credit_code TEXT UNIQUE,
    name TEXT,
    status TEXT,
    registered_date TEXT,
    industry TEXT,
    legal_representative_name TEXT,
    legal_representative_id_number TEXT,
    address TEXT,
    house_code TEXT,
    grid_code TEXT,
    district_code TEXT,
    provenance TEXT NOT NULL
);
CREATE INDEX golden_legal_entity_grid ON golden_legal_entity (grid_code);

CREATE TABLE import_batch (
    batch_id INTEGER PRIMARY KEY,
    department TEXT NOT NULL,
    file TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    linked_key INTEGER NOT NULL DEFAULT 0,
    linked_repaired_key INTEGER NOT NULL DEFAULT 0,
    linked_engine INTEGER NOT NULL DEFAULT 0,
    linked_new INTEGER NOT NULL DEFAULT 0
);

-- A changed record is a new version; the old one is kept.
CREATE TABLE source_record (
    department TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    batch_id INTEGER NOT NULL,
    file TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    raw_values TEXT NOT NULL,
    PRIMARY KEY (department, record_id, version)
);

CREATE TABLE record_mention (
    department TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    mention_index INTEGER NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    fields TEXT NOT NULL,
    golden_id TEXT,
    link_method TEXT NOT NULL,
    link_weight REAL NOT NULL,
    PRIMARY KEY (department, record_id, version, mention_index)
);
CREATE INDEX record_mention_golden ON record_mention (golden_id);

CREATE TABLE row_error (
    batch_id INTEGER NOT NULL,
    file TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    field TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX row_error_batch ON row_error (batch_id);

CREATE TABLE field_issue (
    batch_id INTEGER NOT NULL,
    department TEXT NOT NULL,
    record_id TEXT NOT NULL,
    file TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    value TEXT
);
CREATE INDEX field_issue_batch ON field_issue (batch_id);

-- The stewards' queue: sources that disagree on an attribute, or a key that looks mistyped.
CREATE TABLE data_conflict (
    conflict_id INTEGER PRIMARY KEY,
    golden_id TEXT NOT NULL,
    field TEXT NOT NULL,
    conflict_kind TEXT NOT NULL,
    candidate_values TEXT NOT NULL,
    department TEXT,
    batch_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX data_conflict_golden ON data_conflict (golden_id);

-- Conflicts that need eyes on site (where someone lives, what a house is) go to the grid's worker.
CREATE TABLE verification_task (
    task_id INTEGER PRIMARY KEY,
    conflict_id INTEGER NOT NULL,
    golden_id TEXT NOT NULL,
    grid_code TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX verification_task_grid ON verification_task (grid_code, status);
