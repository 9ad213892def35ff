-- Who uploads, from which devices: counts and first/last sightings, kept in
-- the upload's own transaction. Contributor-device pairs are the first
-- edges of the fraud graph.
CREATE TABLE contributors (
    id            TEXT PRIMARY KEY,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    uploads       INTEGER NOT NULL
);

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    uploads       INTEGER NOT NULL
);

CREATE TABLE contributor_devices (
    contributor_id TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    uploads        INTEGER NOT NULL,
    PRIMARY KEY (contributor_id, device_id)
);
CREATE INDEX contributor_devices_device ON contributor_devices (device_id);
