-- Copy-detection descriptors (SSCD, 512 × f16, little-endian) of screened
-- photos, beside their CLIP embeddings: the descriptor made to find edited
-- copies (crops, overlays, screenshots), mirrored into an in-process HNSW
-- index like `image_embeddings`. `model` names the model and the background
-- its vectors are centred on: vectors of different models never compare.
CREATE TABLE copy_descriptors (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    model          TEXT NOT NULL,
    embedding      BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);

-- A bank entry's copy descriptor (a reference corpus's pictures get one at
-- import), beside its CLIP embedding.
ALTER TABLE bank_entries ADD COLUMN descriptor BLOB;
ALTER TABLE bank_entries ADD COLUMN descriptor_model TEXT NOT NULL DEFAULT '';
