-- Tenants: every API client belongs to one, and an upload to its client's.
-- Exact and near duplicates, vector matches, identities and the fraud
-- graph are kept per tenant, so one tenant's uploads never match, link or
-- show another's. Everything before this migration is the default tenant's.
ALTER TABLE api_clients ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE uploads ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE perceptual_hashes ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE document_signatures ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE video_timelines ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE image_embeddings ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE copy_descriptors ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE graph_events ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
-- A bank is every tenant's (NULL) or one tenant's (its rejected bank).
ALTER TABLE banks ADD COLUMN tenant TEXT;

-- SQLite cannot change a primary key: these tables are rebuilt keyed by
-- tenant first.
CREATE TABLE content_hashes_t (
    tenant          TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    first_upload_id TEXT NOT NULL,
    contributor_id  TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant, sha256)
);
INSERT INTO content_hashes_t SELECT 'default', sha256, first_upload_id, contributor_id, created_at FROM content_hashes;
DROP TABLE content_hashes;
ALTER TABLE content_hashes_t RENAME TO content_hashes;

CREATE TABLE contributors_t (
    tenant        TEXT NOT NULL,
    id            TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    uploads       INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
);
INSERT INTO contributors_t SELECT 'default', id, first_seen_at, last_seen_at, uploads FROM contributors;
DROP TABLE contributors;
ALTER TABLE contributors_t RENAME TO contributors;

CREATE TABLE devices_t (
    tenant        TEXT NOT NULL,
    id            TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    uploads       INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
);
INSERT INTO devices_t SELECT 'default', id, first_seen_at, last_seen_at, uploads FROM devices;
DROP TABLE devices;
ALTER TABLE devices_t RENAME TO devices;

CREATE TABLE contributor_devices_t (
    tenant         TEXT NOT NULL,
    contributor_id TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    uploads        INTEGER NOT NULL,
    PRIMARY KEY (tenant, contributor_id, device_id)
);
INSERT INTO contributor_devices_t
    SELECT 'default', contributor_id, device_id, first_seen_at, last_seen_at, uploads FROM contributor_devices;
DROP TABLE contributor_devices;
ALTER TABLE contributor_devices_t RENAME TO contributor_devices;
CREATE INDEX contributor_devices_device ON contributor_devices (tenant, device_id);

-- The rejected bank so far holds the default tenant's rejects only.
UPDATE banks SET tenant = 'default' WHERE name = 'rejected';
