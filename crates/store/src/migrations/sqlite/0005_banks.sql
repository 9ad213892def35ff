-- Banks: named collections of known PDQ hashes (stock catalogues, known
-- fakes, imported reference sets), each entry with where it came from.
CREATE TABLE banks (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE bank_entries (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    bank       TEXT NOT NULL REFERENCES banks (name),
    pdq        BLOB NOT NULL,
    quality    INTEGER NOT NULL,
    source     TEXT NOT NULL,
    licence    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (bank, pdq)
);
