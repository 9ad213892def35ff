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

ALTER TABLE content_hashes ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE content_hashes DROP CONSTRAINT content_hashes_pkey;
ALTER TABLE content_hashes ADD PRIMARY KEY (tenant, sha256);

ALTER TABLE contributors ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE contributors DROP CONSTRAINT contributors_pkey;
ALTER TABLE contributors ADD PRIMARY KEY (tenant, id);

ALTER TABLE devices ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE devices DROP CONSTRAINT devices_pkey;
ALTER TABLE devices ADD PRIMARY KEY (tenant, id);

ALTER TABLE contributor_devices ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE contributor_devices DROP CONSTRAINT contributor_devices_pkey;
ALTER TABLE contributor_devices ADD PRIMARY KEY (tenant, contributor_id, device_id);
DROP INDEX contributor_devices_device;
CREATE INDEX contributor_devices_device ON contributor_devices (tenant, device_id);

-- The rejected bank so far holds the default tenant's rejects only.
UPDATE banks SET tenant = 'default' WHERE name = 'rejected';
