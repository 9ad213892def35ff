-- The identity graph's log: one event per upload (who, device, IP block,
-- hashed payout account, content shared with others) and per verdict, in
-- the order recorded. Every process replays it into the same graph.
ALTER TABLE uploads ADD COLUMN payout_hash TEXT;

CREATE TABLE graph_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE,   -- upload:{id} or verdict:{id}: a retried job adds nothing
    event      TEXT NOT NULL,          -- JSON
    created_at INTEGER NOT NULL
);
