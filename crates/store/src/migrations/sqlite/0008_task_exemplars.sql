-- Example uploads of a task, positive (what answers should look like) or
-- negative (what they must not): answers are compared with them in image
-- embedding space. An exemplar is an upload already screened, so its
-- embedding is in image_embeddings.
CREATE TABLE task_exemplars (
    task_id    TEXT NOT NULL,
    upload_id  TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (task_id, upload_id)
);
