-- Banks: named collections of known PDQ hashes (stock catalogues, known
-- fakes, imported reference sets), each entry with where it came from.
CREATE TABLE banks (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE bank_entries (
    seq        BIGSERIAL PRIMARY KEY,
    bank       TEXT NOT NULL REFERENCES banks (name),
    pdq        BYTEA NOT NULL,
    quality    BIGINT NOT NULL,
    source     TEXT NOT NULL,
    licence    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (bank, pdq)
);
