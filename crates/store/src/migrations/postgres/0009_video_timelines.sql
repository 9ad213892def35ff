-- TMK level-1 features of videos (the average of 256 PDQ float features,
-- f32 little-endian), for whole-video matching; the full TMK file lives in
-- the blob store under tmk/{upload_id}.tmk. Loaded incrementally like
-- document signatures.
CREATE TABLE video_timelines (
    seq            BIGSERIAL PRIMARY KEY,
    upload_id      TEXT NOT NULL UNIQUE,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    signature      BYTEA NOT NULL,
    created_at     BIGINT NOT NULL
);
