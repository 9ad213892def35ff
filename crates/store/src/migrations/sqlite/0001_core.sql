-- Core tables: who, what, the queue, the outcome. Timestamps are Unix
-- milliseconds and JSON is TEXT, so the SQLite and Postgres schemas carry the
-- same values and one query text serves both.
CREATE TABLE tasks (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    instructions  TEXT NOT NULL,
    allowed_kinds TEXT NOT NULL,   -- JSON array of media kinds
    requirements  TEXT NOT NULL,   -- JSON object
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE api_clients (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    key_hash       TEXT NOT NULL UNIQUE,  -- SHA-256 of the key; the key itself is never stored
    scopes         TEXT NOT NULL,         -- space-separated
    webhook_url    TEXT,
    webhook_secret TEXT,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER
);

CREATE TABLE uploads (
    id                  TEXT PRIMARY KEY,
    contributor_id      TEXT NOT NULL,
    device_id           TEXT,
    client_ip           TEXT,
    task_id             TEXT,
    api_client_id       TEXT,
    declared_capture_at INTEGER,
    file_name           TEXT,
    claimed_type        TEXT,
    blob_key            TEXT NOT NULL,
    sha256              TEXT NOT NULL,
    size_bytes          INTEGER NOT NULL,
    media_type          TEXT,
    width               INTEGER,
    height              INTEGER,
    duration_ms         INTEGER,
    pages               INTEGER,
    state               TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_contributor ON uploads (contributor_id, created_at);

-- First upload of each exact content; written in the upload's own
-- transaction, so "first" is the commit order.
CREATE TABLE content_hashes (
    sha256          TEXT PRIMARY KEY,
    first_upload_id TEXT NOT NULL,
    contributor_id  TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE findings (
    upload_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    detector  TEXT NOT NULL,
    code      TEXT NOT NULL,
    score     REAL NOT NULL,
    message   TEXT NOT NULL,
    evidence  TEXT NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
CREATE INDEX findings_code ON findings (code);

CREATE TABLE verdicts (
    upload_id      TEXT PRIMARY KEY,
    decision       TEXT NOT NULL,
    reasons        TEXT NOT NULL,  -- JSON array of {code, score, message}
    policy_version TEXT NOT NULL,
    decided_at     INTEGER NOT NULL
);

-- The durable work queue. A claimed job carries a lease; a worker that dies
-- lets the lease lapse and another worker takes the job again.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL,   -- queued | running | dead
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    lease_until  INTEGER,
    lease_token  TEXT,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX jobs_ready ON jobs (state, run_at);
