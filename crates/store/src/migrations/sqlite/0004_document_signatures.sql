-- MinHash signatures of document text (128 × u32, little-endian), for
-- near-duplicate documents; loaded incrementally like perceptual hashes.
CREATE TABLE document_signatures (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    signature      BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);
