-- MinHash signatures of document text (128 × u32, little-endian), for
-- near-duplicate documents; loaded incrementally like perceptual hashes.
CREATE TABLE document_signatures (
    seq            BIGSERIAL PRIMARY KEY,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    signature      BYTEA NOT NULL,
    created_at     BIGINT NOT NULL
);
