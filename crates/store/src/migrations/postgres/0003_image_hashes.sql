-- One PDQ hash per screened image (the original orientation; the other
-- seven are derived when querying). `seq` orders rows for incremental
-- loading into the in-process index.
CREATE TABLE image_hashes (
    seq            BIGSERIAL PRIMARY KEY,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    pdq            BYTEA NOT NULL,
    quality        BIGINT NOT NULL,
    created_at     BIGINT NOT NULL
);
