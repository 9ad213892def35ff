-- CLIP image embeddings of screened photos, for semantic near-duplicates,
-- searched by pgvector's HNSW index (half precision, cosine distance).
-- `model` names the model file: vectors of different models are never
-- compared. Needs the pgvector extension (0.7 or later) on the server; its
-- types live in `public`, which must be on the search path.
CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;
CREATE TABLE image_embeddings (
    seq            BIGSERIAL PRIMARY KEY,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    model          TEXT NOT NULL,
    embedding      halfvec(512) NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX image_embeddings_hnsw ON image_embeddings USING hnsw (embedding halfvec_cosine_ops);
