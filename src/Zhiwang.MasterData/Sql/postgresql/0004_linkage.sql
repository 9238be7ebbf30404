-- The linkage engine's part of a link: the per-comparison weights of the pair that decided it (the waterfall a
-- steward reads), and the trained model per kind, so a later single-record link scores as the batch did.
ALTER TABLE record_mention ADD COLUMN link_explanation TEXT;

CREATE TABLE linkage_model (
    kind TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    records INTEGER NOT NULL,
    trained_at TIMESTAMPTZ NOT NULL
);
