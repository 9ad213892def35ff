-- CLIP image embeddings of screened photos (512 × f16, little-endian), for
-- semantic near-duplicates; mirrored into an in-process HNSW index and
-- loaded incrementally like perceptual hashes. `model` names the model
-- file: vectors of different models are never compared.
CREATE TABLE image_embeddings (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    model          TEXT NOT NULL,
    embedding      BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);
