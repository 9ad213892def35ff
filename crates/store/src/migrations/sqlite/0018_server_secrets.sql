-- Keys this deployment makes for itself, shared by all its processes: made
-- at random on first use and never shown. They key the payout-account
-- hashes (so a leaked database cannot be matched against a list of
-- accounts) and the opaque reviewer ids clients see.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,      -- hex
    created_at INTEGER NOT NULL
);
