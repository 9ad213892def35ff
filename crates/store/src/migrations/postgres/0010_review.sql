-- Human review: the queue, reviewers' decisions and the audit log.
CREATE TABLE review_items (
    id               BIGSERIAL PRIMARY KEY,
    upload_id        TEXT NOT NULL,
    origin           TEXT NOT NULL,    -- review | qa | second
    reason           TEXT NOT NULL,    -- the verdict's leading reason code
    task_id          TEXT,
    machine_decision TEXT NOT NULL,
    risk             DOUBLE PRECISION NOT NULL,    -- 0-1: the leading reason's score
    state            TEXT NOT NULL,    -- open | decided
    lease_owner      TEXT,
    lease_until      BIGINT,
    not_reviewer     TEXT,             -- a second review excludes the first reviewer
    first_item       BIGINT,          -- a second review's first item
    created_at       BIGINT NOT NULL,
    due_at           BIGINT NOT NULL,
    decided_at       BIGINT,
    UNIQUE (upload_id, origin)
);
CREATE INDEX review_items_open ON review_items (state, created_at);

CREATE TABLE review_skips (
    item_id  BIGINT NOT NULL,
    reviewer TEXT NOT NULL,
    PRIMARY KEY (item_id, reviewer)
);

CREATE TABLE review_decisions (
    id          BIGSERIAL PRIMARY KEY,
    item_id     BIGINT NOT NULL,
    upload_id   TEXT NOT NULL,
    reviewer    TEXT NOT NULL,
    decision    TEXT NOT NULL,         -- accept | reject
    reason_code TEXT,
    note        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    undone_at   BIGINT,
    applied_at  BIGINT                -- feedback (banks, exemplars) applied
);
CREATE INDEX review_decisions_item ON review_decisions (item_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE audit_log (
    seq     BIGSERIAL PRIMARY KEY,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    before  TEXT NOT NULL,             -- JSON, null when nothing was there
    after   TEXT NOT NULL              -- JSON
);

-- People who work the queue in the web UI.
CREATE TABLE reviewers (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,       -- reviewer | admin
    password_hash TEXT NOT NULL,       -- Argon2id, PHC string
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT
);

CREATE TABLE reviewer_sessions (
    token_hash TEXT PRIMARY KEY,       -- SHA-256 of the cookie's token
    reviewer   TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
