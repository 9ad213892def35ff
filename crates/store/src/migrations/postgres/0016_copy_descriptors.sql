-- Copy-detection descriptors (SSCD) of screened photos, beside their CLIP
-- embeddings: the descriptor made to find edited copies (crops, overlays,
-- screenshots), searched by pgvector's HNSW index (half precision, cosine
-- distance). `model` names the model and the background its vectors are
-- centred on: vectors of different models never compare.
CREATE TABLE copy_descriptors (
    seq            BIGSERIAL PRIMARY KEY,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    model          TEXT NOT NULL,
    embedding      halfvec(512) NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX copy_descriptors_hnsw ON copy_descriptors USING hnsw (embedding halfvec_cosine_ops);

-- A bank entry's copy descriptor (f16, little-endian; a reference corpus's
-- pictures get one at import), beside its CLIP embedding.
ALTER TABLE bank_entries ADD COLUMN descriptor BYTEA;
ALTER TABLE bank_entries ADD COLUMN descriptor_model TEXT NOT NULL DEFAULT '';
