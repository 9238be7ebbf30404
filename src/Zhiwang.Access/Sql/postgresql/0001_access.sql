-- Access: users, department clients and the audit chain.
-- Times are ISO-8601 UTC text (yyyy-MM-ddTHH:mm:ss.fffffffZ), the same on both providers, so a
-- timestamp reads back exactly as it was hashed into the audit chain (timestamptz keeps microseconds only).

CREATE TABLE app_user (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    roles TEXT NOT NULL,            -- space-separated role names (Roles)
    scope TEXT NOT NULL,            -- division code: 440300 city, 6 district, 12 street, 15 community, 18 grid
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE api_client (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    secret_sha256 TEXT NOT NULL,    -- hex SHA-256 of the secret; the secret itself is never stored
    grants TEXT NOT NULL,           -- space-separated grants, e.g. "open311 verify:*"
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE audit_entry (
    seq BIGINT PRIMARY KEY,         -- 1, 2, 3 … with no gaps: a gap is a deleted entry
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    purpose TEXT,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE INDEX audit_entry_target ON audit_entry (target);

-- Append-only: the database itself refuses to change or remove an entry.
CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only';
END
$$;

CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();

CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change();
