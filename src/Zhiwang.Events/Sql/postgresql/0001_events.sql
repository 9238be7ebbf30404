-- Events: disputes and hazards from every channel, their dispatch to a department at a level, deadlines on the
-- business calendar, supervision and closure. Times are UTC text (yyyy-MM-ddTHH:mm:ss.fffffffZ): they sort as text
-- on both providers and read back exactly.

-- The catalogue (classes, departments, dispatch rules) as an administrator saved it; an event keeps the version it was
-- filed under, so a later edit never changes the deadline or route of an event already filed.
CREATE TABLE event_catalogue (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT
);

CREATE TABLE event (
    event_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,            -- unguessable reference a reporter follows the event by (Open311 token)
    submitter TEXT NOT NULL,               -- the user or client that handed it in
    client_key TEXT,                       -- the submitter's idempotency key: the same key twice is one event
    channel TEXT NOT NULL,                 -- grid_worker | hotline | department | resident | online_opinion | open311
    class_code TEXT NOT NULL,
    catalogue_version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    urgency TEXT NOT NULL,
    state TEXT NOT NULL,
    description TEXT NOT NULL,
    address TEXT,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    grid_code TEXT NOT NULL,
    community_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    attributes TEXT,                       -- JSON object, checked against the class's attributes
    reporter_name TEXT,                    -- personal data: masked in views, every read audited
    reporter_phone TEXT,
    reporter_user TEXT,                    -- the signed-in reporter (a grid worker), for 采办分离
    reported_at TEXT NOT NULL,
    level TEXT,
    department TEXT,
    unit_division TEXT,
    accept_due TEXT,
    handle_due TEXT,
    overdue BIGINT NOT NULL DEFAULT 0,
    handled_by TEXT,
    result TEXT,
    closed_at TEXT,
    satisfaction BIGINT,
    reopen_until TEXT,
    duplicate_of BIGINT,                  -- merged into that event
    possible_duplicate_of BIGINT,         -- flagged at intake: same class, near place, close time
    revision BIGINT NOT NULL DEFAULT 1,   -- bumped by every transition: a stale form cannot overwrite a newer one
    updated_at TEXT NOT NULL,
    UNIQUE (submitter, client_key)
);
CREATE INDEX event_unit_queue ON event (department, unit_division, state);
CREATE INDEX event_state_district ON event (state, district_code);
CREATE INDEX event_grid_state ON event (grid_code, state);
CREATE INDEX event_nearby ON event (class_code, community_code, reported_at);
CREATE INDEX event_reported_at ON event (reported_at);

-- Each time an event is given to a unit (a department at a level in a division): the basis of assessment.
CREATE TABLE event_assignment (
    assignment_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES event (event_id),
    level TEXT NOT NULL,
    department TEXT NOT NULL,
    division_code TEXT NOT NULL,
    joint BIGINT NOT NULL DEFAULT 0,      -- a unit asked to handle jointly with the lead unit
    assigned_at TEXT NOT NULL,
    accept_due TEXT NOT NULL,
    accepted_at TEXT,
    handle_due TEXT NOT NULL,
    handled_at TEXT,
    overdue BIGINT NOT NULL DEFAULT 0,
    outcome TEXT,                          -- handled | returned | rerouted | escalated | closed | reopened
    ended_at TEXT
);
CREATE INDEX event_assignment_event ON event_assignment (event_id);
CREATE INDEX event_assignment_unit ON event_assignment (department, division_code, assigned_at);
CREATE INDEX event_assignment_assigned_at ON event_assignment (assigned_at);

-- Append-only: who did what, when and why. The database refuses changes (triggers below).
CREATE TABLE event_timeline (
    event_id BIGINT NOT NULL REFERENCES event (event_id),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT,
    detail TEXT,
    PRIMARY KEY (event_id, seq)
);
-- Open311's servicerequestupdates lists the steps of a period.
CREATE INDEX event_timeline_at ON event_timeline (at);
CREATE FUNCTION event_timeline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_timeline is append-only';
END
$$;
CREATE TRIGGER event_timeline_no_update BEFORE UPDATE OR DELETE ON event_timeline
    FOR EACH ROW EXECUTE FUNCTION event_timeline_refuse_change();
CREATE TRIGGER event_timeline_no_truncate BEFORE TRUNCATE ON event_timeline
    FOR EACH STATEMENT EXECUTE FUNCTION event_timeline_refuse_change();

-- What is due and when: one row per pending deadline or warning, removed when it fires or stops mattering.
-- The sweep reads only rows due by now, so its cost follows what is due, not how many events are stored.
CREATE TABLE event_timer (
    event_id BIGINT NOT NULL,
    timer TEXT NOT NULL,                   -- accept_warning | accept_due | handle_warning | handle_due | supervision_due
    ref_id BIGINT NOT NULL,               -- the assignment or supervision order it belongs to
    fire_at TEXT NOT NULL,
    PRIMARY KEY (event_id, timer, ref_id)
);
CREATE INDEX event_timer_fire_at ON event_timer (fire_at);

CREATE TABLE event_photo (
    event_id BIGINT NOT NULL REFERENCES event (event_id),
    seq BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (event_id, seq)
);

-- The persons, legal entities and houses concerned, by golden id.
CREATE TABLE event_link (
    event_id BIGINT NOT NULL REFERENCES event (event_id),
    kind TEXT NOT NULL,                    -- person | legal_entity | house
    golden_id TEXT NOT NULL,
    PRIMARY KEY (event_id, kind, golden_id)
);
CREATE INDEX event_link_golden ON event_link (kind, golden_id);

-- 督办: a supervisor's order with its own deadline, which the handling unit must answer.
CREATE TABLE supervision_order (
    order_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES event (event_id),
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    instruction TEXT NOT NULL,
    due_at TEXT NOT NULL,
    answered_by TEXT,
    answered_at TEXT,
    answer TEXT,
    overdue BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX supervision_order_event ON supervision_order (event_id);
CREATE INDEX supervision_order_open ON supervision_order (answered_at, due_at);

-- 电子监察点: each breach of a monitored step, once per step.
CREATE TABLE event_breach (
    breach_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES event (event_id),
    checkpoint TEXT NOT NULL,              -- late_acceptance | late_handling | late_supervision_answer | closure_without_verification
    ref_id BIGINT NOT NULL,
    department TEXT,
    division_code TEXT,
    at TEXT NOT NULL,
    detail TEXT,
    UNIQUE (event_id, checkpoint, ref_id)
);
CREATE INDEX event_breach_at ON event_breach (at);
