//! The integration suite: one binary. Store-backed tests run twice, on the
//! embedded default (SQLite + local folder) and on PostgreSQL + S3
//! (SeaweedFS), via `both!`. The Postgres and S3 halves need the services
//! that `scripts/services` starts; they fail, not skip, when those are down.

#[macro_use]
mod common;

mod suite {
    mod ai;
    mod api;
    mod bad_input;
    mod blob_keys;
    mod browser;
    mod cli;
    mod crash;
    mod credentials;
    mod duplicates;
    mod faults;
    mod forensics;
    mod fraud;
    mod logins;
    mod provenance;
    mod queue;
    mod reference;
    mod review;
    mod rights;
    mod scale;
    mod scan_copies;
    mod semantic;
    mod server_limits;
    mod task_content;
    mod task_requirements;
    mod tenants;
    mod web_search;
    mod webhooks;
}
