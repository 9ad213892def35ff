-- Reference entries may carry an image embedding (f16, little-endian), so a
-- copy too changed for PDQ is still found by its content; the model that
-- computed it is named, as only vectors of one model compare.
ALTER TABLE bank_entries ADD COLUMN embedding BYTEA;
ALTER TABLE bank_entries ADD COLUMN embedding_model TEXT NOT NULL DEFAULT '';

-- Where an interrupted `bank import` stands: items of the input already
-- stored, so a rerun of the same import starts after them.
CREATE TABLE bank_imports (
    bank       TEXT NOT NULL REFERENCES banks (name),
    input      TEXT NOT NULL,
    done       BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (bank, input)
);
