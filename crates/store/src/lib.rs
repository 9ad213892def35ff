//! Storage: one interface, two backends, chosen by URL.
//!
//! * Embedded (default): a SQLite file and a local blob folder — `sqlite://…`
//!   and a plain path or `file://…`.
//! * Production: PostgreSQL (`postgres://…`) and an S3-compatible object
//!   store (`s3://bucket?endpoint=…`).
//!
//! [`Store`] holds both halves. The SQL is shared: timestamps are Unix ms and
//! JSON is text, so the same statements run on both databases, and only the
//! schema DDL and the job claim ([`jobs`]) differ. Every write that must not
//! be lost — an accepted upload with its job, a verdict with its findings — is
//! one transaction.
#![deny(missing_docs)]

pub use crate::{
    audit::{AuditEntry, AuditRecord},
    banks::{BankEntry, BankKind, BankScope, BankSummary, EntryEmbedding},
    blobs::{BlobError, BlobStore, RESERVED_PREFIXES, STREAM_BUFFER, StreamError, Written},
    clients::{ApiClient, ApiClientEntry, CredentialChange, NewApiClient, Scope},
    db::{Backend, Db},
    embeddings::{NearEmbedding, StoredEmbedding, VectorTable},
    error::{Result, StoreError},
    graph_events::LoggedEvent,
    identities::{ContributorRecord, DeviceUse},
    jobs::{ClaimedJob, Job, JobError, JobKind, QueueStats},
    outage::Outage,
    perceptual_hashes::{HashKind, SignatureKind, StoredHash, StoredSignature},
    review::{
        DecisionPolicy, NewReviewItem, QueueFilter, ReviewDecision, ReviewItem, ReviewRefusal,
    },
    review_stats::{Agreement, CodePrecision, ReviewStats},
    review_vocabulary::{HumanDecision, ItemState, ReviewOrigin},
    reviewers::{Reviewer, ReviewerEntry, ReviewerRole, ReviewerSession},
    staging::{StageError, StagedUpload},
    store::{Store, StoreConfig, redacted},
    uploads::{MediaSummary, NewUpload, UploadRecord, VerdictRecord},
};

mod audit;
mod banks;
mod blobs;
mod clients;
mod db;
mod embeddings;
mod error;
mod exact;
mod exemplars;
mod graph_events;
mod identities;
pub mod jobs;
mod migrations;
mod outage;
mod perceptual_hashes;
mod review;
mod review_stats;
mod review_vocabulary;
mod reviewers;
mod secrets;
mod staging;
mod store;
mod tasks;
mod uploads;

/// Milliseconds since the Unix epoch, the timestamp unit of every table.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
