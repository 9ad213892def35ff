//! The engine: the pipeline wired together.
//!
//! ```text
//!  ingest ──► store (upload + job, one transaction) ──► worker claims job
//!    ──► decode (artefacts, once) ──► hashes, models, bank and copy lookups (once)
//!    ──► detectors (signals + matching, concurrently)
//!    ──► policy (verdict) ──► store (verdict + findings + webhook job, one transaction)
//! ```
//!
//! [`Engine`] holds the store, the detector [`Registry`], the policy and the
//! metrics; the HTTP server and the CLI both drive it, so a file screened by
//! `bonafide scan` goes through exactly what an API upload does.
//! [`BankImport`] fills a bank from precomputed entries or media,
//! fingerprinted as uploads are.
#![deny(missing_docs)]

pub use crate::{
    bank_import::{BankImport, BankImportError, ImportProgress, ImportReport, ProgressUnit},
    config::EngineConfig,
    engine::{Engine, EngineError, Ingested, StageFailure},
    fingerprint::{Fingerprint, MediaPrint},
    metrics::{CodeLabel, DetectorLabel, HttpLabel, LimitLabel, Metrics, Stage, StageLabel},
    registry::{Registry, RegistryError, StandardParts},
    review::{OFF_TASK, ReviewConfig},
    search::{SearchMatch, SearchOptions, SearchResult, similarity},
    task_check::TaskError,
    view::{FindingView, HumanReviewView, ReasonView, UploadView, VerdictView},
    worker::Workers,
};

mod bank_import;
mod bank_index;
mod config;
mod copy_match;
mod cursor;
mod engine;
mod fingerprint;
mod fraud;
mod fraud_graph;
mod in_flight;
mod metrics;
mod mirror;
mod models;
mod near_index;
mod registry;
mod rejected_bank;
mod review;
mod screen;
mod search;
mod secrets;
mod semantic_index;
mod task_check;
mod view;
mod worker;
