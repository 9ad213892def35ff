-- PDQ hashes of screened media: one row per image (frame_ms 0) and one per
-- distinct sampled video frame. `seq` orders rows for incremental loading
-- into the in-process indexes.
CREATE TABLE perceptual_hashes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id      TEXT NOT NULL,
    kind           TEXT NOT NULL,   -- image | video_frame
    frame_ms       INTEGER NOT NULL,
    contributor_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    pdq            BLOB NOT NULL,
    quality        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (upload_id, kind, frame_ms)
);
