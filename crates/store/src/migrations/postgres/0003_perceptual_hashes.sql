-- PDQ hashes of screened media: one row per image (frame_ms 0) and one per
-- distinct sampled video frame. `seq` orders rows for incremental loading
-- into the in-process indexes.
CREATE TABLE perceptual_hashes (
    seq            BIGSERIAL PRIMARY KEY,
    upload_id      TEXT NOT NULL,
    kind           TEXT NOT NULL,   -- image | video_frame
    frame_ms       BIGINT NOT NULL,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    pdq            BYTEA NOT NULL,
    quality        BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (upload_id, kind, frame_ms)
);
